"""Organisation pages: chain nodes, memberships, the tree, moving orgs, forms answering in Chinese."""

import pytest

from liantong.core.services import ServiceError
from liantong.orgs import services
from liantong.orgs.models import Chain, ChainMembership, Enterprise, OrgKind, PartyOrg


def test_chain_staff_adds_a_node_and_a_firm_joins_it(personas, client_for):
    chain = Chain.objects.get(name="高技术船舶海工装备")
    c = client_for(personas["chain_staff"])
    resp = c.post(f"/orgs/chain/{chain.pk}/nodes/", {"name": "船用LNG燃料罐", "stage": "up", "sort": 9})
    assert resp.status_code == 302
    node = chain.nodes.get(name="船用LNG燃料罐")
    assert node.path == f"/{node.pk}/"
    firm = Enterprise.objects.get(name="镇江海帆船舶配件有限公司")
    resp = client_for(personas["firm_b"]).post(f"/orgs/enterprise/{firm.pk}/membership/",
                                               {"chain": chain.pk, "node": node.pk, "role": "member"})
    assert resp.status_code == 302
    assert ChainMembership.objects.get(enterprise=firm, chain=chain).node == node


def test_a_firm_cannot_add_nodes_to_the_chain(personas, client_for):
    chain = Chain.objects.get(name="高技术船舶海工装备")
    assert client_for(personas["firm_a"]).post(f"/orgs/chain/{chain.pk}/nodes/", {"name": "x", "stage": "up"}
                                              ).status_code == 404


def test_the_enterprise_form_names_a_bad_credit_code_in_chinese(personas, client_for):
    resp = client_for(personas["zone_staff"]).post("/orgs/enterprise/new/", {
        "name": "新企业", "credit_code": "91350100M000100Y44", "zone": personas["zone_staff"].zone_id})
    assert resp.status_code == 400
    assert "统一社会信用代码校验位错误" in resp.content.decode()


def test_moving_an_org_rewrites_its_subtree_paths(personas):
    ship_org = PartyOrg.objects.get(name="镇江船厂党委")
    branch = PartyOrg.objects.get(name="镇江船厂设计所党支部")
    zone_committee = PartyOrg.objects.get(zone=ship_org.zone, kind=OrgKind.ZONE_COMMITTEE)
    services.save_party_org(actor=personas["zone_staff"], zone=ship_org.zone, name=ship_org.name, kind=ship_org.kind,
                            parent=zone_committee, org=ship_org, chain=ship_org.chain, enterprise=ship_org.enterprise)
    branch.refresh_from_db()
    assert branch.path == f"{zone_committee.path}{ship_org.pk}/{branch.pk}/"
    assert branch.depth == 2
    with pytest.raises(ServiceError, match="下级"):
        services.save_party_org(actor=None, zone=ship_org.zone, name=ship_org.name, kind=ship_org.kind,
                                parent=branch, org=ship_org)


def test_one_chain_has_at_most_one_committee(personas):
    chain = Chain.objects.get(name="高技术船舶海工装备")
    with pytest.raises(ServiceError, match="一链一党委"):
        services.save_party_org(actor=None, zone=chain.zone, name="第二个联合党委", kind=OrgKind.CHAIN_COMMITTEE,
                                parent=PartyOrg.objects.get(zone=chain.zone, kind=OrgKind.ZONE_COMMITTEE), chain=chain)


def test_the_tree_expands_one_level_at_a_time(personas, client_for):
    c = client_for(personas["zone_staff"])
    body = c.get("/orgs/partyorg/tree/").content.decode()
    assert "镇江高新区党工委" in body and "白银" not in body
    root = PartyOrg.objects.get(name="镇江高新区党工委")
    assert "高技术船舶海工装备产业链联合党委" in c.get(f"/orgs/partyorg/tree/?parent={root.pk}").content.decode()


@pytest.mark.parametrize("url, status", [
    ("/orgs/member/?zone=abc", 400), ("/orgs/member/?page=999999", 200), ("/orgs/member/?sort=password", 400),
    ("/orgs/enterprise/?hightech=maybe", 400), ("/api/v1/members?zone=abc", 422), ("/api/v1/members?page=-3", 422),
    ("/orgs/partyorg/tree/?parent=abc", 400), (f"/orgs/partyorg/tree/?parent={2**63}", 400),
    ("/orgs/partyorg/tree/?parent=-1", 400)])
def test_odd_query_strings_are_refused_in_chinese_never_with_a_500(personas, client_for, url, status):
    resp = client_for(personas["zone_staff"]).get(url)
    assert resp.status_code == status
    if status != 200:
        assert "参数" in resp.content.decode() or "请求数据有误" in resp.json()["detail"]


def test_the_openapi_schema_is_served(personas, client_for):
    schema = client_for(personas["zone_staff"]).get("/api/v1/openapi.json").json()
    assert "/api/v1/zones/{zone_id}/stats" in schema["paths"]


@pytest.mark.parametrize("persona, expected", [
    ("firm_a", "江苏省镇江船厂（集团）有限公司"), ("zone_staff", "高技术船舶海工装备"), ("chain_staff", "高技术船舶海工装备"),
    ("by_zone", "锂电池"), ("admin", "白银高新区"), ("dept_staff", "自然资源和规划分局"), ("uni", "江苏科技大学"),
])
def test_each_role_has_a_home_page_about_its_own_unit(personas, client_for, persona, expected):
    resp = client_for(personas[persona]).get("/")
    assert resp.status_code == 200
    assert expected in resp.content.decode()


def test_the_cultivation_page_draws_the_pipeline_from_data(personas, client_for):
    from liantong.orgs.models import Cultivation

    resp = client_for(personas["zone_staff"]).get("/orgs/cultivation/")
    body = resp.content.decode()
    assert resp.status_code == 200 and "funnel-data" in body
    n = Cultivation.objects.filter(zone=personas["zone_staff"].zone, stage="activist").count()
    assert n > 0 and f'"value": {n}' in body
