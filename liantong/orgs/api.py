"""API of the organisation strand: chains, enterprises, party orgs, members — all through the scoping layer."""


import datetime

from django.shortcuts import get_object_or_404
from ninja import FilterSchema, Query, Router, Schema
from ninja.pagination import PageNumberPagination, paginate

from . import services
from .models import Chain, Enterprise, Member, PartyOrg

router = Router(tags=["组织"])


class Page(PageNumberPagination):
    class Input(Schema):
        page: int = 1
        page_size: int = 20

    def paginate_queryset(self, queryset, pagination: Input, **params):
        size = max(1, min(pagination.page_size, 200))
        page = max(1, pagination.page)
        offset = (page - 1) * size
        return {"items": list(queryset[offset:offset + size]), "count": self._items_count(queryset)}


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


class OrgFilter(FilterSchema):
    zone: int | None = None
    chain: int | None = None
    enterprise: int | None = None
    party_org: int | None = None
    q: str | None = None


def _filter(qs, f: OrgFilter, lookups: dict[str, str]):
    for key, lookup in lookups.items():
        v = getattr(f, key)
        if v not in (None, ""):
            qs = qs.filter(**{lookup: v})
    return qs


@router.get("/chains", response=list[ChainOut], summary="产业链列表")
@paginate(Page)
def list_chains(request, filters: Query[OrgFilter]):
    qs = Chain.objects.visible_to(request.user).order_by("id")
    return _filter(qs, filters, {"zone": "zone_id", "chain": "pk", "q": "name__icontains"})


@router.get("/chains/{pk}", response=ChainOut, summary="产业链详情")
def get_chain(request, pk: int):
    return get_object_or_404(Chain.objects.visible_to(request.user), pk=pk)


@router.get("/enterprises", response=list[EnterpriseOut], summary="企业列表")
@paginate(Page)
def list_enterprises(request, filters: Query[OrgFilter]):
    qs = Enterprise.objects.visible_to(request.user).order_by("-id")
    return _filter(qs, filters, {"zone": "zone_id", "chain": "memberships__chain_id", "enterprise": "pk",
                                 "q": "name__icontains"})


@router.get("/enterprises/{pk}", response=EnterpriseOut, summary="企业详情")
def get_enterprise(request, pk: int):
    return get_object_or_404(Enterprise.objects.visible_to(request.user), pk=pk)


@router.get("/party-orgs", response=list[PartyOrgOut], summary="党组织列表")
@paginate(Page)
def list_party_orgs(request, filters: Query[OrgFilter]):
    qs = PartyOrg.objects.visible_to(request.user).order_by("path")
    qs = _filter(qs, filters, {"zone": "zone_id", "chain": "chain_id", "enterprise": "enterprise_id",
                               "q": "name__icontains"})
    if filters.party_org:
        parent = PartyOrg.objects.visible_to(request.user).filter(pk=filters.party_org).first()
        qs = qs.filter(path__startswith=parent.path) if parent else qs.none()
    return qs


@router.get("/party-orgs/{pk}", response=PartyOrgOut, summary="党组织详情")
def get_party_org(request, pk: int):
    return get_object_or_404(PartyOrg.objects.visible_to(request.user), pk=pk)


def _member_out(user, m: Member, *, audit_view: bool) -> dict:
    personal = services.personal_data(user, m) if audit_view else services.personal_data_quiet(user, m)
    return {**{f: getattr(m, f) for f in ("id", "zone_id", "party_org_id", "name", "gender", "status", "joined_on",
                                           "post", "is_tech_backbone", "is_mgmt_backbone")},
            "id_number": personal["id_number"], "phone": personal["phone"], "birth_date": personal["birth_date"]}


@router.get("/members", response=list[MemberOut], summary="党员列表（个人信息按权限脱敏）")
@paginate(Page)
def list_members(request, filters: Query[OrgFilter]):
    qs = Member.objects.visible_to(request.user).select_related("party_org").order_by("-id")
    qs = _filter(qs, filters, {"zone": "zone_id", "chain": "party_org__chain_id",
                               "enterprise": "party_org__enterprise_id", "party_org": "party_org_id",
                               "q": "name__icontains"})
    return _MemberRows(qs, request.user)


class _MemberRows:
    """Wraps a member queryset so pagination slices it in SQL and masks only the page's rows."""

    def __init__(self, qs, user):
        self.qs, self.user = qs, user

    def count(self):
        return self.qs.count()

    def __len__(self):
        return self.count()

    def __getitem__(self, item):
        return [_member_out(self.user, m, audit_view=False) for m in self.qs[item]]


@router.get("/members/{pk}", response=MemberOut, summary="党员详情（完整查看会记入审计）")
def get_member(request, pk: int):
    m = get_object_or_404(Member.objects.visible_to(request.user).select_related("party_org"), pk=pk)
    return _member_out(request.user, m, audit_view=True)
