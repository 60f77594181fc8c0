"""Pages and API: the permission matrix (anonymous, no role, in scope, out of scope → 404), the zone
figures, Excel export, and bad input answered in Chinese without a 500."""

import datetime
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from liantong.resources.models import (
    ActionProject,
    Booking,
    DepartmentResource,
    JointMeeting,
    Resolution,
    ServiceSquad,
    ServiceVisit,
    SharedResource,
)

LISTS = ["deptresource_list", "project_list", "shared_list", "booking_list", "squad_list", "visit_list",
         "meeting_list", "resolution_list"]
# (detail url name or None, API path, model, a 镇江 row, a 白银 row) — rows looked up lazily
DETAILS = [
    ("deptresource_detail", "department-resources", DepartmentResource, {"title": "船舶海工产业项目用地指标"}, None),
    ("project_detail", "action-projects", ActionProject, {"flagship": True}, None),
    ("shared_detail", "shared-resources", SharedResource, {"name": "船舶焊接工艺实验室"},
     {"zone__name": "白银高新区"}),
    ("squad_detail", "service-squads", ServiceSquad, None, {"zone__name": "白银高新区"}),
    ("visit_detail", "service-visits", ServiceVisit, None, {"zone__name": "白银高新区"}),
    ("meeting_detail", "joint-meetings", JointMeeting, {"title": "跨企党组织联席会（第一次）"}, None),
    (None, "resolutions", Resolution, {"seq": 1, "meeting__title": "跨企党组织联席会（第一次）"}, None),
]


def _row(model, lookup):
    return model.objects.filter(**lookup).order_by("id").first()


@pytest.mark.parametrize("name", LISTS)
def test_anonymous_users_are_sent_to_login(client, name):
    r = client.get(reverse(f"resources:{name}"))
    assert r.status_code == 302 and "/accounts/login/" in r["Location"]


@pytest.mark.parametrize("name", LISTS)
def test_every_list_page_opens_for_zone_staff_and_shows_nothing_to_a_user_without_a_role(personas, client_for,
                                                                                       name):
    r = client_for(personas["zone_staff"]).get(reverse(f"resources:{name}"))
    assert r.status_code == 200
    r = client_for(personas["nobody"]).get(reverse(f"resources:{name}"))
    assert r.status_code == 200 and "没有符合条件的记录" in r.content.decode()


@pytest.mark.parametrize("url_name,api,model,zj_lookup,by_lookup", DETAILS)
def test_details_answer_in_scope_and_404_out_of_scope(personas, client_for, url_name, api, model, zj_lookup,
                                                      by_lookup):
    for lookup, inside, outside in ((zj_lookup, "zone_staff", "by_zone"), (by_lookup, "by_zone", "zone_staff")):
        if lookup is None:
            continue
        obj = _row(model, lookup)
        assert obj is not None
        ok, out, nobody = (client_for(personas[k]) for k in (inside, outside, "nobody"))
        if url_name:
            assert ok.get(reverse(f"resources:{url_name}", args=[obj.pk])).status_code == 200
            assert out.get(reverse(f"resources:{url_name}", args=[obj.pk])).status_code == 404
            assert nobody.get(reverse(f"resources:{url_name}", args=[obj.pk])).status_code == 404
        assert ok.get(f"/api/v1/{api}/{obj.pk}").status_code == 200
        assert out.get(f"/api/v1/{api}/{obj.pk}").status_code == 404
        assert nobody.get(f"/api/v1/{api}/{obj.pk}").status_code == 404


@pytest.mark.parametrize("api", [d[1] for d in DETAILS] + ["bookings"])
def test_api_lists_are_scoped_paginated_and_need_login(personas, client, client_for, zj, by, api):
    assert client.get(f"/api/v1/{api}").status_code == 401
    data = client_for(personas["zone_staff"]).get(f"/api/v1/{api}?page_size=5").json()
    assert len(data["items"]) <= 5
    assert all(row["zone_id"] == zj.pk for row in data["items"])
    assert client_for(personas["zone_staff"]).get(f"/api/v1/{api}?zone={by.pk}").json()["count"] == 0
    assert client_for(personas["nobody"]).get(f"/api/v1/{api}").json()["count"] == 0


def test_the_api_filters_by_chain(personas, client_for, by):
    c = client_for(personas["by_zone"])
    chain_id = SharedResource.objects.filter(zone=by).values_list("chain_id", flat=True).first()
    data = c.get(f"/api/v1/shared-resources?chain={chain_id}&page_size=200").json()
    assert data["count"] == SharedResource.objects.filter(chain_id=chain_id).count() > 0
    assert {row["id"] for row in data["items"]} == set(
        SharedResource.objects.filter(chain_id=chain_id).values_list("pk", flat=True))


def test_baiyin_stats_count_83_shared_resources_and_over_800_services(personas, client_for, by):
    stats = client_for(personas["by_zone"]).get(f"/api/v1/zones/{by.pk}/stats").json()
    assert stats["shared_resources"] == SharedResource.objects.filter(zone=by).count() == 83
    assert stats["service_visits"] == ServiceVisit.objects.filter(zone=by).count() >= 800


def test_a_department_edits_its_own_resource_page_but_not_anothers(personas, client_for):
    c = client_for(personas["dept_staff"])
    mine = DepartmentResource.objects.get(title="船舶海工产业项目用地指标")
    other = DepartmentResource.objects.get(title="链上企业技改项目贷款贴息")
    assert c.get(reverse("resources:deptresource_edit", args=[mine.pk])).status_code == 200
    assert c.get(reverse("resources:deptresource_edit", args=[other.pk])).status_code == 404
    assert c.get(reverse("resources:deptresource_detail", args=[other.pk])).status_code == 200  # public list


def test_a_firm_edits_its_own_shared_resource_and_another_firm_gets_404(personas, client_for, ship_lab):
    url = reverse("resources:shared_edit", args=[ship_lab.pk])
    assert client_for(personas["firm_a"]).get(url).status_code == 200
    assert client_for(personas["firm_b"]).get(url).status_code == 404


def test_the_excel_export_opens_with_one_row_per_visible_record(personas, client_for, by):
    r = client_for(personas["by_zone"]).get(reverse("resources:shared_list") + "?export=xlsx")
    assert r.status_code == 200
    ws = load_workbook(io.BytesIO(r.content)).active
    assert ws.cell(1, 1).value == "资源名称"
    assert ws.max_row - 1 == SharedResource.objects.filter(zone=by).count()


def test_a_booking_with_reversed_dates_is_refused_on_the_page_and_in_the_api(personas, client_for, ship_lab):
    c = client_for(personas["firm_b"])
    before = Booking.objects.count()
    today = datetime.date.today()
    r = c.post(reverse("resources:booking_create", args=[ship_lab.pk]),
               {"start_on": today + datetime.timedelta(days=9), "end_on": today + datetime.timedelta(days=8),
                "purpose": "检测"}, follow=True)
    assert r.status_code == 200 and "结束日期不能早于开始日期" in r.content.decode()
    r = c.post("/api/v1/bookings", {"resource": ship_lab.pk, "start_on": "2099-01-09", "end_on": "2099-01-08",
                                    "purpose": "检测"}, content_type="application/json")
    assert r.status_code == 400 and "结束日期" in r.json()["detail"]
    r = c.post("/api/v1/bookings", {"resource": ship_lab.pk, "start_on": "not a date"},
               content_type="application/json")
    assert r.status_code == 422
    assert Booking.objects.count() == before


def test_booking_through_the_api_and_the_owner_deciding_it(personas, client_for, ship_lab):
    start = datetime.date.today() + datetime.timedelta(days=120)
    r = client_for(personas["firm_b"]).post("/api/v1/bookings", {
        "resource": ship_lab.pk, "start_on": str(start), "end_on": str(start), "purpose": "焊接试验"},
        content_type="application/json")
    assert r.status_code == 201
    pk = r.json()["id"]
    wrong = client_for(personas["firm_b"]).post(f"/api/v1/bookings/{pk}/transitions", {"action": "approve"},
                                                content_type="application/json")
    assert wrong.status_code == 403 and "资源提供企业" in wrong.json()["detail"]
    assert [m["action"] for m in client_for(personas["firm_a"]).get(f"/api/v1/bookings/{pk}/transitions").json()] \
        == ["approve", "decline"]
    ok = client_for(personas["firm_a"]).post(f"/api/v1/bookings/{pk}/transitions", {"action": "approve"},
                                             content_type="application/json")
    assert ok.status_code == 200 and ok.json()["state"] == "approved"
    assert client_for(personas["uni"]).post(f"/api/v1/bookings/{pk}/transitions", {"action": "approve"},
                                            content_type="application/json").status_code == 404


@pytest.mark.parametrize("query", ["?month=2025-13", "?month=abc", "?month=99999-1", "?month="])
def test_a_bad_calendar_month_falls_back_to_this_month(personas, client_for, ship_lab, query):
    r = client_for(personas["zone_staff"]).get(reverse("resources:shared_detail", args=[ship_lab.pk]) + query)
    assert r.status_code == 200 and "预约日历" in r.content.decode()


def test_bad_list_filters_answer_without_a_500(personas, client_for):
    c = client_for(personas["zone_staff"])
    for url, status in [("/resources/visit/?year=abc&squad=x", 400), ("/resources/shared/?chain=zz&page=999", 400),
                        ("/resources/shared/?page=999", 200), ("/api/v1/shared-resources?zone=abc", 422),
                        ("/api/v1/service-visits?page=-1&page_size=100000", 422)]:
        assert c.get(url).status_code == status, url


def test_a_resolution_added_on_the_meeting_page_without_an_owner_is_refused(personas, client_for, meeting):
    before = Resolution.objects.count()
    r = client_for(personas["zone_staff"]).post(reverse("resources:resolution_add", args=[meeting.pk]),
                                                {"content": "无责任单位", "workdays": 5}, follow=True)
    assert "只选择一个" in r.content.decode() and Resolution.objects.count() == before


def test_the_meeting_page_shows_resolutions_with_their_cards(personas, client_for, meeting):
    from liantong.resources import services

    services.tick_resolutions(datetime.datetime.now(datetime.UTC))
    html = client_for(personas["chain_staff"]).get(reverse("resources:meeting_detail", args=[meeting.pk])).content
    html = html.decode()
    assert "议定事项" in html and "红牌" in html  # the demo's open 2025 resolutions are long overdue


def test_a_visit_with_an_exe_is_refused_on_the_form_with_a_chinese_error(personas, client_for):
    from django.core.files.uploadedfile import SimpleUploadedFile

    squad = ServiceSquad.objects.get(name="锂电池产业链帮办服务小分队")
    ent = squad.visits.first().enterprise
    before = ServiceVisit.objects.count()
    r = client_for(personas["by_zone"]).post(reverse("resources:visit_create"), {
        "squad": squad.pk, "enterprise": ent.pk, "kind": "training", "visited_on": "2025-12-01", "hours": "2",
        "participants": "3", "result": "培训", "photos": SimpleUploadedFile("x.exe", b"MZ")})
    assert r.status_code == 400 and "不允许上传" in r.content.decode()
    assert ServiceVisit.objects.count() == before
