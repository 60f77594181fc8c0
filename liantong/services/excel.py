"""Excel columns of the services strand (export only: orders are placed through the 点单 form)."""

from __future__ import annotations

from django.utils import timezone

from liantong.core import dicts
from liantong.core.excel import Spec, XCol
from liantong.core.services import ServiceError

from .models import Assignment, Card, ServiceRequest


def _dt(attr):
    def get(obj, user=None):
        v = obj
        for part in attr.split("."):
            v = getattr(v, part, None)
        return timezone.localtime(v).strftime("%Y-%m-%d %H:%M") if v else ""
    return get


def _attr(attr, code=None):
    def get(obj, user=None):
        v = obj
        for part in attr.split("."):
            v = getattr(v, part, None) if v is not None else None
        if code:
            return dicts.label(code, v)
        return "" if v is None else (str(v) if not isinstance(v, (int, float, bool)) else v)
    return get


def _no_import(*args, **kwargs):
    raise ServiceError("该清单只支持导出")


def _spec(kind, title, columns, queryset):
    return Spec(kind=kind, title=title, columns=columns, key=lambda row: None, resolve=lambda row, ctx: {},
                save=_no_import, queryset=queryset)


ORDER_COLUMNS = [
    XCol("工单编号", "ref", export=_attr("ref")),
    XCol("企业", "enterprise", export=_attr("enterprise.name"), width=30),
    XCol("产业链", "chain", export=_attr("chain.name")),
    XCol("诉求类别", "category", export=_attr("category", "service_category")),
    XCol("诉求标题", "title", export=_attr("title"), width=36),
    XCol("紧急程度", "urgency", export=_attr("urgency", "urgency")),
    XCol("状态", "state", export=_attr("state", "order_state")),
    XCol("提交时间", "submitted_at", export=_dt("submitted_at")),
    XCol("本环节时限", "due_at", export=_dt("due_at")),
    XCol("办结时间", "resolved_at", export=_dt("resolved_at")),
    XCol("办理用时（工作日）", "workdays_taken", export=_attr("workdays_taken")),
    XCol("按时办结", "resolved_on_time", export=lambda o, u=None: {True: "是", False: "否"}.get(o.resolved_on_time, "")),
    XCol("满意度", "satisfaction", export=_attr("satisfaction", "satisfaction")),
]
ORDERS = _spec("orders", "企业需求清单", ORDER_COLUMNS,
               lambda user: ServiceRequest.objects.visible_to(user).select_related("enterprise", "chain"))

ASSIGNMENTS = _spec("assignments", "部门承办任务", [
    XCol("工单编号", "ref", export=_attr("order.ref")),
    XCol("诉求标题", "title", export=_attr("order.title"), width=36),
    XCol("企业", "enterprise", export=_attr("order.enterprise.name"), width=30),
    XCol("承办部门", "department", export=_attr("department.name")),
    XCol("承办角色", "role", export=_attr("role", "assignment_role")),
    XCol("承办状态", "state", export=_attr("state", "assignment_state")),
    XCol("工单状态", "order_state", export=_attr("order_state", "order_state")),
    XCol("派单时间", "assigned_at", export=_dt("assigned_at")),
    XCol("时限", "due_at", export=_dt("due_at")),
], lambda user: Assignment.objects.visible_to(user).select_related("order", "order__enterprise", "department"))

CARDS = _spec("cards", "督办红黄牌", [
    XCol("工单编号", "ref", export=_attr("order.ref")),
    XCol("诉求标题", "title", export=_attr("order.title"), width=36),
    XCol("督办牌", "level", export=_attr("level", "card_level")),
    XCol("环节", "stage", export=_attr("stage", "order_stage")),
    XCol("责任部门", "department", export=lambda o, u=None: o.department.name if o.department else "派单（党委）"),
    XCol("时限", "due_at", export=_dt("due_at")),
    XCol("亮牌时间", "raised_at", export=_dt("raised_at")),
    XCol("消除时间", "cleared_at", export=_dt("cleared_at")),
], lambda user: Card.objects.visible_to(user).select_related("order", "department"))

SPECS = {"orders": ORDERS, "order-assignments": ASSIGNMENTS, "order-cards": CARDS}
