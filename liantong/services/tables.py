"""List-page columns and filters of the services strand."""

import dataclasses

from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html

from liantong.core import dicts
from liantong.core.lists import Listing
from liantong.core.tables import Column, Filter, sorts
from liantong.orgs.models import Chain, Department
from liantong.orgs.tables import ZONE

from .models import OPEN_STATES, QUEUE_STATES, Card, Notification, ServiceBundle, ServiceRequest


def _when(attr):
    def render(obj):
        v = obj
        for part in attr.split("."):
            v = getattr(v, part, None)
        return timezone.localtime(v).strftime("%Y-%m-%d %H:%M") if v else ""
    return render


def _due(attr):
    def render(obj):
        v = obj
        for part in attr.split("."):
            v = getattr(v, part, None)
        if not v:
            return ""
        late = v < timezone.now()
        return format_html('<span class="{}">{}</span>', "text-danger fw-bold" if late else "",
                           timezone.localtime(v).strftime("%Y-%m-%d %H:%M") + ("（超期）" if late else ""))
    return render


def chain_choices(user):
    return list(Chain.objects.visible_to(user).values_list("pk", "name")[:200])


def department_choices(user):
    return list(Department.objects.visible_to(user).values_list("pk", "name")[:300])


ORDER_COLUMNS = [
    Column("编号", "ref", link="services:order_detail", order="id"),
    Column("诉求标题", "title", link="services:order_detail"),
    Column("企业", "enterprise.name"),
    Column("类别", "category", dict_code="service_category"),
    Column("紧急", "urgency", dict_code="urgency"),
    Column("状态", "state", dict_code="order_state"),
    Column("提交时间", "submitted_at", render=_when("submitted_at"), order="submitted_at"),
    Column("本环节时限", "due_at", render=_due("due_at"), order="due_at"),
]
OPEN_STATE_VALUE = ",".join(OPEN_STATES)  # ?state=… takes one state or this list (办理中)


def _state_choices(user):
    return [(OPEN_STATE_VALUE, "办理中（全部）"), *dicts.choices("order_state")]


ORDER_FILTERS = [
    Filter("state", "状态", "state__in", _state_choices),
    Filter("category", "类别", "category", "service_category"),
    Filter("urgency", "紧急程度", "urgency", "urgency"),
    Filter("chain", "产业链", "chain_id", chain_choices),
    # date ranges (no choices: not in the filter bar; the zone home's period figures link with them)
    Filter("submitted_from", "提交日期起", "submitted_at__date__gte"),
    Filter("submitted_to", "提交日期止", "submitted_at__date__lte"),
    Filter("resolved_from", "办结日期起", "resolved_at__date__gte"),
    Filter("resolved_to", "办结日期止", "resolved_at__date__lte"),
]

ASSIGNMENT_COLUMNS = [
    Column("编号", "order.ref"),
    Column("诉求标题", "order.title", render=lambda a: format_html(
        '<a href="/services/orders/{}/">{}</a>', a.order_id, a.order.title)),
    Column("企业", "order.enterprise.name"),
    Column("类别", "order.category", dict_code="service_category"),
    Column("承办", "role", dict_code="assignment_role"),
    Column("承办状态", "state", dict_code="assignment_state"),
    Column("工单状态", "order_state", dict_code="order_state"),
    Column("时限", "due_at", render=_due("due_at"), order="due_at"),
]
ASSIGNMENT_FILTERS = [
    Filter("order_state", "工单状态", "order_state", "order_state"),
    Filter("role", "承办角色", "role", "assignment_role"),
    Filter("state", "承办状态", "state", "assignment_state"),
]

CARD_COLUMNS = [
    Column("督办牌", "level", dict_code="card_level"),
    Column("编号", "order.ref"),
    Column("诉求标题", "order.title", render=lambda c: format_html(
        '<a href="/services/orders/{}/">{}</a>', c.order_id, c.order.title)),
    Column("环节", "stage", dict_code="order_stage"),
    Column("责任部门", "department.name", render=lambda c: c.department.name if c.department else "派单（党委）"),
    Column("时限", "due_at", render=_when("due_at"), order="due_at"),
    Column("亮牌时间", "raised_at", render=_when("raised_at"), order="raised_at"),
]


def _card_status(rows, value, user):
    """``?status=``: open (未消除, the board's default), closed (已消除) or all."""
    if value == "all":
        return rows
    return rows.filter(cleared_at__isnull=value == "open")


CARD_FILTERS = [
    Filter("status", "督办状态", "", lambda u: [("open", "未消除"), ("closed", "已消除"), ("all", "全部（含已消除）")],
           apply=_card_status, default="open"),
    Filter("level", "督办牌", "level", "card_level"),
    Filter("stage", "环节", "stage", "order_stage"),
    Filter("department", "责任部门", "department_id", department_choices),
    Filter("chain", "产业链", "order__chain_id", chain_choices),
]

BUNDLE_COLUMNS = [
    Column("事项名称", "title", link="services:bundle_detail", order="title"),
    Column("企业", "enterprise.name"),
    Column("总体时限", "due_at", render=_due("due_at"), order="due_at"),
    Column("总体评价", "satisfaction", dict_code="satisfaction"),
]
BUNDLE_FILTERS = [ZONE, Filter("chain", "产业链", "chain_id", chain_choices),
                  Filter("enterprise", "企业", "enterprise_id", None)]


def _message_title(n):
    return format_html('<a class="{}" href="{}">{}</a>', "" if n.read_at else "fw-bold",
                       reverse("services:notification_open", args=[n.pk]), n.title)


NOTIFICATION_COLUMNS = [
    Column("消息", "title", render=_message_title),
    Column("内容", "body", render=lambda n: n.body if len(n.body) <= 120 else n.body[:119] + "…"),
    Column("时间", "created_at", render=_when("created_at"), order="created_at"),
    Column("状态", "read_at", render=lambda n: "已读" if n.read_at else "未读"),
]
NOTIFICATION_FILTERS = [Filter("unread", "阅读状态", "read_at__isnull", lambda u: [("true", "未读"), ("false", "已读")])]


# --- the lists' read declarations (page, API, export) ---------------------------------------------------

ORDERS = Listing(ServiceRequest, filters=[*ORDER_FILTERS, ZONE], search_fields=["title", "ref"],
                 sorts=sorts(ORDER_COLUMNS), select_related=["enterprise"])
# the dispatch queue: the orders waiting for the committee, earliest deadline first, by one queue state
QUEUE = dataclasses.replace(
    ORDERS, ordering="due_at",
    filters=[*(f for f in ORDERS.filters if f.name != "state"),
             Filter("state", "状态", "state", lambda u: [(s.value, s.label) for s in QUEUE_STATES])])
CARDS = Listing(Card, filters=CARD_FILTERS, search_fields=["order__title", "order__ref"],
                ordering=("-raised_at", "-id"), sorts=sorts(CARD_COLUMNS), select_related=["order", "department"])
BUNDLES = Listing(ServiceBundle, filters=BUNDLE_FILTERS, search_fields=["title"], sorts=sorts(BUNDLE_COLUMNS),
                  select_related=["enterprise"])
# the user's own messages (站内信), whatever the roles: read by owner, not by the scope (仅本人 gives them to none)
NOTIFICATIONS = Listing(Notification, filters=NOTIFICATION_FILTERS, search_fields=["title", "body"],
                        sorts=sorts(NOTIFICATION_COLUMNS), base=lambda user: Notification.objects.owned_by(user))
