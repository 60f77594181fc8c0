"""API of the supply–demand strand: listings CRUD, their matches, contact requests, deals (and their
contract status), matchmaking meetings, annual revenues and the supporting firms' growth per chain.

Every read goes through ``visible_to`` (out of scope → 404); every write through the services, whose
refusals come back as 400 with a Chinese ``detail`` (409 when the record already exists; 403 when the
user's role may not make the call; bad shapes are 422 from the schema layer)."""


import datetime
from decimal import Decimal

from django.db.models import Sum
from django.shortcuts import get_object_or_404
from ninja import Query, Router, Schema, Status
from ninja.errors import HttpError
from ninja.pagination import paginate

from liantong.core.lists import CappedPage, Error
from liantong.core.services import ServiceError
from liantong.core.workflow_api import transition_endpoints
from liantong.orgs.models import Chain, ChainNode, Enterprise

from . import index, services, tables
from .models import (
    ContactRequest,
    ContractStatus,
    Deal,
    EnterpriseRevenue,
    Listing,
    MatchmakingMeeting,
)
from .workflow import CONTACT

router = Router(tags=["供需对接"])


class ListingOut(Schema):
    id: int
    zone_id: int
    enterprise_id: int
    enterprise_name: str
    chain_id: int
    node_id: int | None
    kind: str
    title: str
    description: str
    keywords: list[str]
    category: str
    quantity: str
    region: str
    valid_until: datetime.date | None
    status: str
    created_at: datetime.datetime
    updated_at: datetime.datetime

    @staticmethod
    def resolve_enterprise_name(obj):
        return obj.enterprise.name


class ListingIn(Schema):
    kind: str
    title: str
    chain: int
    enterprise: int | None = None
    node: int | None = None
    description: str = ""
    keywords: list[str] | str = []
    category: str = ""
    quantity: str = ""
    region: str = ""
    valid_until: datetime.date | None = None


class MatchOut(Schema):
    listing: int
    score: float
    why: dict


class ContactIn(Schema):
    listing: int
    from_listing: int | None = None
    message: str = ""


class ContactOut(Schema):
    id: int
    zone_id: int
    listing_id: int
    from_listing_id: int | None
    requester_id: int
    responder_id: int
    message: str
    reply: str
    status: str
    created_at: datetime.datetime
    answered_at: datetime.datetime | None


class DealIn(Schema):
    contact: int
    title: str
    amount: Decimal
    signed_on: datetime.date
    contract_status: str = ContractStatus.SIGNED
    meeting: int | None = None


class DealOut(Schema):
    id: int
    zone_id: int
    contact_id: int | None
    chain_id: int | None
    supplier_id: int
    buyer_id: int
    title: str
    amount: Decimal
    signed_on: datetime.date
    contract_status: str
    meeting_id: int | None
    note: str


class DealPatch(Schema):
    """Only the fields sent change."""

    contract_status: str | None = None
    amount: Decimal | None = None
    signed_on: datetime.date | None = None
    note: str | None = None


class MatchmakingMeetingOut(Schema):
    id: int
    zone_id: int
    chain_id: int | None
    title: str
    held_on: datetime.date
    venue: str
    organiser: str
    description: str
    attendance: int


class MeetingDetailOut(MatchmakingMeetingOut):
    deals: list[DealOut]
    deal_total: Decimal


class MatchmakingMeetingIn(Schema):
    title: str
    held_on: datetime.date
    zone: int | None = None
    chain: int | None = None
    venue: str = ""
    organiser: str = ""
    description: str = ""
    attendance: int = 0


class RevenueOut(Schema):
    id: int
    zone_id: int
    enterprise_id: int
    enterprise_name: str
    year: int
    revenue: Decimal

    @staticmethod
    def resolve_enterprise_name(obj):
        return obj.enterprise.name


class RevenueIn(Schema):
    enterprise: int
    year: int
    revenue: Decimal


class RevenueUpdate(Schema):
    year: int | None = None
    revenue: Decimal


class GrowthFirmOut(Schema):
    enterprise_id: int
    enterprise_name: str
    previous: Decimal
    current: Decimal
    growth: float | None


class GrowthOut(Schema):
    chain_id: int
    year: int | None
    previous: int | None
    years: list[int]
    firms: list[GrowthFirmOut]
    total_previous: Decimal
    total: Decimal
    growth: float | None


def _require(request, code: str):
    if not request.user.has_perm_code(code):
        raise ServiceError("您没有发布或对接供需信息的权限")


def _resolve(request, data: ListingIn, listing: Listing | None = None) -> dict:
    user = request.user
    if data.enterprise is not None:
        enterprise = Enterprise.objects.visible_to(user, for_write=True).filter(pk=data.enterprise).first()
        if enterprise is None:
            raise ServiceError("发布企业不存在或您无权代表该企业发布", field="enterprise")
    elif listing is not None:
        enterprise = listing.enterprise
    elif user.enterprise_id:
        enterprise = user.enterprise
    else:
        raise ServiceError("请指定发布企业", field="enterprise")
    chain = Chain.objects.visible_to(user).filter(pk=data.chain).first()
    if chain is None:
        raise ServiceError("产业链不存在或无权访问", field="chain")
    node = None
    if data.node is not None:
        node = ChainNode.objects.filter(pk=data.node, chain=chain).first()
        if node is None:
            raise ServiceError("所在环节不属于该产业链", field="node")
    return dict(enterprise=enterprise, chain=chain, node=node, kind=data.kind, title=data.title,
                description=data.description, keywords=data.keywords, category=data.category,
                quantity=data.quantity, region=data.region, valid_until=data.valid_until)


@router.get("/listings", response=list[ListingOut], summary="供需信息列表（q：按检索词搜索，同义词通用）")
@paginate(CappedPage)
def list_listings(request, filters: Query[tables.LISTINGS.query_schema("ListingQuery")]):
    return tables.LISTINGS.read(request)


@router.get("/listings/{pk}", response=ListingOut, summary="供需信息详情")
def get_listing(request, pk: int):
    return get_object_or_404(Listing.objects.visible_to(request.user).select_related("enterprise"), pk=pk)


@router.post("/listings", response={201: ListingOut, 400: Error, 403: Error}, summary="发布供需信息")
def create_listing(request, data: ListingIn):
    if not request.user.has_perm_code("matching.post"):
        return Status(403, {"detail": "您没有发布供需信息的权限"})
    return Status(201, services.save_listing(actor=request.user, **_resolve(request, data)))


@router.put("/listings/{pk}", response={200: ListingOut, 400: Error}, summary="修改供需信息")
def update_listing(request, pk: int, data: ListingIn):
    listing = get_object_or_404(Listing.objects.visible_to(request.user, for_write=True)
                                .select_related("enterprise"), pk=pk)
    return Status(200, services.save_listing(actor=request.user, listing=listing,
                                             **_resolve(request, data, listing)))


@router.delete("/listings/{pk}", response={204: None, 400: Error}, summary="删除供需信息（已有对接意向的请关闭）")
def delete_listing(request, pk: int):
    listing = get_object_or_404(Listing.objects.visible_to(request.user, for_write=True)
                                .select_related("enterprise"), pk=pk)
    services.delete_listing(listing, actor=request.user)
    return Status(204, None)


@router.post("/listings/{pk}/close", response={200: ListingOut, 400: Error}, summary="关闭供需信息")
def close_listing(request, pk: int):
    listing = get_object_or_404(Listing.objects.visible_to(request.user, for_write=True)
                                .select_related("enterprise"), pk=pk)
    return Status(200, services.close_listing(listing, actor=request.user))


@router.post("/listings/{pk}/renew", response={200: ListingOut, 400: Error}, summary="续期供需信息")
def renew_listing(request, pk: int, days: int = services.DEFAULT_VALID_DAYS):
    listing = get_object_or_404(Listing.objects.visible_to(request.user, for_write=True)
                                .select_related("enterprise", "chain"), pk=pk)
    return Status(200, services.renew_listing(listing, actor=request.user, days=days))


@router.get("/listings/{pk}/matches", response=list[MatchOut],
            summary="匹配结果：按匹配度排序，why 含匹配词、同义词、环节关系、同园区、新鲜度与中文摘要")
def listing_matches(request, pk: int, limit: int = 10):
    listing = get_object_or_404(Listing.objects.visible_to(request.user), pk=pk)
    limit = max(1, min(limit, 50))
    return [{"listing": r.listing.pk, "score": r.score, "why": {**r.why, "reasons": r.reasons}}
            for r in index.match_listing(listing, limit=limit, user=request.user)]


# --- contacts ----------------------------------------------------------------------------------------

@router.get("/contacts", response=list[ContactOut], summary="对接意向列表")
@paginate(CappedPage)
def list_contacts(request, filters: Query[tables.CONTACTS.query_schema("ContactQuery")]):
    return tables.CONTACTS.read(request)


@router.get("/contacts/{pk}", response=ContactOut, summary="对接意向详情")
def get_contact(request, pk: int):
    return get_object_or_404(ContactRequest.objects.visible_to(request.user), pk=pk)


@router.post("/contacts", response={201: ContactOut, 400: Error, 403: Error}, summary="有意向：向对方发起对接")
def create_contact(request, data: ContactIn):
    if not request.user.has_perm_code("matching.post"):
        return Status(403, {"detail": "您没有发起对接的权限"})
    listing = get_object_or_404(Listing.objects.visible_to(request.user).select_related("enterprise"),
                                pk=data.listing)
    from_listing = None
    if data.from_listing is not None:
        from_listing = Listing.objects.visible_to(request.user, for_write=True).filter(pk=data.from_listing).first()
        if from_listing is None:
            return Status(400, {"detail": "我方供需信息不存在或无权使用", "field": "from_listing"})
    return Status(201, services.express_interest(actor=request.user, listing=listing, from_listing=from_listing,
                                                 message=data.message))


# GET/POST /contacts/{id}/transitions: 接受、婉拒（note 为回复）、撤回 (workflow.CONTACT)
transition_endpoints(router, CONTACT, path="contacts", out=ContactOut)


# --- deals -------------------------------------------------------------------------------------------

@router.get("/deals", response=list[DealOut], summary="对接成果（签约）列表")
@paginate(CappedPage)
def list_deals(request, filters: Query[tables.DEALS.query_schema("DealQuery")]):
    return tables.DEALS.read(request)


@router.get("/deals/{pk}", response=DealOut, summary="对接成果详情")
def get_deal(request, pk: int):
    return get_object_or_404(Deal.objects.visible_to(request.user), pk=pk)


@router.post("/deals", response={201: DealOut, 400: Error}, summary="由已接受的对接意向登记签约")
def create_deal(request, data: DealIn):
    contact = get_object_or_404(ContactRequest.objects.visible_to(request.user)
                                .select_related("listing", "requester", "responder"), pk=data.contact)
    meeting = None
    if data.meeting is not None:
        meeting = MatchmakingMeeting.objects.visible_to(request.user).filter(pk=data.meeting).first()
        if meeting is None:
            return Status(400, {"detail": "对接会不存在或无权访问", "field": "meeting"})
    return Status(201, services.make_deal(actor=request.user, contact=contact, title=data.title,
                                          amount=data.amount, signed_on=data.signed_on,
                                          contract_status=data.contract_status, meeting=meeting))


@router.patch("/deals/{pk}", response={200: DealOut, 400: Error, 403: Error},
              summary="修改对接成果：合同状态、金额（万元）、签约日期、备注（只改所传字段）")
def update_deal(request, pk: int, data: DealPatch):
    deal = get_object_or_404(Deal.objects.visible_to(request.user, for_write=True), pk=pk)
    if not services.may_edit_deals(request.user):
        return Status(403, {"detail": "您的角色不能修改对接成果（仅签约双方企业、产业链党委和园区可以修改）"})
    changes = data.model_dump(exclude_unset=True)
    if not changes:
        return Status(400, {"detail": "请至少提供一项要修改的内容：合同状态、金额、签约日期或备注"})
    return Status(200, services.update_deal(deal, actor=request.user, **changes))


# --- matchmaking meetings (对接会) -------------------------------------------------------------------

MEETING_PERM = "您没有管理对接会的权限"


def _meeting_fields(request, data: MatchmakingMeetingIn, meeting: MatchmakingMeeting | None = None) -> dict:
    from liantong.core.models import Zone

    zone_id = data.zone or (meeting.zone_id if meeting is not None else request.user.zone_id)
    if zone_id is None:
        raise ServiceError("请指定所属园区", field="zone")
    zone = Zone.objects.visible_to(request.user).filter(pk=zone_id).first()
    if zone is None:
        raise ServiceError("所属园区不存在或无权访问", field="zone")
    chain = None
    if data.chain is not None:
        chain = Chain.objects.visible_to(request.user).filter(pk=data.chain).first()
        if chain is None:
            raise ServiceError("产业链不存在或无权访问", field="chain")
    return dict(zone=zone, chain=chain, title=data.title, held_on=data.held_on, venue=data.venue,
                organiser=data.organiser, description=data.description, attendance=data.attendance)


def _meeting_detail(request, meeting: MatchmakingMeeting) -> dict:
    deals = Deal.objects.visible_to(request.user).filter(meeting=meeting).order_by("-signed_on", "-id")
    out = MatchmakingMeetingOut.model_validate(meeting).model_dump()
    out["deals"] = list(deals)
    out["deal_total"] = deals.aggregate(s=Sum("amount"))["s"] or Decimal(0)
    return out


@router.get("/matchmaking-meetings", response=list[MatchmakingMeetingOut], summary="对接会列表（q：按会议名称搜索）")
@paginate(CappedPage)
def list_meetings(request, filters: Query[tables.MEETINGS.query_schema("MatchmakingMeetingQuery")]):
    return tables.MEETINGS.read(request)


@router.get("/matchmaking-meetings/{pk}", response=MeetingDetailOut,
            summary="对接会详情（含会上签约的对接成果及合计金额，仅列出您可见的）")
def get_meeting(request, pk: int):
    return _meeting_detail(request, get_object_or_404(MatchmakingMeeting.objects.visible_to(request.user), pk=pk))


@router.post("/matchmaking-meetings", response={201: MeetingDetailOut, 400: Error, 403: Error, 409: Error},
             summary="新建对接会（园区内会议名称不可重复）")
def create_meeting(request, data: MatchmakingMeetingIn):
    if not request.user.has_perm_code("matching.manage"):
        return Status(403, {"detail": MEETING_PERM})
    meeting = services.save_meeting(actor=request.user, new=True, **_meeting_fields(request, data))
    return Status(201, _meeting_detail(request, meeting))


@router.put("/matchmaking-meetings/{pk}", response={200: MeetingDetailOut, 400: Error, 403: Error, 409: Error},
            summary="修改对接会")
def update_meeting(request, pk: int, data: MatchmakingMeetingIn):
    meeting = get_object_or_404(MatchmakingMeeting.objects.visible_to(request.user, for_write=True), pk=pk)
    if not request.user.has_perm_code("matching.manage"):
        return Status(403, {"detail": MEETING_PERM})
    meeting = services.save_meeting(actor=request.user, meeting=meeting,
                                    **_meeting_fields(request, data, meeting))
    return Status(200, _meeting_detail(request, meeting))


# --- annual revenues (企业营收) and supporting firms' growth -----------------------------------------

REVENUE_PERM = "您的角色不能管理企业营收（仅产业链党委和园区可以）"


def _require_revenue_role(request) -> None:
    if not request.user.has_perm_code("matching.manage"):
        raise HttpError(403, REVENUE_PERM)


@router.get("/revenues", response={200: list[RevenueOut], 403: Error},
            summary="企业年度营业收入（万元）列表：按企业、产业链、年度筛选")
@paginate(CappedPage)
def list_revenues(request, filters: Query[tables.REVENUES.query_schema("RevenueQuery")]):
    _require_revenue_role(request)
    return tables.REVENUES.read(request)


@router.post("/revenues", response={201: RevenueOut, 400: Error, 403: Error, 409: Error},
             summary="登记企业年度营业收入（万元；同一企业同一年度只能登记一条）")
def create_revenue(request, data: RevenueIn):
    _require_revenue_role(request)
    enterprise = Enterprise.objects.visible_to(request.user, for_write=True).filter(pk=data.enterprise).first()
    if enterprise is None:
        return Status(400, {"detail": "企业不存在或您无权登记其营收", "field": "enterprise"})
    return Status(201, services.save_revenue(actor=request.user, enterprise=enterprise, year=data.year,
                                             revenue=data.revenue, new=True))


@router.put("/revenues/{pk}", response={200: RevenueOut, 400: Error, 403: Error, 409: Error},
            summary="更正企业年度营业收入（可改年度，但不能与已登记的年度重复）")
def update_revenue(request, pk: int, data: RevenueUpdate):
    record = get_object_or_404(EnterpriseRevenue.objects.visible_to(request.user, for_write=True)
                               .select_related("enterprise"), pk=pk)
    _require_revenue_role(request)
    return Status(200, services.save_revenue(actor=request.user, enterprise=record.enterprise, record=record,
                                             year=data.year if data.year is not None else record.year,
                                             revenue=data.revenue))


@router.get("/chains/{pk}/revenue-growth", response=GrowthOut,
            summary="产业链配套企业营收增长：上一年到 year（默认最近一年）的逐企业与合计增长率（%），与页面同一算法")
def chain_revenue_growth(request, pk: int, year: int | None = None):
    chain = get_object_or_404(Chain.objects.visible_to(request.user), pk=pk)
    growth = services.chain_growth_for(request.user, chain, year)
    firms = [{"enterprise_id": f["enterprise"].pk, "enterprise_name": f["enterprise"].name,
              "previous": f["previous"], "current": f["current"], "growth": f["growth"]} for f in growth["firms"]]
    return {**growth, "chain_id": chain.pk, "firms": firms}
