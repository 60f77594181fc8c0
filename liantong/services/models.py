"""Services strand (服务优链): the closed loop 企业点单 → 党委派单 → 部门接单 → 办结 → 评价.

A firm's order (``ServiceRequest``, the 企业需求清单) moves through one state machine kept as data
(``workflow.TRANSITIONS``); each move writes a ``TimelineEntry`` and an audit row. Departments work
on ``Assignment`` rows (one lead 主办, any assisting 协办). Deadlines are stored as datetimes (computed
in Chinese working days) so queues and the supervision board filter and sort by index; overdue or
nearly-due stages raise ``Card`` rows (yellow/red), unique per order/stage/level/round.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from liantong.core.models import Attachments, ScopedManager, Zone
from liantong.core.scoping import Scope
from liantong.core.textsearch import Searchable


class OrderState(models.TextChoices):
    SUBMITTED = "submitted", _("待派单")
    DISPATCHED = "dispatched", _("待接单")
    RETURNED = "returned", _("已退回待改派")
    ACCEPTED = "accepted", _("办理中")
    EXTENSION_REQUESTED = "extension_requested", _("延期待审")
    RESOLVED = "resolved", _("已办结待评价")
    RATED = "rated", _("已评价")
    ESCALATED = "escalated", _("党工委督办")
    CLOSED = "closed", _("已结案")
    DECLINED = "declined", _("不予受理")
    WITHDRAWN = "withdrawn", _("已撤回")
    MERGED = "merged", _("已并单")


# what waits for the committee (the dispatch queue) and for a department (its inbox)
QUEUE_STATES = [OrderState.SUBMITTED, OrderState.RETURNED, OrderState.EXTENSION_REQUESTED, OrderState.ESCALATED]
INBOX_STATES = [OrderState.DISPATCHED, OrderState.ACCEPTED, OrderState.EXTENSION_REQUESTED]
OVERDUE_PARAM = "overdue"  # ?overdue=1 on the queue and the inbox: only what is past its deadline (其中已超时)


def overdue_q(now) -> Q:
    """Past the running stage's deadline at ``now`` (an order, or an assignment: both carry ``due_at``)."""
    return Q(due_at__lt=now)

OPEN_STATES = [OrderState.SUBMITTED, OrderState.DISPATCHED, OrderState.RETURNED, OrderState.ACCEPTED,
               OrderState.EXTENSION_REQUESTED, OrderState.ESCALATED]
DONE_STATES = [OrderState.RESOLVED, OrderState.RATED, OrderState.CLOSED]


class Urgency(models.TextChoices):
    NORMAL = "normal", _("一般")
    URGENT = "urgent", _("紧急")
    CRITICAL = "critical", _("特急")


class Stage(models.TextChoices):
    """The stage whose deadline is running (督办 cards are raised per stage)."""

    DISPATCH = "dispatch", _("派单")
    ACCEPT = "accept", _("接单")
    RESOLVE = "resolve", _("办理")
    NONE = "", _("无")


class Satisfaction(models.IntegerChoices):
    SATISFIED = 3, _("满意")
    BASIC = 2, _("基本满意")
    UNSATISFIED = 1, _("不满意")


def _order_department_q(department_id) -> Q:
    return Q(pk__in=Assignment.objects.filter(department_id=department_id).values("order_id"))


class ServiceBundle(models.Model):
    """"高效办成一件事": one need spanning several departments, handled as linked orders with one
    overall deadline, one progress bar and one rating."""

    zone = models.ForeignKey(Zone, on_delete=models.PROTECT, verbose_name=_("所属园区"))
    enterprise = models.ForeignKey("orgs.Enterprise", on_delete=models.PROTECT, related_name="service_bundles",
                                   verbose_name=_("企业"))
    chain = models.ForeignKey("orgs.Chain", null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
                              verbose_name=_("产业链"))
    title = models.CharField(_("事项名称"), max_length=100)
    description = models.TextField(_("事项说明"), blank=True)
    due_at = models.DateTimeField(_("总体办结时限"), null=True, blank=True)
    satisfaction = models.PositiveSmallIntegerField(_("总体评价"), choices=Satisfaction.choices, null=True,
                                                    blank=True)
    rating_note = models.CharField(_("评价意见"), max_length=300, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created_at = models.DateTimeField(_("提交时间"))
    is_demo = models.BooleanField(_("演示数据"), default=False)

    objects = ScopedManager()
    scope = Scope(chain="chain_id", enterprise="enterprise_id",
                  department=lambda d: Q(pk__in=Assignment.objects.filter(department_id=d)
                                         .values("order__bundle_id")))

    class Meta:
        verbose_name = _("一件事")
        verbose_name_plural = _("高效办成一件事")
        ordering = ["-id"]
        indexes = [models.Index(fields=["zone", "-id"])]

    def __str__(self) -> str:
        return self.title


class ServiceRequest(Searchable):
    """A firm's order (企业点单), the 企业需求清单. Its ``state`` changes only through
    ``workflow.transition``; ``due_at`` is the running stage's deadline (indexed with zone and state)."""

    search_sources = ("title", "ref")

    zone = models.ForeignKey(Zone, on_delete=models.PROTECT, verbose_name=_("所属园区"))
    ref = models.CharField(_("编号"), max_length=32, unique=True, null=True, blank=True)
    enterprise = models.ForeignKey("orgs.Enterprise", on_delete=models.PROTECT, related_name="service_requests",
                                   verbose_name=_("企业"))
    chain = models.ForeignKey("orgs.Chain", null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="service_requests", verbose_name=_("产业链"))
    category = models.CharField(_("诉求类别"), max_length=30)
    title = models.CharField(_("诉求标题"), max_length=100)
    description = models.TextField(_("诉求内容"), blank=True)
    urgency = models.CharField(_("紧急程度"), max_length=10, choices=Urgency.choices, default=Urgency.NORMAL)
    contact_name = models.CharField(_("联系人"), max_length=50, blank=True)
    contact_phone = models.CharField(_("联系电话"), max_length=30, blank=True)
    terms = models.CharField(_("分词"), max_length=400, blank=True, editable=False)
    bundle = models.ForeignKey(ServiceBundle, null=True, blank=True, on_delete=models.SET_NULL,
                               related_name="orders", verbose_name=_("所属一件事"))
    merged_into = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="merged_orders", verbose_name=_("并入工单"))

    state = models.CharField(_("状态"), max_length=20, choices=OrderState.choices, default=OrderState.SUBMITTED)
    stage = models.CharField(_("当前环节"), max_length=10, choices=Stage.choices, default=Stage.DISPATCH,
                             blank=True)
    round = models.PositiveSmallIntegerField(_("办理轮次"), default=1)
    stage_started_at = models.DateTimeField(_("本环节开始"), null=True, blank=True)
    due_at = models.DateTimeField(_("本环节时限"), null=True, blank=True)
    # When under a quarter of the stage's time is left (yellow card), fixed when the stage starts.
    warn_at = models.DateTimeField(_("黄牌预警时间"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("提交时间"))
    dispatched_at = models.DateTimeField(_("派单时间"), null=True, blank=True)
    accepted_at = models.DateTimeField(_("接单时间"), null=True, blank=True)
    resolve_due_at = models.DateTimeField(_("办结时限"), null=True, blank=True)
    resolved_at = models.DateTimeField(_("办结时间"), null=True, blank=True)
    rated_at = models.DateTimeField(_("评价时间"), null=True, blank=True)
    closed_at = models.DateTimeField(_("结束时间"), null=True, blank=True)
    extension_days = models.PositiveSmallIntegerField(_("已延期工作日"), default=0)
    pending_extension_days = models.PositiveSmallIntegerField(_("申请延期工作日"), default=0)
    reopen_count = models.PositiveSmallIntegerField(_("重办次数"), default=0)
    responded_on_time = models.BooleanField(_("按时响应"), null=True, blank=True)
    resolved_on_time = models.BooleanField(_("按时办结"), null=True, blank=True)
    workdays_taken = models.PositiveSmallIntegerField(_("办理用时（工作日）"), null=True, blank=True)
    satisfaction = models.PositiveSmallIntegerField(_("满意度"), choices=Satisfaction.choices, null=True,
                                                    blank=True)
    rating_note = models.CharField(_("评价意见"), max_length=300, blank=True)
    resolution = models.TextField(_("办理结果"), blank=True)
    followup_sent_at = models.DateTimeField(_("回访提醒时间"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+", verbose_name=_("提交人"))
    is_demo = models.BooleanField(_("演示数据"), default=False)

    attachments = Attachments()

    objects = ScopedManager()
    scope = Scope(chain="chain_id", enterprise="enterprise_id", department=_order_department_q,
                  owner="created_by")

    class Meta:
        verbose_name = _("服务工单")
        verbose_name_plural = _("企业需求清单")
        ordering = ["-id"]
        indexes = [
            models.Index(fields=["zone", "state", "due_at"], name="sr_zone_state_due"),
            models.Index(fields=["zone", "-id"], name="sr_zone_id"),
            models.Index(fields=["chain", "state", "due_at"], name="sr_chain_state_due"),
            models.Index(fields=["enterprise", "-id"], name="sr_enterprise_id"),
            models.Index(fields=["zone", "category"], name="sr_zone_category"),
            models.Index(fields=["state", "warn_at"], name="sr_state_warn"),
            models.Index(fields=["state", "due_at"], name="sr_state_due"),
            # orders in one state, newest first (the list's default order): a zone's, and across all zones
            models.Index(fields=["zone", "state", "-id"], name="sr_zone_state_id"),
            models.Index(fields=["state", "-id"], name="sr_state_id"),
            # the dashboards' figures per period (orders submitted, orders resolved) and per chain; the first
            # holds every column the figures and the health index read (``order_figures``, ``_grouped``), so
            # a zone's year of orders is counted from the index alone (a chain's too: ``chain`` is in it)
            models.Index(fields=["zone", "submitted_at", "chain", "state", "responded_on_time", "resolved_on_time",
                                 "satisfaction", "workdays_taken"], name="sr_zone_submitted"),
            models.Index(fields=["zone", "resolved_at", "state"], name="sr_zone_resolved"),
            models.Index(fields=["chain", "resolved_at", "state"], name="sr_chain_resolved"),
        ]

    def __str__(self) -> str:
        return f"{self.ref or self.pk} {self.title}"


class AssignmentRole(models.TextChoices):
    LEAD = "lead", _("主办")
    ASSIST = "assist", _("协办")


class AssignmentState(models.TextChoices):
    PENDING = "pending", _("待接单")
    ACCEPTED = "accepted", _("办理中")
    REPORTED = "reported", _("已反馈")
    RESOLVED = "resolved", _("已办结")
    RETURNED = "returned", _("已退回")
    CANCELLED = "cancelled", _("已撤销")


class Assignment(models.Model):
    """One department's part of an order: lead (主办) or assisting (协办), with its own state.
    Re-dispatch (改派) deactivates the old rows and adds new ones, so history stays."""

    zone = models.ForeignKey(Zone, on_delete=models.PROTECT)
    order = models.ForeignKey(ServiceRequest, on_delete=models.CASCADE, related_name="assignments",
                              verbose_name=_("工单"))
    department = models.ForeignKey("orgs.Department", on_delete=models.PROTECT, related_name="assignments",
                                   verbose_name=_("承办部门"))
    role = models.CharField(_("承办角色"), max_length=8, choices=AssignmentRole.choices)
    state = models.CharField(_("承办状态"), max_length=10, choices=AssignmentState.choices,
                             default=AssignmentState.PENDING)
    active = models.BooleanField(_("当前有效"), default=True)
    round = models.PositiveSmallIntegerField(_("轮次"), default=1)
    # Denormalised from the order so the department inbox is one indexed query.
    order_state = models.CharField(max_length=20, choices=OrderState.choices, default=OrderState.DISPATCHED)
    due_at = models.DateTimeField(_("时限"), null=True, blank=True)
    note = models.TextField(_("办理意见"), blank=True)
    assigned_at = models.DateTimeField(_("派单时间"))
    finished_at = models.DateTimeField(_("完成时间"), null=True, blank=True)

    objects = ScopedManager()
    scope = Scope(chain="order__chain_id", enterprise="order__enterprise_id", department="department_id")

    class Meta:
        verbose_name = _("承办任务")
        verbose_name_plural = _("承办任务")
        ordering = ["-id"]
        indexes = [
            models.Index(fields=["department", "active", "order_state", "due_at"], name="asg_dept_inbox"),
            models.Index(fields=["order", "active"], name="asg_order_active"),
        ]

    def __str__(self) -> str:
        return f"{self.department}（{self.get_role_display()}）"


class TimelineEntry(models.Model):
    """One move of an order: who, when, from which state to which, by which action, with a note."""

    zone = models.ForeignKey(Zone, on_delete=models.PROTECT)
    order = models.ForeignKey(ServiceRequest, on_delete=models.CASCADE, related_name="timeline")
    at = models.DateTimeField(_("时间"))
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="+")
    actor_name = models.CharField(_("操作人"), max_length=150, blank=True)
    actor_unit = models.CharField(_("操作单位"), max_length=120, blank=True)
    action = models.CharField(_("操作"), max_length=24)
    from_state = models.CharField(_("原状态"), max_length=20, choices=OrderState.choices, blank=True)
    to_state = models.CharField(_("新状态"), max_length=20, choices=OrderState.choices)
    department = models.ForeignKey("orgs.Department", null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+", verbose_name=_("部门"))
    note = models.TextField(_("说明"), blank=True)

    objects = ScopedManager()
    scope = Scope(chain="order__chain_id", enterprise="order__enterprise_id",
                  department=lambda d: Q(order__in=Assignment.objects.filter(department_id=d).values("order_id")))

    class Meta:
        verbose_name = _("办理记录")
        verbose_name_plural = _("办理记录")
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["order", "at"], name="tl_order_at")]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_name} {self.action}"


class CardLevel(models.TextChoices):
    YELLOW = "yellow", _("黄牌")
    RED = "red", _("红牌")


class Card(models.Model):
    """A yellow (under a quarter of the time left) or red (overdue) card on one stage of an order.
    Unique per order/stage/level/round, so raising it twice (two ticks at once) is a no-op."""

    zone = models.ForeignKey(Zone, on_delete=models.PROTECT)
    order = models.ForeignKey(ServiceRequest, on_delete=models.CASCADE, related_name="cards")
    stage = models.CharField(_("环节"), max_length=10, choices=Stage.choices)
    level = models.CharField(_("等级"), max_length=8, choices=CardLevel.choices)
    round = models.PositiveSmallIntegerField(_("轮次"), default=1)
    department = models.ForeignKey("orgs.Department", null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="cards", verbose_name=_("责任部门"))
    due_at = models.DateTimeField(_("时限"))
    raised_at = models.DateTimeField(_("亮牌时间"))
    cleared_at = models.DateTimeField(_("消除时间"), null=True, blank=True)

    objects = ScopedManager()
    scope = Scope(chain="order__chain_id", department="department_id")

    class Meta:
        verbose_name = _("督办红黄牌")
        verbose_name_plural = _("督办红黄牌")
        ordering = ["-raised_at"]
        constraints = [models.UniqueConstraint(fields=["order", "stage", "level", "round"], name="card_once")]
        indexes = [models.Index(fields=["zone", "cleared_at", "-raised_at"], name="card_zone_open"),
                   # the supervision board's counts per department and level, from the index alone
                   models.Index(fields=["zone", "cleared_at", "department", "level"], name="card_zone_open_dept")]

    def __str__(self) -> str:
        return f"{self.get_level_display()}·{self.get_stage_display()}"


class Notification(models.Model):
    """An in-app message (站内信) to one user; email too when SMTP is configured."""

    zone = models.ForeignKey(Zone, null=True, blank=True, on_delete=models.PROTECT)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    order = models.ForeignKey(ServiceRequest, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(_("类型"), max_length=20)
    title = models.CharField(_("标题"), max_length=200)
    body = models.TextField(_("内容"), blank=True)
    url = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(_("时间"))
    read_at = models.DateTimeField(_("已读时间"), null=True, blank=True)

    objects = ScopedManager()
    scope = Scope(zone=None, owner="user")

    class Meta:
        verbose_name = _("消息")
        verbose_name_plural = _("消息")
        ordering = ["-id"]
        indexes = [models.Index(fields=["user", "read_at", "-id"], name="notif_user_unread")]

    def __str__(self) -> str:
        return self.title


class DispatchStat(models.Model):
    """What past dispatches teach: how often a category or a term went to a department (lead), and how
    often the department returned the category (退单: the dispatch is taken back, the return counted).
    Kept current by the dispatch and return moves (F() increments); ``gen`` rebuilds it in bulk."""

    zone = models.ForeignKey(Zone, on_delete=models.CASCADE)
    department = models.ForeignKey("orgs.Department", on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=60)  # "c:<category>", "t:<term>" or "r:<category>" (returns, 退单)
    count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["zone", "key", "department"], name="dispatchstat_unique")]
