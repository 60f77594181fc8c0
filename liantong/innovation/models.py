"""创新强链: the technology challenge board (揭榜挂帅) with bids, consortia (攻关联合体) and supervised
milestones; research results (科研成果) on their road to industrialisation with transfer contracts;
incubated firms; qualifications and honours (资质荣誉); policies with declarative eligibility rules; and
the high-tech enterprise self-assessment (高企认定自评) with its cultivation work (辅导、政策解读会).

Every model carries its zone and a ``Scope``; states move only through ``innovation/workflow.py``."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from liantong.core.deadlines import CardLevel, card_level
from liantong.core.models import Attachments, ScopedManager, Zone
from liantong.core.scoping import Scope
from liantong.core.textsearch import Searchable

MONEY = {"max_digits": 14, "decimal_places": 2}


# --- 攻坚榜 ---------------------------------------------------------------------------------------------


class ChallengeState(models.TextChoices):
    COLLECTING = "collecting", _("需求征集")
    REVIEWING = "reviewing", _("审核中")
    PUBLISHED = "published", _("已发榜")
    EVALUATING = "evaluating", _("评审中")
    SIGNING = "signing", _("待签约")
    RESEARCHING = "researching", _("攻关中")
    ACCEPTING = "accepting", _("验收中")
    ACCEPTED = "accepted", _("已验收")
    PAID = "paid", _("已兑现")
    WITHDRAWN = "withdrawn", _("已撤榜")


SOLVED = (ChallengeState.ACCEPTED, ChallengeState.PAID)
OPEN_BIDDING = (ChallengeState.PUBLISHED,)


def _firm_on_chain(chain_id) -> Q:
    """Rows of a firm on the chain (a subquery: no join, no duplicate rows)."""
    from liantong.orgs.models import ChainMembership

    return Q(enterprise_id__in=ChainMembership.objects.filter(chain_id=chain_id).values("enterprise_id"))


class Challenge(Searchable):
    """A technology challenge on the board (红链技术攻坚榜): a firm, a university or the committee states a
    problem with indicators and a reward; the committee reviews and publishes it (发榜); teams bid (揭榜);
    the publisher selects one, signs, and accepts the result; the reward is paid (兑现). “企业出题、政府张榜、
    能者解题”. Read by everyone of the zone (the public board); written by the publisher and the committees."""

    zone = models.ForeignKey(Zone, on_delete=models.PROTECT, verbose_name=_("所属园区"))
    chain = models.ForeignKey("orgs.Chain", null=True, blank=True, on_delete=models.PROTECT,
                              related_name="challenges", verbose_name=_("产业链"))
    field = models.CharField(_("技术领域"), max_length=20)  # dictionary ``challenge_field``
    title = models.CharField(_("榜单名称"), max_length=120)
    publisher_enterprise = models.ForeignKey("orgs.Enterprise", null=True, blank=True, on_delete=models.PROTECT,
                                             related_name="challenges", verbose_name=_("出题企业"))
    publisher_institution = models.ForeignKey("orgs.Institution", null=True, blank=True, on_delete=models.PROTECT,
                                              related_name="challenges", verbose_name=_("出题高校/院所"))
    problem = models.TextField(_("技术难题"))
    indicators = models.TextField(_("技术指标"), blank=True)
    reward = models.DecimalField(_("榜单金额（万元）"), **MONEY, null=True, blank=True)
    deadline = models.DateField(_("揭榜截止日期"), null=True, blank=True)
    state = models.CharField(_("状态"), max_length=12, choices=ChallengeState.choices,
                             default=ChallengeState.COLLECTING)
    published_on = models.DateField(_("发榜日期"), null=True, blank=True, editable=False)
    result = models.TextField(_("验收结论"), blank=True, editable=False)
    accepted_on = models.DateField(_("验收日期"), null=True, blank=True, editable=False)
    payout = models.DecimalField(_("兑现金额（万元）"), **MONEY, null=True, blank=True, editable=False)
    paid_on = models.DateField(_("兑现日期"), null=True, blank=True, editable=False)
    is_demo = models.BooleanField(_("演示数据"), default=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    attachments = Attachments()
    search_sources = ("title", "problem", "indicators")

    objects = ScopedManager()
    scope = Scope(chain="chain_id", enterprise="publisher_enterprise_id", institution="publisher_institution_id",
                  public=True)

    class Meta:
        verbose_name = _("攻坚榜单")
        verbose_name_plural = _("技术攻坚榜")
        ordering = ["-id"]
        constraints = [
            models.UniqueConstraint(fields=["zone", "title"], name="challenge_unique_title"),
            models.CheckConstraint(name="challenge_one_publisher",
                                   condition=Q(publisher_enterprise__isnull=True) | Q(publisher_institution__isnull=True),
                                   violation_error_message="出题单位只能是一家企业或一所高校/院所"),
        ]
        indexes = [models.Index(fields=["zone", "state"]), models.Index(fields=["zone", "-id"])]

    def __str__(self) -> str:
        return self.title

    @property
    def publisher(self) -> str:
        if self.publisher_enterprise_id:
            return self.publisher_enterprise.name
        if self.publisher_institution_id:
            return self.publisher_institution.name
        return f"{self.chain.name}产业链联合党委" if self.chain_id else "园区党工委"

    @property
    def solved(self) -> bool:
        return self.state in SOLVED


class BidOutcome(models.TextChoices):
    PENDING = "pending", _("待评审")
    SELECTED = "selected", _("中选")
    NOT_SELECTED = "not_selected", _("未中选")


def _bid_side(prefix: str, kind: str):
    return lambda v: (Q(**{f"{prefix}lead_{kind}_id": v}) | Q(**{f"{prefix}challenge__publisher_{kind}_id": v}))


class Bid(models.Model):
    """A team's application (揭榜申请): a lead unit (a firm or an institution), its members (party members
    marked), plan, budget and planned milestones. Seen by the bidding unit, the publisher and the committees."""

    zone = models.ForeignKey(Zone, on_delete=models.PROTECT)
    challenge = models.ForeignKey(Challenge, on_delete=models.CASCADE, related_name="bids", verbose_name=_("攻坚榜单"))
    lead_enterprise = models.ForeignKey("orgs.Enterprise", null=True, blank=True, on_delete=models.PROTECT,
                                        related_name="bids", verbose_name=_("牵头企业"))
    lead_institution = models.ForeignKey("orgs.Institution", null=True, blank=True, on_delete=models.PROTECT,
                                         related_name="bids", verbose_name=_("牵头高校/院所"))
    team_name = models.CharField(_("团队名称"), max_length=100)
    leader_name = models.CharField(_("负责人"), max_length=50)
    partners = models.CharField(_("参与单位"), max_length=300, blank=True)
    plan = models.TextField(_("攻关方案"))
    budget = models.DecimalField(_("预算（万元）"), **MONEY, null=True, blank=True)
    planned_milestones = models.TextField(_("计划节点"), blank=True, help_text=_("每行一个：节点名称,YYYY-MM-DD"))
    outcome = models.CharField(_("评审结果"), max_length=14, choices=BidOutcome.choices, default=BidOutcome.PENDING,
                               editable=False)
    submitted_at = models.DateTimeField(_("提交时间"), default=timezone.now, editable=False)
    is_demo = models.BooleanField(_("演示数据"), default=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")

    objects = ScopedManager()
    scope = Scope(chain="challenge__chain_id", enterprise=_bid_side("", "enterprise"),
                  institution=_bid_side("", "institution"))

    class Meta:
        verbose_name = _("揭榜申请")
        verbose_name_plural = _("揭榜申请")
        ordering = ["challenge", "id"]
        constraints = [
            models.UniqueConstraint(fields=["challenge", "team_name"], name="bid_unique_team"),
            models.CheckConstraint(name="bid_one_lead",
                                   condition=(Q(lead_enterprise__isnull=False, lead_institution__isnull=True)
                                              | Q(lead_enterprise__isnull=True, lead_institution__isnull=False)),
                                   violation_error_message="牵头单位须在企业、高校/院所中选择且只选择一个"),
        ]
        indexes = [models.Index(fields=["zone", "outcome"])]

    def __str__(self) -> str:
        return f"{self.team_name}（{self.challenge.title}）"

    @property
    def lead(self):
        return self.lead_enterprise or self.lead_institution


class BidMember(models.Model):
    """A member of a bidding team; ``party_member`` marks a communist party member, ``leads`` one who leads
    the work (党员攻关)."""

    zone = models.ForeignKey(Zone, on_delete=models.PROTECT)
    bid = models.ForeignKey(Bid, on_delete=models.CASCADE, related_name="members", verbose_name=_("揭榜申请"))
    name = models.CharField(_("姓名"), max_length=50)
    unit = models.CharField(_("所在单位"), max_length=100)
    duty = models.CharField(_("分工"), max_length=100, blank=True)
    party_member = models.BooleanField(_("党员"), default=False)
    leads = models.BooleanField(_("牵头攻关"), default=False)

    objects = ScopedManager()
    scope = Scope(chain="bid__challenge__chain_id", enterprise=_bid_side("bid__", "enterprise"),
                  institution=_bid_side("bid__", "institution"))

    class Meta:
        verbose_name = _("团队成员")
        verbose_name_plural = _("团队成员")
        ordering = ["bid", "-leads", "id"]

    def __str__(self) -> str:
        return self.name


class Consortium(models.Model):
    """The selected bid as a research consortium (攻关联合体): the team, its party members who lead the work
    (党员攻关联合体 when any does), the signed agreement and the milestones it reports on."""

    zone = models.ForeignKey(Zone, on_delete=models.PROTECT)
    challenge = models.OneToOneField(Challenge, on_delete=models.CASCADE, related_name="consortium",
                                     verbose_name=_("攻坚榜单"))
    bid = models.OneToOneField(Bid, on_delete=models.PROTECT, related_name="consortium", verbose_name=_("中选团队"))
    name = models.CharField(_("联合体名称"), max_length=120)
    signed_on = models.DateField(_("签约日期"), null=True, blank=True)
    is_demo = models.BooleanField(_("演示数据"), default=False)

    objects = ScopedManager()
    scope = Scope(chain="challenge__chain_id", enterprise=_bid_side("bid__", "enterprise"),
                  institution=_bid_side("bid__", "institution"))

    class Meta:
        verbose_name = _("攻关联合体")
        verbose_name_plural = _("攻关联合体")
        ordering = ["-id"]

    def __str__(self) -> str:
        return self.name


class MilestoneState(models.TextChoices):
    PLANNED = "planned", _("进行中")
    OVERDUE = "overdue", _("已逾期")
    REPORTED = "reported", _("已报告")


class ChallengeMilestone(models.Model):
    """A dated step of a consortium's work, supervised like a resolution (``core.deadlines``): yellow when a
    quarter of its time is left, red and overdue past its deadline; done when the team reports on it."""

    zone = models.ForeignKey(Zone, on_delete=models.PROTECT)
    consortium = models.ForeignKey(Consortium, on_delete=models.CASCADE, related_name="milestones",
                                   verbose_name=_("攻关联合体"))
    title = models.CharField(_("节点名称"), max_length=100)
    starts_at = models.DateTimeField(_("开始时间"), default=timezone.now)
    warn_at = models.DateTimeField(_("黄牌时间"), editable=False)
    due_at = models.DateTimeField(_("完成时限"))
    state = models.CharField(_("状态"), max_length=10, choices=MilestoneState.choices, default=MilestoneState.PLANNED)
    report = models.TextField(_("进展报告"), blank=True, editable=False)
    reported_at = models.DateTimeField(_("报告时间"), null=True, blank=True, editable=False)
    is_demo = models.BooleanField(_("演示数据"), default=False)

    objects = ScopedManager()
    scope = Scope(chain="consortium__challenge__chain_id", enterprise=_bid_side("consortium__bid__", "enterprise"),
                  institution=_bid_side("consortium__bid__", "institution"))

    class Meta:
        verbose_name = _("攻关节点")
        verbose_name_plural = _("攻关节点")
        ordering = ["consortium", "due_at", "id"]
        constraints = [models.UniqueConstraint(fields=["consortium", "title"], name="cmilestone_unique_title")]
        indexes = [models.Index(fields=["zone", "state", "due_at"], name="cmilestone_zone_state_due"),
                   models.Index(fields=["state", "warn_at"], name="cmilestone_state_warn")]

    def __str__(self) -> str:
        return self.title

    def card_level(self, now=None) -> str:
        return card_level(done=self.state == MilestoneState.REPORTED, overdue=self.state == MilestoneState.OVERDUE,
                          due_at=self.due_at, warn_at=self.warn_at, now=now)


class MilestoneCard(models.Model):
    """A yellow or red card on a milestone; unique per level, so ticks raise it once."""

    zone = models.ForeignKey(Zone, on_delete=models.PROTECT)
    milestone = models.ForeignKey(ChallengeMilestone, on_delete=models.CASCADE, related_name="cards")
    level = models.CharField(_("等级"), max_length=8, choices=CardLevel.choices)
    raised_at = models.DateTimeField(_("亮牌时间"))
    due_at = models.DateTimeField(_("时限"))

    objects = ScopedManager()
    scope = Scope(chain="milestone__consortium__challenge__chain_id",
                  enterprise=_bid_side("milestone__consortium__bid__", "enterprise"),
                  institution=_bid_side("milestone__consortium__bid__", "institution"))

    class Meta:
        verbose_name = _("攻关节点红黄牌")
        verbose_name_plural = _("攻关节点红黄牌")
        ordering = ["-raised_at"]
        constraints = [models.UniqueConstraint(fields=["milestone", "level"], name="milestonecard_once")]

    def __str__(self) -> str:
        return f"{self.get_level_display()}·{self.milestone}"


# --- 科研成果、成果转化、孵化 ---------------------------------------------------------------------------


class AchievementStage(models.TextChoices):
    LAB = "lab", _("实验室")
    PILOT = "pilot", _("中试")
    TRANSFER = "transfer", _("转移转化")
    INDUSTRIALISED = "industrialised", _("产业化")


class Achievement(Searchable):
    """A research result (科研成果) of a firm or an institution on its road 实验室 → 中试 → 转移转化 → 产业化,
    linked to the challenge it answers where there is one. Public in the zone (the results board)."""

    zone = models.ForeignKey(Zone, on_delete=models.PROTECT, verbose_name=_("所属园区"))
    title = models.CharField(_("成果名称"), max_length=120)
    owner_enterprise = models.ForeignKey("orgs.Enterprise", null=True, blank=True, on_delete=models.PROTECT,
                                         related_name="achievements", verbose_name=_("完成企业"))
    owner_institution = models.ForeignKey("orgs.Institution", null=True, blank=True, on_delete=models.PROTECT,
                                          related_name="achievements", verbose_name=_("完成高校/院所"))
    chain = models.ForeignKey("orgs.Chain", null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="achievements", verbose_name=_("产业链"))
    challenge = models.ForeignKey(Challenge, null=True, blank=True, on_delete=models.SET_NULL,
                                  related_name="achievements", verbose_name=_("对应攻坚榜单"))
    field = models.CharField(_("技术领域"), max_length=20)  # dictionary ``challenge_field``
    description = models.TextField(_("成果简介"), blank=True)
    stage = models.CharField(_("阶段"), max_length=16, choices=AchievementStage.choices, default=AchievementStage.LAB)
    industrialised_on = models.DateField(_("产业化日期"), null=True, blank=True, editable=False)
    is_demo = models.BooleanField(_("演示数据"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    search_sources = ("title", "description")
    objects = ScopedManager()
    scope = Scope(chain="chain_id", enterprise="owner_enterprise_id", institution="owner_institution_id", public=True)

    class Meta:
        verbose_name = _("科研成果")
        verbose_name_plural = _("科研成果")
        ordering = ["-id"]
        constraints = [
            models.UniqueConstraint(fields=["zone", "title"], name="achievement_unique_title"),
            models.CheckConstraint(name="achievement_one_owner",
                                   condition=(Q(owner_enterprise__isnull=False, owner_institution__isnull=True)
                                              | Q(owner_enterprise__isnull=True, owner_institution__isnull=False)),
                                   violation_error_message="完成单位须在企业、高校/院所中选择且只选择一个"),
        ]
        indexes = [models.Index(fields=["zone", "stage"])]

    def __str__(self) -> str:
        return self.title

    @property
    def owner(self):
        return self.owner_enterprise or self.owner_institution


class TransferContract(models.Model):
    """A technology transfer contract (成果转化合同) of a result: the buyer firm, the amount, the transfer
    centre that brokered it."""

    zone = models.ForeignKey(Zone, on_delete=models.PROTECT)
    achievement = models.ForeignKey(Achievement, on_delete=models.CASCADE, related_name="contracts",
                                    verbose_name=_("科研成果"))
    buyer = models.ForeignKey("orgs.Enterprise", on_delete=models.PROTECT, related_name="transfer_contracts",
                              verbose_name=_("受让企业"))
    centre = models.ForeignKey("orgs.Institution", null=True, blank=True, on_delete=models.SET_NULL,
                               related_name="brokered_contracts", verbose_name=_("技术转移转化中心"))
    amount = models.DecimalField(_("合同金额（万元）"), **MONEY)
    signed_on = models.DateField(_("签订日期"))
    is_demo = models.BooleanField(_("演示数据"), default=False)

    objects = ScopedManager()
    scope = Scope(chain="achievement__chain_id",
                  enterprise=lambda v: Q(buyer_id=v) | Q(achievement__owner_enterprise_id=v),
                  institution=lambda v: Q(centre_id=v) | Q(achievement__owner_institution_id=v))

    class Meta:
        verbose_name = _("成果转化合同")
        verbose_name_plural = _("成果转化合同")
        ordering = ["-signed_on", "-id"]

    def __str__(self) -> str:
        return f"{self.achievement.title} → {self.buyer.name}"


class IncubatedFirm(models.Model):
    """A technology firm incubated in the zone (孵化科技型企业): the incubator, the date it entered and the date
    it graduated. Public in the zone; kept by the zone committee."""

    zone = models.ForeignKey(Zone, on_delete=models.PROTECT, verbose_name=_("所属园区"))
    name = models.CharField(_("企业名称"), max_length=100)
    enterprise = models.ForeignKey("orgs.Enterprise", null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="incubations", verbose_name=_("在册企业"))
    incubator = models.CharField(_("孵化载体"), max_length=100)
    achievement = models.ForeignKey(Achievement, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="incubated_firms", verbose_name=_("转化成果"))
    field = models.CharField(_("技术领域"), max_length=20, blank=True)  # dictionary ``challenge_field``
    incubated_on = models.DateField(_("入孵日期"))
    graduated_on = models.DateField(_("毕业日期"), null=True, blank=True)
    is_demo = models.BooleanField(_("演示数据"), default=False)

    objects = ScopedManager()
    scope = Scope(enterprise="enterprise_id", public=True)

    class Meta:
        verbose_name = _("孵化企业")
        verbose_name_plural = _("孵化企业")
        ordering = ["-incubated_on", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["zone", "name"], name="incubated_unique_name"),
            models.CheckConstraint(name="incubated_graduation_after",
                                   condition=Q(graduated_on__isnull=True) | Q(graduated_on__gte=models.F("incubated_on")),
                                   violation_error_message="毕业日期不能早于入孵日期"),
        ]

    def __str__(self) -> str:
        return self.name


# --- 资质荣誉 -------------------------------------------------------------------------------------------


class QualificationKind(models.TextChoices):
    HIGHTECH = "hightech", _("高新技术企业")
    SRDI = "srdi", _("专精特新企业")
    TECH_CENTRE = "tech_centre", _("企业技术中心")
    TRANSFER_INSTITUTION = "transfer_institution", _("技术转移示范机构")
    SME_PLATFORM = "sme_platform", _("中小企业公共服务示范平台")
    INNOVATION_BASE = "innovation_base", _("小型微型企业创新创业示范基地")
    AGRI_PARK = "agri_park", _("现代农业产业园")
    STANDARD = "standard", _("牵头制定标准")


class Level(models.TextChoices):
    NATIONAL = "national", _("国家级")
    PROVINCIAL = "provincial", _("省级")
    MUNICIPAL = "municipal", _("市级")
    GROUP = "group", _("团体")


class Qualification(models.Model):
    """A qualification or honour (资质荣誉) of a firm or an institution, or of a park without a row of its own
    (``holder_name``): kind, level, the dates, and the expiry the tick reminds of."""

    zone = models.ForeignKey(Zone, on_delete=models.PROTECT, verbose_name=_("所属园区"))
    kind = models.CharField(_("类别"), max_length=24, choices=QualificationKind.choices)
    level = models.CharField(_("级别"), max_length=12, choices=Level.choices)
    title = models.CharField(_("名称"), max_length=150)
    enterprise = models.ForeignKey("orgs.Enterprise", null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="qualifications", verbose_name=_("企业"))
    institution = models.ForeignKey("orgs.Institution", null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="qualifications", verbose_name=_("高校/院所"))
    holder_name = models.CharField(_("其他持有单位"), max_length=100, blank=True)
    certificate_no = models.CharField(_("证书编号"), max_length=60, blank=True)
    granted_on = models.DateField(_("认定日期"))
    expires_on = models.DateField(_("有效期至"), null=True, blank=True)
    reminded_on = models.DateField(_("到期提醒日期"), null=True, blank=True, editable=False)
    is_demo = models.BooleanField(_("演示数据"), default=False)

    objects = ScopedManager()
    scope = Scope(enterprise="enterprise_id", institution="institution_id", public=True)

    class Meta:
        verbose_name = _("资质荣誉")
        verbose_name_plural = _("资质荣誉")
        ordering = ["-granted_on", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["zone", "kind", "title"], name="qualification_unique_title"),
            models.CheckConstraint(name="qualification_expiry_after",
                                   condition=Q(expires_on__isnull=True) | Q(expires_on__gte=models.F("granted_on")),
                                   violation_error_message="有效期至不能早于认定日期"),
        ]
        indexes = [models.Index(fields=["zone", "kind"]), models.Index(fields=["expires_on"])]

    def __str__(self) -> str:
        return self.title

    @property
    def holder(self) -> str:
        unit = self.enterprise or self.institution
        return unit.name if unit else self.holder_name


# --- 政策 -----------------------------------------------------------------------------------------------


class Policy(Searchable):
    """A policy (政策) or package (政策礼包, e.g. “党建+科技”) with eligibility rules in the small declarative
    format of ``innovation/rules.py`` (checked when saved, evaluated without code). Public in the zone."""

    zone = models.ForeignKey(Zone, on_delete=models.PROTECT, verbose_name=_("所属园区"))
    title = models.CharField(_("政策名称"), max_length=150)
    package = models.CharField(_("政策礼包"), max_length=60, blank=True)
    issuer = models.CharField(_("发布单位"), max_length=100)
    summary = models.TextField(_("政策内容"), blank=True)
    rules = models.JSONField(_("适用条件"), default=dict, blank=True)
    valid_until = models.DateField(_("有效期至"), null=True, blank=True)
    is_demo = models.BooleanField(_("演示数据"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    search_sources = ("title", "package", "summary")
    objects = ScopedManager()
    scope = Scope(public=True)

    class Meta:
        verbose_name = _("政策")
        verbose_name_plural = _("政策")
        ordering = ["-id"]
        constraints = [models.UniqueConstraint(fields=["zone", "title"], name="policy_unique_title")]

    def __str__(self) -> str:
        return self.title


# --- 高企认定：自评、辅导、政策解读会 -------------------------------------------------------------------


class Assessment(models.Model):
    """One saved self-assessment of a firm (its history): the input as given and the result computed by
    ``innovation/assess.py``; the committee's cultivation pool reads the latest per firm."""

    zone = models.ForeignKey(Zone, on_delete=models.PROTECT)
    enterprise = models.ForeignKey("orgs.Enterprise", on_delete=models.CASCADE, related_name="assessments",
                                   verbose_name=_("企业"))
    assessed_on = models.DateField(_("自评日期"))
    data = models.JSONField(_("填报数据"), default=dict)
    criteria = models.JSONField(_("各项结果"), default=list)
    qualified = models.BooleanField(_("符合认定条件"), default=False)
    failed = models.PositiveSmallIntegerField(_("未达标项数"), default=0)
    latest_revenue = models.DecimalField(_("最近一年销售收入（万元）"), **MONEY, null=True, blank=True)
    rd_ratio = models.DecimalField(_("研发费用占比（%）"), max_digits=7, decimal_places=2, null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    is_demo = models.BooleanField(_("演示数据"), default=False)

    objects = ScopedManager()
    scope = Scope(chain=_firm_on_chain, enterprise="enterprise_id")

    class Meta:
        verbose_name = _("高企认定自评")
        verbose_name_plural = _("高企认定自评")
        ordering = ["-assessed_on", "-id"]
        indexes = [models.Index(fields=["zone", "enterprise", "-assessed_on"])]

    def __str__(self) -> str:
        return f"{self.enterprise.name} {self.assessed_on:%Y-%m-%d}"


class CoachingKind(models.TextChoices):
    ONE_ON_ONE = "one_on_one", _("一对一辅导")
    BRIEFING = "briefing", _("政策解读会")


class Coaching(models.Model):
    """A coaching visit to one firm (一对一辅导) or a policy briefing for many (政策解读会)."""

    zone = models.ForeignKey(Zone, on_delete=models.PROTECT, verbose_name=_("所属园区"))
    kind = models.CharField(_("类型"), max_length=12, choices=CoachingKind.choices)
    enterprise = models.ForeignKey("orgs.Enterprise", null=True, blank=True, on_delete=models.CASCADE,
                                   related_name="coachings", verbose_name=_("辅导企业"))
    held_on = models.DateField(_("日期"))
    topic = models.CharField(_("主题"), max_length=150)
    coach = models.CharField(_("辅导人/主讲人"), max_length=60, blank=True)
    attendees = models.PositiveIntegerField(_("参加人数"), default=0)
    notes = models.TextField(_("内容纪要"), blank=True)
    is_demo = models.BooleanField(_("演示数据"), default=False)

    objects = ScopedManager()
    scope = Scope(chain=_firm_on_chain, enterprise="enterprise_id")

    class Meta:
        verbose_name = _("辅导与解读")
        verbose_name_plural = _("辅导与政策解读会")
        ordering = ["-held_on", "-id"]
        constraints = [models.CheckConstraint(name="coaching_firm_for_one_on_one",
                                              condition=~Q(kind="one_on_one") | Q(enterprise__isnull=False),
                                              violation_error_message="一对一辅导须选择辅导企业")]

    def __str__(self) -> str:
        return self.topic
