"""API of the people strand: every list (the pages' ``Listing``s, same filters and search) and detail, read
through the scoping layer, and the actions — activities, sign-up and check-in, the catalogue, placements,
managers and committee posts — through the same services as the pages."""


import datetime

from django.shortcuts import get_object_or_404
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from liantong.core.lists import CappedPage, Error
from liantong.core.services import ServiceError
from liantong.orgs.models import Chain, Enterprise, Member, PartyOrg

from . import services, tables
from .models import (
    Activity,
    Attendance,
    CommitteePost,
    Manager,
    Mentor,
    Placement,
    TalentNeed,
    Trainee,
    TrainingProgram,
    Venue,
)

router = Router(tags=["人才与组织生活"])
WRITE_ERRORS = {400: Error, 403: Error, 404: Error, 409: Error}


def _pick(request, model, pk, label: str, field: str, *, write: bool = False):
    if pk is None:
        return None
    obj = model.objects.visible_to(request.user, for_write=write).filter(pk=pk).first()
    if obj is None:
        raise ServiceError(f"{label}不存在或您无权{'管理' if write else '访问'}", field=field)
    return obj


def _pick_many(request, model, pks, label: str, field: str) -> list:
    wanted = list(dict.fromkeys(pks or []))
    found = {o.pk: o for o in model.objects.visible_to(request.user).filter(pk__in=wanted)}
    missing = [pk for pk in wanted if pk not in found]
    if missing:
        raise ServiceError(f"{label}不存在或您无权访问：{'、'.join(map(str, missing))}", field=field)
    return [found[pk] for pk in wanted]


def _endpoints(path: str, model, listing, out, noun: str, *, select=()):
    """``GET /{path}`` (the list, the page's parameters) and ``GET /{path}/{pk}`` (404 out of scope)."""
    name = model.__name__

    @paginate(CappedPage)
    def list_rows(request, filters: Query[listing.query_schema(f"{name}Query")]):
        return listing.read(request)

    def get_row(request, pk: int):
        qs = listing.rows(request.user)
        return get_object_or_404(qs, pk=pk)

    router.get(f"/{path}", response=list[out], summary=f"{noun}列表", operation_id=f"people_{path.replace('-', '_')}_list")(list_rows)
    router.get(f"/{path}/{{pk}}", response=out, summary=f"{noun}详情",
               operation_id=f"people_{path.replace('-', '_')}_get")(get_row)
    return get_row


class TalentNeedOut(Schema):
    id: int
    zone_id: int
    chain_id: int
    enterprise_id: int | None
    post: str
    major: str
    degree: str
    headcount: int
    salary_min: int | None
    salary_max: int | None
    urgency: str
    valid_until: datetime.date | None


class TrainingProgramOut(Schema):
    id: int
    zone_id: int
    name: str
    chain_id: int | None
    institution_id: int | None
    host_id: int
    starts_on: datetime.date | None
    ends_on: datetime.date | None


class MentorOut(Schema):
    id: int
    zone_id: int
    name: str
    kind: str
    enterprise_id: int | None
    institution_id: int | None
    title: str


class TraineeOut(Schema):
    id: int
    zone_id: int
    program_id: int
    name: str
    major: str
    degree: str
    graduates_on: datetime.date | None
    enterprise_mentor_id: int | None
    professor_id: int | None


class PlacementOut(Schema):
    id: int
    zone_id: int
    trainee_id: int
    enterprise_id: int
    post: str
    placed_on: datetime.date


class VenueOut(Schema):
    id: int
    zone_id: int
    name: str
    kind: str
    enterprise_id: int | None
    capacity: int
    facilities: str


class ActivityOut(Schema):
    id: int
    zone_id: int
    title: str
    kind: str
    lead_org_id: int
    organiser_ids: list[int] = Field(..., description="组织单位（联合开展的各党组织）")
    chain_id: int | None
    held_on: datetime.date
    place: str
    venue_id: int | None
    guests: int
    checked_in: int = Field(..., description="签到党员人数")
    person_times: int = Field(..., description="参加人次：签到党员 + 其他参加人数")
    summary: str
    cities: str
    firm_ids: list[int]
    signed: int

    @staticmethod
    def resolve_organiser_ids(obj):
        return [o.pk for o in obj.organisers.all()]

    @staticmethod
    def resolve_firm_ids(obj):
        return [f.pk for f in obj.firms.all()]


class AttendanceOut(Schema):
    id: int
    activity_id: int
    member_id: int
    member_name: str
    signed_up_at: datetime.datetime | None
    checked_in_at: datetime.datetime | None

    @staticmethod
    def resolve_member_name(obj):
        return obj.member.name


class ManagerOut(Schema):
    id: int
    zone_id: int
    enterprise_id: int
    name: str
    level: str
    title: str


class CommitteePostOut(Schema):
    id: int
    zone_id: int
    party_org_id: int
    post: str
    person_name: str
    manager_id: int | None
    term_start: datetime.date
    term_end: datetime.date


_endpoints("talent-needs", TalentNeed, tables.NEEDS, TalentNeedOut, "急需紧缺人才需求目录")
_endpoints("training-programs", TrainingProgram, tables.PROGRAMS, TrainingProgramOut, "车间课堂实训项目")
_endpoints("mentors", Mentor, tables.MENTORS, MentorOut, "导师")
_endpoints("trainees", Trainee, tables.TRAINEES, TraineeOut, "学员")
_endpoints("placements", Placement, tables.PLACEMENTS, PlacementOut, "定向输送")
_endpoints("venues", Venue, tables.VENUES, VenueOut, "阵地")
get_activity = _endpoints("activities", Activity, tables.ACTIVITIES, ActivityOut, "组织生活与活动")
_endpoints("managers", Manager, tables.MANAGERS, ManagerOut, "中高层管理人员")
_endpoints("committee-posts", CommitteePost, tables.POSTS, CommitteePostOut, "党组织委员")


@router.get("/activities/{pk}/attendances", response=list[AttendanceOut], summary="活动参加记录")
@paginate(CappedPage)
def list_attendances(request, pk: int):
    activity = get_object_or_404(Activity.objects.visible_to(request.user), pk=pk)
    return Attendance.objects.visible_to(request.user).filter(activity=activity).select_related("member").order_by("id")


class ActivityIn(Schema):
    title: str = Field(..., min_length=1, max_length=120)
    kind: str = Field(..., description="活动类型（字典 activity_kind）", max_length=20)
    lead_org: int = Field(..., description="牵头党组织")
    organisers: list[int] = Field([], description="联合开展的其他党组织")
    chain: int | None = None
    held_on: datetime.date
    place: str = Field("", max_length=120)
    venue: int | None = Field(None, description="预约的阵地（当天已被预约则 409）")
    guests: int = Field(0, ge=0, le=100000)
    summary: str = Field("", max_length=5000)
    cities: str = Field("", max_length=100)
    firms: list[int] = []
    signed: int = Field(0, ge=0, le=100000)


@router.post("/activities", response={201: ActivityOut, **WRITE_ERRORS}, summary="新增活动（可多个党组织联合开展）")
def create_activity(request, data: ActivityIn):
    from liantong.core import dicts

    if data.kind not in {v for v, _ in dicts.choices("activity_kind")}:
        raise ServiceError("活动类型无效", field="kind")
    lead = _pick(request, PartyOrg, data.lead_org, "牵头党组织", "lead_org", write=True)
    obj = services.save_activity(
        actor=request.user, zone=lead.zone, title=data.title, kind=data.kind, lead_org=lead, held_on=data.held_on,
        organisers=_pick_many(request, PartyOrg, data.organisers, "组织单位", "organisers"),
        firms=_pick_many(request, Enterprise, data.firms, "参加企业", "firms"),
        chain=_pick(request, Chain, data.chain, "产业链", "chain"),
        venue=_pick(request, Venue, data.venue, "阵地", "venue"), place=data.place, guests=data.guests,
        summary=data.summary, cities=data.cities, signed=data.signed)
    return Status(201, get_activity(request, obj.pk))


class AttendIn(Schema):
    member: int
    action: str = Field("check_in", description="check_in 签到 / sign_up 报名")


@router.post("/activities/{pk}/attendances", response={200: AttendanceOut, **WRITE_ERRORS},
             summary="为党员报名或签到（签到一次计一人次，重复签到不重复计）")
def attend(request, pk: int, data: AttendIn):
    activity = get_object_or_404(Activity.objects.visible_to(request.user), pk=pk)
    member = _pick(request, Member, data.member, "党员", "member")
    if data.action not in ("check_in", "sign_up"):
        raise ServiceError("操作应为 check_in（签到）或 sign_up（报名）", field="action")
    if not services.organiser_members(activity).filter(pk=member.pk).exists():
        raise ServiceError("该党员不属于活动的组织单位", field="member")
    fn = services.check_in if data.action == "check_in" else services.sign_up
    row = fn(actor=request.user, activity=activity, member=member)
    return Status(200, row)


class TalentNeedIn(Schema):
    chain: int
    enterprise: int | None = None
    post: str = Field(..., min_length=1, max_length=60)
    major: str = Field(..., min_length=1, max_length=60)
    degree: str = Field("bachelor", max_length=12)
    headcount: int = Field(1, ge=1, le=100000)
    salary_min: int | None = Field(None, ge=0)
    salary_max: int | None = Field(None, ge=0)
    urgency: str = Field("short", max_length=8)
    valid_until: datetime.date | None = None


@router.post("/talent-needs", response={201: TalentNeedOut, **WRITE_ERRORS}, summary="新增急需紧缺人才需求")
def create_need(request, data: TalentNeedIn):
    chain = _pick(request, Chain, data.chain, "产业链", "chain")
    fields = data.dict(exclude={"chain", "enterprise", "post", "major"})
    obj = services.save_talent_need(actor=request.user, zone=chain.zone, chain=chain, post=data.post,
                                    major=data.major, enterprise=_pick(request, Enterprise, data.enterprise,
                                                                       "需求企业", "enterprise", write=True),
                                    **fields)
    return Status(201, obj)


class PlacementIn(Schema):
    trainee: int
    enterprise: int
    post: str = Field(..., min_length=1, max_length=60)
    placed_on: datetime.date


@router.post("/placements", response={201: PlacementOut, **WRITE_ERRORS}, summary="定向输送（学员 → 企业岗位）")
def create_placement(request, data: PlacementIn):
    obj = services.place(actor=request.user, trainee=_pick(request, Trainee, data.trainee, "学员", "trainee"),
                         enterprise=_pick(request, Enterprise, data.enterprise, "输送企业", "enterprise"),
                         post=data.post, placed_on=data.placed_on)
    return Status(201, obj)


class CommitteePostIn(Schema):
    party_org: int
    post: str = Field(..., max_length=14, description="委员职务（字典 post_kind）")
    person_name: str = Field(..., min_length=1, max_length=50)
    manager: int | None = Field(None, description="兼任的企业中高层管理人员")
    term_start: datetime.date
    term_end: datetime.date


@router.post("/committee-posts", response={201: CommitteePostOut, **WRITE_ERRORS}, summary="新增党组织委员")
def create_post(request, data: CommitteePostIn):
    obj = services.save_committee_post(
        actor=request.user, party_org=_pick(request, PartyOrg, data.party_org, "党组织", "party_org"),
        post=data.post, person_name=data.person_name, term_start=data.term_start, term_end=data.term_end,
        manager=_pick(request, Manager, data.manager, "管理人员", "manager"))
    return Status(201, obj)


class ManagerIn(Schema):
    enterprise: int
    name: str = Field(..., min_length=1, max_length=50)
    level: str = Field(..., max_length=8, description="senior 高层 / middle 中层")
    title: str = Field(..., min_length=1, max_length=60)


@router.post("/managers", response={201: ManagerOut, **WRITE_ERRORS}, summary="新增企业中高层管理人员")
def create_manager(request, data: ManagerIn):
    obj = services.save_manager(actor=request.user, enterprise=_pick(request, Enterprise, data.enterprise, "企业",
                                                                     "enterprise"),
                                name=data.name, level=data.level, title=data.title)
    return Status(201, obj)
