"""API of the investment strand: the chain investment map, task forces, target firms, investment projects
(their moves at ``/investment-projects/{id}/transitions``, follow-ups, project branch) and the dashboards'
figures. Reads go through ``visible_to`` (404 out of scope); writes through the services (400/403/409)."""

import datetime
from decimal import Decimal

from django.shortcuts import get_object_or_404
from ninja import Query, Router, Schema, Status
from ninja.pagination import paginate

from liantong.core.lists import CappedPage, Error
from liantong.core.models import Zone
from liantong.core.services import ServiceError
from liantong.core.workflow_api import transition_endpoints
from liantong.orgs.models import Chain, ChainNode, Enterprise

from . import chainmap, dashboard, services, tables
from .models import InvestmentProject, TargetFirm, TaskForce
from .workflow import PROJECT

router = Router(tags=["招商与数据看板"])


class FollowUpOut(Schema):
    id: int
    on: datetime.date
    by_name: str
    content: str
    next_step: str


class FollowUpIn(Schema):
    on: datetime.date
    content: str
    by_name: str = ""
    next_step: str = ""


class InvestmentProjectOut(Schema):
    id: int
    zone_id: int
    chain_id: int
    node_id: int | None
    name: str
    investor: str
    amount: Decimal
    stage: str
    talks_on: datetime.date
    signed_on: datetime.date | None
    started_on: datetime.date | None
    producing_on: datetime.date | None
    task_force_id: int | None
    target_id: int | None
    enterprise_id: int | None
    branch_id: int | None
    note: str


class InvestmentProjectDetailOut(InvestmentProjectOut):
    follow_ups: list[FollowUpOut]


class InvestmentProjectIn(Schema):
    chain: int
    name: str
    investor: str
    amount: Decimal
    talks_on: datetime.date
    node: int | None = None
    task_force: int | None = None
    target: int | None = None
    enterprise: int | None = None
    note: str = ""


class TargetFirmOut(Schema):
    id: int
    zone_id: int
    chain_id: int
    node_id: int | None
    gap_kind: str
    name: str
    region: str
    product: str
    contact_name: str
    task_force_id: int | None
    status: str
    note: str


class TargetFirmDetailOut(TargetFirmOut):
    follow_ups: list[FollowUpOut]


class TargetFirmIn(Schema):
    chain: int
    name: str
    gap_kind: str
    node: int | None = None
    region: str = ""
    product: str = ""
    contact_name: str = ""
    task_force: int | None = None
    status: str = "tracking"
    note: str = ""


class TaskForceMemberOut(Schema):
    id: int
    name: str
    unit: str
    post: str


class TaskForceOut(Schema):
    id: int
    zone_id: int
    chain_id: int
    name: str
    leader_name: str
    established_on: datetime.date | None
    duties: str


class TaskForceDetailOut(TaskForceOut):
    members: list[TaskForceMemberOut]


class BranchIn(Schema):
    name: str = ""
    secretary_name: str = ""
    established_on: datetime.date | None = None


def _pick(request, model, pk, field: str, label: str, *, write: bool = False):
    if pk is None:
        return None
    obj = model.objects.visible_to(request.user, for_write=write).filter(pk=pk).first()
    if obj is None:
        raise ServiceError(f"{label}不存在或无权访问", field=field)
    return obj


# --- the map ------------------------------------------------------------------------------------------

@router.get("/chains/{pk}/investment-map", response=dict, summary="产业链招商图谱（环节、本地企业权重、补链/强链/延链缺口）")
def investment_map(request, pk: int):
    chain = get_object_or_404(Chain.objects.visible_to(request.user), pk=pk)
    data = chainmap.chain_map(chain, request.user)
    return {k: data[k] for k in ("chain", "table", "gaps", "counts")}


# --- projects ---------------------------------------------------------------------------------------------

def _project_out(project):
    out = InvestmentProjectOut.model_validate(project).model_dump()
    out["follow_ups"] = list(project.follow_ups.all())
    return out


@router.get("/investment-projects", response=list[InvestmentProjectOut], summary="招商项目列表")
@paginate(CappedPage)
def list_projects(request, filters: Query[tables.PROJECTS.query_schema("InvestmentProjectQuery")]):
    return tables.PROJECTS.read(request)


@router.get("/investment-projects/{pk}", response=InvestmentProjectDetailOut, summary="招商项目详情（含跟进记录）")
def get_project(request, pk: int):
    return _project_out(get_object_or_404(InvestmentProject.objects.visible_to(request.user), pk=pk))


def _project_fields(request, data: InvestmentProjectIn) -> dict:
    chain = _pick(request, Chain, data.chain, "chain", "产业链")
    return dict(chain=chain, name=data.name, investor=data.investor, amount=data.amount, talks_on=data.talks_on,
                node=_pick(request, ChainNode, data.node, "node", "环节"),
                task_force=_pick(request, TaskForce, data.task_force, "task_force", "招商专班"),
                target=_pick(request, TargetFirm, data.target, "target", "目标企业"),
                enterprise=_pick(request, Enterprise, data.enterprise, "enterprise", "落地企业"), note=data.note)


@router.post("/investment-projects", response={201: InvestmentProjectDetailOut, 400: Error, 403: Error, 409: Error},
             summary="新建招商项目（阶段从“洽谈”开始，之后通过 transitions 推进）")
def create_project(request, data: InvestmentProjectIn):
    project = services.save_project(actor=request.user, new=True, **_project_fields(request, data))
    return Status(201, _project_out(project))


@router.put("/investment-projects/{pk}", response={200: InvestmentProjectDetailOut, 400: Error, 403: Error, 409: Error},
            summary="修改招商项目")
def update_project(request, pk: int, data: InvestmentProjectIn):
    project = get_object_or_404(InvestmentProject.objects.visible_to(request.user, for_write=True), pk=pk)
    project = services.save_project(actor=request.user, project=project, **_project_fields(request, data))
    return Status(200, _project_out(project))


@router.post("/investment-projects/{pk}/follow-ups", response={201: FollowUpOut, 400: Error, 403: Error},
             summary="记录招商项目跟进情况")
def project_follow_up(request, pk: int, data: FollowUpIn):
    project = get_object_or_404(InvestmentProject.objects.visible_to(request.user), pk=pk)
    return Status(201, services.add_follow_up(actor=request.user, project=project, **data.model_dump()))


@router.post("/investment-projects/{pk}/branch", response={201: dict, 400: Error, 403: Error, 409: Error},
             summary="在已签约项目上建立项目党支部（支部建在项目上）")
def project_branch(request, pk: int, data: BranchIn):
    project = get_object_or_404(InvestmentProject.objects.visible_to(request.user), pk=pk)
    branch = services.open_branch(project, actor=request.user, **data.model_dump())
    return Status(201, {"id": branch.pk, "name": branch.name, "project": project.pk})


transition_endpoints(router, PROJECT, path="investment-projects", out=InvestmentProjectOut)


# --- target firms ---------------------------------------------------------------------------------------

def _target_out(target):
    out = TargetFirmOut.model_validate(target).model_dump()
    out["follow_ups"] = list(target.follow_ups.all())
    return out


@router.get("/target-firms", response=list[TargetFirmOut], summary="招商目标企业列表")
@paginate(CappedPage)
def list_targets(request, filters: Query[tables.TARGETS.query_schema("TargetFirmQuery")]):
    return tables.TARGETS.read(request)


@router.get("/target-firms/{pk}", response=TargetFirmDetailOut, summary="招商目标企业详情（含跟进记录）")
def get_target(request, pk: int):
    return _target_out(get_object_or_404(TargetFirm.objects.visible_to(request.user), pk=pk))


@router.post("/target-firms", response={201: TargetFirmDetailOut, 400: Error, 403: Error, 409: Error},
             summary="新增招商目标企业")
def create_target(request, data: TargetFirmIn):
    d = data.model_dump()
    d["chain"] = _pick(request, Chain, data.chain, "chain", "产业链")
    d["node"] = _pick(request, ChainNode, data.node, "node", "环节")
    d["task_force"] = _pick(request, TaskForce, data.task_force, "task_force", "招商专班")
    return Status(201, _target_out(services.save_target(actor=request.user, new=True, **d)))


@router.post("/target-firms/{pk}/follow-ups", response={201: FollowUpOut, 400: Error, 403: Error},
             summary="记录目标企业跟进情况")
def target_follow_up(request, pk: int, data: FollowUpIn):
    target = get_object_or_404(TargetFirm.objects.visible_to(request.user), pk=pk)
    return Status(201, services.add_follow_up(actor=request.user, target=target, **data.model_dump()))


# --- task forces ----------------------------------------------------------------------------------------

@router.get("/task-forces", response=list[TaskForceOut], summary="招商专班列表")
@paginate(CappedPage)
def list_task_forces(request, filters: Query[tables.TASK_FORCES.query_schema("TaskForceQuery")]):
    return tables.TASK_FORCES.read(request)


@router.get("/task-forces/{pk}", response=TaskForceDetailOut, summary="招商专班详情（含成员）")
def get_task_force(request, pk: int):
    tf = get_object_or_404(TaskForce.objects.visible_to(request.user), pk=pk)
    out = TaskForceOut.model_validate(tf).model_dump()
    out["members"] = list(tf.members.all())
    return out


# --- dashboards -------------------------------------------------------------------------------------------

@router.get("/zones/{zone_id}/dashboard", response={200: dict, 400: Error, 403: Error},
            summary="园区/产业链看板数据：分板块指标（本期、上期、变化、下钻链接）、月度趋势、产业链健康指数；"
                    "counted_at：数据计算时间（每园区或产业链每周期至多每分钟计算一次）")
def zone_dashboard(request, zone_id: int, period: str = "year", date: datetime.date | None = None,
                   chain: int | None = None):
    zone = get_object_or_404(Zone.objects.visible_to(request.user), pk=zone_id)
    if not request.user.has_perm_code("insights.view"):
        return Status(403, {"detail": "您无权查看数据看板"})
    try:
        p = dashboard.parse_period(period, date.isoformat() if date else None)
    except dashboard.BadPeriod as exc:
        return Status(400, {"detail": str(exc), "field": "period"})
    if chain is not None:
        c = get_object_or_404(Chain.objects.visible_to(request.user).filter(zone=zone), pk=chain)
        ctx = dashboard.chain_dashboard(c, p, request.user)
    else:
        ctx = dashboard.zone_dashboard(zone, p, request.user)
    return {
        "zone": zone.pk, "chain": chain, "period": {"kind": p.kind, "start": p.start, "end": p.end, "label": p.label},
        "sections": ctx["sections"], "trend": ctx["trend"],
        "chains": [{"id": r["chain"].pk, "name": r["chain"].name, **r["health"]} for r in ctx["chains"]],
        "counted_at": ctx["counted_at"],
    }
