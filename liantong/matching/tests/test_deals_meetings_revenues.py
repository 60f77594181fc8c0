"""Deals after signing (contract status, amount, date, note: page, PATCH API, service), matchmaking
meetings and annual revenues through the API, the chain growth figure (API = page), and the Excel
import/export of deals and revenues: scope (404), wrong role (Chinese refusal), bad input (Chinese
error, nothing written), round trips that change nothing."""

import datetime
import io
import json
import warnings
from decimal import Decimal

import pytest
from django.utils import timezone
from openpyxl import Workbook, load_workbook

from liantong.accounts.models import DataScope, Role, UnitKind, User
from liantong.core.excel import import_workbook, write_workbook
from liantong.core.models import AuditLog, Zone
from liantong.core.services import Forbidden, OutOfScope, ServiceError
from liantong.matching import excel, services
from liantong.matching.models import ContractStatus, Deal, EnterpriseRevenue, MatchmakingMeeting
from liantong.orgs.models import Chain, Enterprise

pytestmark = pytest.mark.django_db

SHIP_DEAL = "散货船船板年度供货协议"  # 镇江船厂 (firm_a) buys; firm_b is no party
ZJ_MEETING = "镇江高新区船舶海工产业链供需对接会"
SHIPYARD = "江苏省镇江船厂（集团）有限公司"  # firm_a


def _deal(title=SHIP_DEAL):
    return Deal.objects.select_related("supplier", "buyer", "zone").get(title=title)


def _ship_chain():
    return Chain.objects.get(zone__short_name="镇江", name="高技术船舶海工装备")


def _patch(client, pk, **body):
    return client.patch(f"/api/v1/deals/{pk}", data=json.dumps(body), content_type="application/json")


def _send(client, method, url, body):
    return getattr(client, method)(url, data=json.dumps(body), content_type="application/json")


def _audits(obj):
    return AuditLog.objects.filter(object_type=obj._meta.label_lower, object_id=str(obj.pk)).count()


@pytest.fixture
def viewer(personas):
    """A user of 镇江船厂 whose role sees the firm's records but may not change deals or revenues."""
    role, _ = Role.objects.get_or_create(code="firm_viewer", defaults={
        "name": "企业只读", "data_scope": DataScope.SUBTREE, "permissions": []})
    firm = personas["firm_a"].enterprise
    user = User.objects.create_user("zj_viewer", password=None, unit_kind=UnitKind.ENTERPRISE,
                                    zone_id=firm.zone_id, enterprise=firm)
    user.roles.add(role)
    return user


# --- deal edit: page -----------------------------------------------------------------------------------


@pytest.mark.parametrize("persona, status", [("firm_a", 200), ("zone_staff", 200), ("chain_staff", 200),
                                             ("admin", 200), ("firm_b", 404), ("by_zone", 404),
                                             ("dept_staff", 404), ("nobody", 404)])
def test_the_deal_edit_page_opens_for_the_parties_and_the_staff_who_see_the_deal(personas, client_for, persona,
                                                                                  status):
    deal = _deal()
    c = client_for(personas[persona])
    assert c.get(f"/matching/deal/{deal.pk}/edit/").status_code == status
    if status == 200:
        assert f"/matching/deal/{deal.pk}/edit/" in c.get(f"/matching/deal/{deal.pk}/").content.decode()


def test_a_firm_that_is_no_party_cannot_change_the_deal_by_posting(personas, client_for):
    deal = _deal()
    resp = client_for(personas["firm_b"]).post(f"/matching/deal/{deal.pk}/edit/", {
        "contract_status": "terminated", "amount": "1", "signed_on": "2025-01-01", "note": "x"})
    assert resp.status_code == 404
    assert _deal().contract_status == deal.contract_status and _deal().amount == deal.amount


def test_a_viewer_role_sees_the_deal_without_an_edit_link_and_the_edit_page_is_refused(client_for, viewer):
    deal = _deal()
    c = client_for(viewer)
    page = c.get(f"/matching/deal/{deal.pk}/")
    assert page.status_code == 200 and "/edit/" not in page.content.decode()
    refused = c.get(f"/matching/deal/{deal.pk}/edit/")
    assert refused.status_code == 404


def test_the_party_changes_contract_status_amount_date_and_note_on_the_page(personas, client_for):
    deal = _deal()
    before = _audits(deal)
    resp = client_for(personas["firm_a"]).post(f"/matching/deal/{deal.pk}/edit/", {
        "contract_status": "performing", "amount": "5000.5", "signed_on": "2025-06-30", "note": "首批船板已交付"})
    assert resp.status_code == 302 and resp["Location"] == f"/matching/deal/{deal.pk}/"
    deal = _deal()
    assert (deal.contract_status, deal.amount, deal.signed_on, deal.note) == (
        "performing", Decimal("5000.50"), datetime.date(2025, 6, 30), "首批船板已交付")
    assert _audits(deal) == before + 1
    log = AuditLog.objects.filter(object_type="matching.deal", object_id=str(deal.pk)).latest("id")
    assert log.changes["contract_status"][1] == "performing" and log.actor == personas["firm_a"]
    html = client_for(personas["firm_a"]).get(f"/matching/deal/{deal.pk}/").content.decode()
    assert "履约中" in html and "首批船板已交付" in html


@pytest.mark.parametrize("field, value, words", [
    ("amount", "-1", "大于或等于"),
    ("contract_status", "lost", "选择一个有效的选项"),
    ("signed_on", "1980-01-01", "不能早于 1990 年"),
])
def test_bad_input_on_the_page_is_a_chinese_form_error_and_nothing_changes(personas, client_for, field, value,
                                                                          words):
    deal = _deal()
    data = {"contract_status": "completed", "amount": "100", "signed_on": "2025-06-30", "note": "改"}
    data[field] = value
    resp = client_for(personas["zone_staff"]).post(f"/matching/deal/{deal.pk}/edit/", data)
    assert resp.status_code == 400
    assert words in resp.content.decode()
    after = _deal()
    assert (after.contract_status, after.amount, after.signed_on, after.note) == (
        deal.contract_status, deal.amount, deal.signed_on, deal.note)


# --- deal edit: service and PATCH API ------------------------------------------------------------------


def test_update_deal_refuses_a_wrong_role_and_another_pairs_firm_in_chinese(personas, viewer):
    deal = _deal()
    with pytest.raises(Forbidden, match="角色不能修改对接成果"):  # the role: 403
        services.update_deal(deal, actor=viewer, contract_status="completed")
    with pytest.raises(OutOfScope, match="未找到该对接成果，或您无权修改"):  # another pair's firm: 404
        services.update_deal(deal, actor=personas["firm_b"], contract_status="completed")
    assert _deal().contract_status == deal.contract_status


def test_update_deal_validates_everything_before_writing_anything(personas):
    deal = _deal()
    before = _audits(deal)
    with pytest.raises(ServiceError, match="金额不能为负数"):
        services.update_deal(deal, actor=personas["firm_a"], contract_status="completed", amount=-5)
    with pytest.raises(ServiceError, match="备注不能超过 500 个字"):
        services.update_deal(deal, actor=personas["firm_a"], contract_status="completed", note="长" * 501)
    after = _deal()
    assert after.contract_status == deal.contract_status and after.amount == deal.amount
    assert _audits(deal) == before


def test_the_parties_patch_a_deal_and_an_unchanged_patch_writes_no_audit_row(personas, client_for):
    deal = _deal()
    c = client_for(personas["firm_a"])
    resp = _patch(c, deal.pk, contract_status="completed", note="已全部交付")
    assert resp.status_code == 200, resp.content
    body = resp.json()
    assert body["contract_status"] == "completed" and body["note"] == "已全部交付"
    assert Decimal(str(body["amount"])) == deal.amount  # fields not sent do not change
    n = _audits(deal)
    assert _patch(c, deal.pk, contract_status="completed").status_code == 200
    assert _audits(deal) == n
    assert _patch(client_for(personas["chain_staff"]), deal.pk, amount="4900").json()["contract_status"] == "completed"


@pytest.mark.parametrize("persona", ["firm_b", "by_zone", "dept_staff", "uni", "nobody"])
def test_a_deal_out_of_scope_answers_404_to_the_patch(personas, client_for, persona):
    deal = _deal()
    assert _patch(client_for(personas[persona]), deal.pk, contract_status="terminated").status_code == 404
    assert _deal().contract_status == deal.contract_status


def test_a_viewer_role_gets_a_chinese_403_from_the_patch(client_for, viewer):
    deal = _deal()
    c = client_for(viewer)
    assert c.get(f"/api/v1/deals/{deal.pk}").status_code == 200
    resp = _patch(c, deal.pk, contract_status="terminated")
    assert resp.status_code == 403 and "角色不能修改对接成果" in resp.json()["detail"]
    assert _deal().contract_status == deal.contract_status


@pytest.mark.parametrize("body, status, words", [
    ({"amount": "-3"}, 400, "金额不能为负数"),
    ({"amount": "1e12"}, 400, "99 亿"),
    ({"contract_status": "lost"}, 400, "合同状态应为"),
    ({"contract_status": None}, 400, "合同状态应为"),
    ({"signed_on": "1980-05-01"}, 400, "不能早于 1990 年"),
    ({"signed_on": "2099-05-01"}, 400, "不能晚于明年"),
    ({"note": "长" * 501}, 400, "备注不能超过 500 个字"),
    ({}, 400, "请至少提供一项"),
    ({"amount": "很多"}, 422, "请求数据有误"),
    ({"signed_on": "2025-02-30"}, 422, "请求数据有误"),
])
def test_bad_patches_get_a_chinese_error_and_change_nothing(personas, client_for, body, status, words):
    deal = _deal()
    n = _audits(deal)
    resp = _patch(client_for(personas["firm_a"]), deal.pk, **body)
    assert resp.status_code == status, resp.content
    assert words in resp.json()["detail"]
    after = _deal()
    assert (after.contract_status, after.amount, after.signed_on, after.note) == (
        deal.contract_status, deal.amount, deal.signed_on, deal.note)
    assert _audits(deal) == n


def test_no_endpoint_of_the_strand_returns_a_deprecated_tuple(personas, client_for, demo_listing):
    c = client_for(personas["firm_b"])
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        resp = _send(c, "post", "/api/v1/listings", {"kind": "supply", "title": "舾装件", "chain": _ship_chain().pk})
        assert resp.status_code == 201
        pk = resp.json()["id"]
        assert c.post(f"/api/v1/listings/{pk}/close").status_code == 200
        assert c.post(f"/api/v1/listings/{pk}/renew").status_code == 200
        assert c.delete(f"/api/v1/listings/{pk}").status_code == 204
        assert _send(c, "post", "/api/v1/listings", {"kind": "gift", "title": "x", "chain": _ship_chain().pk}
                     ).status_code == 400
        assert client_for(personas["uni"]).post("/api/v1/contacts", data=json.dumps(
            {"listing": demo_listing("ZJ-D-01").pk}), content_type="application/json").status_code == 403
        assert _patch(client_for(personas["firm_a"]), _deal().pk, note="ok").status_code == 200
    assert not [w for w in caught if "tuple" in str(w.message)]


# --- matchmaking meetings ------------------------------------------------------------------------------


def _meeting(title=ZJ_MEETING):
    return MatchmakingMeeting.objects.get(title=title)


def test_meetings_are_listed_in_the_users_zone_only(personas, client_for):
    rows = client_for(personas["firm_b"]).get("/api/v1/matchmaking-meetings").json()["items"]
    assert ZJ_MEETING in [r["title"] for r in rows]
    assert all(r["zone_id"] == personas["firm_b"].zone_id for r in rows)
    by = client_for(personas["by_zone"])
    assert ZJ_MEETING not in [r["title"] for r in by.get("/api/v1/matchmaking-meetings").json()["items"]]
    assert by.get(f"/api/v1/matchmaking-meetings/{_meeting().pk}").status_code == 404
    found = client_for(personas["zone_staff"]).get("/api/v1/matchmaking-meetings", {"q": "船舶海工"}).json()
    assert [r["title"] for r in found["items"]] == [ZJ_MEETING]


def test_a_meetings_detail_lists_only_the_deals_the_user_may_see_with_their_total(personas, client_for):
    meeting = _meeting()
    everyone = Deal.objects.filter(meeting=meeting)
    assert everyone.exists()
    staff = client_for(personas["zone_staff"]).get(f"/api/v1/matchmaking-meetings/{meeting.pk}").json()
    assert sorted(d["id"] for d in staff["deals"]) == sorted(everyone.values_list("pk", flat=True))
    assert Decimal(str(staff["deal_total"])) == sum(d.amount for d in everyone)
    firm_b = client_for(personas["firm_b"]).get(f"/api/v1/matchmaking-meetings/{meeting.pk}").json()
    mine = everyone.filter(supplier=personas["firm_b"].enterprise) | everyone.filter(
        buyer=personas["firm_b"].enterprise)
    assert sorted(d["id"] for d in firm_b["deals"]) == sorted(mine.values_list("pk", flat=True))


def test_meetings_are_created_and_renamed_by_staff_without_duplicates(personas, client_for):
    c = client_for(personas["zone_staff"])
    body = {"title": "船舶配套专场对接会", "held_on": "2025-11-20", "chain": _ship_chain().pk, "venue": "镇江",
            "attendance": 80}
    resp = _send(c, "post", "/api/v1/matchmaking-meetings", body)
    assert resp.status_code == 201, resp.content
    pk = resp.json()["id"]
    assert resp.json()["zone_id"] == personas["zone_staff"].zone_id and resp.json()["deals"] == []
    again = _send(c, "post", "/api/v1/matchmaking-meetings", {**body, "venue": "别处"})
    assert again.status_code == 409 and "已有名为" in again.json()["detail"]
    assert MatchmakingMeeting.objects.get(pk=pk).venue == "镇江"
    n = MatchmakingMeeting.objects.count()
    resp = _send(c, "put", f"/api/v1/matchmaking-meetings/{pk}", {**body, "title": "船舶配套专场对接会（二期）"})
    assert resp.status_code == 200 and resp.json()["id"] == pk
    assert MatchmakingMeeting.objects.count() == n
    assert MatchmakingMeeting.objects.get(pk=pk).title == "船舶配套专场对接会（二期）"
    taken = _send(c, "put", f"/api/v1/matchmaking-meetings/{pk}", {**body, "title": ZJ_MEETING})
    assert taken.status_code == 409
    assert MatchmakingMeeting.objects.get(pk=pk).title == "船舶配套专场对接会（二期）"


def test_renaming_a_meeting_or_a_revenue_year_on_its_page_renames_it_instead_of_adding_one(personas, client_for):
    meeting = _meeting()
    n = MatchmakingMeeting.objects.count()
    resp = client_for(personas["zone_staff"]).post(f"/matching/meeting/{meeting.pk}/edit/", {
        "zone": meeting.zone_id, "title": "船舶海工产业链供需对接会（秋季）", "chain": meeting.chain_id,
        "held_on": "2025-09-18", "venue": meeting.venue, "organiser": meeting.organiser, "attendance": 160,
        "description": ""})
    assert resp.status_code == 302
    assert MatchmakingMeeting.objects.count() == n
    assert MatchmakingMeeting.objects.get(pk=meeting.pk).title == "船舶海工产业链供需对接会（秋季）"
    rec = EnterpriseRevenue.objects.get(enterprise=_helper(), year=2024)
    n = EnterpriseRevenue.objects.count()
    resp = client_for(personas["zone_staff"]).post(f"/matching/revenue/{rec.pk}/edit/", {
        "enterprise": rec.enterprise_id, "year": 2023, "revenue": "4000"})
    assert resp.status_code == 302
    assert EnterpriseRevenue.objects.count() == n
    rec.refresh_from_db()
    assert (rec.year, rec.revenue) == (2023, Decimal("4000.00"))


def test_meeting_writes_are_refused_to_firms_and_other_zones(personas, client_for):
    body = {"title": "企业自办对接会", "held_on": "2025-11-20"}
    resp = _send(client_for(personas["firm_a"]), "post", "/api/v1/matchmaking-meetings", body)
    assert resp.status_code == 403 and resp.json()["detail"] == "您没有管理对接会的权限"
    assert _send(client_for(personas["by_zone"]), "put", f"/api/v1/matchmaking-meetings/{_meeting().pk}",
                 body).status_code == 404
    assert _send(client_for(personas["firm_a"]), "put", f"/api/v1/matchmaking-meetings/{_meeting().pk}",
                 body).status_code == 404
    assert not MatchmakingMeeting.objects.filter(title="企业自办对接会").exists()
    by_chain = Chain.objects.filter(zone__short_name="白银").first()
    resp = _send(client_for(personas["admin"]), "post", "/api/v1/matchmaking-meetings",
                 {**body, "zone": personas["firm_a"].zone_id, "chain": by_chain.pk})
    assert resp.status_code == 400 and resp.json()["detail"] == "产业链不在该园区"
    assert not MatchmakingMeeting.objects.filter(title="企业自办对接会").exists()


@pytest.mark.parametrize("body, status, words", [
    ({"title": "  "}, 400, "请填写会议名称"),
    ({"attendance": -5}, 400, "参会人次"),
    ({"chain": "baiyin"}, 400, "产业链不存在或无权访问"),
    ({"zone": "baiyin"}, 400, "所属园区不存在"),
    ({"venue": "地" * 121}, 400, "地点不能超过 120 个字"),
    ({"held_on": "2025-13-01"}, 422, "请求数据有误"),
])
def test_bad_meeting_input_gets_a_chinese_error_and_writes_nothing(personas, client_for, body, status, words):
    by_chain = Chain.objects.filter(zone__short_name="白银").first()
    if body.get("chain") == "baiyin":
        body = {**body, "chain": by_chain.pk}
    if body.get("zone") == "baiyin":
        body = {**body, "zone": by_chain.zone_id}
    n = MatchmakingMeeting.objects.count()
    resp = _send(client_for(personas["zone_staff"]), "post", "/api/v1/matchmaking-meetings",
                 {"title": "新对接会", "held_on": "2025-11-20", **body})
    assert resp.status_code == status, resp.content
    assert words in resp.json()["detail"]
    assert MatchmakingMeeting.objects.count() == n


# --- annual revenues and growth ------------------------------------------------------------------------


def _helper():
    return Enterprise.objects.get(name="镇江海帆船舶配件有限公司")


def test_revenues_are_listed_and_filtered_for_staff_and_refused_to_firms(personas, client_for):
    c = client_for(personas["chain_staff"])
    rows = c.get("/api/v1/revenues", {"chain": _ship_chain().pk, "year": 2025, "page_size": 100}).json()["items"]
    expected = EnterpriseRevenue.objects.filter(year=2025, enterprise__memberships__chain=_ship_chain())
    assert len(rows) == expected.count() > 0 and {r["year"] for r in rows} == {2025}
    helper = _helper()
    rows = c.get("/api/v1/revenues", {"enterprise": helper.pk}).json()["items"]
    assert sorted(r["year"] for r in rows) == [2024, 2025] and rows[0]["enterprise_name"] == helper.name
    assert client_for(personas["by_zone"]).get("/api/v1/revenues", {"enterprise": helper.pk}).json()["items"] == []
    refused = client_for(personas["firm_a"]).get("/api/v1/revenues")
    assert refused.status_code == 403 and "不能管理企业营收" in refused.json()["detail"]
    assert c.get("/api/v1/revenues", {"year": "去年"}).status_code == 422


def test_revenues_are_created_once_and_corrected_through_the_api(personas, client_for):
    c = client_for(personas["zone_staff"])
    helper = _helper()
    resp = _send(c, "post", "/api/v1/revenues", {"enterprise": helper.pk, "year": 2023, "revenue": "3100.5"})
    assert resp.status_code == 201, resp.content
    pk = resp.json()["id"]
    assert Decimal(str(resp.json()["revenue"])) == Decimal("3100.50")
    dup = _send(c, "post", "/api/v1/revenues", {"enterprise": helper.pk, "year": 2023, "revenue": "1"})
    assert dup.status_code == 409 and "已登记" in dup.json()["detail"]
    assert EnterpriseRevenue.objects.get(pk=pk).revenue == Decimal("3100.50")
    resp = _send(c, "put", f"/api/v1/revenues/{pk}", {"revenue": "3200"})
    assert resp.status_code == 200 and EnterpriseRevenue.objects.get(pk=pk).revenue == Decimal("3200.00")
    clash = _send(c, "put", f"/api/v1/revenues/{pk}", {"year": 2024, "revenue": "3200"})
    assert clash.status_code == 409
    assert EnterpriseRevenue.objects.get(pk=pk).year == 2023
    assert _send(client_for(personas["by_zone"]), "put", f"/api/v1/revenues/{pk}", {"revenue": "1"}).status_code == 404
    refused = _send(client_for(personas["firm_a"]), "post", "/api/v1/revenues",
                    {"enterprise": personas["firm_a"].enterprise_id, "year": 2023, "revenue": "1"})
    assert refused.status_code == 403 and "不能管理企业营收" in refused.json()["detail"]


@pytest.mark.parametrize("body, status, words", [
    ({"year": 1800}, 400, "年度应在 1990 年到今年之间"),
    ({"year": "next"}, 422, "请求数据有误"),
    ({"revenue": "-10"}, 400, "营业收入不能为负数"),
    ({"enterprise": "baiyin"}, 400, "企业不存在或您无权登记"),
])
def test_bad_revenue_input_gets_a_chinese_error_and_writes_nothing(personas, client_for, body, status, words):
    if body.get("enterprise") == "baiyin":
        body = {"enterprise": Enterprise.objects.filter(zone__short_name="白银").first().pk}
    n = EnterpriseRevenue.objects.count()
    resp = _send(client_for(personas["zone_staff"]), "post", "/api/v1/revenues",
                 {"enterprise": _helper().pk, "year": 2022, "revenue": "10", **body})
    assert resp.status_code == status, resp.content
    assert words in resp.json()["detail"]
    assert EnterpriseRevenue.objects.count() == n


def test_a_future_year_is_refused_on_update_too(personas, client_for):
    rec = EnterpriseRevenue.objects.filter(enterprise=_helper(), year=2025).get()
    resp = _send(client_for(personas["zone_staff"]), "put", f"/api/v1/revenues/{rec.pk}",
                 {"year": timezone.localdate().year + 1, "revenue": "1"})
    assert resp.status_code == 400 and "年度应在" in resp.json()["detail"]
    assert EnterpriseRevenue.objects.get(pk=rec.pk).revenue == rec.revenue


def _same_growth(api: dict, page: dict):
    assert api["year"] == page["year"] and api["previous"] == page["previous"]
    assert api["growth"] == page["growth"]
    assert Decimal(str(api["total"])) == page["total"]
    assert Decimal(str(api["total_previous"])) == page["total_previous"]
    assert [(f["enterprise_id"], f["growth"]) for f in api["firms"]] == [
        (f["enterprise"].pk, f["growth"]) for f in page["firms"]]


@pytest.mark.parametrize("persona", ["zone_staff", "chain_staff", "firm_b", "dept_staff"])
@pytest.mark.parametrize("year", [None, 2025, 2024])
def test_the_api_growth_is_the_pages_growth(personas, client_for, persona, year):
    chain = _ship_chain()
    c = client_for(personas[persona])
    params = {"year": year} if year else {}
    page = c.get(f"/matching/chain/{chain.pk}/growth/", params)
    assert page.status_code == 200
    api = c.get(f"/api/v1/chains/{chain.pk}/revenue-growth", params)
    assert api.status_code == 200
    _same_growth(api.json(), page.context["growth"])
    assert api.json()["years"] == page.context["years"]


def test_the_zone_staffs_growth_is_the_recorded_one_and_out_of_zone_is_404(personas, client_for):
    chain = _ship_chain()
    data = client_for(personas["zone_staff"]).get(f"/api/v1/chains/{chain.pk}/revenue-growth").json()
    assert data["year"] == 2025 and data["previous"] == 2024 and data["growth"] > 20
    assert len(data["firms"]) == 10
    assert data["growth"] == services.supporting_growth(chain, 2025)["growth"]
    assert client_for(personas["by_zone"]).get(f"/api/v1/chains/{chain.pk}/revenue-growth").status_code == 404


# --- Excel: deals and revenues -------------------------------------------------------------------------


def _workbook(spec, rows) -> io.BytesIO:
    wb = Workbook()
    ws = wb.active
    ws.append([c.title for c in spec.columns])
    for r in rows:
        ws.append([r.get(c.title) for c in spec.columns])
    buf = io.BytesIO()
    wb.save(buf)
    buf.seek(0)
    return buf


def _deal_row(**kw):
    return {"签约内容": "舱口盖配套供货合同", "供方企业": "镇江海帆船舶配件有限公司", "需方企业": SHIPYARD,
            "所属园区": "镇江高新区", "产业链": "高技术船舶海工装备", "金额（万元）": 260.5, "签约日期": "2025-10-08",
            "合同状态": "洽谈中", "对接会": ZJ_MEETING, "备注": "首批 20 套", **kw}


def _state(model):
    return sorted(tuple(str(v) for v in row) for row in model.objects.values_list())


def test_deals_export_reimports_without_any_change(personas):
    for who in ("admin", "zone_staff", "firm_a"):
        user = personas[who]
        data = write_workbook(excel.DEAL, excel.DEAL.queryset(user), user=user)
        before, audits = _state(Deal), AuditLog.objects.filter(object_type="matching.deal").count()
        result = import_workbook(excel.DEAL, io.BytesIO(data), actor=user)
        assert result.ok, result.error_lines()
        assert result.unchanged == result.rows == Deal.objects.visible_to(user).count() > 0
        assert result.created == result.updated == 0
        assert _state(Deal) == before
        assert AuditLog.objects.filter(object_type="matching.deal").count() == audits


def test_a_deals_workbook_creates_then_updates_then_changes_nothing(personas):
    zone_staff = personas["zone_staff"]
    result = import_workbook(excel.DEAL, _workbook(excel.DEAL, [_deal_row()]), actor=zone_staff)
    assert result.ok and result.created == 1, result.error_lines()
    deal = Deal.objects.get(title="舱口盖配套供货合同")
    assert (deal.amount, deal.contract_status, deal.meeting.title, deal.note, deal.zone.short_name) == (
        Decimal("260.50"), "negotiating", ZJ_MEETING, "首批 20 套", "镇江")
    again = import_workbook(excel.DEAL, _workbook(excel.DEAL, [_deal_row()]), actor=zone_staff)
    assert again.ok and again.unchanged == 1 and again.created == again.updated == 0
    moved = import_workbook(excel.DEAL, _workbook(excel.DEAL, [_deal_row(合同状态="已签约", **{"金额（万元）": "300"})]),
                            actor=personas["firm_b"])
    assert moved.ok and moved.updated == 1, moved.error_lines()
    deal.refresh_from_db()
    assert deal.contract_status == ContractStatus.SIGNED and deal.amount == Decimal("300.00")


def test_bad_deal_rows_are_reported_per_row_and_column_and_nothing_is_written(personas):
    rows = [
        _deal_row(),  # fine on its own, but must not be written because of the others
        _deal_row(签约内容="船用锚链供货", **{"金额（万元）": -5}),
        _deal_row(签约内容="船用绞车供货", 合同状态="谈崩了"),
        _deal_row(签约内容="船用舱盖供货", 签约日期="2025-02-30"),
        _deal_row(签约内容="船用电缆供货", 需方企业="不存在的船厂"),
        _deal_row(),
    ]
    before = _state(Deal)
    result = import_workbook(excel.DEAL, _workbook(excel.DEAL, rows), actor=personas["zone_staff"])
    assert not result.ok
    lines = result.error_lines()
    assert "第3行 金额（万元）: 金额不能为负数" in lines
    assert any(line.startswith("第4行 合同状态: 应为以下之一") for line in lines)
    assert "第5行 签约日期: 日期“2025-02-30”不存在" in lines
    assert any(line.startswith("第6行 需方企业: 企业“不存在的船厂”不在该园区") for line in lines)
    assert "第7行 签约内容: 与第2行重复" in lines
    assert result.created == result.updated == 0
    assert _state(Deal) == before


def test_a_firm_cannot_import_changes_to_another_pairs_deal(personas):
    deal = _deal()
    row = _deal_row(签约内容=deal.title, 供方企业=deal.supplier.name, 需方企业=deal.buyer.name, 合同状态="已终止",
                    对接会="", 产业链="")
    before = _state(Deal)
    result = import_workbook(excel.DEAL, _workbook(excel.DEAL, [row]), actor=personas["firm_b"])
    assert result.error_lines() == ["第2行 签约内容: 该对接成果已存在，您无权修改"]
    assert _state(Deal) == before
    stranger = _deal_row(供方企业=SHIPYARD, 需方企业=deal.supplier.name, 签约内容="代签合同")
    result = import_workbook(excel.DEAL, _workbook(excel.DEAL, [stranger]), actor=personas["firm_b"])
    assert result.error_lines()[0].startswith("第2行 供方企业: 您无权为这两家企业登记签约")
    assert _state(Deal) == before


def test_revenues_export_reimports_without_any_change(personas):
    user = personas["zone_staff"]
    data = write_workbook(excel.REVENUE, excel.REVENUE.queryset(user), user=user)
    before = _state(EnterpriseRevenue)
    result = import_workbook(excel.REVENUE, io.BytesIO(data), actor=user)
    assert result.ok, result.error_lines()
    assert result.unchanged == result.rows == EnterpriseRevenue.objects.visible_to(user).count() > 0
    assert _state(EnterpriseRevenue) == before


def test_a_revenue_workbook_is_all_or_nothing(personas):
    helper = _helper()
    good = {"企业": helper.name, "所属园区": "镇江", "年度": 2023, "营业收入（万元）": 4100}
    rows = [good, {**good, "年度": 1800}, {**good, "年度": "二〇二二"}, {**good, "年度": 2021, "营业收入（万元）": -1},
            {**good, "企业": "不存在的公司", "年度": 2020}, good]
    before = _state(EnterpriseRevenue)
    result = import_workbook(excel.REVENUE, _workbook(excel.REVENUE, rows), actor=personas["zone_staff"])
    lines = result.error_lines()
    assert "第3行 年度: 年度应在 1990 年到今年之间" in lines
    assert "第4行 年度: 年度应为四位数字" in lines
    assert "第5行 营业收入（万元）: 营业收入不能为负数" in lines
    assert "第6行 企业: 企业“不存在的公司”不在该园区" in lines
    assert "第7行 年度: 与第2行重复" in lines
    assert _state(EnterpriseRevenue) == before
    ok = import_workbook(excel.REVENUE, _workbook(excel.REVENUE, [good, {**good, "年度": "2022年"}]),
                         actor=personas["zone_staff"])
    assert ok.ok and ok.created == 2, ok.error_lines()
    again = import_workbook(excel.REVENUE, _workbook(excel.REVENUE, [good, {**good, "年度": "2022年"}]),
                            actor=personas["zone_staff"])
    assert again.unchanged == 2 and again.created == again.updated == 0
    refused = import_workbook(excel.REVENUE, _workbook(excel.REVENUE, [{**good, "年度": 2019}]),
                              actor=personas["firm_b"])
    assert refused.error_lines() == ["第2行 企业: 您的角色不能登记企业营收（仅产业链党委和园区可以）"]
    assert not EnterpriseRevenue.objects.filter(year=2019).exists()


def test_the_import_page_offers_each_kind_to_the_roles_that_may_import_it(personas, client_for):
    firm, staff = client_for(personas["firm_a"]), client_for(personas["zone_staff"])
    assert firm.get("/matching/import/?kind=deals").status_code == 200
    assert firm.get("/matching/import/?kind=revenues").status_code == 404
    assert firm.get("/matching/import/template/revenues/").status_code == 404
    assert client_for(personas["uni"]).get("/matching/import/?kind=deals").status_code == 404
    page = staff.get("/matching/import/?kind=revenues")
    assert page.status_code == 200 and "/matching/import/template/revenues/" in page.content.decode()
    tpl = staff.get("/matching/import/template/deals/")
    assert tpl.status_code == 200
    header = [c.value for c in next(load_workbook(io.BytesIO(tpl.content)).active.iter_rows(max_row=1))]
    assert header[:4] == ["签约内容*", "供方企业*", "需方企业*", "所属园区*"]
    assert staff.get("/matching/import/template/").status_code == 200  # the listings template, as before


def test_uploading_deals_on_the_page_writes_all_or_nothing(personas, client_for):
    c = client_for(personas["firm_a"])
    bad = _workbook(excel.DEAL, [_deal_row(), _deal_row(签约内容="锚链", **{"金额（万元）": "-1"})])
    bad.name = "deals.xlsx"
    resp = c.post("/matching/import/", {"kind": "deals", "file": bad})
    html = resp.content.decode()
    assert resp.status_code == 200 and "未导入任何数据" in html and "金额不能为负数" in html
    assert not Deal.objects.filter(title="舱口盖配套供货合同").exists()
    good = _workbook(excel.DEAL, [_deal_row()])
    good.name = "deals.xlsx"
    resp = c.post("/matching/import/", {"kind": "deals", "file": good})
    assert "新增 1" in resp.content.decode()
    assert Deal.objects.get(title="舱口盖配套供货合同").created_by == personas["firm_a"]


def test_the_deal_and_revenue_lists_export_with_the_import_columns(personas, client_for):
    c = client_for(personas["zone_staff"])
    for url, spec in (("/matching/deal/?export=xlsx", excel.DEAL), ("/matching/revenue/?export=xlsx", excel.REVENUE)):
        resp = c.get(url)
        assert resp.status_code == 200
        ws = load_workbook(io.BytesIO(resp.content)).active
        assert [c.value for c in ws[1]] == [col.title + ("*" if col.required else "") for col in spec.columns]
        assert ws.max_row > 1
    zone = Zone.objects.get(short_name="镇江")
    assert zone.name in [c.value for c in load_workbook(io.BytesIO(c.get("/matching/deal/?export=xlsx").content)
                                                       ).active["D"]]
