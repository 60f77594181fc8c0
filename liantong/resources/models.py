"""The other lists of 服务优链: 部门资源清单, 行动项目清单 (with milestones and the 书记项目),
资源共享清单 with bookings, 帮办服务小分队 and their visits, 联席会议 whose resolutions are tracked
tasks with yellow and red cards, and the citation that links a solved order to what solved it."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from liantong.core.deadlines import CardLevel, card_level
from liantong.core.models import Attachments, ScopedManager, Zone
from liantong.core.scoping import Scope

# --- 部门资源清单 ---------------------------------------------------------------------------------------


class ResourceStatus(models.TextChoices):
    PUBLISHED = "published", _("发布中")
    PAUSED = "paused", _("暂停")
    CLOSED = "closed", _("已结束")


class DepartmentResource(models.Model):
    """What a department offers firms (部门资源): a loan subsidy, a land quota, training places …
    Departments publish and edit their own; every user of the zone may read the list."""

    zone = models.ForeignKey(Zone, on_delete=models.PROTECT, verbose_name=_("所属园区"))
    department = models.ForeignKey("orgs.Department", on_delete=models.PROTECT, related_name="resources",
                                   verbose_name=_("发布部门"))
    kind = models.CharField(_("资源类别"), max_length=30)  # dictionary ``dept_resource_kind``
    title = models.CharField(_("资源名称"), max_length=100)
    description = models.TextField(_("资源内容"), blank=True)
    conditions = models.TextField(_("申请条件"), blank=True)
    quota_amount = models.DecimalField(_("额度/数量"), max_digits=14, decimal_places=2, null=True, blank=True)
    quota_unit = models.CharField(_("单位"), max_length=20, blank=True)
    contact_name = models.CharField(_("联系人"), max_length=50, blank=True)
    contact_phone = models.CharField(_("联系电话"), max_length=30, blank=True)
    valid_from = models.DateField(_("有效期起"), null=True, blank=True)
    valid_until = models.DateField(_("有效期止"), null=True, blank=True)
    status = models.CharField(_("状态"), max_length=10, choices=ResourceStatus.choices,
                              default=ResourceStatus.PUBLISHED)
    is_demo = models.BooleanField(_("演示数据"), default=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ScopedManager()
    scope = Scope(department="department_id", public=True)

    class Meta:
        verbose_name = _("部门资源")
        verbose_name_plural = _("部门资源清单")
        ordering = ["-id"]
        constraints = [
            models.UniqueConstraint(fields=["department", "title"], name="deptresource_unique_title"),
            models.CheckConstraint(name="deptresource_valid_range",
                                   condition=Q(valid_from__isnull=True) | Q(valid_until__isnull=True)
                                   | Q(valid_until__gte=models.F("valid_from")),
                                   violation_error_message="有效期止不能早于有效期起"),
        ]
        indexes = [models.Index(fields=["zone", "kind"]), models.Index(fields=["zone", "-id"])]

    def __str__(self) -> str:
        return self.title

    @property
    def quota(self) -> str:
        if self.quota_amount is None:
            return ""
        amount = self.quota_amount.normalize()
        return f"{amount:f}{self.quota_unit}"


# --- 行动项目清单 ---------------------------------------------------------------------------------------


class ProjectStatus(models.TextChoices):
    PLANNED = "planned", _("谋划中")
    ACTIVE = "active", _("推进中")
    DONE = "done", _("已完成")
    SUSPENDED = "suspended", _("暂缓")


class ActionProject(models.Model):
    """A committed action project (行动项目) with an owner, a unit, milestones and progress.
    ``flagship`` marks the party secretary's own project (书记项目)."""

    zone = models.ForeignKey(Zone, on_delete=models.PROTECT, verbose_name=_("所属园区"))
    title = models.CharField(_("项目名称"), max_length=120)
    owner_name = models.CharField(_("负责人"), max_length=50)
    enterprise = models.ForeignKey("orgs.Enterprise", null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="action_projects", verbose_name=_("责任企业"))
    department = models.ForeignKey("orgs.Department", null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="action_projects", verbose_name=_("责任部门"))
    party_org = models.ForeignKey("orgs.PartyOrg", null=True, blank=True, on_delete=models.PROTECT,
                                  related_name="action_projects", verbose_name=_("责任党组织"))
    chain = models.ForeignKey("orgs.Chain", null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="action_projects", verbose_name=_("产业链"))
    description = models.TextField(_("项目内容"), blank=True)
    flagship = models.BooleanField(_("书记项目"), default=False)
    status = models.CharField(_("状态"), max_length=10, choices=ProjectStatus.choices,
                              default=ProjectStatus.ACTIVE)
    started_on = models.DateField(_("开始日期"), null=True, blank=True)
    is_demo = models.BooleanField(_("演示数据"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager()
    scope = Scope(chain="chain_id", enterprise="enterprise_id", department="department_id",
                  org_path="party_org__path", public=True)

    class Meta:
        verbose_name = _("行动项目")
        verbose_name_plural = _("行动项目清单")
        ordering = ["-flagship", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["zone", "title"], name="actionproject_unique_title"),
            models.CheckConstraint(
                name="actionproject_one_unit",
                condition=(Q(enterprise__isnull=False, department__isnull=True, party_org__isnull=True)
                           | Q(enterprise__isnull=True, department__isnull=False, party_org__isnull=True)
                           | Q(enterprise__isnull=True, department__isnull=True, party_org__isnull=False)),
                violation_error_message="责任单位须在企业、部门、党组织中选择且只选择一个"),
        ]
        indexes = [models.Index(fields=["zone", "-id"]), models.Index(fields=["zone", "flagship"])]

    def __str__(self) -> str:
        return self.title

    @property
    def unit(self):
        return self.enterprise or self.department or self.party_org

    @property
    def progress(self) -> int:
        """Percentage of milestones done (counted from the milestone rows; 0 without milestones)."""
        ms = list(self.milestones.all())
        if not ms:
            return 100 if self.status == ProjectStatus.DONE else 0
        return round(100 * sum(1 for m in ms if m.done_on) / len(ms))


class Milestone(models.Model):
    """One dated step of an action project; done when ``done_on`` is set."""

    zone = models.ForeignKey(Zone, on_delete=models.PROTECT)
    project = models.ForeignKey(ActionProject, on_delete=models.CASCADE, related_name="milestones",
                                verbose_name=_("行动项目"))
    title = models.CharField(_("节点名称"), max_length=100)
    due_on = models.DateField(_("计划完成日期"))
    done_on = models.DateField(_("实际完成日期"), null=True, blank=True)
    sort = models.PositiveSmallIntegerField(_("排序"), default=0)

    objects = ScopedManager()
    scope = Scope(chain="project__chain_id", enterprise="project__enterprise_id",
                  department="project__department_id", org_path="project__party_org__path", public=True)

    class Meta:
        verbose_name = _("项目节点")
        verbose_name_plural = _("项目节点")
        ordering = ["project", "sort", "due_on", "id"]
        constraints = [models.UniqueConstraint(fields=["project", "title"], name="milestone_unique_title")]

    def __str__(self) -> str:
        return self.title

    @property
    def late(self) -> bool:
        if self.done_on:
            return self.done_on > self.due_on
        return self.due_on < timezone.localdate()


# --- 资源共享清单 ---------------------------------------------------------------------------------------


class SharedStatus(models.TextChoices):
    AVAILABLE = "available", _("可预约")
    PAUSED = "paused", _("暂停共享")
    RETIRED = "retired", _("已下架")


class SharedResource(models.Model):
    """Equipment, a lab, a testing service or a warehouse that a firm shares with the chain (资源共享清单)."""

    zone = models.ForeignKey(Zone, on_delete=models.PROTECT, verbose_name=_("所属园区"))
    owner = models.ForeignKey("orgs.Enterprise", on_delete=models.PROTECT, related_name="shared_resources",
                              verbose_name=_("提供企业"))
    chain = models.ForeignKey("orgs.Chain", null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="shared_resources", verbose_name=_("产业链"))
    category = models.CharField(_("资源类别"), max_length=20)  # dictionary ``shared_category``
    name = models.CharField(_("资源名称"), max_length=100)
    description = models.TextField(_("资源说明"), blank=True)
    terms = models.CharField(_("收费标准与条件"), max_length=300, blank=True)
    location = models.CharField(_("所在地点"), max_length=120, blank=True)
    contact_name = models.CharField(_("联系人"), max_length=50, blank=True)
    contact_phone = models.CharField(_("联系电话"), max_length=30, blank=True)
    status = models.CharField(_("状态"), max_length=10, choices=SharedStatus.choices,
                              default=SharedStatus.AVAILABLE)
    is_demo = models.BooleanField(_("演示数据"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager()
    scope = Scope(chain="chain_id", enterprise="owner_id", public=True)

    class Meta:
        verbose_name = _("共享资源")
        verbose_name_plural = _("资源共享清单")
        ordering = ["-id"]
        constraints = [models.UniqueConstraint(fields=["owner", "name"], name="sharedresource_unique_name")]
        indexes = [models.Index(fields=["zone", "-id"]), models.Index(fields=["zone", "category"]),
                   models.Index(fields=["zone", "chain"])]

    def __str__(self) -> str:
        return self.name


class BookingState(models.TextChoices):
    PENDING = "pending", _("待审核")
    APPROVED = "approved", _("已同意")
    DECLINED = "declined", _("已拒绝")
    WITHDRAWN = "withdrawn", _("已撤回")
    CANCELLED = "cancelled", _("已取消")


def _booking_enterprise_q(enterprise_id) -> Q:
    return Q(requester_id=enterprise_id) | Q(resource__owner_id=enterprise_id)


class Booking(models.Model):
    """A firm's request to use a shared resource for a span of days; the owner firm decides it.
    Approved bookings of one resource never overlap (checked under a lock on the resource)."""

    zone = models.ForeignKey(Zone, on_delete=models.PROTECT)
    resource = models.ForeignKey(SharedResource, on_delete=models.CASCADE, related_name="bookings",
                                 verbose_name=_("共享资源"))
    requester = models.ForeignKey("orgs.Enterprise", on_delete=models.PROTECT, related_name="bookings",
                                  verbose_name=_("申请企业"))
    start_on = models.DateField(_("开始日期"))
    end_on = models.DateField(_("结束日期"))
    purpose = models.CharField(_("用途"), max_length=200)
    state = models.CharField(_("状态"), max_length=10, choices=BookingState.choices, default=BookingState.PENDING)
    reason = models.CharField(_("处理意见"), max_length=200, blank=True)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="+", verbose_name=_("申请人"))
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+", verbose_name=_("审核人"))
    decided_at = models.DateTimeField(_("审核时间"), null=True, blank=True)
    created_at = models.DateTimeField(_("申请时间"), default=timezone.now)
    is_demo = models.BooleanField(_("演示数据"), default=False)

    objects = ScopedManager()
    scope = Scope(chain="resource__chain_id", enterprise=_booking_enterprise_q)

    class Meta:
        verbose_name = _("预约申请")
        verbose_name_plural = _("预约申请")
        ordering = ["-id"]
        constraints = [
            models.CheckConstraint(name="booking_dates_ordered", condition=Q(end_on__gte=models.F("start_on")),
                                   violation_error_message="结束日期不能早于开始日期"),
        ]
        indexes = [models.Index(fields=["resource", "state", "start_on"]), models.Index(fields=["zone", "-id"])]

    def __str__(self) -> str:
        return f"{self.resource}（{self.start_on:%Y-%m-%d}至{self.end_on:%Y-%m-%d}）"

    @property
    def days(self) -> int:
        return (self.end_on - self.start_on).days + 1


# --- 帮办服务小分队 -------------------------------------------------------------------------------------


class ServiceSquad(models.Model):
    """A help-service squad (帮办服务小分队) of a zone, usually one per chain."""

    zone = models.ForeignKey(Zone, on_delete=models.PROTECT, verbose_name=_("所属园区"))
    chain = models.ForeignKey("orgs.Chain", null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="squads", verbose_name=_("产业链"))
    name = models.CharField(_("小分队名称"), max_length=100)
    leader_name = models.CharField(_("队长"), max_length=50)
    members = models.ManyToManyField("orgs.Member", blank=True, related_name="squads", verbose_name=_("党员队员"))
    member_names = models.CharField(_("其他队员"), max_length=300, blank=True, help_text=_("非党员队员姓名，用顿号分隔"))
    description = models.TextField(_("服务内容"), blank=True)
    is_demo = models.BooleanField(_("演示数据"), default=False)

    objects = ScopedManager()
    scope = Scope(chain="chain_id", public=True)

    class Meta:
        verbose_name = _("帮办服务小分队")
        verbose_name_plural = _("帮办服务小分队")
        ordering = ["zone", "id"]
        constraints = [models.UniqueConstraint(fields=["zone", "name"], name="squad_unique_name")]

    def __str__(self) -> str:
        return self.name


class ServiceVisit(models.Model):
    """One help service a squad gave a firm (培训, 审批代办, 政策宣讲 …), with hours and result."""

    zone = models.ForeignKey(Zone, on_delete=models.PROTECT)
    squad = models.ForeignKey(ServiceSquad, on_delete=models.PROTECT, related_name="visits",
                              verbose_name=_("小分队"))
    enterprise = models.ForeignKey("orgs.Enterprise", on_delete=models.PROTECT, related_name="service_visits",
                                   verbose_name=_("服务企业"))
    kind = models.CharField(_("服务类型"), max_length=20)  # dictionary ``visit_kind``
    visited_on = models.DateField(_("服务日期"))
    hours = models.DecimalField(_("服务时长（小时）"), max_digits=5, decimal_places=1, default=0)
    participants = models.PositiveIntegerField(_("参与人次"), default=0)
    result = models.TextField(_("服务成效"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    is_demo = models.BooleanField(_("演示数据"), default=False)

    photos = Attachments()  # photos and other files of the visit

    objects = ScopedManager()
    scope = Scope(chain="squad__chain_id", enterprise="enterprise_id", owner="created_by")

    class Meta:
        verbose_name = _("帮办服务记录")
        verbose_name_plural = _("帮办服务记录")
        ordering = ["-visited_on", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["squad", "enterprise", "kind", "visited_on"], name="visit_natural_key"),
            models.CheckConstraint(name="visit_hours_range", condition=Q(hours__gte=0, hours__lte=24),
                                   violation_error_message="服务时长应在 0 到 24 小时之间"),
        ]
        indexes = [models.Index(fields=["zone", "-visited_on"]), models.Index(fields=["squad", "-visited_on"])]

    def __str__(self) -> str:
        return f"{self.visited_on:%Y-%m-%d} {self.enterprise}"


# --- 联席会议 -------------------------------------------------------------------------------------------


def _meeting_enterprise_q(enterprise_id) -> Q:
    return Q(pk__in=Resolution.objects.filter(owner_enterprise_id=enterprise_id).values("meeting_id")) | Q(
        pk__in=JointMeeting.attending_orgs.through.objects.filter(partyorg__enterprise_id=enterprise_id)
        .values("jointmeeting_id"))


def _meeting_department_q(department_id) -> Q:
    return Q(pk__in=Resolution.objects.filter(owner_department_id=department_id).values("meeting_id"))


class JointMeeting(models.Model):
    """A chain's joint meeting (联席会议 / 跨企党组织联席会): who attended, minutes, resolutions."""

    zone = models.ForeignKey(Zone, on_delete=models.PROTECT, verbose_name=_("所属园区"))
    chain = models.ForeignKey("orgs.Chain", on_delete=models.PROTECT, related_name="joint_meetings",
                              verbose_name=_("产业链"))
    title = models.CharField(_("会议名称"), max_length=120)
    held_on = models.DateField(_("会议日期"))
    location = models.CharField(_("会议地点"), max_length=120, blank=True)
    host = models.CharField(_("主持人"), max_length=50, blank=True)
    attending_orgs = models.ManyToManyField("orgs.PartyOrg", blank=True, related_name="joint_meetings",
                                            verbose_name=_("参会党组织"))
    minutes = models.TextField(_("会议纪要"), blank=True)
    is_demo = models.BooleanField(_("演示数据"), default=False)

    objects = ScopedManager()
    scope = Scope(chain="chain_id", enterprise=_meeting_enterprise_q, department=_meeting_department_q)

    class Meta:
        verbose_name = _("联席会议")
        verbose_name_plural = _("联席会议")
        ordering = ["-held_on", "-id"]
        constraints = [models.UniqueConstraint(fields=["chain", "title", "held_on"], name="meeting_natural_key")]
        indexes = [models.Index(fields=["zone", "-held_on"])]

    def __str__(self) -> str:
        return f"{self.title}（{self.held_on:%Y-%m-%d}）"


class ResolutionState(models.TextChoices):
    OPEN = "open", _("待办")
    IN_PROGRESS = "in_progress", _("办理中")
    DONE = "done", _("已办结")
    OVERDUE = "overdue", _("已逾期")


# the card levels and the quarter rule are core.deadlines' (shared with the challenge milestones)


class Resolution(models.Model):
    """A resolution (议定事项) of a joint meeting, tracked like an order: an owner unit, a deadline in
    working days, a state, and yellow/red cards raised by ``tick``. ``yellow_at`` is when a quarter
    of the time is left, stored so tick finds due cards by index."""

    zone = models.ForeignKey(Zone, on_delete=models.PROTECT)
    meeting = models.ForeignKey(JointMeeting, on_delete=models.CASCADE, related_name="resolutions",
                                verbose_name=_("联席会议"))
    seq = models.PositiveSmallIntegerField(_("序号"), default=1)
    content = models.CharField(_("议定事项"), max_length=300)
    owner_enterprise = models.ForeignKey("orgs.Enterprise", null=True, blank=True, on_delete=models.PROTECT,
                                         related_name="resolutions", verbose_name=_("责任企业"))
    owner_department = models.ForeignKey("orgs.Department", null=True, blank=True, on_delete=models.PROTECT,
                                         related_name="resolutions", verbose_name=_("责任部门"))
    owner_party_org = models.ForeignKey("orgs.PartyOrg", null=True, blank=True, on_delete=models.PROTECT,
                                        related_name="resolutions", verbose_name=_("责任党组织"))
    owner_name = models.CharField(_("责任人"), max_length=50, blank=True)
    workdays = models.PositiveSmallIntegerField(_("办理时限（工作日）"), default=10)
    starts_at = models.DateTimeField(_("起算时间"))
    yellow_at = models.DateTimeField(_("黄牌时间"), editable=False)
    due_at = models.DateTimeField(_("办理时限"), editable=False)
    state = models.CharField(_("状态"), max_length=12, choices=ResolutionState.choices,
                             default=ResolutionState.OPEN)
    done_at = models.DateTimeField(_("办结时间"), null=True, blank=True)
    result = models.TextField(_("办理结果"), blank=True)
    is_demo = models.BooleanField(_("演示数据"), default=False)

    objects = ScopedManager()
    scope = Scope(chain="meeting__chain_id", enterprise="owner_enterprise_id", department="owner_department_id",
                  org_path="owner_party_org__path")

    class Meta:
        verbose_name = _("议定事项")
        verbose_name_plural = _("议定事项")
        ordering = ["meeting", "seq", "id"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "seq"], name="resolution_unique_seq"),
            models.CheckConstraint(
                name="resolution_one_owner",
                condition=(Q(owner_enterprise__isnull=False, owner_department__isnull=True,
                             owner_party_org__isnull=True)
                           | Q(owner_enterprise__isnull=True, owner_department__isnull=False,
                               owner_party_org__isnull=True)
                           | Q(owner_enterprise__isnull=True, owner_department__isnull=True,
                               owner_party_org__isnull=False)),
                violation_error_message="责任单位须在企业、部门、党组织中选择且只选择一个"),
        ]
        indexes = [models.Index(fields=["zone", "state", "due_at"], name="resolution_zone_state_due"),
                   models.Index(fields=["state", "yellow_at"], name="resolution_state_yellow")]

    def __str__(self) -> str:
        return f"{self.meeting.title}·事项{self.seq}"

    @property
    def owner(self):
        return self.owner_enterprise or self.owner_department or self.owner_party_org

    def card_level(self, now: datetime.datetime | None = None) -> str:
        """The card this resolution shows now: 'red' overdue, 'yellow' under a quarter of time left, else ''."""
        return card_level(done=self.state == ResolutionState.DONE, overdue=self.state == ResolutionState.OVERDUE,
                          due_at=self.due_at, warn_at=self.yellow_at, now=now)


class ResolutionCard(models.Model):
    """A yellow or red card recorded on a resolution; unique per level, so ticks raise it once."""

    zone = models.ForeignKey(Zone, on_delete=models.PROTECT)
    resolution = models.ForeignKey(Resolution, on_delete=models.CASCADE, related_name="cards")
    level = models.CharField(_("等级"), max_length=8, choices=CardLevel.choices)
    raised_at = models.DateTimeField(_("亮牌时间"))
    due_at = models.DateTimeField(_("时限"))

    objects = ScopedManager()
    scope = Scope(chain="resolution__meeting__chain_id", enterprise="resolution__owner_enterprise_id",
                  department="resolution__owner_department_id", org_path="resolution__owner_party_org__path")

    class Meta:
        verbose_name = _("议定事项红黄牌")
        verbose_name_plural = _("议定事项红黄牌")
        ordering = ["-raised_at"]
        constraints = [models.UniqueConstraint(fields=["resolution", "level"], name="resolutioncard_once")]
        indexes = [models.Index(fields=["zone", "-raised_at"])]

    def __str__(self) -> str:
        return f"{self.get_level_display()}·{self.resolution}"


# --- 工单引用 -------------------------------------------------------------------------------------------


class OrderCitation(models.Model):
    """An order (企业需求清单) cites the department resource or action project that solved it."""

    zone = models.ForeignKey(Zone, on_delete=models.PROTECT)
    order = models.ForeignKey("services.ServiceRequest", on_delete=models.CASCADE, related_name="citations",
                              verbose_name=_("服务工单"))
    resource = models.ForeignKey(DepartmentResource, null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="citations", verbose_name=_("部门资源"))
    project = models.ForeignKey(ActionProject, null=True, blank=True, on_delete=models.PROTECT,
                                related_name="citations", verbose_name=_("行动项目"))
    note = models.CharField(_("说明"), max_length=200, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager()
    scope = Scope(chain="order__chain_id", enterprise="order__enterprise_id",
                  department=lambda d: Q(resource__department_id=d) | Q(project__department_id=d))

    class Meta:
        verbose_name = _("工单引用")
        verbose_name_plural = _("工单引用")
        ordering = ["-id"]
        constraints = [
            models.CheckConstraint(
                name="citation_exactly_one",
                condition=(Q(resource__isnull=False, project__isnull=True)
                           | Q(resource__isnull=True, project__isnull=False)),
                violation_error_message="须引用一项部门资源或一个行动项目（且只能一个）"),
            models.UniqueConstraint(fields=["order", "resource"], condition=Q(resource__isnull=False),
                                    name="citation_unique_resource"),
            models.UniqueConstraint(fields=["order", "project"], condition=Q(project__isnull=False),
                                    name="citation_unique_project"),
        ]

    def __str__(self) -> str:
        return f"{self.order} ← {self.resource or self.project}"
