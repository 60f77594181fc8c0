"""API of the resources app, assembled into /api/v1/ by liantong/api.py. Every read starts from
``visible_to``; out-of-scope objects answer 404; writes go through ``services`` (Chinese errors, 400)."""


import datetime
from decimal import Decimal

from django.shortcuts import get_object_or_404
from ninja import Field, FilterSchema, Query, Router, Schema
from ninja.pagination import paginate

from liantong.core.services import ServiceError
from liantong.orgs.api import Page

from . import services
from .models import (
    ActionProject,
    Booking,
    DepartmentResource,
    JointMeeting,
    Resolution,
    ServiceSquad,
    ServiceVisit,
    SharedResource,
)

router = Router(tags=["服务资源"])


class Filters(FilterSchema):
    zone: int | None = None
    chain: int | None = None
    q: str | None = Field(None, max_length=100)


def _filter(qs, f: Filters, *, chain: str | None, q: str):
    if f.zone:
        qs = qs.filter(zone_id=f.zone)
    if f.chain:
        qs = qs.filter(**{chain: f.chain}) if chain else qs.none()
    if f.q:
        qs = qs.filter(**{f"{q}__icontains": f.q.strip()})
    return qs


class Error(Schema):
    detail: str
    field: str | None = None


def _error(exc: ServiceError):
    return 400, {"detail": exc.message, "field": exc.field}


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
@paginate(Page)
def list_dept_resources(request, filters: Query[Filters], department: int | None = None):
    from django.db.models import Count

    qs = (DepartmentResource.objects.visible_to(request.user).select_related("department")
          .annotate(n_citations=Count("citations")).order_by("-id"))
    if department:
        qs = qs.filter(department_id=department)
    return _filter(qs, filters, chain=None, q="title")


@router.get("/department-resources/{pk}", response=DeptResourceOut, summary="部门资源详情")
def get_dept_resource(request, pk: int):
    from django.db.models import Count

    return get_object_or_404(DepartmentResource.objects.visible_to(request.user).select_related("department")
                             .annotate(n_citations=Count("citations")), pk=pk)


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
@paginate(Page)
def list_projects(request, filters: Query[Filters], flagship: bool | None = None):
    qs = ActionProject.objects.visible_to(request.user).prefetch_related("milestones").order_by("-flagship", "-id")
    if flagship is not None:
        qs = qs.filter(flagship=flagship)
    return _filter(qs, filters, chain="chain_id", q="title")


@router.get("/action-projects/{pk}", response=ProjectOut, summary="行动项目详情（含节点与进度）")
def get_project(request, pk: int):
    return get_object_or_404(ActionProject.objects.visible_to(request.user).prefetch_related("milestones"), pk=pk)


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
@paginate(Page)
def list_shared(request, filters: Query[Filters], category: str | None = None):
    qs = SharedResource.objects.visible_to(request.user).select_related("owner").order_by("-id")
    if category:
        qs = qs.filter(category=category)
    return _filter(qs, filters, chain="chain_id", q="name")


@router.get("/shared-resources/{pk}", response=SharedOut, summary="共享资源详情")
def get_shared(request, pk: int):
    return get_object_or_404(SharedResource.objects.visible_to(request.user).select_related("owner"), pk=pk)


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


class DecisionIn(Schema):
    action: str = Field(..., description="approve 同意 / decline 拒绝 / withdraw 撤回 / cancel 取消")
    reason: str = Field("", max_length=200)


@router.get("/bookings", response=list[BookingOut], summary="预约申请（本企业提交的与本企业资源收到的）")
@paginate(Page)
def list_bookings(request, filters: Query[Filters], resource: int | None = None, state: str | None = None):
    qs = Booking.objects.visible_to(request.user).order_by("-id")
    if resource:
        qs = qs.filter(resource_id=resource)
    if state:
        qs = qs.filter(state=state)
    return _filter(qs, filters, chain="resource__chain_id", q="purpose")


@router.get("/bookings/{pk}", response=BookingOut, summary="预约申请详情")
def get_booking(request, pk: int):
    return get_object_or_404(Booking.objects.visible_to(request.user), pk=pk)


@router.post("/bookings", response={201: BookingOut, 400: Error}, summary="提交预约申请（企业用户）")
def create_booking(request, data: BookingIn):
    res = get_object_or_404(SharedResource.objects.visible_to(request.user), pk=data.resource)
    if not request.user.enterprise_id:
        return 400, {"detail": "只有企业用户可以预约共享资源", "field": None}
    try:
        b = services.request_booking(actor=request.user, resource=res, requester=request.user.enterprise,
                                     start_on=data.start_on, end_on=data.end_on, purpose=data.purpose)
    except ServiceError as exc:
        return _error(exc)
    return 201, b


@router.post("/bookings/{pk}/decision", response={200: BookingOut, 400: Error},
             summary="审核或撤回预约（同意/拒绝须由资源提供企业操作）")
def decide_booking(request, pk: int, data: DecisionIn):
    b = get_object_or_404(Booking.objects.visible_to(request.user), pk=pk)
    try:
        return 200, services.transition_booking(actor=request.user, booking=b, action=data.action, reason=data.reason)
    except ServiceError as exc:
        return _error(exc)


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
@paginate(Page)
def list_squads(request, filters: Query[Filters]):
    from django.db.models import Count

    qs = ServiceSquad.objects.visible_to(request.user).annotate(n_visits=Count("visits")).order_by("id")
    return _filter(qs, filters, chain="chain_id", q="name")


@router.get("/service-squads/{pk}", response=SquadOut, summary="小分队详情")
def get_squad(request, pk: int):
    from django.db.models import Count

    return get_object_or_404(ServiceSquad.objects.visible_to(request.user).annotate(n_visits=Count("visits")), pk=pk)


@router.get("/service-visits", response=list[VisitOut], summary="帮办服务记录")
@paginate(Page)
def list_visits(request, filters: Query[Filters], squad: int | None = None, kind: str | None = None,
                enterprise: int | None = None):
    qs = ServiceVisit.objects.visible_to(request.user).order_by("-visited_on", "-id")
    for lookup, v in (("squad_id", squad), ("kind", kind), ("enterprise_id", enterprise)):
        if v:
            qs = qs.filter(**{lookup: v})
    return _filter(qs, filters, chain="squad__chain_id", q="result")


@router.get("/service-visits/{pk}", response=VisitOut, summary="帮办服务记录详情")
def get_visit(request, pk: int):
    return get_object_or_404(ServiceVisit.objects.visible_to(request.user), pk=pk)


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


class MeetingOut(Schema):
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


class TransitionIn(Schema):
    action: str = Field(..., description="start 开始办理 / complete 办结 / reopen 重新办理")
    result: str = Field("", max_length=2000)


@router.get("/joint-meetings", response=list[MeetingOut], summary="联席会议")
@paginate(Page)
def list_meetings(request, filters: Query[Filters]):
    qs = (JointMeeting.objects.visible_to(request.user).prefetch_related("attending_orgs", "resolutions")
          .order_by("-held_on", "-id"))
    return _filter(qs, filters, chain="chain_id", q="title")


@router.get("/joint-meetings/{pk}", response=MeetingOut, summary="联席会议详情（含议定事项）")
def get_meeting(request, pk: int):
    return get_object_or_404(JointMeeting.objects.visible_to(request.user)
                             .prefetch_related("attending_orgs", "resolutions"), pk=pk)


@router.get("/resolutions", response=list[ResolutionOut], summary="议定事项督办")
@paginate(Page)
def list_resolutions(request, filters: Query[Filters], state: str | None = None):
    qs = Resolution.objects.visible_to(request.user).order_by("due_at", "id")
    if state:
        qs = qs.filter(state=state)
    return _filter(qs, filters, chain="meeting__chain_id", q="content")


@router.get("/resolutions/{pk}", response=ResolutionOut, summary="议定事项详情")
def get_resolution(request, pk: int):
    return get_object_or_404(Resolution.objects.visible_to(request.user), pk=pk)


@router.post("/resolutions/{pk}/transitions", response={200: ResolutionOut, 400: Error}, summary="办理议定事项")
def transition_resolution(request, pk: int, data: TransitionIn):
    r = get_object_or_404(Resolution.objects.visible_to(request.user), pk=pk)
    try:
        return 200, services.transition_resolution(actor=request.user, resolution=r, action=data.action,
                                                   result=data.result)
    except ServiceError as exc:
        return _error(exc)
