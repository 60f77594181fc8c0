"""Internal text never reaches users (issue 7, "Fix first" 8): a refused write caused by a database
constraint answers in Chinese, on the page and in the API, without the constraint's name, the model's
class or app label, or a raw dict."""

import json
import re

import pytest
from django.apps import apps

from liantong.orgs.models import Chain, Department, PartyOrg

pytestmark = pytest.mark.django_db


def _internal_names() -> set[str]:
    names = set()
    for model in apps.get_models():
        names.add(model._meta.label)
        names.add(model._meta.label_lower)
        names.add(model.__name__)
        names.update(c.name for c in model._meta.constraints)
    return names


def _leaks(text: str) -> list[str]:
    words = set(re.findall(r"[A-Za-z_][A-Za-z0-9_.]+", text))
    found = sorted(n for n in _internal_names() if n in words)
    if re.search(r"\{'[a-z_]+':", text):
        found.append("raw dict")
    return found


def _errors(body: str) -> str:
    """The error texts a form page shows (field and form errors, alerts)."""
    return " ".join(re.findall(r'class="[^"]*(?:invalid-feedback|errorlist|alert-danger)[^"]*"[^>]*>(.*?)</',
                               body, re.S))


def test_a_second_chain_committee_is_refused_in_chinese_on_the_page(personas, client_for):
    user = personas["zone_staff"]
    chain = Chain.objects.filter(zone=user.zone, party_orgs__kind="chain_committee").first()
    top = PartyOrg.objects.get(zone=user.zone, kind="zone_committee")
    r = client_for(user).post("/orgs/partyorg/new/", {"zone": user.zone_id, "name": "第二个联合党委",
                                                     "kind": "chain_committee", "parent": top.pk, "chain": chain.pk})
    assert r.status_code == 400
    shown = _errors(r.content.decode())
    assert shown.strip(), "the refusal is shown"
    assert re.search(r"[\u4e00-\u9fff]", shown)
    assert _leaks(r.content.decode()) == [], shown


def test_a_taken_title_is_refused_in_chinese_by_the_api(personas, client_for):
    c = client_for(personas["zone_staff"])
    d = Department.objects.filter(zone=personas["zone_staff"].zone).first()
    body = {"title": "唯一性测试项目", "owner_name": "张三", "department": d.pk}
    assert c.post("/api/v1/action-projects", json.dumps(body), content_type="application/json").status_code == 201
    other = c.post("/api/v1/action-projects", json.dumps(dict(body, title="另一个项目")),
                   content_type="application/json").json()["id"]
    r = c.put(f"/api/v1/action-projects/{other}", json.dumps(body), content_type="application/json")
    assert r.status_code in (400, 409)
    detail = r.json()["detail"]
    assert re.search(r"[\u4e00-\u9fff]", detail) and _leaks(r.content.decode("unicode_escape")) == [], detail


def test_the_operation_log_shows_what_changed_in_chinese_not_model_labels_or_raw_dicts(personas, client_for):
    c = client_for(personas["zone_staff"])
    d = Department.objects.filter(zone=personas["zone_staff"].zone).first()
    body = {"title": "日志测试项目", "owner_name": "张三", "department": d.pk}
    pk = c.post("/api/v1/action-projects", json.dumps(body), content_type="application/json").json()["id"]
    c.put(f"/api/v1/action-projects/{pk}", json.dumps(dict(body, owner_name="李四")), content_type="application/json")
    page = c.get("/system/operation-log/?q=日志测试项目")
    assert page.status_code == 200
    rows = re.search(r"<tbody>(.*?)</tbody>", page.content.decode(), re.S).group(1)
    assert "日志测试项目" in rows and "行动项目" in rows  # the object and its kind, in Chinese
    assert "负责人" in rows and "李四" in rows  # what changed, by the field's name
    assert _leaks(rows.replace("&#x27;", "'")) == [], rows
