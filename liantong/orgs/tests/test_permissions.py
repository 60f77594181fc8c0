"""Every persona against every organisation endpoint: UI detail, edit, list, export and API.

Generated from one table of targets and who may read / write each, so a new endpoint or model is
covered by adding a row (NetBox ``ViewTestCases`` style). Out of scope answers 404, never 403.
"""

import io

import pytest
from openpyxl import load_workbook

from liantong.orgs.models import (
    Chain,
    Cultivation,
    Department,
    Enterprise,
    Member,
    OrgKind,
    Pairing,
    PartyOrg,
    VanguardTeam,
)

ALL = {"admin", "zone_staff", "chain_staff", "dept_staff", "firm_a", "firm_b", "uni", "by_zone", "nobody"}
ZJ = {"admin", "zone_staff", "chain_staff", "dept_staff", "firm_a", "firm_b", "uni"}  # everyone of 镇江


def _targets():
    """name -> (loader, url prefix, api path, readers, writers)."""
    ship = Enterprise.objects.get(name="江苏省镇江船厂（集团）有限公司")
    firm_b = Enterprise.objects.get(name="镇江海帆船舶配件有限公司")
    org_b = PartyOrg.objects.get(enterprise=firm_b)
    org_a = PartyOrg.objects.get(name="镇江船厂设计所党支部")
    by_org = PartyOrg.objects.filter(zone__short_name="白银", enterprise__isnull=False).first()
    return {
        "member_of_firm_a": (Member.objects.filter(party_org=org_a).first(), "member", "members",
                             {"admin", "zone_staff", "chain_staff", "firm_a"},
                             {"admin", "zone_staff", "chain_staff", "firm_a"}),
        "member_of_firm_b": (Member.objects.filter(party_org=org_b).first(), "member", "members",
                             {"admin", "zone_staff", "chain_staff", "firm_b"},
                             {"admin", "zone_staff", "chain_staff", "firm_b"}),
        "member_of_baiyin": (Member.objects.filter(party_org=by_org).first(), "member", "members",
                             {"admin", "by_zone"}, {"admin", "by_zone"}),
        "party_org_of_firm_b": (org_b, "partyorg", "party-orgs",
                                {"admin", "zone_staff", "chain_staff", "firm_b"},
                                {"admin", "zone_staff", "chain_staff", "firm_b"}),
        "zone_committee_zj": (PartyOrg.objects.get(zone__short_name="镇江", kind=OrgKind.ZONE_COMMITTEE), "partyorg",
                              "party-orgs", {"admin", "zone_staff"}, {"admin", "zone_staff"}),
        "firm_b": (firm_b, "enterprise", "enterprises",
                   {"admin", "zone_staff", "chain_staff", "dept_staff", "firm_a", "firm_b", "uni"},
                   {"admin", "zone_staff", "chain_staff", "firm_b"}),
        "firm_a": (ship, "enterprise", "enterprises",
                   {"admin", "zone_staff", "chain_staff", "dept_staff", "firm_a", "firm_b", "uni"},
                   {"admin", "zone_staff", "chain_staff", "firm_a"}),
        "ship_chain": (Chain.objects.get(name="高技术船舶海工装备"), "chain", "chains",
                       {"admin", "zone_staff", "chain_staff", "dept_staff", "firm_a", "firm_b", "uni"},
                       {"admin", "zone_staff", "chain_staff"}),
        "pairing_with_just": (Pairing.objects.get(partner_name="江苏科技大学"), "pairing", None, ZJ,
                              {"admin", "zone_staff", "chain_staff", "uni"}),
        "vanguard_team": (VanguardTeam.objects.get(name="技术攻坚党员先锋队"), "vanguard", None, ZJ,
                          {"admin", "zone_staff", "chain_staff"}),
        "department": (Department.objects.get(zone__short_name="镇江", name="自然资源和规划分局"), "department", None, ZJ,
                       {"admin", "zone_staff", "dept_staff"}),
        "cultivation_in_firm_a": (Cultivation.objects.filter(party_org=org_a).first(), "cultivation", None,
                                  {"admin", "zone_staff", "chain_staff", "firm_a"},
                                  {"admin", "zone_staff", "chain_staff", "firm_a"}),
        "baiyin_chain": (Chain.objects.get(zone__short_name="白银", name="锂电池"), "chain", "chains",
                         {"admin", "by_zone"}, {"admin", "by_zone"}),
    }


TARGETS = ["member_of_firm_a", "member_of_firm_b", "member_of_baiyin", "party_org_of_firm_b", "zone_committee_zj",
           "firm_b", "firm_a", "ship_chain", "baiyin_chain", "pairing_with_just", "vanguard_team", "department",
           "cultivation_in_firm_a"]
PERSONAS = sorted(ALL)


@pytest.mark.parametrize("target", TARGETS)
@pytest.mark.parametrize("persona", PERSONAS)
def test_detail_page_and_api_answer_only_in_scope(personas, client_for, target, persona):
    obj, prefix, api, readers, _ = _targets()[target]
    c = client_for(personas[persona])
    expected = 200 if persona in readers else 404
    page = c.get(f"/orgs/{prefix}/{obj.pk}/")
    assert page.status_code == expected, f"{persona} 打开 {target} 页面"
    if api:
        resp = c.get(f"/api/v1/{api}/{obj.pk}")
        assert resp.status_code == expected, f"{persona} 读取 {target} 接口"


@pytest.mark.parametrize("target", TARGETS)
@pytest.mark.parametrize("persona", PERSONAS)
def test_edit_page_opens_only_for_writers(personas, client_for, target, persona):
    obj, prefix, _, _, writers = _targets()[target]
    resp = client_for(personas[persona]).get(f"/orgs/{prefix}/{obj.pk}/edit/")
    assert resp.status_code == (200 if persona in writers else 404)


@pytest.mark.parametrize("target", TARGETS)
@pytest.mark.parametrize("persona", PERSONAS)
def test_list_page_and_api_list_show_the_object_only_in_scope(personas, client_for, target, persona):
    obj, prefix, api, readers, _ = _targets()[target]
    c = client_for(personas[persona])
    name = getattr(obj, "name", None) or getattr(obj, "person_name", None) or obj.partner_name
    if api:
        api_resp = c.get(f"/api/v1/{api}", {"page_size": 200, "zone": obj.zone_id, "q": name})
        assert api_resp.status_code == 200
        ids = {row["id"] for row in api_resp.json()["items"]}
        assert (obj.pk in ids) == (persona in readers)
    page = c.get(f"/orgs/{prefix}/", {"q": name})
    if page.status_code == 404:  # the whole list is closed to this persona (no permission)
        assert persona not in readers
    else:
        assert (f"/orgs/{prefix}/{obj.pk}/" in page.content.decode()) == (persona in readers)


def test_enterprise_user_cannot_edit_another_firm_by_posting(personas, client_for):
    firm_b = Enterprise.objects.get(name="镇江海帆船舶配件有限公司")
    resp = client_for(personas["firm_a"]).post(f"/orgs/enterprise/{firm_b.pk}/edit/", {
        "name": "被篡改", "credit_code": firm_b.credit_code, "zone": firm_b.zone_id})
    assert resp.status_code == 404
    firm_b.refresh_from_db()
    assert firm_b.name == "镇江海帆船舶配件有限公司"


def test_enterprise_user_cannot_move_a_member_into_another_firms_org(personas, client_for):
    org_b = PartyOrg.objects.get(enterprise__name="镇江海帆船舶配件有限公司")
    member = Member.objects.filter(party_org__name="镇江船厂设计所党支部").first()
    resp = client_for(personas["firm_a"]).post(f"/orgs/member/{member.pk}/edit/", {
        "name": member.name, "party_org": org_b.pk, "status": member.status})
    assert resp.status_code == 400
    assert "选择" in resp.content.decode()  # "选择一个有效的选项" — the org is not among the writable choices
    member.refresh_from_db()
    assert member.party_org.name == "镇江船厂设计所党支部"


@pytest.mark.parametrize("persona", PERSONAS)
def test_member_export_contains_only_members_in_scope(personas, client_for, persona):
    user = personas[persona]
    resp = client_for(user).get("/orgs/member/", {"export": "xlsx"})
    if not user.has_perm_code("orgs.view_party"):
        assert resp.status_code == 404
        return
    ws = load_workbook(io.BytesIO(resp.content)).active
    rows = list(ws.iter_rows(min_row=2, values_only=True))
    assert len(rows) == Member.objects.visible_to(user).count()
    orgs = {r[3] for r in rows}
    if persona == "firm_a":
        assert orgs and all(o.startswith("镇江船厂") for o in orgs)
    if persona == "firm_b":
        assert orgs == {"镇江海帆船舶配件党支部"}


def test_anonymous_users_are_sent_to_login_and_the_api_answers_401(client, db):
    assert client.get("/orgs/member/").status_code == 302
    assert client.get("/api/v1/members").status_code == 401
    assert client.get("/api/v1/zones").status_code == 401


def test_bearer_token_authenticates_the_api_with_the_users_scope(personas, client):
    from liantong.accounts.services import issue_token

    _, key = issue_token(personas["by_zone"], actor=None)
    resp = client.get("/api/v1/zones", HTTP_AUTHORIZATION=f"Bearer {key}")
    assert resp.status_code == 200
    assert [z["name"] for z in resp.json()] == ["白银高新区"]
    assert client.get("/api/v1/zones", HTTP_AUTHORIZATION="Bearer wrong").status_code == 401
