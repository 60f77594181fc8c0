"""API of the resources app, assembled into /api/v1/ by liantong/api.py. Every read starts from
``visible_to``; out-of-scope objects answer 404. Writes call the same ``services`` functions as the pages:
a wrong role answers 403, a refused write 400 (``{"detail": 中文, "field": …}``), a taken natural key 409,
a malformed body 422; nothing is half-written and every write leaves its audit row. Endpoints raise
``ServiceError`` (and its ``Forbidden``/``Conflict``) and liantong/api.py answers it with its status."""


import datetime
from decimal import Decimal

from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Field, File, Query, Router, Schema, Status, UploadedFile
from ninja.pagination import paginate

from liantong.core.api import AttachmentOut
from liantong.core.lists import CappedPage, Error
from liantong.core.models import Zone
from liantong.core.services import Forbidden, ServiceError
from liantong.core.workflow_api import transition_endpoints
from liantong.orgs.models import Chain, Department, Enterprise, Member, PartyOrg

from . import services, tables
from .models import (
    ActionProject,
    Booking,
    DepartmentResource,
    JointMeeting,
    Milestone,
    Resolution,
    ServiceSquad,
    ServiceVisit,
    SharedResource,
)
from .workflow import BOOKING, RESOLUTION

router = Router(tags=["服务资源"])


# The role a write needs, and the refusal (the same words as the services').
ROLES = {
    "resources.publish": "您无权发布部门资源",
    "resources.project": "您无权维护行动项目",
    "resources.share": "您无权发布共享资源",
    "resources.squad": "您无权维护帮办服务小分队或登记服务记录",
    "resources.meeting": "您无权维护联席会议",
}


def _role(request, code: str) -> None:
    if not request.user.has_perm_code(code):
        raise Forbidden(ROLES[code])


def _pick(request, model, pk, label: str, field: str, *, queryset=None):
    """The object ``pk`` of ``model`` the user may see (``queryset`` narrows it), else a Chinese 400."""
    if pk is None:
        return None
    qs = queryset if queryset is not None else model.objects.visible_to(request.user)
    obj = qs.filter(pk=pk).first()
    if obj is None:
        raise ServiceError(f"{label}不存在或您无权访问", field=field)
    return obj


def _pick_many(request, model, pks, label: str, field: str, *, queryset=None) -> list:
    qs = queryset if queryset is not None else model.objects.visible_to(request.user)
    wanted = list(dict.fromkeys(pks or []))
    found = {o.pk: o for o in qs.filter(pk__in=wanted)}
    missing = [pk for pk in wanted if pk not in found]
    if missing:
        raise ServiceError(f"{label}不存在或您无权访问：{'、'.join(map(str, missing))}", field=field)
    return [found[pk] for pk in wanted]


WRITE_ERRORS = {400: Error, 403: Error, 409: Error}


# --- 部门资源 -------------------------------------------------------------------------------------------


class DeptResourceOut(Schema):
    id: int
    zone_id: int
    department_id: int
    department_name: str = Field(..., alias="department.name")
    kind: str
    title: str
    description: str
    conditions: str
    quota_amount: Decimal | None
    quota_unit: str
    contact_name: str
    contact_phone: str
    valid_from: datetime.date | None
    valid_until: datetime.date | None
    status: str
    citations: int = Field(0, alias="n_citations")


@router.get("/department-resources", response=list[DeptResourceOut], summary="部门资源清单")
@paginate(CappedPage)
def list_dept_resources(request, filters: Query[tables.DEPT_RESOURCES.query_schema("DeptResourceQuery")]):
    return tables.DEPT_RESOURCES.read(request)


@router.get("/department-resources/{pk}", response=DeptResourceOut, summary="部门资源详情")
def get_dept_resource(request, pk: int):
    from django.db.models import Count

    return get_object_or_404(DepartmentResource.objects.visible_to(request.user).select_related("department")
                             .annotate(n_citations=Count("citations")), pk=pk)


class DeptResourceIn(Schema):
    department: int | None = Field(None, description="发布部门；新增时默认本人所在部门，修改时默认不变")
    kind: str = Field(..., description="资源类别（字典 dept_resource_kind）")
    title: str
    description: str = ""
    conditions: str = ""
    quota_amount: Decimal | None = None
    quota_unit: str = ""
    contact_name: str = ""
    contact_phone: str = ""
    valid_from: datetime.date | None = None
    valid_until: datetime.date | None = None
    status: str = Field("published", description="published 发布中 / paused 暂停 / closed 已结束")


def _dept_resource_fields(request, data: DeptResourceIn, resource: DepartmentResource | None = None) -> dict:
    fields = data.dict()
    dept_id = fields.pop("department")
    if dept_id is None:
        dept_id = resource.department_id if resource else request.user.department_id
    if dept_id is None:
        raise ServiceError("请指定发布部门", field="department")
    fields["department"] = _pick(request, Department, dept_id, "发布部门", "department")
    return fields


@router.post("/department-resources", response={201: DeptResourceOut, **WRITE_ERRORS},
             summary="发布部门资源（职能部门以本部门名义；园区党工委可代任一部门）")
def create_dept_resource(request, data: DeptResourceIn):
    _role(request, "resources.publish")
    obj = services.save_department_resource(actor=request.user, create_only=True,
                                            **_dept_resource_fields(request, data))
    return Status(201, get_dept_resource(request, obj.pk))


@router.put("/department-resources/{pk}", response={200: DeptResourceOut, **WRITE_ERRORS},
            summary="修改部门资源（发布部门或园区党工委）")
def update_dept_resource(request, pk: int, data: DeptResourceIn):
    _role(request, "resources.publish")
    res = get_object_or_404(DepartmentResource.objects.visible_to(request.user, for_write=True), pk=pk)
    services.save_department_resource(actor=request.user, resource=res,
                                      **_dept_resource_fields(request, data, res))
    return Status(200, get_dept_resource(request, pk))


# --- 行动项目 -------------------------------------------------------------------------------------------


class MilestoneOut(Schema):
    id: int
    title: str
    due_on: datetime.date
    done_on: datetime.date | None


class ProjectOut(Schema):
    id: int
    zone_id: int
    title: str
    owner_name: str
    enterprise_id: int | None
    department_id: int | None
    party_org_id: int | None
    chain_id: int | None
    flagship: bool
    status: str
    progress: int
    milestones: list[MilestoneOut]


@router.get("/action-projects", response=list[ProjectOut], summary="行动项目清单")
@paginate(CappedPage)
def list_projects(request, filters: Query[tables.PROJECTS.query_schema("ProjectQuery")]):
    return tables.PROJECTS.read(request)


@router.get("/action-projects/{pk}", response=ProjectOut, summary="行动项目详情（含节点与进度）")
def get_project(request, pk: int):
    return get_object_or_404(ActionProject.objects.visible_to(request.user).prefetch_related("milestones"), pk=pk)


class ProjectIn(Schema):
    title: str
    owner_name: str = Field(..., description="负责人")
    enterprise: int | None = Field(None, description="责任单位：企业、部门、党组织三选一；修改时都不填则不变")
    department: int | None = None
    party_org: int | None = None
    chain: int | None = None
    flagship: bool = Field(False, description="书记项目")
    status: str = Field("active", description="planned 谋划中 / active 推进中 / done 已完成 / suspended 暂缓")
    started_on: datetime.date | None = None
    description: str = ""


class MilestoneIn(Schema):
    title: str
    due_on: datetime.date
    done_on: datetime.date | None = None
    sort: int = 0


class ProgressIn(Schema):
    done_on: datetime.date | None = Field(..., description="实际完成日期；null 表示改回未完成")


def _project_fields(request, data: ProjectIn, project: ActionProject | None = None) -> dict:
    fields = data.dict()
    units = {"enterprise": (Enterprise, "责任企业"), "department": (Department, "责任部门"),
             "party_org": (PartyOrg, "责任党组织")}
    if project is not None and all(fields[k] is None for k in units):
        for k in units:
            fields[k] = getattr(project, k)
    else:
        for k, (model, label) in units.items():
            fields[k] = _pick(request, model, fields[k], label, k)
    fields["chain"] = _pick(request, Chain, fields["chain"], "产业链", "chain")
    unit = fields["enterprise"] or fields["department"] or fields["party_org"]
    fields["zone"] = project.zone if project is not None else unit.zone if unit is not None else request.user.zone
    return fields


@router.post("/action-projects", response={201: ProjectOut, **WRITE_ERRORS},
             summary="新增行动项目（责任单位为本级及下级单位）")
def create_project(request, data: ProjectIn):
    _role(request, "resources.project")
    obj = services.save_action_project(actor=request.user, create_only=True, **_project_fields(request, data))
    return Status(201, get_project(request, obj.pk))


@router.put("/action-projects/{pk}", response={200: ProjectOut, **WRITE_ERRORS}, summary="修改行动项目")
def update_project(request, pk: int, data: ProjectIn):
    _role(request, "resources.project")
    project = get_object_or_404(ActionProject.objects.visible_to(request.user, for_write=True), pk=pk)
    services.save_action_project(actor=request.user, project=project,
                                 **_project_fields(request, data, project))
    return Status(200, get_project(request, pk))


@router.post("/action-projects/{pk}/milestones", response={201: ProjectOut, **WRITE_ERRORS},
             summary="为行动项目添加节点（同项目详情页“添加节点”）")
def add_milestone(request, pk: int, data: MilestoneIn):
    _role(request, "resources.project")
    project = get_object_or_404(ActionProject.objects.visible_to(request.user, for_write=True), pk=pk)
    services.save_milestone(actor=request.user, project=project, create_only=True, **data.dict())
    return Status(201, get_project(request, pk))


@router.post("/action-projects/{pk}/milestones/{mid}/progress", response={200: ProjectOut, **WRITE_ERRORS},
             summary="登记节点进度：填实际完成日期为完成，null 为改回未完成（同项目详情页“完成”）")
def milestone_progress(request, pk: int, mid: int, data: ProgressIn):
    _role(request, "resources.project")
    project = get_object_or_404(ActionProject.objects.visible_to(request.user, for_write=True), pk=pk)
    ms = get_object_or_404(Milestone.objects.visible_to(request.user, for_write=True).filter(project=project),
                           pk=mid)
    services.record_milestone_progress(actor=request.user, milestone=ms, done_on=data.done_on)
    return Status(200, get_project(request, pk))


# --- 资源共享与预约 -------------------------------------------------------------------------------------


class SharedOut(Schema):
    id: int
    zone_id: int
    owner_id: int
    owner_name: str = Field(..., alias="owner.name")
    chain_id: int | None
    category: str
    name: str
    description: str
    terms: str
    location: str
    status: str


@router.get("/shared-resources", response=list[SharedOut], summary="资源共享清单")
@paginate(CappedPage)
def list_shared(request, filters: Query[tables.SHARED.query_schema("SharedResourceQuery")]):
    return tables.SHARED.read(request)


@router.get("/shared-resources/{pk}", response=SharedOut, summary="共享资源详情")
def get_shared(request, pk: int):
    return get_object_or_404(SharedResource.objects.visible_to(request.user).select_related("owner"), pk=pk)


class SharedIn(Schema):
    owner: int | None = Field(None, description="提供企业；新增时默认本企业，修改时默认不变")
    chain: int | None = None
    category: str = Field(..., description="资源类别（字典 shared_category）")
    name: str
    description: str = ""
    terms: str = ""
    location: str = ""
    contact_name: str = ""
    contact_phone: str = ""
    status: str = Field("available", description="available 可预约 / paused 暂停共享 / retired 已下架")


def _shared_fields(request, data: SharedIn, resource: SharedResource | None = None) -> dict:
    fields = data.dict()
    owner_id = fields["owner"]
    if owner_id is None:
        owner_id = resource.owner_id if resource else request.user.enterprise_id
    if owner_id is None:
        raise ServiceError("请指定提供企业", field="owner")
    fields["owner"] = _pick(request, Enterprise, owner_id, "提供企业", "owner")
    fields["chain"] = _pick(request, Chain, fields["chain"], "产业链", "chain")
    return fields


@router.post("/shared-resources", response={201: SharedOut, **WRITE_ERRORS}, summary="共享资源（以本企业名义）")
def create_shared(request, data: SharedIn):
    _role(request, "resources.share")
    obj = services.save_shared_resource(actor=request.user, create_only=True, **_shared_fields(request, data))
    return Status(201, get_shared(request, obj.pk))


@router.put("/shared-resources/{pk}", response={200: SharedOut, **WRITE_ERRORS},
            summary="修改共享资源（资源提供企业；其他企业 404）")
def update_shared(request, pk: int, data: SharedIn):
    _role(request, "resources.share")
    res = get_object_or_404(SharedResource.objects.visible_to(request.user, for_write=True), pk=pk)
    services.save_shared_resource(actor=request.user, resource=res, **_shared_fields(request, data, res))
    return Status(200, get_shared(request, pk))


class CalendarBookingOut(Schema):
    id: int | None = Field(None, description="仅对可查看该预约的用户给出")
    start_on: datetime.date
    end_on: datetime.date
    state: str = Field(..., description="approved 已同意 / pending 待审核（待审核的仅对可查看者显示）")
    requester_id: int | None = None
    requester_name: str | None = None
    purpose: str | None = None


class CalendarSpan(Schema):
    date_from: datetime.date | None = Field(None, alias="from", description="起始日期（含），默认本月 1 日")
    date_to: datetime.date | None = Field(None, alias="to", description="截止日期（含），默认起始日期所在月末")


class CalendarOut(Schema):
    resource_id: int
    date_from: datetime.date = Field(..., alias="from")
    date_to: datetime.date = Field(..., alias="to")
    bookings: list[CalendarBookingOut]


@router.get("/shared-resources/{pk}/calendar", response={200: CalendarOut, 400: Error}, by_alias=True,
            summary="预约日历：区间内已同意的预约（他企预约只显示占用）与本人可查看的待审核预约；默认本月，最长一年")
def shared_calendar(request, pk: int, span: Query[CalendarSpan]):
    import calendar as pycal

    res = get_object_or_404(SharedResource.objects.visible_to(request.user), pk=pk)
    date_from, date_to = span.date_from, span.date_to
    if date_from is None:
        base = date_to or timezone.localdate()
        date_from = base.replace(day=1)
    if date_to is None:
        date_to = date_from.replace(day=pycal.monthrange(date_from.year, date_from.month)[1])
    rows, visible = services.calendar_bookings(res, date_from, date_to, user=request.user)
    out = []
    for b in rows:
        seen = b.pk in visible
        out.append({"id": b.pk if seen else None, "start_on": b.start_on, "end_on": b.end_on, "state": b.state,
                    "requester_id": b.requester_id if seen else None,
                    "requester_name": b.requester.name if seen else None, "purpose": b.purpose if seen else None})
    return Status(200, {"resource_id": res.pk, "from": date_from, "to": date_to, "bookings": out})


class BookingOut(Schema):
    id: int
    zone_id: int
    resource_id: int
    requester_id: int
    start_on: datetime.date
    end_on: datetime.date
    purpose: str
    state: str
    reason: str
    decided_at: datetime.datetime | None


class BookingIn(Schema):
    resource: int
    start_on: datetime.date
    end_on: datetime.date
    purpose: str = Field(..., max_length=200)


@router.get("/bookings", response=list[BookingOut], summary="预约申请（本企业提交的与本企业资源收到的）")
@paginate(CappedPage)
def list_bookings(request, filters: Query[tables.BOOKINGS.query_schema("BookingQuery")]):
    return tables.BOOKINGS.read(request)


@router.get("/bookings/{pk}", response=BookingOut, summary="预约申请详情")
def get_booking(request, pk: int):
    return get_object_or_404(Booking.objects.visible_to(request.user), pk=pk)


@router.post("/bookings", response={201: BookingOut, 400: Error}, summary="提交预约申请（企业用户）")
def create_booking(request, data: BookingIn):
    res = get_object_or_404(SharedResource.objects.visible_to(request.user), pk=data.resource)
    if not request.user.enterprise_id:
        return Status(400, {"detail": "只有企业用户可以预约共享资源", "field": None})
    b = services.request_booking(actor=request.user, resource=res, requester=request.user.enterprise,
                                 start_on=data.start_on, end_on=data.end_on, purpose=data.purpose)
    return Status(201, b)


# GET/POST /bookings/{id}/transitions: 同意、拒绝（note 为理由）、撤回、取消 (workflow.BOOKING)
transition_endpoints(router, BOOKING, path="bookings", out=BookingOut)


# --- 帮办服务 -------------------------------------------------------------------------------------------


class SquadOut(Schema):
    id: int
    zone_id: int
    chain_id: int | None
    name: str
    leader_name: str
    member_names: str
    visits: int = Field(0, alias="n_visits")


class VisitOut(Schema):
    id: int
    zone_id: int
    squad_id: int
    enterprise_id: int
    kind: str
    visited_on: datetime.date
    hours: Decimal
    participants: int
    result: str


@router.get("/service-squads", response=list[SquadOut], summary="帮办服务小分队")
@paginate(CappedPage)
def list_squads(request, filters: Query[tables.SQUADS.query_schema("SquadQuery")]):
    return tables.SQUADS.read(request)


@router.get("/service-squads/{pk}", response=SquadOut, summary="小分队详情")
def get_squad(request, pk: int):
    from django.db.models import Count

    return get_object_or_404(ServiceSquad.objects.visible_to(request.user).annotate(n_visits=Count("visits")), pk=pk)


@router.get("/service-visits", response=list[VisitOut], summary="帮办服务记录")
@paginate(CappedPage)
def list_visits(request, filters: Query[tables.VISITS.query_schema("VisitQuery")]):
    return tables.VISITS.read(request)


@router.get("/service-visits/{pk}", response=VisitOut, summary="帮办服务记录详情")
def get_visit(request, pk: int):
    return get_object_or_404(ServiceVisit.objects.visible_to(request.user), pk=pk)


class SquadIn(Schema):
    zone: int | None = Field(None, description="所属园区；默认本人所在园区，修改时不变")
    chain: int | None = None
    name: str
    leader_name: str = Field(..., description="队长")
    members: list[int] | None = Field(None, description="党员队员（本园区党员 id）；修改时不填则不变")
    member_names: str = ""
    description: str = ""


def _squad_fields(request, data: SquadIn, squad: ServiceSquad | None = None) -> dict:
    fields = data.dict()
    if squad is not None:
        fields["zone"] = squad.zone
    elif fields["zone"] is not None:
        fields["zone"] = _pick(request, Zone, fields["zone"], "园区", "zone")
    elif request.user.zone_id:
        fields["zone"] = request.user.zone
    else:
        raise ServiceError("请指定所属园区", field="zone")
    fields["chain"] = _pick(request, Chain, fields["chain"], "产业链", "chain")
    if fields["members"] is not None:
        fields["members"] = _pick_many(request, Member, fields["members"], "党员", "members")
    return fields


@router.post("/service-squads", response={201: SquadOut, **WRITE_ERRORS}, summary="组建帮办服务小分队")
def create_squad(request, data: SquadIn):
    _role(request, "resources.squad")
    obj = services.save_squad(actor=request.user, create_only=True, **_squad_fields(request, data))
    return Status(201, get_squad(request, obj.pk))


@router.put("/service-squads/{pk}", response={200: SquadOut, **WRITE_ERRORS}, summary="修改帮办服务小分队")
def update_squad(request, pk: int, data: SquadIn):
    _role(request, "resources.squad")
    squad = get_object_or_404(ServiceSquad.objects.visible_to(request.user, for_write=True), pk=pk)
    services.save_squad(actor=request.user, squad=squad, **_squad_fields(request, data, squad))
    return Status(200, get_squad(request, pk))


class VisitIn(Schema):
    squad: int | None = Field(None, description="小分队（新增必填；修改时不填则不变）")
    enterprise: int | None = Field(None, description="服务企业（新增必填；修改时不填则不变）")
    kind: str = Field(..., description="服务类型（字典 visit_kind）")
    visited_on: datetime.date = Field(..., description="服务日期，不晚于今天")
    hours: Decimal = Field(Decimal(0), description="服务时长（小时，0–24）")
    participants: int = 0
    result: str = Field("", description="服务成效")


def _visit_fields(request, data: VisitIn, visit: ServiceVisit | None = None) -> dict:
    fields = data.dict()
    for key, model, label in (("squad", ServiceSquad, "小分队"), ("enterprise", Enterprise, "服务企业")):
        if fields[key] is None:
            if visit is None:
                raise ServiceError(f"请指定{label}", field=key)
            fields[key] = getattr(visit, key)
        else:
            fields[key] = _pick(request, model, fields[key], label, key)
    return fields


@router.post("/service-visits", response={201: VisitOut, **WRITE_ERRORS},
             summary="登记帮办服务记录（现场照片另用 POST /service-visits/{id}/photos 上传）")
def create_visit(request, data: VisitIn):
    _role(request, "resources.squad")
    obj = services.record_visit(actor=request.user, create_only=True, **_visit_fields(request, data))
    return Status(201, obj)


@router.put("/service-visits/{pk}", response={200: VisitOut, **WRITE_ERRORS}, summary="修改帮办服务记录")
def update_visit(request, pk: int, data: VisitIn):
    _role(request, "resources.squad")
    visit = get_object_or_404(ServiceVisit.objects.visible_to(request.user, for_write=True), pk=pk)
    obj = services.record_visit(actor=request.user, visit=visit, **_visit_fields(request, data, visit))
    return Status(200, obj)


@router.get("/service-visits/{pk}/photos", response=list[AttachmentOut], summary="帮办服务现场照片/附件列表（url 为下载地址）")
def list_visit_photos(request, pk: int):
    visit = get_object_or_404(ServiceVisit.objects.visible_to(request.user), pk=pk)
    return list(visit.photos.all())


@router.post("/service-visits/{pk}/photos", response={201: list[AttachmentOut], **WRITE_ERRORS},
             summary="上传帮办服务现场照片/附件（multipart，字段 files，可多个；类型按内容检查，须与扩展名一致）")
def upload_visit_photos(request, pk: int, files: File[list[UploadedFile]]):
    _role(request, "resources.squad")
    visit = get_object_or_404(ServiceVisit.objects.visible_to(request.user, for_write=True), pk=pk)
    photos = services.attach_visit_photos(actor=request.user, visit=visit, uploads=files)
    return Status(201, photos)


# --- 联席会议 -------------------------------------------------------------------------------------------


class ResolutionOut(Schema):
    id: int
    zone_id: int
    meeting_id: int
    seq: int
    content: str
    owner_enterprise_id: int | None
    owner_department_id: int | None
    owner_party_org_id: int | None
    owner_name: str
    workdays: int
    due_at: datetime.datetime
    state: str
    card: str
    done_at: datetime.datetime | None
    result: str

    @staticmethod
    def resolve_card(obj):
        return obj.card_level()


class JointMeetingOut(Schema):
    id: int
    zone_id: int
    chain_id: int
    title: str
    held_on: datetime.date
    location: str
    host: str
    minutes: str
    attending_org_ids: list[int]
    resolutions: list[ResolutionOut]

    @staticmethod
    def resolve_attending_org_ids(obj):
        return [o.pk for o in obj.attending_orgs.all()]

    @staticmethod
    def resolve_resolutions(obj):
        return list(obj.resolutions.all())


@router.get("/joint-meetings", response=list[JointMeetingOut], summary="联席会议")
@paginate(CappedPage)
def list_meetings(request, filters: Query[tables.MEETINGS.query_schema("JointMeetingQuery")]):
    return tables.MEETINGS.read(request)


@router.get("/joint-meetings/{pk}", response=JointMeetingOut, summary="联席会议详情（含议定事项）")
def get_meeting(request, pk: int):
    return get_object_or_404(JointMeeting.objects.visible_to(request.user)
                             .prefetch_related("attending_orgs", "resolutions"), pk=pk)


class ResolutionIn(Schema):
    content: str = Field(..., description="议定事项")
    owner_enterprise: int | None = Field(None, description="责任单位：本链企业、本园区部门、党组织三选一")
    owner_department: int | None = None
    owner_party_org: int | None = None
    owner_name: str = Field("", description="责任人")
    workdays: int = Field(10, description="办理时限（工作日，1–250），自登记时起算")


class MeetingEditIn(Schema):
    chain: int
    title: str
    held_on: datetime.date
    location: str = ""
    host: str = ""
    minutes: str = ""
    attending_orgs: list[int] = Field(default_factory=list, description="参会党组织 id")


class JointMeetingIn(MeetingEditIn):
    resolutions: list[ResolutionIn] = Field(default_factory=list,
                                            description="议定事项：每项成为一项督办任务（时限、红黄牌）")


def _meeting_fields(request, data: MeetingEditIn) -> dict:
    fields = data.dict()
    fields.pop("resolutions", None)
    fields["chain"] = _pick(request, Chain, fields["chain"], "产业链", "chain")
    fields["attending_orgs"] = _pick_many(request, PartyOrg, fields["attending_orgs"], "参会党组织", "attending_orgs",
                                          queryset=PartyOrg.objects.visible_to(request.user).filter(depth__lte=3))
    return fields


def _resolution_fields(request, data: ResolutionIn, *, zone_id: int, chain_id: int, label: str = "") -> dict:
    fields = data.dict()
    choices = services.resolution_owner_choices(request.user, zone_id=zone_id, chain_id=chain_id)
    names = {"owner_enterprise": "责任企业", "owner_department": "责任部门", "owner_party_org": "责任党组织"}
    for key, qs in choices.items():
        fields[key] = _pick(request, None, fields[key], f"{label}{names[key]}", key, queryset=qs)
    return fields


@router.post("/joint-meetings", response={201: JointMeetingOut, **WRITE_ERRORS},
             summary="登记联席会议及其议定事项（全部成功或全部不写入）")
def create_meeting(request, data: JointMeetingIn):
    _role(request, "resources.meeting")
    fields = _meeting_fields(request, data)
    chain = fields["chain"]
    resolutions = [_resolution_fields(request, r, zone_id=chain.zone_id, chain_id=chain.pk,
                                      label=f"第{i}项议定事项：")
                   for i, r in enumerate(data.resolutions, 1)]
    obj = services.hold_meeting(actor=request.user, resolutions=resolutions, **fields)
    return Status(201, get_meeting(request, obj.pk))


@router.put("/joint-meetings/{pk}", response={200: JointMeetingOut, **WRITE_ERRORS},
            summary="修改联席会议（议定事项另用 POST /joint-meetings/{id}/resolutions 添加）")
def update_meeting(request, pk: int, data: MeetingEditIn):
    _role(request, "resources.meeting")
    meeting = get_object_or_404(JointMeeting.objects.visible_to(request.user, for_write=True), pk=pk)
    services.save_meeting(actor=request.user, meeting=meeting, **_meeting_fields(request, data))
    return Status(200, get_meeting(request, pk))


@router.post("/joint-meetings/{pk}/resolutions", response={201: ResolutionOut, **WRITE_ERRORS},
             summary="为联席会议添加议定事项（同会议详情页；时限自现在起算）")
def add_resolution(request, pk: int, data: ResolutionIn):
    _role(request, "resources.meeting")
    meeting = get_object_or_404(JointMeeting.objects.visible_to(request.user, for_write=True), pk=pk)
    fields = _resolution_fields(request, data, zone_id=meeting.zone_id, chain_id=meeting.chain_id)
    r = services.add_resolution(actor=request.user, meeting=meeting, **fields)
    return Status(201, r)


@router.get("/resolutions", response=list[ResolutionOut], summary="议定事项督办")
@paginate(CappedPage)
def list_resolutions(request, filters: Query[tables.RESOLUTIONS.query_schema("ResolutionQuery")]):
    return tables.RESOLUTIONS.read(request)


@router.get("/resolutions/{pk}", response=ResolutionOut, summary="议定事项详情")
def get_resolution(request, pk: int):
    return get_object_or_404(Resolution.objects.visible_to(request.user), pk=pk)


# GET/POST /resolutions/{id}/transitions: 开始办理、办结（note 为办理结果）、重新办理 (workflow.RESOLUTION)
transition_endpoints(router, RESOLUTION, path="resolutions", out=ResolutionOut)
