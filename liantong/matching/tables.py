"""List-page columns and filters of the supply–demand strand."""

from django.db.models import Q
from django.urls import reverse
from django.utils.html import format_html

from liantong.core import textsearch
from liantong.core.lists import Listing
from liantong.core.tables import Column, Filter, sorts
from liantong.orgs.models import ChainMembership, Enterprise
from liantong.orgs.tables import CHAIN, ZONE

from .models import ContactRequest, Deal, EnterpriseRevenue, MatchmakingMeeting
from .models import Listing as SupplyDemand


def _title(obj):
    return format_html('<a href="{}">{}</a>', reverse("matching:listing_detail", args=[obj.pk]), obj.title)


LISTING_COLUMNS = [
    Column("标题", "title", render=_title, order="title"),
    Column("类型", "kind", dict_code="listing_kind"),
    Column("发布企业", "enterprise.name"),
    Column("产业链", "chain.name"),
    Column("环节", "node.name"),
    Column("数量/规模", "quantity"),
    Column("有效期至", "valid_until", order="valid_until"),
    Column("状态", "status", dict_code="listing_status"),
    Column("更新时间", "updated_at", order="updated_at"),
]
LISTING_FILTERS = [
    ZONE,
    CHAIN,
    Filter("kind", "类型", "kind", "listing_kind"),
    Filter("status", "状态", "status", "listing_status"),
    Filter("category", "类别", "category", "listing_category"),
    Filter("enterprise", "企业", "enterprise_id", None),
    Filter("created_from", "发布日期起", "created_at__date__gte"),
    Filter("created_to", "发布日期止", "created_at__date__lte"),
]

CONTACT_COLUMNS = [
    Column("对方供需信息", "listing.title", link="matching:contact_detail"),
    Column("发起企业", "requester.name"),
    Column("回复企业", "responder.name"),
    Column("状态", "status", dict_code="contact_status"),
    Column("发起时间", "created_at", order="created_at"),
]
CONTACT_FILTERS = [ZONE, Filter("status", "状态", "status", "contact_status")]

DEAL_COLUMNS = [
    Column("签约内容", "title", link="matching:deal_detail", order="title"),
    Column("供方企业", "supplier.name"),
    Column("需方企业", "buyer.name"),
    Column("产业链", "chain.name"),
    Column("金额（万元）", "amount", order="amount"),
    Column("签约日期", "signed_on", order="signed_on"),
    Column("合同状态", "contract_status", dict_code="contract_status"),
    Column("对接会", "meeting.title"),
]
DEAL_FILTERS = [ZONE, CHAIN, Filter("contract_status", "合同状态", "contract_status", "contract_status"),
                Filter("meeting", "对接会", "meeting_id", None),
                Filter("signed_from", "签约日期起", "signed_on__gte"), Filter("signed_to", "签约日期止", "signed_on__lte")]

MEETING_COLUMNS = [
    Column("会议名称", "title", link="matching:meeting_detail", order="title"),
    Column("产业链", "chain.name"),
    Column("举办日期", "held_on", order="held_on"),
    Column("地点", "venue"),
    Column("参会人次", "attendance"),
    Column("签约项目", "n_deals"),
]
MEETING_FILTERS = [ZONE, CHAIN]

REVENUE_COLUMNS = [
    Column("企业", "enterprise.name", link="matching:revenue_edit"),
    Column("年度", "year", order="year"),
    Column("营业收入（万元）", "revenue", order="revenue"),
]


def _revenue_chain(rows, chain_id, user):
    """``?chain=``: the revenues of the chain's firms (a subquery: a join through the memberships would
    repeat a firm on two chains' rows)."""
    return rows.filter(enterprise_id__in=ChainMembership.objects.filter(chain_id=chain_id).values("enterprise_id"))


REVENUE_FILTERS = [ZONE, Filter("chain", "产业链", "enterprise__memberships__chain_id", CHAIN.choices,
                                apply=_revenue_chain),
                   Filter("year", "年度", "year", None),
                   Filter("enterprise", "企业", "enterprise_id", None)]


# --- the lists' read declarations (page, API, export) ---------------------------------------------------


def search_listings(qs, text: str):
    """Search through the token index (core.textsearch): the title and keywords by characters, or every
    concept of the query (synonyms folded by the engine's analyser), or the posting firm's name."""
    text = (text or "").replace("\x00", "").strip()[:100]
    if not text:
        return qs
    cond = textsearch.match(SupplyDemand, text)
    if cond is None:  # punctuation or emoji only: the title or firm name containing it
        return qs.filter(Q(title__icontains=text) | Q(enterprise__name__icontains=text))
    firm = textsearch.match(Enterprise, text)
    if firm is not None:
        cond |= Q(enterprise__in=Enterprise.objects.filter(firm).values("pk"))
    return qs.filter(cond)


LISTINGS = Listing(SupplyDemand, filters=LISTING_FILTERS, search=search_listings, sorts=sorts(LISTING_COLUMNS),
                   select_related=["enterprise", "chain", "node"])
MEETINGS = Listing(MatchmakingMeeting, filters=MEETING_FILTERS, search_fields=["title", "venue", "organiser"],
                   ordering=("-held_on", "-id"), sorts=sorts(MEETING_COLUMNS), select_related=["chain"])
CONTACTS = Listing(ContactRequest, filters=CONTACT_FILTERS,
                   search_fields=["listing__title", "requester__name", "responder__name"],
                   sorts=sorts(CONTACT_COLUMNS), select_related=["listing", "requester", "responder"])
DEALS = Listing(Deal, filters=DEAL_FILTERS, search_fields=["title", "supplier__name", "buyer__name"],
                ordering=("-signed_on", "-id"), sorts=sorts(DEAL_COLUMNS),
                select_related=["zone", "supplier", "buyer", "chain", "meeting"])
REVENUES = Listing(EnterpriseRevenue, filters=REVENUE_FILTERS, search_fields=["enterprise__name"],
                   ordering=("enterprise__name", "-year", "id"), sorts=sorts(REVENUE_COLUMNS),
                   select_related=["zone", "enterprise"])
