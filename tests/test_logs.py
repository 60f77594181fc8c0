"""The operation and login logs read as who did what to which record, in Chinese: field names, old → new
values with their dictionary labels; filtered by date range, user and action; exported to Excel."""

import datetime
import io
import json
import re

from django.utils import timezone
from openpyxl import load_workbook

from liantong.orgs.models import Department


def _project(c, zone):
    d = Department.objects.filter(zone=zone).first()
    body = {"title": "日志可读项目", "owner_name": "张三", "department": d.pk, "status": "active"}
    pk = c.post("/api/v1/action-projects", json.dumps(body), content_type="application/json").json()["id"]
    c.put(f"/api/v1/action-projects/{pk}", json.dumps(dict(body, status="done")), content_type="application/json")
    return pk


def test_a_change_shows_the_field_s_name_and_old_and_new_dictionary_labels(personas, client_for):
    c = client_for(personas["zone_staff"])
    _project(c, personas["zone_staff"].zone)
    html = c.get("/system/operation-log/?q=日志可读项目&action=update").content.decode()
    rows = re.search(r"<tbody>(.*?)</tbody>", html, re.S).group(1)
    assert "<del>推进中</del> → <ins>已完成</ins>" in rows, rows
    assert "None" not in rows and "resources.actionproject" not in rows and "{" not in rows


def test_the_log_filters_by_user_action_and_date_range_and_exports_what_it_shows(personas, client_for):
    c = client_for(personas["zone_staff"])
    _project(c, personas["zone_staff"].zone)
    today = timezone.localdate()
    base = "/system/operation-log/?q=日志可读项目&user=zj_zone"
    page = c.get(f"{base}&from={today}&to={today}").content.decode()
    n = int(re.search(r"共 (\d+) 条", page).group(1))
    assert n == 2  # the creation and the change
    assert "共 1 条" in c.get(f"{base}&action=create").content.decode()
    yesterday = today - datetime.timedelta(days=1)
    assert "共 0 条" in c.get(f"{base}&to={yesterday}").content.decode()
    export = c.get(f"{base}&from={today}&export=xlsx")
    ws = load_workbook(io.BytesIO(export.content)).active
    rows = list(ws.iter_rows(values_only=True))
    assert rows[0][:3] == ("时间", "用户", "操作") and len(rows) == 1 + n
    assert any("状态：推进中 → 已完成" in (r[-1] or "") for r in rows[1:]), rows
    assert c.get(f"{base}&from=昨天").status_code == 400


def test_the_login_log_shows_user_time_ip_result_and_client(personas, client_for, client):
    client.post("/accounts/login/", {"username": "zj_firm", "password": "wrong-password"},
                HTTP_USER_AGENT="Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 Chrome/120.0 Safari/537.36")
    html = client_for(personas["admin"]).get("/system/login-log/?action=login_failed").content.decode()
    rows = re.search(r"<tbody>(.*?)</tbody>", html, re.S).group(1)
    assert "登录失败" in rows and "Chrome · Windows" in rows and "127.0.0.1" in rows
