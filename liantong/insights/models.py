"""Investment strand (招商): the chain investment map's extension nodes, task forces (招商专班) and their
members, target firms per gap, investment projects (强链配套项目) moving 洽谈 → 签约 → 开工 → 投产, and
follow-up records. Gaps themselves are not stored: they are computed from the chain's nodes and firms
(``insights/chainmap.py``)."""

from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from liantong.core.models import ScopedManager, Zone
from liantong.core.scoping import Scope


class GapKind(models.TextChoices):
    FILL = "fill", _("补链")  # a node with no local firm
    STRENGTHEN = "strengthen", _("强链")  # a thin node
    EXTEND = "extend", _("延链")  # a node beyond the chain's ends


class ExtensionSide(models.TextChoices):
    UP = "up", _("向上游延伸")
    DOWN = "down", _("向下游延伸")


class TargetStatus(models.TextChoices):
    TRACKING = "tracking", _("跟踪中")
    TALKS = "talks", _("已转项目洽谈")
    LANDED = "landed", _("已落地")
    DROPPED = "dropped", _("已放弃")


class ProjectStage(models.TextChoices):
    TALKS = "talks", _("洽谈")
    SIGNED = "signed", _("签约")
    STARTED = "started", _("开工")
    PRODUCING = "producing", _("投产")
    DROPPED = "dropped", _("终止")


class ChainExtension(models.Model):
    """A node of the chain that lies beyond its former ends (延链): planned up- or downstream."""

    zone = models.ForeignKey(Zone, on_delete=models.PROTECT, verbose_name=_("所属园区"))
    chain = models.ForeignKey("orgs.Chain", on_delete=models.CASCADE, related_name="extensions",
                              verbose_name=_("产业链"))
    node = models.OneToOneField("orgs.ChainNode", on_delete=models.CASCADE, related_name="extension",
                                verbose_name=_("延链环节"))
    side = models.CharField(_("延伸方向"), max_length=4, choices=ExtensionSide.choices)
    note = models.CharField(_("说明"), max_length=200, blank=True)
    is_demo = models.BooleanField(_("演示数据"), default=False)

    objects = ScopedManager()
    scope = Scope(chain="chain_id", public=True)

    class Meta:
        verbose_name = _("延链环节")
        verbose_name_plural = _("延链环节")
        ordering = ["chain", "id"]

    def __str__(self) -> str:
        return f"{self.node.name}（{self.get_side_display()}）"


class TaskForce(models.Model):
    """A chain investment task force (红链招商专班)."""

    zone = models.ForeignKey(Zone, on_delete=models.PROTECT, verbose_name=_("所属园区"))
    chain = models.ForeignKey("orgs.Chain", on_delete=models.PROTECT, related_name="task_forces",
                              verbose_name=_("产业链"))
    name = models.CharField(_("专班名称"), max_length=100)
    leader_name = models.CharField(_("专班负责人"), max_length=50, blank=True)
    established_on = models.DateField(_("成立日期"), null=True, blank=True)
    duties = models.TextField(_("工作职责"), blank=True)
    is_demo = models.BooleanField(_("演示数据"), default=False)

    objects = ScopedManager()
    scope = Scope(chain="chain_id")

    class Meta:
        verbose_name = _("招商专班")
        verbose_name_plural = _("招商专班")
        ordering = ["zone", "id"]
        constraints = [models.UniqueConstraint(fields=["zone", "name"], name="taskforce_unique_name")]

    def __str__(self) -> str:
        return self.name


class TaskForceMember(models.Model):
    """A member of a task force: a person from a department, a chain committee or a firm."""

    zone = models.ForeignKey(Zone, on_delete=models.PROTECT, verbose_name=_("所属园区"))
    task_force = models.ForeignKey(TaskForce, on_delete=models.CASCADE, related_name="members",
                                   verbose_name=_("招商专班"))
    name = models.CharField(_("姓名"), max_length=50)
    unit = models.CharField(_("所在单位"), max_length=100, blank=True)
    post = models.CharField(_("专班职务"), max_length=30, blank=True)
    is_demo = models.BooleanField(_("演示数据"), default=False)

    objects = ScopedManager()
    scope = Scope(chain="task_force__chain_id")

    class Meta:
        verbose_name = _("专班成员")
        verbose_name_plural = _("专班成员")
        ordering = ["task_force", "id"]
        constraints = [models.UniqueConstraint(fields=["task_force", "name"], name="taskforcemember_unique")]

    def __str__(self) -> str:
        return self.name


class TargetFirm(models.Model):
    """A firm to attract (招商目标企业) for one gap of a chain: entered, or imported from Excel."""

    zone = models.ForeignKey(Zone, on_delete=models.PROTECT, verbose_name=_("所属园区"))
    chain = models.ForeignKey("orgs.Chain", on_delete=models.PROTECT, related_name="targets",
                              verbose_name=_("产业链"))
    node = models.ForeignKey("orgs.ChainNode", null=True, blank=True, on_delete=models.SET_NULL,
                             related_name="targets", verbose_name=_("对应环节"))
    gap_kind = models.CharField(_("补强延"), max_length=12, choices=GapKind.choices)
    name = models.CharField(_("目标企业"), max_length=100)
    region = models.CharField(_("所在地区"), max_length=50, blank=True)
    product = models.CharField(_("主营产品"), max_length=100, blank=True)
    contact_name = models.CharField(_("联系人"), max_length=50, blank=True)
    task_force = models.ForeignKey(TaskForce, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="targets", verbose_name=_("负责专班"))
    status = models.CharField(_("跟进状态"), max_length=10, choices=TargetStatus.choices,
                              default=TargetStatus.TRACKING)
    note = models.CharField(_("备注"), max_length=300, blank=True)
    is_demo = models.BooleanField(_("演示数据"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager()
    scope = Scope(chain="chain_id")

    class Meta:
        verbose_name = _("招商目标企业")
        verbose_name_plural = _("招商目标企业")
        ordering = ["-id"]
        constraints = [models.UniqueConstraint(fields=["chain", "name"], name="targetfirm_unique")]
        indexes = [models.Index(fields=["zone", "chain", "node"])]

    def __str__(self) -> str:
        return self.name


class InvestmentProject(models.Model):
    """A chain-strengthening project (强链配套项目): its stage moves only through ``insights.workflow.PROJECT``."""

    zone = models.ForeignKey(Zone, on_delete=models.PROTECT, verbose_name=_("所属园区"))
    chain = models.ForeignKey("orgs.Chain", on_delete=models.PROTECT, related_name="investment_projects",
                              verbose_name=_("产业链"))
    node = models.ForeignKey("orgs.ChainNode", null=True, blank=True, on_delete=models.SET_NULL,
                             related_name="investment_projects", verbose_name=_("补强环节"))
    name = models.CharField(_("项目名称"), max_length=100)
    investor = models.CharField(_("投资方"), max_length=100)
    amount = models.DecimalField(_("总投资（万元）"), max_digits=14, decimal_places=2,
                                 validators=[MinValueValidator(0)])
    stage = models.CharField(_("阶段"), max_length=10, choices=ProjectStage.choices, default=ProjectStage.TALKS)
    talks_on = models.DateField(_("洽谈日期"))
    signed_on = models.DateField(_("签约日期"), null=True, blank=True)
    started_on = models.DateField(_("开工日期"), null=True, blank=True)
    producing_on = models.DateField(_("投产日期"), null=True, blank=True)
    task_force = models.ForeignKey(TaskForce, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="projects", verbose_name=_("招商专班"))
    target = models.ForeignKey(TargetFirm, null=True, blank=True, on_delete=models.SET_NULL,
                               related_name="projects", verbose_name=_("来自目标企业"))
    enterprise = models.ForeignKey("orgs.Enterprise", null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="investment_projects", verbose_name=_("落地企业"))
    branch = models.OneToOneField("orgs.PartyOrg", null=True, blank=True, on_delete=models.SET_NULL,
                                  related_name="investment_project", verbose_name=_("项目党支部"))
    note = models.TextField(_("项目简介"), blank=True)
    is_demo = models.BooleanField(_("演示数据"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager()
    scope = Scope(chain="chain_id")

    class Meta:
        verbose_name = _("招商项目")
        verbose_name_plural = _("招商项目")
        ordering = ["-talks_on", "-id"]
        constraints = [models.UniqueConstraint(fields=["zone", "name"], name="investmentproject_unique_name")]
        indexes = [models.Index(fields=["zone", "signed_on"]), models.Index(fields=["zone", "chain", "stage"])]

    def __str__(self) -> str:
        return self.name

    @property
    def is_signed(self) -> bool:
        return self.stage in (ProjectStage.SIGNED, ProjectStage.STARTED, ProjectStage.PRODUCING)


class FollowUp(models.Model):
    """One follow-up (跟进记录) of a target firm or of an investment project."""

    zone = models.ForeignKey(Zone, on_delete=models.PROTECT, verbose_name=_("所属园区"))
    chain = models.ForeignKey("orgs.Chain", on_delete=models.CASCADE, related_name="+", verbose_name=_("产业链"))
    target = models.ForeignKey(TargetFirm, null=True, blank=True, on_delete=models.CASCADE,
                               related_name="follow_ups", verbose_name=_("目标企业"))
    project = models.ForeignKey(InvestmentProject, null=True, blank=True, on_delete=models.CASCADE,
                                related_name="follow_ups", verbose_name=_("招商项目"))
    on = models.DateField(_("跟进日期"))
    by_name = models.CharField(_("跟进人"), max_length=50, blank=True)
    content = models.CharField(_("跟进情况"), max_length=500)
    next_step = models.CharField(_("下一步"), max_length=200, blank=True)
    is_demo = models.BooleanField(_("演示数据"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager()
    scope = Scope(chain="chain_id")
    constraint_messages = {"followup_one_subject": "跟进记录须对应一个目标企业或一个招商项目"}

    class Meta:
        verbose_name = _("跟进记录")
        verbose_name_plural = _("跟进记录")
        ordering = ["-on", "-id"]
        constraints = [models.CheckConstraint(
            name="followup_one_subject",
            condition=Q(target__isnull=False, project__isnull=True) | Q(target__isnull=True, project__isnull=False))]

    def __str__(self) -> str:
        return f"{self.on} {self.content[:20]}"
