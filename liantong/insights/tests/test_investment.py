"""The investment strand: 镇江's 9 projects and 20 亿元 counted from rows, the gaps of every demo chain,
平顶山's extended nylon chain and its project branch, the project machine from its table, and the services'
refusals in Chinese."""

import datetime
from decimal import Decimal

import pytest

from liantong.core.models import Zone
from liantong.core.tests.workflow_kit import Trace, assert_refused, illegal_cases, legal_cases
from liantong.insights import services
from liantong.insights.chainmap import gap_counts
from liantong.insights.models import ChainExtension, InvestmentProject, ProjectStage
from liantong.insights.workflow import PROJECT
from liantong.orgs.models import Chain, OrgKind

pytestmark = pytest.mark.django_db


def _stats(client, zone):
    resp = client.get(f"/api/v1/zones/{zone.pk}/stats")
    assert resp.status_code == 200
    return resp.json()


def test_zhenjiang_stats_count_nine_projects_worth_200000_wan_from_rows(personas, client_for):
    zone = Zone.objects.get(short_name="镇江")
    s = _stats(client_for(personas["zone_staff"]), zone)
    rows = InvestmentProject.objects.filter(zone=zone, stage__in=["signed", "started", "producing"])
    assert s["investment_projects"] == rows.count() == 9
    assert s["investment_amount"] == float(sum(p.amount for p in rows)) == 200000
    assert s["gaps"] >= 1


def test_a_new_signed_project_changes_the_figures(personas, client_for):
    zone = Zone.objects.get(short_name="镇江")
    chain = Chain.objects.get(zone=zone, name="高技术船舶海工装备")
    client = client_for(personas["zone_staff"])
    before = _stats(client, zone)
    p = services.save_project(actor=personas["chain_staff"], chain=chain, name="测试新增项目", investor="某投资方",
                              amount="1234.5", talks_on=datetime.date(2025, 12, 1))
    assert _stats(client, zone)["investment_projects"] == before["investment_projects"]  # in talks: not counted
    PROJECT.transition(p, "sign", actor=personas["chain_staff"])
    after = _stats(client, zone)
    assert after["investment_projects"] == before["investment_projects"] + 1
    assert after["investment_amount"] == before["investment_amount"] + 1234.5


def test_every_demo_chain_has_a_gap():
    gaps = gap_counts(Chain.objects.values_list("pk", flat=True))
    assert gaps and all(g["total"] >= 1 for g in gaps.values())


def test_pingdingshan_nylon_chain_is_extended_and_lichong_is_the_project_its_branch_was_built_on():
    chain = Chain.objects.get(name="尼龙新材料")
    ext = ChainExtension.objects.get(chain=chain, node__name="新能源配套")
    project = InvestmentProject.objects.get(enterprise__name="平顶山立充新能源科技有限公司")
    assert project.node_id == ext.node_id and project.stage == ProjectStage.PRODUCING
    assert project.producing_on.year == 2025
    assert project.branch.kind == OrgKind.PROJECT_BRANCH and project.branch.name == "平顶山立充新能源项目党支部"
    assert [h.changes["to"] for h in PROJECT.history(project)] == ["signed", "started", "producing"]


def _project(personas, stage):
    chain = Chain.objects.get(name="高技术船舶海工装备")
    p = services.save_project(actor=None, chain=chain, name=f"状态机测试{stage}", investor="测试", amount=100,
                              talks_on=datetime.date(2025, 1, 1))
    InvestmentProject.objects.filter(pk=p.pk).update(stage=stage)
    p.refresh_from_db()
    return p


@pytest.mark.parametrize("move,role", legal_cases(PROJECT))
def test_each_legal_project_move_succeeds_for_the_committees(personas, move, role):
    for who in ("zone_staff", "chain_staff"):
        p = _project(personas, move.source)
        InvestmentProject.objects.filter(pk=p.pk).update(name=f"{p.name}{who}")
        p.refresh_from_db()
        trace = Trace(PROJECT, p)
        moved = PROJECT.transition(p, move.action, actor=personas[who], note="原因")
        assert moved.stage == move.target == trace.now_state()
        trace.assert_one_move(move, personas[who])


@pytest.mark.parametrize("state,action", illegal_cases(PROJECT))
def test_a_move_not_in_the_table_is_refused_with_409(personas, state, action):
    assert_refused(PROJECT, _project(personas, state), action, personas["zone_staff"], 409)


def test_firms_departments_and_other_zones_cannot_see_or_move_a_project(personas):
    p = _project(personas, ProjectStage.TALKS)
    for who in ("firm_a", "dept_staff", "uni", "by_zone", "nobody"):
        assert_refused(PROJECT, p, "sign", personas[who], 404)


def test_dropping_a_project_needs_a_reason(personas):
    p = _project(personas, ProjectStage.TALKS)
    err = assert_refused(PROJECT, p, "drop", personas["zone_staff"], 400)
    assert "终止原因" in err.message


def test_a_branch_opens_only_on_a_signed_project_and_links_to_it(personas):
    p = _project(personas, ProjectStage.TALKS)
    with pytest.raises(services.core.Conflict, match="签约后"):
        services.open_branch(p, actor=personas["chain_staff"], secretary_name="张三")
    PROJECT.transition(p, "sign", actor=personas["chain_staff"])
    branch = services.open_branch(p, actor=personas["chain_staff"], secretary_name="张三")
    p.refresh_from_db()
    assert p.branch == branch and branch.kind == OrgKind.PROJECT_BRANCH and branch.project_name == p.name


@pytest.mark.parametrize("fields,message", [
    ({"amount": "abc"}, "总投资应为数字"), ({"amount": -1}, "不小于 0"), ({"name": ""}, "请填写项目名称"),
    ({"investor": "x" * 101}, "投资方不能超过"), ({"talks_on": "2025-13-01"}, "洽谈日期应为日期"),
])
def test_bad_project_input_is_refused_in_chinese(personas, fields, message):
    chain = Chain.objects.get(name="高技术船舶海工装备")
    values = dict(chain=chain, name="坏数据项目", investor="投资方", amount=Decimal(1), talks_on="2025-01-01") | fields
    with pytest.raises(services.ServiceError, match=message):
        services.save_project(actor=personas["zone_staff"], **values)


def test_a_firm_may_not_create_projects(personas):
    chain = Chain.objects.get(name="高技术船舶海工装备")
    with pytest.raises(services.core.Forbidden):
        services.save_project(actor=personas["firm_a"], chain=chain, name="企业自建", investor="x", amount=1,
                              talks_on="2025-01-01")


def test_the_api_creates_moves_and_follows_up_a_project(personas, client_for):
    c = client_for(personas["chain_staff"])
    chain = Chain.objects.get(name="高技术船舶海工装备")
    r = c.post("/api/v1/investment-projects", {"chain": chain.pk, "name": "接口项目", "investor": "某公司",
                                               "amount": "500", "talks_on": "2025-05-01"}, content_type="application/json")
    assert r.status_code == 201, r.content
    pk = r.json()["id"]
    r = c.post(f"/api/v1/investment-projects/{pk}/transitions", {"action": "sign"}, content_type="application/json")
    assert r.status_code == 200 and r.json()["stage"] == "signed"
    r = c.post(f"/api/v1/investment-projects/{pk}/follow-ups", {"on": "2025-06-01", "content": "回访"},
               content_type="application/json")
    assert r.status_code == 201
    assert c.get(f"/api/v1/investment-projects/{pk}").json()["follow_ups"][0]["content"] == "回访"
    bad = c.post("/api/v1/investment-projects", {"chain": chain.pk, "name": "x", "investor": "y", "amount": "1",
                                                 "talks_on": "昨天"}, content_type="application/json")
    assert bad.status_code == 422
    assert client_for(personas["firm_a"]).get(f"/api/v1/investment-projects/{pk}").status_code == 404


def test_the_investment_map_shows_nodes_weights_and_gaps(personas, client_for):
    chain = Chain.objects.get(name="高技术船舶海工装备")
    r = client_for(personas["chain_staff"]).get(f"/api/v1/chains/{chain.pk}/investment-map")
    assert r.status_code == 200
    data = r.json()
    master_node = next(n for n in data["table"] if n["name"] == "船舶总装建造")
    assert master_node["masters"] == 1 and master_node["gap"] is None
    ext = next(n for n in data["table"] if n["name"] == "船舶绿色拆解与循环利用")
    assert ext["gap"] == "extend" and ext["firms"] == 0
    page = client_for(personas["chain_staff"]).get(f"/insights/map/{chain.pk}/")
    assert page.status_code == 200 and "船舶绿色拆解与循环利用" in page.content.decode()
