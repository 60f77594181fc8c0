"""List-page columns, filters and the lists' read declarations (page, API, export) of the innovation strand."""

from django.urls import reverse
from django.utils.html import format_html

from liantong.core.lists import Listing
from liantong.core.tables import Column, Filter, sorts
from liantong.orgs.tables import CHAIN, ZONE

from .models import (
    Achievement,
    Assessment,
    Bid,
    Challenge,
    ChallengeMilestone,
    Coaching,
    Consortium,
    IncubatedFirm,
    Policy,
    Qualification,
    TransferContract,
)


def YES_NO(user):
    return [("true", "是"), ("false", "否")]


def _card(m):
    level = m.card_level()
    if not level:
        return ""
    colour, text = ("danger", "红牌") if level == "red" else ("warning", "黄牌")
    return format_html('<span class="badge text-bg-{}">{}</span>', colour, text)


def _link(url_name, pk_attr, text_attr):
    def render(obj):
        pk = obj
        for part in pk_attr.split("."):
            pk = getattr(pk, part)
        text = obj
        for part in text_attr.split("."):
            text = getattr(text, part)
        return format_html('<a href="{}">{}</a>', reverse(url_name, args=[pk]), text)
    return render


def _party(c):
    members = list(c.bid.members.all())
    party = sum(1 for m in members if m.party_member)
    return f"{len(members)} 人（党员 {party} 人）"


CHALLENGE_COLUMNS = [
    Column("榜单名称", "title", link="innovation:challenge_detail", order="title"),
    Column("技术领域", "field", dict_code="challenge_field"),
    Column("出题单位", "publisher"),
    Column("榜单金额（万元）", "reward", order="reward"),
    Column("揭榜截止", "deadline", order="deadline"),
    Column("状态", "state", dict_code="challenge_state"),
]
CHALLENGE_FILTERS = [ZONE, CHAIN, Filter("field", "技术领域", "field", "challenge_field"),
                     Filter("state", "状态", "state", "challenge_state")]

BID_COLUMNS = [
    Column("团队名称", "team_name", render=_link("innovation:challenge_detail", "challenge_id", "team_name"),
           order="team_name"),
    Column("攻坚榜单", "challenge.title"),
    Column("牵头单位", "lead"),
    Column("负责人", "leader_name"),
    Column("预算（万元）", "budget", order="budget"),
    Column("评审结果", "outcome", dict_code="bid_outcome"),
]
BID_FILTERS = [ZONE, Filter("outcome", "评审结果", "outcome", "bid_outcome"),
               Filter("challenge", "攻坚榜单", "challenge_id", None)]

CONSORTIUM_COLUMNS = [
    Column("攻关联合体", "name", link="innovation:consortium_detail", order="name"),
    Column("攻坚榜单", "challenge.title"),
    Column("牵头单位", "bid.lead"),
    Column("成员", "bid", render=_party),
    Column("签约日期", "signed_on", order="signed_on"),
    Column("榜单状态", "challenge.state", dict_code="challenge_state"),
]
CONSORTIUM_FILTERS = [ZONE, Filter("chain", "产业链", "challenge__chain_id", CHAIN.choices)]

MILESTONE_COLUMNS = [
    Column("攻关节点", "title", render=_link("innovation:consortium_detail", "consortium_id", "title"), order="title"),
    Column("攻关联合体", "consortium.name"),
    Column("完成时限", "due_at", order="due_at"),
    Column("状态", "state", dict_code="milestone_state"),
    Column("督办", "state", render=_card),
    Column("报告时间", "reported_at"),
]
MILESTONE_FILTERS = [ZONE, Filter("state", "状态", "state", "milestone_state"),
                     Filter("card", "红黄牌", "cards__level", "card_level")]

ACHIEVEMENT_COLUMNS = [
    Column("成果名称", "title", link="innovation:achievement_detail", order="title"),
    Column("完成单位", "owner"),
    Column("技术领域", "field", dict_code="challenge_field"),
    Column("阶段", "stage", dict_code="achievement_stage"),
    Column("产业化日期", "industrialised_on", order="industrialised_on"),
]
ACHIEVEMENT_FILTERS = [ZONE, CHAIN, Filter("stage", "阶段", "stage", "achievement_stage"),
                       Filter("field", "技术领域", "field", "challenge_field")]

CONTRACT_COLUMNS = [
    Column("科研成果", "achievement.title",
           render=_link("innovation:achievement_detail", "achievement_id", "achievement.title")),
    Column("受让企业", "buyer.name"),
    Column("技术转移转化中心", "centre.name"),
    Column("合同金额（万元）", "amount", order="amount"),
    Column("签订日期", "signed_on", order="signed_on"),
]
CONTRACT_FILTERS = [ZONE]

INCUBATED_COLUMNS = [
    Column("企业名称", "name", link="innovation:incubated_detail", order="name"),
    Column("孵化载体", "incubator"),
    Column("技术领域", "field", dict_code="challenge_field"),
    Column("入孵日期", "incubated_on", order="incubated_on"),
    Column("毕业日期", "graduated_on", order="graduated_on"),
]
INCUBATED_FILTERS = [ZONE, Filter("graduated", "已毕业", "graduated_on__isnull",
                                  lambda u: [("false", "是"), ("true", "否")])]

QUALIFICATION_COLUMNS = [
    Column("名称", "title", link="innovation:qualification_detail", order="title"),
    Column("类别", "kind", dict_code="qualification_kind"),
    Column("级别", "level", dict_code="qualification_level"),
    Column("持有单位", "holder"),
    Column("认定日期", "granted_on", order="granted_on"),
    Column("有效期至", "expires_on", order="expires_on"),
]
QUALIFICATION_FILTERS = [ZONE, Filter("kind", "类别", "kind", "qualification_kind"),
                         Filter("level", "级别", "level", "qualification_level"),
                         Filter("enterprise", "企业", "enterprise_id", None)]

POLICY_COLUMNS = [
    Column("政策名称", "title", link="innovation:policy_detail", order="title"),
    Column("政策礼包", "package"),
    Column("发布单位", "issuer"),
    Column("有效期至", "valid_until", order="valid_until"),
]
POLICY_FILTERS = [ZONE]

ASSESSMENT_COLUMNS = [
    Column("企业", "enterprise.name", render=_link("innovation:assessment_detail", "pk", "enterprise.name")),
    Column("自评日期", "assessed_on", order="assessed_on"),
    Column("符合认定条件", "qualified", render=lambda a: format_html(
        '<span class="badge text-bg-{}">{}</span>', "success" if a.qualified else "secondary",
        "是" if a.qualified else "否")),
    Column("未达标项数", "failed", order="failed"),
    Column("研发费用占比（%）", "rd_ratio"),
]
ASSESSMENT_FILTERS = [ZONE, Filter("qualified", "符合认定条件", "qualified", YES_NO),
                      Filter("enterprise", "企业", "enterprise_id", None)]

COACHING_COLUMNS = [
    Column("主题", "topic", link="innovation:coaching_detail", order="topic"),
    Column("类型", "kind", dict_code="coaching_kind"),
    Column("辅导企业", "enterprise.name"),
    Column("日期", "held_on", order="held_on"),
    Column("辅导人/主讲人", "coach"),
    Column("参加人数", "attendees", order="attendees"),
]
COACHING_FILTERS = [ZONE, Filter("kind", "类型", "kind", "coaching_kind")]


CHALLENGES = Listing(Challenge, filters=CHALLENGE_FILTERS, search_fields=["title", "problem", "indicators"],
                     sorts=sorts(CHALLENGE_COLUMNS),
                     select_related=["chain", "publisher_enterprise", "publisher_institution"])
BIDS = Listing(Bid, filters=BID_FILTERS, search_fields=["team_name", "leader_name", "plan"], ordering="-id",
               sorts=sorts(BID_COLUMNS), select_related=["challenge", "lead_enterprise", "lead_institution"])
CONSORTIA = Listing(Consortium, filters=CONSORTIUM_FILTERS, search_fields=["name"], sorts=sorts(CONSORTIUM_COLUMNS),
                    select_related=["challenge", "bid__lead_enterprise", "bid__lead_institution"],
                    prefetch_related=["bid__members"])
MILESTONES = Listing(ChallengeMilestone, filters=MILESTONE_FILTERS, search_fields=["title", "report"],
                     ordering=("due_at", "id"), sorts=sorts(MILESTONE_COLUMNS), select_related=["consortium"])
ACHIEVEMENTS = Listing(Achievement, filters=ACHIEVEMENT_FILTERS, search_fields=["title", "description"],
                       sorts=sorts(ACHIEVEMENT_COLUMNS), select_related=["owner_enterprise", "owner_institution"])
CONTRACTS = Listing(TransferContract, filters=CONTRACT_FILTERS, search_fields=["achievement__title", "buyer__name"],
                    ordering=("-signed_on", "-id"), sorts=sorts(CONTRACT_COLUMNS),
                    select_related=["achievement", "buyer", "centre"])
INCUBATED = Listing(IncubatedFirm, filters=INCUBATED_FILTERS, search_fields=["name", "incubator"],
                    ordering=("-incubated_on", "-id"), sorts=sorts(INCUBATED_COLUMNS))
QUALIFICATIONS = Listing(Qualification, filters=QUALIFICATION_FILTERS,
                         search_fields=["title", "holder_name", "enterprise__name"], ordering=("-granted_on", "-id"),
                         sorts=sorts(QUALIFICATION_COLUMNS), select_related=["enterprise", "institution"])
POLICIES = Listing(Policy, filters=POLICY_FILTERS, search_fields=["title", "package", "summary"],
                   sorts=sorts(POLICY_COLUMNS))
ASSESSMENTS = Listing(Assessment, filters=ASSESSMENT_FILTERS, search_fields=["enterprise__name"],
                      ordering=("-assessed_on", "-id"), sorts=sorts(ASSESSMENT_COLUMNS), select_related=["enterprise"])
COACHINGS = Listing(Coaching, filters=COACHING_FILTERS, search_fields=["topic", "coach", "notes"],
                    ordering=("-held_on", "-id"), sorts=sorts(COACHING_COLUMNS), select_related=["enterprise"])
