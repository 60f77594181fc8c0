"""Writes through the API (issue 3): department resources, action projects and milestones, shared resources
and their booking calendar, squads and visits, joint meetings with resolutions. Each endpoint calls the
same service as its page: out of scope → 404, a wrong role → 403 in Chinese, bad input → Chinese 400/409/422
with nothing written, and every write leaves its audit row."""

import datetime
import warnings
from decimal import Decimal

import pytest

from liantong.core.models import AuditLog
from liantong.orgs.models import Chain, Department, Enterprise, PartyOrg
from liantong.resources import services
from liantong.resources.models import (
    ActionProject,
    Booking,
    DepartmentResource,
    JointMeeting,
    Milestone,
    Resolution,
    ResolutionState,
    ServiceSquad,
    ServiceVisit,
    SharedResource,
)
from liantong.resources.workflow import BOOKING

TODAY = datetime.date.today()


def _call(client, method, path, body=None):
    return getattr(client, method)(f"/api/v1/{path}", body or {}, content_type="application/json")


def _audits(obj_type: str, pk, action: str, user) -> list[AuditLog]:
    return list(AuditLog.objects.filter(object_type=obj_type, object_id=str(pk), action=action, actor=user))


class Unchanged:
    """Asserts that a block wrote nothing: no new row in the given models, no new audit row (logins aside:
    ``client_for`` logs its user in)."""

    def __init__(self, *models):
        self.models = models

    def _counts(self):
        writes = AuditLog.objects.exclude(action__in=["login", "logout"]).count()
        return [m.objects.count() for m in self.models] + [writes]

    def __enter__(self):
        self.before = self._counts()
        return self

    def __exit__(self, *exc):
        if exc[0] is None:
            assert self._counts() == self.before


def _refused(r, status: int, words: str):
    assert r.status_code == status, r.content.decode()
    assert words in r.json()["detail"], r.json()


# --- 部门资源 -------------------------------------------------------------------------------------------


def _dept_body(**kw):
    return {"kind": "training_places", "title": "船舶电工培训名额", "quota_amount": "40", "quota_unit": "人",
            "valid_from": "2026-01-01", "valid_until": "2026-12-31", **kw}


def test_a_department_publishes_a_resource_in_its_own_name_and_it_is_audited(personas, client_for):
    user = personas["dept_staff"]
    r = _call(client_for(user), "post", "department-resources", _dept_body())
    assert r.status_code == 201, r.content
    data = r.json()
    assert data["department_id"] == user.department_id and data["title"] == "船舶电工培训名额"
    assert data["quota_amount"] == "40.00" and data["citations"] == 0
    obj = DepartmentResource.objects.get(pk=data["id"])
    assert obj.created_by == user
    [row] = _audits("resources.departmentresource", obj.pk, "create", user)
    assert row.changes["new"]["title"] == "船舶电工培训名额"


def test_a_department_edits_its_own_resource_but_not_anothers_and_zone_staff_edits_any(personas, client_for):
    mine = DepartmentResource.objects.get(title="船舶海工产业项目用地指标")
    other = DepartmentResource.objects.get(title="链上企业技改项目贷款贴息")
    dept = client_for(personas["dept_staff"])
    body = _dept_body(title=mine.title, kind=mine.kind, quota_amount="120", quota_unit="亩")
    r = _call(dept, "put", f"department-resources/{mine.pk}", body)
    assert r.status_code == 200 and r.json()["quota_amount"] == "120.00"
    [row] = _audits("resources.departmentresource", mine.pk, "update", personas["dept_staff"])
    assert Decimal(row.changes["quota_amount"][1]) == 120
    with Unchanged(DepartmentResource):
        assert _call(dept, "put", f"department-resources/{other.pk}",
                     _dept_body(title=other.title)).status_code == 404  # readable (public list), not writable
        assert _call(client_for(personas["by_zone"]), "put", f"department-resources/{mine.pk}",
                     body).status_code == 404
    r = _call(client_for(personas["zone_staff"]), "put", f"department-resources/{other.pk}",
              _dept_body(title=other.title, kind=other.kind, status="paused"))
    assert r.status_code == 200 and r.json()["status"] == "paused"
    assert r.json()["department_id"] == other.department_id  # department omitted: unchanged


@pytest.mark.parametrize("body,status,words", [
    (_dept_body(title="  "), 400, "请填写资源名称"),
    (_dept_body(valid_from="2026-06-01", valid_until="2026-05-01"), 400, "有效期止不能早于有效期起"),
    (_dept_body(quota_amount="-5"), 400, "额度/数量不能为负数"),
    (_dept_body(kind="pizza"), 400, "不在字典中"),
    (_dept_body(department=999999), 400, "发布部门不存在"),
    (_dept_body(valid_from="明天"), 422, "请求数据有误"),
])
def test_bad_department_resources_are_refused_in_chinese_and_nothing_is_written(personas, client_for, body, status,
                                                                                words):
    with Unchanged(DepartmentResource):
        _refused(_call(client_for(personas["dept_staff"]), "post", "department-resources", body), status, words)


def test_department_resources_refuse_another_department_a_wrong_role_and_a_taken_title(personas, client_for):
    other = Department.objects.get(zone__name="镇江高新区", name="财政金融局")
    with Unchanged(DepartmentResource):
        r = _call(client_for(personas["dept_staff"]), "post", "department-resources", _dept_body(department=other.pk))
        _refused(r, 400, "只能以本部门名义发布资源")
        assert r.json()["field"] == "department"
        _refused(_call(client_for(personas["firm_a"]), "post", "department-resources", _dept_body()), 403,
                 "您无权发布部门资源")
        _refused(_call(client_for(personas["firm_a"]), "put",
                       f"department-resources/{DepartmentResource.objects.first().pk}", _dept_body()), 403, "您无权")
        _refused(_call(client_for(personas["dept_staff"]), "post", "department-resources",
                       _dept_body(title="船舶海工产业项目用地指标", kind="land_quota")), 409, "已发布名为")


# --- 行动项目 -------------------------------------------------------------------------------------------


def _committee():
    return PartyOrg.objects.get(name="高技术船舶海工装备产业链联合党委")


def _project_body(**kw):
    return {"title": "链上党员先锋岗创建行动", "owner_name": "王强", "party_org": _committee().pk,
            "chain": Chain.objects.get(name="高技术船舶海工装备").pk, "started_on": "2025-03-01", **kw}


def test_the_chain_committee_creates_a_project_adds_a_milestone_and_records_its_progress(personas, client_for):
    user = personas["chain_staff"]
    c = client_for(user)
    r = _call(c, "post", "action-projects", _project_body())
    assert r.status_code == 201, r.content
    pk = r.json()["id"]
    assert r.json()["party_org_id"] == _committee().pk and r.json()["progress"] == 0
    assert _audits("resources.actionproject", pk, "create", user)

    for title in ("先锋岗挂牌", "年度评估"):
        r = _call(c, "post", f"action-projects/{pk}/milestones", {"title": title, "due_on": "2026-06-30"})
        assert r.status_code == 201
    ms = Milestone.objects.get(project_id=pk, title="先锋岗挂牌")
    assert _audits("resources.milestone", ms.pk, "create", user)
    _refused(_call(c, "post", f"action-projects/{pk}/milestones", {"title": "先锋岗挂牌", "due_on": "2026-07-01"}),
             409, "已有名为")

    r = _call(c, "post", f"action-projects/{pk}/milestones/{ms.pk}/progress", {"done_on": "2025-05-01"})
    assert r.status_code == 200 and r.json()["progress"] == 50
    ms.refresh_from_db()
    assert ms.done_on == datetime.date(2025, 5, 1)
    [row] = _audits("resources.milestone", ms.pk, "update", user)
    assert row.changes["done_on"] == [None, "2025-05-01"]
    r = _call(c, "post", f"action-projects/{pk}/milestones/{ms.pk}/progress", {"done_on": None})
    assert r.status_code == 200 and r.json()["progress"] == 0

    r = _call(c, "put", f"action-projects/{pk}", _project_body(status="done", flagship=True, party_org=None,
                                                                 chain=None))
    assert r.status_code == 200 and r.json()["status"] == "done" and r.json()["party_org_id"] == _committee().pk


def test_milestone_progress_is_scoped_and_checked(personas, client_for):
    project = ActionProject.objects.get(title="“红帆领航·链通高新”先锋行动")
    ms = project.milestones.order_by("id").first()
    other = Milestone.objects.exclude(project=project).filter(zone=project.zone).first()
    url = f"action-projects/{project.pk}/milestones/{ms.pk}/progress"
    with Unchanged(Milestone):
        before = ms.done_on
        assert _call(client_for(personas["by_zone"]), "post", url, {"done_on": None}).status_code == 404
        assert _call(client_for(personas["zone_staff"]), "post",
                     f"action-projects/{project.pk}/milestones/{other.pk}/progress",
                     {"done_on": None}).status_code == 404  # a milestone of another project
        _refused(_call(client_for(personas["dept_staff"]), "post", url, {"done_on": None}), 403, "您无权维护行动项目")
        _refused(_call(client_for(personas["zone_staff"]), "post", url, {"done_on": "1999-01-01"}), 400,
                 "早于项目开始日期")
        _refused(_call(client_for(personas["zone_staff"]), "post", url, {"done_on": "昨天"}), 422, "请求数据有误")
        ms.refresh_from_db()
        assert ms.done_on == before


def test_the_project_page_still_marks_a_milestone_done_through_the_shared_service(personas, client_for):
    from django.urls import reverse

    project = ActionProject.objects.get(title="“红帆领航·链通高新”先锋行动")
    ms = project.milestones.filter(done_on__isnull=True).first()
    r = client_for(personas["zone_staff"]).post(reverse("resources:milestone_save", args=[project.pk]),
                                                {"milestone": ms.pk, "done_on": "2025-12-01"}, follow=True)
    assert "节点已更新" in r.content.decode()
    ms.refresh_from_db()
    assert ms.done_on == datetime.date(2025, 12, 1)
    assert _audits("resources.milestone", ms.pk, "update", personas["zone_staff"])


@pytest.mark.parametrize("change,status,words", [
    ({"title": ""}, 400, "请填写项目名称"),
    ({"party_org": None}, 400, "只选择一个"),
    ({"enterprise": None, "department": 0}, 400, "责任部门不存在"),
    ({"department": 999999}, 400, "责任部门不存在"),
    ({"started_on": "2025-02-30"}, 422, "请求数据有误"),
])
def test_bad_projects_are_refused_in_chinese_and_nothing_is_written(personas, client_for, change, status, words):
    with Unchanged(ActionProject):
        _refused(_call(client_for(personas["chain_staff"]), "post", "action-projects", _project_body(**change)),
                 status, words)


def test_projects_refuse_a_wrong_role_an_out_of_scope_unit_and_another_zones_project(personas, client_for):
    project = ActionProject.objects.get(title="船舶海工本地配套率提升行动")
    with Unchanged(ActionProject):
        _refused(_call(client_for(personas["dept_staff"]), "post", "action-projects", _project_body()), 403,
                 "您无权维护行动项目")
        _refused(_call(client_for(personas["chain_staff"]), "post", "action-projects",
                       _project_body(party_org=None, department=Department.objects.get(
                           zone__name="镇江高新区", name="经济发展局").pk)), 400, "只能为本级及下级单位立项")
        assert _call(client_for(personas["by_zone"]), "put", f"action-projects/{project.pk}",
                     _project_body(title=project.title)).status_code == 404
        _refused(_call(client_for(personas["by_zone"]), "post", "action-projects", _project_body()), 400,
                 "责任党组织不存在")  # 镇江's committee is out of 白银's scope


# --- 资源共享 -------------------------------------------------------------------------------------------


def _shared_body(**kw):
    return {"category": "equipment", "name": "三维激光扫描仪", "location": "镇江船厂二号码头", **kw}


def test_a_firm_shares_a_resource_and_only_the_owner_firm_edits_it(personas, client_for, ship_lab):
    a = personas["firm_a"]
    r = _call(client_for(a), "post", "shared-resources", _shared_body())
    assert r.status_code == 201 and r.json()["owner_id"] == a.enterprise_id
    assert _audits("resources.sharedresource", r.json()["id"], "create", a)

    body = _shared_body(name=ship_lab.name, category=ship_lab.category, terms="按工时收费")
    with Unchanged(SharedResource):
        assert _call(client_for(personas["firm_b"]), "put", f"shared-resources/{ship_lab.pk}", body).status_code == 404
        _refused(_call(client_for(a), "put", f"shared-resources/{ship_lab.pk}",
                       {**body, "owner": personas["firm_b"].enterprise_id}), 400, "只能以本企业名义共享资源")
    ship_lab.refresh_from_db()
    assert ship_lab.owner_id == a.enterprise_id and ship_lab.terms != "按工时收费"
    r = _call(client_for(a), "put", f"shared-resources/{ship_lab.pk}", body)
    assert r.status_code == 200 and r.json()["terms"] == "按工时收费"
    [row] = _audits("resources.sharedresource", ship_lab.pk, "update", a)
    assert row.changes["terms"][1] == "按工时收费"


@pytest.mark.parametrize("persona,body,status,words", [
    ("firm_a", _shared_body(name=""), 400, "请填写资源名称"),
    ("firm_a", _shared_body(category="spaceship"), 400, "不在字典中"),
    ("firm_a", _shared_body(owner=999999), 400, "提供企业不存在"),
    ("firm_a", _shared_body(name="船舶焊接工艺实验室"), 409, "已共享名为"),
    ("dept_staff", _shared_body(), 403, "您无权发布共享资源"),
    ("zone_staff", _shared_body(), 400, "请指定提供企业"),
])
def test_bad_shared_resources_are_refused_in_chinese(personas, client_for, persona, body, status, words):
    with Unchanged(SharedResource):
        _refused(_call(client_for(personas[persona]), "post", "shared-resources", body), status, words)


def test_a_firm_cannot_share_in_another_firms_name(personas, client_for):
    with Unchanged(SharedResource):
        _refused(_call(client_for(personas["firm_a"]), "post", "shared-resources",
                       _shared_body(owner=personas["firm_b"].enterprise_id)), 400, "只能以本企业名义共享资源")


def test_the_calendar_shows_what_the_booking_calendar_shows(personas, ship_lab, client_for):
    a, b = personas["firm_a"], personas["firm_b"]
    start = TODAY + datetime.timedelta(days=200)
    approved = services.request_booking(actor=b, resource=ship_lab, requester=b.enterprise, start_on=start,
                                        end_on=start + datetime.timedelta(days=1), purpose="焊接工艺评定")
    BOOKING.transition(approved, "approve", actor=a)
    pending = services.request_booking(actor=b, resource=ship_lab, requester=b.enterprise,
                                       start_on=start + datetime.timedelta(days=5),
                                       end_on=start + datetime.timedelta(days=5), purpose="无损检测")
    span = f"from={start - datetime.timedelta(days=3)}&to={start + datetime.timedelta(days=10)}"
    url = f"/api/v1/shared-resources/{ship_lab.pk}/calendar?{span}"

    mine = client_for(b).get(url).json()
    assert mine["from"] == str(start - datetime.timedelta(days=3)) and mine["resource_id"] == ship_lab.pk
    assert [(x["id"], x["state"], x["purpose"]) for x in mine["bookings"]] == [
        (approved.pk, "approved", "焊接工艺评定"), (pending.pk, "pending", "无损检测")]
    assert mine["bookings"][0]["requester_name"] == b.enterprise.name

    theirs = client_for(personas["uni"]).get(url).json()["bookings"]  # the day is taken; who and why are not shown
    assert theirs == [{"id": None, "start_on": str(start), "end_on": str(start + datetime.timedelta(days=1)),
                       "state": "approved", "requester_id": None, "requester_name": None, "purpose": None}]

    # the page's month grid comes from the same function
    grid = services.month_grid(ship_lab, start.year, start.month, user=personas["uni"])
    day = next(d for w in grid["weeks"] for d in w if d["date"] == start)
    assert [x.pk for x in day["approved"]] == [approved.pk]

    assert client_for(personas["by_zone"]).get(url).status_code == 404
    _refused(client_for(b).get(f"/api/v1/shared-resources/{ship_lab.pk}/calendar?from=2026-05-10&to=2026-05-01"),
             400, "结束日期不能早于开始日期")
    _refused(client_for(b).get(f"/api/v1/shared-resources/{ship_lab.pk}/calendar?from=2026-01-01&to=2027-06-01"),
             400, "最多查询一年")
    assert client_for(b).get(f"/api/v1/shared-resources/{ship_lab.pk}/calendar?from=xx").status_code == 422
    this_month = client_for(b).get(f"/api/v1/shared-resources/{ship_lab.pk}/calendar").json()
    assert this_month["from"] == str(TODAY.replace(day=1))


# --- 帮办服务 -------------------------------------------------------------------------------------------


@pytest.fixture
def by_squad(db):
    return ServiceSquad.objects.get(name="锂电池产业链帮办服务小分队")


def _visit_body(squad, /, **kw):
    ent = squad.visits.order_by("id").first().enterprise
    return {"squad": squad.pk, "enterprise": ent.pk, "kind": "policy", "visited_on": str(TODAY), "hours": "2.5",
            "participants": 12, "result": "宣讲稳岗补贴政策", **kw}


def test_zone_staff_record_and_edit_a_visit_through_the_api(personas, client_for, by_squad):
    user = personas["by_zone"]
    r = _call(client_for(user), "post", "service-visits", _visit_body(by_squad))
    assert r.status_code == 201, r.content
    pk = r.json()["id"]
    assert r.json()["hours"] == "2.5" and ServiceVisit.objects.get(pk=pk).created_by == user
    assert _audits("resources.servicevisit", pk, "create", user)
    with Unchanged(ServiceVisit):
        _refused(_call(client_for(user), "post", "service-visits", _visit_body(by_squad)), 409, "已登记过")
    r = _call(client_for(user), "put", f"service-visits/{pk}",
              {"kind": "policy", "visited_on": str(TODAY), "hours": "3", "result": "宣讲并答疑"})
    assert r.status_code == 200 and r.json()["result"] == "宣讲并答疑" and r.json()["squad_id"] == by_squad.pk
    [row] = _audits("resources.servicevisit", pk, "update", user)
    assert [Decimal(h) for h in row.changes["hours"]] == [Decimal("2.5"), 3]


@pytest.mark.parametrize("change,status,words", [
    ({"visited_on": str(TODAY + datetime.timedelta(days=3))}, 400, "服务日期不能晚于今天"),
    ({"hours": "25"}, 400, "服务时长应在 0 到 24 小时之间"),
    ({"hours": "-1"}, 400, "服务时长应在 0 到 24 小时之间"),
    ({"participants": -2}, 400, "参与人次不能为负数"),
    ({"kind": "karaoke"}, 400, "不在字典中"),
    ({"enterprise": 999999}, 400, "服务企业不存在"),
    ({"squad": None}, 400, "请指定小分队"),
    ({"visited_on": None}, 422, "请求数据有误"),
])
def test_bad_visits_are_refused_in_chinese_and_nothing_is_written(personas, client_for, by_squad, change, status,
                                                                   words):
    with Unchanged(ServiceVisit):
        _refused(_call(client_for(personas["by_zone"]), "post", "service-visits", _visit_body(by_squad, **change)),
                 status, words)


def test_visits_are_scoped_and_need_the_squad_role(personas, client_for, by_squad):
    visit = by_squad.visits.order_by("id").first()
    with Unchanged(ServiceVisit):
        _refused(_call(client_for(personas["zone_staff"]), "post", "service-visits", _visit_body(by_squad)), 400,
                 "小分队不存在或您无权访问")
        assert _call(client_for(personas["zone_staff"]), "put", f"service-visits/{visit.pk}",
                     _visit_body(by_squad)).status_code == 404
        _refused(_call(client_for(personas["firm_a"]), "post", "service-visits", _visit_body(by_squad)), 403,
                 "您无权")


def test_squads_through_the_api(personas, client_for, by_squad):
    user = personas["by_zone"]
    r = _call(client_for(user), "post", "service-squads", {"name": "新材料帮办服务小分队", "leader_name": "李明"})
    assert r.status_code == 201 and r.json()["zone_id"] == user.zone_id
    assert _audits("resources.servicesquad", r.json()["id"], "create", user)
    r = _call(client_for(user), "put", f"service-squads/{by_squad.pk}",
              {"name": by_squad.name, "leader_name": "赵刚", "chain": by_squad.chain_id})
    assert r.status_code == 200 and r.json()["leader_name"] == "赵刚"
    with Unchanged(ServiceSquad):
        _refused(_call(client_for(user), "post", "service-squads", {"name": " ", "leader_name": "李明"}), 400,
                 "请填写小分队名称")
        _refused(_call(client_for(user), "post", "service-squads", {"name": by_squad.name, "leader_name": "李明"}),
                 409, "已有名为")
        _refused(_call(client_for(user), "post", "service-squads",
                       {"name": "越界小分队", "leader_name": "李明", "members": [999999]}), 400, "党员不存在")
        _refused(_call(client_for(personas["firm_a"]), "post", "service-squads",
                       {"name": "企业小分队", "leader_name": "李明"}), 403, "您无权")
        assert _call(client_for(personas["zone_staff"]), "put", f"service-squads/{by_squad.pk}",
                     {"name": "x", "leader_name": "y"}).status_code == 404


# --- 联席会议 -------------------------------------------------------------------------------------------


def _meeting_body(**kw):
    chain = Chain.objects.get(name="高技术船舶海工装备")
    firm = Enterprise.objects.get(name="镇江海帆船舶配件有限公司")
    dept = Department.objects.get(zone__name="镇江高新区", name="经济发展局")
    return {"chain": chain.pk, "title": "跨企党组织联席会（第三次）", "held_on": str(TODAY), "host": "王书记",
            "attending_orgs": [_committee().pk],
            "resolutions": [
                {"content": "梳理本地配套缺口清单", "owner_enterprise": firm.pk, "owner_name": "张经理",
                 "workdays": 10},
                {"content": "协调配套企业用地", "owner_department": dept.pk, "workdays": 20},
            ], **kw}


def test_a_meeting_with_resolutions_becomes_tracked_tasks(personas, client_for):
    user = personas["chain_staff"]
    r = _call(client_for(user), "post", "joint-meetings", _meeting_body())
    assert r.status_code == 201, r.content
    data = r.json()
    assert data["attending_org_ids"] == [_committee().pk]
    assert [(x["seq"], x["state"], x["workdays"]) for x in data["resolutions"]] == [(1, "open", 10), (2, "open", 20)]
    meeting = JointMeeting.objects.get(pk=data["id"])
    assert _audits("resources.jointmeeting", meeting.pk, "create", user)
    for res in meeting.resolutions.all():
        assert res.state == ResolutionState.OPEN and res.due_at > res.starts_at and res.yellow_at < res.due_at
        assert _audits("resources.resolution", res.pk, "create", user)
    # tracked: the resolutions list and the owner firm see them, and the owner can move them
    firm = client_for(personas["firm_b"])
    first = meeting.resolutions.get(seq=1)
    assert firm.get(f"/api/v1/resolutions/{first.pk}").status_code == 200
    r = _call(firm, "post", f"resolutions/{first.pk}/transitions", {"action": "start"})
    assert r.status_code == 200 and r.json()["state"] == "in_progress"

    r = _call(client_for(user), "post", f"joint-meetings/{meeting.pk}/resolutions",
              {"content": "建立配套企业清单月报", "owner_party_org": _committee().pk, "workdays": 5})
    assert r.status_code == 201 and r.json()["seq"] == 3
    r = _call(client_for(user), "put", f"joint-meetings/{meeting.pk}",
              {**_meeting_body(minutes="会议纪要定稿"), "resolutions": []})
    assert r.status_code == 200 and r.json()["minutes"] == "会议纪要定稿" and len(r.json()["resolutions"]) == 3


@pytest.mark.parametrize("change,status,words", [
    ({"title": ""}, 400, "请填写会议名称"),
    ({"chain": 999999}, 400, "产业链不存在"),
    ({"attending_orgs": [999999]}, 400, "参会党组织不存在"),
    ({"resolutions": [{"content": "甲", "workdays": 5}]}, 400, "第1项议定事项：责任单位须"),
    ({"resolutions": [{"content": "甲", "owner_department": 999999}]}, 400, "第1项议定事项：责任部门不存在"),
    ({"held_on": "2025-13-01"}, 422, "请求数据有误"),
])
def test_bad_meetings_are_refused_in_chinese_and_nothing_is_written(personas, client_for, change, status, words):
    with Unchanged(JointMeeting, Resolution):
        _refused(_call(client_for(personas["chain_staff"]), "post", "joint-meetings", _meeting_body(**change)),
                 status, words)


def test_a_bad_second_resolution_rolls_back_the_meeting_and_the_first(personas, client_for):
    body = _meeting_body()
    body["resolutions"][1]["workdays"] = 0
    with Unchanged(JointMeeting, Resolution):
        r = _call(client_for(personas["chain_staff"]), "post", "joint-meetings", body)
        _refused(r, 400, "第2项议定事项：办理时限应为 1 到 250 个工作日")
        assert r.json()["field"] == "resolutions"


def test_meetings_refuse_a_wrong_role_and_another_zone(personas, client_for, meeting):
    with Unchanged(JointMeeting, Resolution):
        _refused(_call(client_for(personas["firm_a"]), "post", "joint-meetings", _meeting_body()), 403,
                 "您无权维护联席会议")
        _refused(_call(client_for(personas["by_zone"]), "post", "joint-meetings", _meeting_body()), 400,
                 "产业链不存在或您无权访问")
        assert _call(client_for(personas["by_zone"]), "put", f"joint-meetings/{meeting.pk}",
                     _meeting_body(title=meeting.title)).status_code == 404
        assert _call(client_for(personas["by_zone"]), "post", f"joint-meetings/{meeting.pk}/resolutions",
                     {"content": "越界", "owner_party_org": _committee().pk}).status_code == 404
        _refused(_call(client_for(personas["chain_staff"]), "post", "joint-meetings",
                       _meeting_body(title=meeting.title, held_on=str(meeting.held_on))), 409, "已有名为")


# --- Status instead of tuples ---------------------------------------------------------------------------


def test_api_answers_do_not_use_the_deprecated_tuple_return(personas, client_for, ship_lab):
    start = TODAY + datetime.timedelta(days=300)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        b = client_for(personas["firm_b"])
        r = _call(b, "post", "bookings", {"resource": ship_lab.pk, "start_on": str(start), "end_on": str(start),
                                          "purpose": "试验"})
        assert r.status_code == 201
        assert _call(b, "post", f"bookings/{r.json()['id']}/transitions", {"action": "approve"}).status_code == 403
        assert _call(client_for(personas["uni"]), "post", "bookings",
                     {"resource": ship_lab.pk, "start_on": str(start), "end_on": str(start),
                      "purpose": "x"}).status_code == 400
        assert _call(client_for(personas["dept_staff"]), "post", "department-resources",
                     _dept_body(title="")).status_code == 400
    assert not [w for w in caught if "tuple" in str(w.message)]
    assert Booking.objects.filter(resource=ship_lab, start_on=start).count() == 1


def test_visit_photos_upload_through_the_api_all_checked_before_any_is_stored(personas, client_for, by_squad,
                                                                             settings, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from liantong.core.models import Attachment

    settings.MEDIA_ROOT = tmp_path
    png = b"\x89PNG\r\n\x1a\n" + b"\0" * 64
    visit = by_squad.visits.order_by("id").first()
    url = f"/api/v1/service-visits/{visit.pk}/photos"
    c = client_for(personas["by_zone"])
    with Unchanged(Attachment):
        r = c.post(url, {"files": [SimpleUploadedFile("现场.png", png), SimpleUploadedFile("x.exe", b"MZ")]})
        _refused(r, 400, "不允许上传")
        _refused(client_for(personas["firm_a"]).post(url, {"files": [SimpleUploadedFile("a.png", png)]}), 403, "您无权")
        assert client_for(personas["zone_staff"]).post(
            url, {"files": [SimpleUploadedFile("a.png", png)]}).status_code == 404
        assert c.post(url, {}).status_code == 422
    r = c.post(url, {"files": [SimpleUploadedFile("现场.png", png), SimpleUploadedFile("签到表.pdf", b"%PDF-1.4 x")]})
    assert r.status_code == 201, r.content
    assert [p["name"] for p in r.json()] == ["现场.png", "签到表.pdf"]
    for p in r.json():
        assert _audits("core.attachment", p["id"], "create", personas["by_zone"])
    assert visit.photos.count() == Attachment.objects.filter(object_id=visit.pk, content_type__model="servicevisit").count() >= 2


def test_the_new_project_page_refuses_a_taken_title_instead_of_overwriting_that_project(personas, client_for):
    from django.urls import reverse

    taken = ActionProject.objects.get(title="船舶海工本地配套率提升行动")
    before = (taken.owner_name, taken.department_id)
    with Unchanged(ActionProject):
        r = client_for(personas["zone_staff"]).post(reverse("resources:project_create"), {
            "title": taken.title, "owner_name": "另一人", "party_org": _committee().pk, "status": "active"})
        assert r.status_code == 400 and "本园区已有名为" in r.content.decode()
    taken.refresh_from_db()
    assert (taken.owner_name, taken.department_id) == before
