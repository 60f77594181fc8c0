"""API of the organisation strand: chains, enterprises, party orgs, members — all through the scoping layer."""


import datetime

from django.shortcuts import get_object_or_404
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from liantong.core.lists import CappedPage, Error
from liantong.core.services import Forbidden, ServiceError
from liantong.core.workflow_api import transition_endpoints

from . import services, tables, transfers
from .cultivation import CULTIVATION
from .models import Chain, Cultivation, Enterprise, Member, MemberStatus, MemberTransfer, PartyOrg
from .transfers import TRANSFER

router = Router(tags=["组织"])


class ChainOut(Schema):
    id: int
    zone_id: int
    name: str
    chief_name: str
    chief_department_id: int | None
    description: str


class EnterpriseOut(Schema):
    id: int
    zone_id: int
    name: str
    credit_code: str
    scale: str
    is_hightech: bool
    address: str
    contact_name: str
    is_demo: bool


class PartyOrgOut(Schema):
    id: int
    zone_id: int
    name: str
    kind: str
    parent_id: int | None
    chain_id: int | None
    enterprise_id: int | None
    department_id: int | None
    institution_id: int | None
    established_on: datetime.date | None
    term_end: datetime.date | None
    secretary_name: str


class MemberOut(Schema):
    id: int
    zone_id: int
    party_org_id: int
    name: str
    gender: str
    status: str
    id_number: str
    phone: str
    birth_date: str
    joined_on: datetime.date | None
    post: str
    is_tech_backbone: bool
    is_mgmt_backbone: bool


@router.get("/chains", response=list[ChainOut], summary="产业链列表")
@paginate(CappedPage)
def list_chains(request, filters: Query[tables.CHAINS.query_schema("ChainQuery")]):
    return tables.CHAINS.read(request)


@router.get("/chains/{pk}", response=ChainOut, summary="产业链详情")
def get_chain(request, pk: int):
    return get_object_or_404(Chain.objects.visible_to(request.user), pk=pk)


@router.get("/enterprises", response=list[EnterpriseOut], summary="企业列表")
@paginate(CappedPage)
def list_enterprises(request, filters: Query[tables.ENTERPRISES.query_schema("EnterpriseQuery")]):
    return tables.ENTERPRISES.read(request)


def _enterprise_detail_schema():
    """``EnterpriseOut`` plus the fields other strands add (``orgs.extensions``: the people strand's
    ``manager_committee_rate``), declared so the OpenAPI documents them."""
    from pydantic import create_model

    from .extensions import ENTERPRISE_FIELDS

    return create_model("EnterpriseDetailOut", __base__=EnterpriseOut, **{
        f.name: (f.annotation, Field(None, description=f.description)) for f in ENTERPRISE_FIELDS})


@router.get("/enterprises/{pk}", response=_enterprise_detail_schema(), summary="企业详情")
def get_enterprise(request, pk: int):
    from .extensions import enterprise_extra

    ent = get_object_or_404(Enterprise.objects.visible_to(request.user), pk=pk)
    return {**{f: getattr(ent, f) for f in EnterpriseOut.model_fields}, **enterprise_extra(ent)}


@router.get("/party-orgs", response=list[PartyOrgOut], summary="党组织列表（party_org：该组织及其下级）")
@paginate(CappedPage)
def list_party_orgs(request, filters: Query[tables.PARTY_ORGS.query_schema("PartyOrgQuery")]):
    return tables.PARTY_ORGS.read(request)


@router.get("/party-orgs/{pk}", response=PartyOrgOut, summary="党组织详情")
def get_party_org(request, pk: int):
    return get_object_or_404(PartyOrg.objects.visible_to(request.user), pk=pk)


def _member_out(m: Member, personal: dict) -> dict:
    return {**{f: getattr(m, f) for f in ("id", "zone_id", "party_org_id", "name", "gender", "status", "joined_on",
                                           "post", "is_tech_backbone", "is_mgmt_backbone")},
            "id_number": personal["id_number"], "phone": personal["phone"], "birth_date": personal["birth_date"]}


@router.get("/members", response=list[MemberOut], summary="党员列表（身份证号码、手机号码一律脱敏）")
@paginate(CappedPage)
def list_members(request, filters: Query[tables.MEMBERS.query_schema("MemberQuery")]):
    return _MemberRows(tables.MEMBERS.read(request))


class _MemberRows:
    """Wraps a member queryset so pagination slices it in SQL and masks only the page's rows."""

    def __init__(self, qs):
        self.qs = qs

    def count(self):
        return self.qs.count()

    def capped_count(self, cap):
        n = self.qs.order_by()[: cap + 1].count()
        return min(n, cap), n > cap

    def __len__(self):
        return self.count()

    def __getitem__(self, item):
        return [_member_out(m, services.masked_personal(m)) for m in self.qs[item]]


@router.get("/members/{pk}", response=MemberOut, summary="党员详情（有权者见完整个人信息，每次完整查看记入审计）")
def get_member(request, pk: int):
    m = get_object_or_404(Member.objects.visible_to(request.user).select_related("party_org"), pk=pk)
    return _member_out(m, services.personal_data(request.user, m))


class MemberIn(Schema):
    name: str = Field(..., min_length=1, max_length=50)
    party_org_id: int
    status: str
    id_number: str = Field("", max_length=30, description="修改时留空表示不变")
    phone: str = Field("", max_length=20, description="修改时留空表示不变")
    joined_on: datetime.date | None = None
    post: str = Field("", max_length=60)
    is_tech_backbone: bool = False
    is_mgmt_backbone: bool = False


def _save_member(request, data: MemberIn, member: Member | None):
    if not request.user.has_perm_code("orgs.manage_party"):
        raise Forbidden("您没有管理党员的权限")
    org = PartyOrg.objects.visible_to(request.user, for_write=True).filter(pk=data.party_org_id).first()
    if org is None:
        raise ServiceError("所在党组织不存在或您无权管理", field="party_org_id")
    if data.status not in MemberStatus.values:
        raise ServiceError("人员类别取值无效", field="status")
    fields = data.dict(exclude={"party_org_id", "id_number", "phone"})
    number = data.id_number or (member.id_number if member else "")
    phone = data.phone or (member.phone if member else "")
    saved, _ = services.save_member(actor=request.user, party_org=org, member=member, id_number=number,
                                    phone=phone, **fields)
    return _member_out(saved, services.masked_personal(saved))


@router.post("/members", response={201: MemberOut, 400: Error, 403: Error, 409: Error},
             summary="新增党员（身份证号码已在他处登记的，请发起组织关系转接）")
def create_member(request, data: MemberIn):
    return Status(201, _save_member(request, data, None))


@router.put("/members/{pk}", response={200: MemberOut, 400: Error, 403: Error, 409: Error}, summary="修改党员")
def update_member(request, pk: int, data: MemberIn):
    member = get_object_or_404(Member.objects.visible_to(request.user, for_write=True)
                               .select_related("party_org"), pk=pk)
    return Status(200, _save_member(request, data, member))


class MemberMoveOut(Schema):
    id: int
    at: datetime.datetime
    kind: str
    from_org: str | None
    to_org: str
    transfer_id: int | None


@router.get("/members/{pk}/moves", response=list[MemberMoveOut], summary="党员组织变动记录")
def member_moves(request, pk: int):
    m = get_object_or_404(Member.objects.visible_to(request.user), pk=pk)
    return [{"id": mv.pk, "at": mv.at, "kind": mv.kind, "from_org": mv.from_org.name if mv.from_org_id else None,
             "to_org": mv.to_org.name, "transfer_id": mv.transfer_id}
            for mv in m.moves.select_related("from_org", "to_org")]


# --- 组织关系转接 -------------------------------------------------------------------------------------


class TransferOut(Schema):
    id: int
    state: str
    state_label: str
    requested_name: str
    id_number: str  # masked
    to_org_id: int
    to_org: str
    from_org_id: int | None  # the sending side, shown to the receiving side once accepted
    from_org: str | None
    note: str
    reply: str
    requested_at: datetime.datetime
    decided_at: datetime.datetime | None
    actions: list[str]


class TransferIn(Schema):
    id_number: str = Field(..., max_length=30)
    name: str = Field(..., min_length=1, max_length=50)
    to_org_id: int
    note: str = Field("", max_length=1000)


def _transfer_out(t: MemberTransfer, user) -> dict:
    """What ``user`` sees of ``t``: the sending org only from the sending side or once accepted; the moves
    ``user`` may make now (``with_sides`` annotations spare a list the per-row queries)."""
    shown = transfers.shown_from_org(t, user)
    return {"id": t.pk, "state": t.state, "state_label": t.get_state_display(), "requested_name": t.requested_name,
            "id_number": t.member.id_masked, "to_org_id": t.to_org_id, "to_org": t.to_org.name,
            "from_org_id": shown.pk if shown else None, "from_org": shown.name if shown else None,
            "note": t.note, "reply": t.reply, "requested_at": t.requested_at, "decided_at": t.decided_at,
            "actions": [m.action for m in TRANSFER.allowed_actions(t, user)]}


class _TransferRows(_MemberRows):
    def __init__(self, qs, user):
        self.qs, self.user = qs, user

    def __getitem__(self, item):
        return [_transfer_out(t, self.user) for t in self.qs[item]]


@router.get("/member-transfers", response=list[TransferOut], summary="组织关系转接（转入与转出）")
@paginate(CappedPage)
def list_transfers(request, filters: Query[tables.TRANSFERS.query_schema("TransferQuery")]):
    return _TransferRows(tables.TRANSFERS.read(request), request.user)


@router.get("/member-transfers/{pk}", response=TransferOut, summary="组织关系转接详情")
def get_transfer(request, pk: int):
    return _transfer_out(transfers.get_transfer_for_user(request.user, pk), request.user)


@router.post("/member-transfers", response={201: TransferOut, 400: Error, 403: Error, 409: Error},
             summary="发起组织关系转接（由转入方党组织申请）")
def request_transfer(request, data: TransferIn):
    org = PartyOrg.objects.visible_to(request.user, for_write=True).filter(pk=data.to_org_id).first()
    if org is None:
        raise ServiceError("转入党组织不存在或您无权管理", field="to_org_id")
    t = transfers.request_transfer(actor=request.user, id_number=data.id_number, name=data.name, to_org=org,
                                   note=data.note)
    return Status(201, _transfer_out(t, request.user))


# GET/POST /member-transfers/{id}/transitions: the moves of transfers.TRANSFER (同意转出、拒绝、撤销申请)
transition_endpoints(router, TRANSFER, path="member-transfers", out=TransferOut, render=_transfer_out)


# --- 双培养 ------------------------------------------------------------------------------------------


class CultivationOut(Schema):
    id: int
    zone_id: int
    party_org_id: int
    person_name: str
    member_id: int | None
    track: str
    stage: str
    post: str
    mentor_name: str
    started_on: datetime.date | None
    stage_since: datetime.date | None
    due_on: datetime.date | None = Field(None, description="下一步可办理的日期（有等待期时）")

    @staticmethod
    def resolve_due_on(obj):
        from .cultivation import due_on

        return due_on(obj)


@router.get("/cultivations", response=list[CultivationOut], summary="双培养列表")
@paginate(CappedPage)
def list_cultivations(request, filters: Query[tables.CULTIVATIONS.query_schema("CultivationQuery")]):
    return tables.CULTIVATIONS.read(request)


@router.get("/cultivations/{pk}", response=CultivationOut, summary="双培养详情")
def get_cultivation(request, pk: int):
    return get_object_or_404(Cultivation.objects.visible_to(request.user), pk=pk)


# GET/POST /cultivations/{id}/transitions: the steps of cultivation.CULTIVATION (its waiting times hold)
transition_endpoints(router, CULTIVATION, path="cultivations", out=CultivationOut)
