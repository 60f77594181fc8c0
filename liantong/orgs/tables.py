"""List-page columns and filters of the organisation strand."""

import datetime

from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from liantong.core.lists import Listing
from liantong.core.models import Zone
from liantong.core.tables import Column, Filter, sorts

from .models import (
    Chain,
    ChainMembership,
    Cultivation,
    Enterprise,
    Member,
    MemberTransfer,
    PartyOrg,
    TransferState,
)


def zone_choices(user):
    return list(Zone.objects.visible_to(user).values_list("pk", "name"))


def chain_choices(user):
    return [(pk, f"{name}（{zone}）") for pk, name, zone in
            Chain.objects.visible_to(user).values_list("pk", "name", "zone__short_name")[:300]]


def org_choices(user):
    return list(PartyOrg.objects.visible_to(user).filter(depth__lte=1).values_list("pk", "name")[:300])


ZONE = Filter("zone", "园区", "zone_id", zone_choices)
CHAIN = Filter("chain", "产业链", "chain_id", chain_choices)

CHAIN_COLUMNS = [
    Column("产业链", "name", link="orgs:chain_detail", order="name"),
    Column("园区", "zone.name"),
    Column("链长", "chief_name"),
    Column("链长部门", "chief_department.name"),
    Column("链上企业", "n_firms", order="n_firms"),
    Column("党组织", "n_orgs"),
]

ENTERPRISE_COLUMNS = [
    Column("企业名称", "name", link="orgs:enterprise_detail", order="name"),
    Column("统一社会信用代码", "credit_code"),
    Column("园区", "zone.name"),
    Column("规模", "scale", dict_code="scale"),
    Column("高企", "is_hightech"),
    Column("联系人", "contact_name"),
]
ENTERPRISE_FILTERS = [
    ZONE,
    Filter("chain", "产业链", "memberships__chain_id", chain_choices),
    Filter("role", "链上角色", "memberships__role", "chain_role"),
    Filter("scale", "规模", "scale", "scale"),
    Filter("hightech", "高企", "is_hightech", lambda u: [("true", "是"), ("false", "否")]),
]

PARTYORG_COLUMNS = [
    Column("组织名称", "name", link="orgs:partyorg_detail", order="name"),
    Column("类别", "kind", dict_code="org_kind"),
    Column("上级组织", "parent.name"),
    Column("所属单位", "owner"),
    Column("书记", "secretary_name"),
    Column("换届日期", "term_end", order="term_end"),
]
PARTYORG_FILTERS = [
    ZONE,
    CHAIN,
    Filter("kind", "类别", "kind", "org_kind"),
    Filter("under", "上级组织", "parent_id", org_choices),
]

MEMBER_COLUMNS = [
    Column("姓名", "name", link="orgs:member_detail", order="name"),
    Column("性别", "gender", dict_code="gender"),
    Column("公民身份号码", "id_masked"),
    Column("手机号码", "phone_masked"),
    Column("所在党组织", "party_org.name"),
    Column("类别", "status", dict_code="member_status"),
    Column("入党日期", "joined_on", order="joined_on"),
    Column("技术骨干", "is_tech_backbone"),
    Column("管理骨干", "is_mgmt_backbone"),
]
MEMBER_FILTERS = [
    ZONE,
    Filter("chain", "产业链", "party_org__chain_id", chain_choices),
    Filter("party_org", "党组织", "party_org_id", org_choices),
    Filter("enterprise", "企业", "party_org__enterprise_id", None),
    Filter("status", "类别", "status", "member_status"),
    Filter("tech", "技术骨干", "is_tech_backbone", lambda u: [("true", "是"), ("false", "否")]),
]


def _since_choices(user):
    today = timezone.localdate()
    return [((today - datetime.timedelta(days=n)).isoformat(), label)
            for n, label in ((7, "近 7 天"), (30, "近 30 天"), (90, "近 3 个月"), (365, "近一年"))]


# 组织关系转接: ``direction`` is annotated per user by ``transfers.with_sides`` (a transfer between two of the
# user's own orgs is both in and out, hence the pairs)
TRANSFER_FILTERS = [
    Filter("state", "状态", "state", lambda user: list(TransferState.choices)),
    Filter("direction", "方向", "direction__in", lambda user: [("in,both", "转入本单位"), ("out,both", "从本单位转出")]),
    Filter("since", "申请时间", "requested_at__date__gte", _since_choices),
]


# --- the lists' read declarations: the page, the API endpoint and the export read through these ------------


def _chains(user):
    # correlated counts, not Count() over two joins: those multiply firms by orgs per chain
    # (seconds at province scale) and make the paginator's COUNT aggregate too
    def count_of(model):
        return Coalesce(Subquery(model.objects.filter(chain=OuterRef("pk")).order_by().values("chain")
                                 .annotate(n=Count("pk")).values("n")), 0)

    return Chain.objects.visible_to(user).annotate(n_firms=count_of(ChainMembership), n_orgs=count_of(PartyOrg))


def _org_subtree(rows, org_id, user):
    """``?party_org=``: the organisation and everything under it (its materialised path), if visible."""
    org = PartyOrg.objects.visible_to(user).filter(pk=org_id).first()
    return rows.filter(path__startswith=org.path) if org else rows.none()


CHAINS = Listing(Chain, filters=[ZONE], search_fields=["name", "chief_name"], ordering="id",
                 sorts=sorts(CHAIN_COLUMNS), select_related=["zone", "chief_department"], base=_chains)
ENTERPRISES = Listing(Enterprise, filters=ENTERPRISE_FILTERS, search_fields=["name", "credit_code", "contact_name"],
                      sorts=sorts(ENTERPRISE_COLUMNS), select_related=["zone"])
PARTY_ORGS = Listing(PartyOrg, filters=[*PARTYORG_FILTERS, Filter("enterprise", "企业", "enterprise_id", None),
                                        Filter("party_org", "党组织（含下级）", "parent_id", None, apply=_org_subtree)],
                     search_fields=["name", "secretary_name"], ordering="path", sorts=sorts(PARTYORG_COLUMNS),
                     select_related=["parent", "enterprise", "department", "institution", "chain", "zone"])
MEMBERS = Listing(Member, filters=MEMBER_FILTERS, search_fields=["name", "post"], sorts=sorts(MEMBER_COLUMNS),
                  select_related=["party_org"])


def _transfers(user):
    # each row annotated with the user's side of it (``direction``: in / out / both), which the filter reads
    from .transfers import with_sides

    return with_sides(MemberTransfer.objects.visible_to(user), user)


# search never reaches the sending org or the member's name: a requester could probe them
TRANSFERS = Listing(MemberTransfer, filters=TRANSFER_FILTERS, search_fields=["requested_name", "to_org__name"],
                    sorts=["requested_name", "state", "requested_at"], select_related=["member", "from_org", "to_org"],
                    base=_transfers)

CULTIVATION_COLUMNS = [
    Column("姓名", "person_name", link="orgs:cultivation_detail", order="person_name"),
    Column("培养方向", "track", dict_code="cultivation_track"),
    Column("当前阶段", "stage", dict_code="cultivation_stage"),
    Column("党组织", "party_org.name"), Column("岗位", "post"), Column("培养联系人", "mentor_name"),
    Column("进入本阶段", "stage_since", order="stage_since"),
]
CULTIVATIONS = Listing(Cultivation, filters=[ZONE, Filter("track", "方向", "track", "cultivation_track"),
                                             Filter("stage", "阶段", "stage", "cultivation_stage"),
                                             Filter("party_org", "党组织（含下级）", "party_org_id", None,
                                                    apply=lambda rows, v, u: rows.filter(
                                                        party_org__in=_org_subtree(PartyOrg.objects.all(), v, u)))],
                       search_fields=["person_name", "post"], sorts=sorts(CULTIVATION_COLUMNS),
                       select_related=["party_org"])
