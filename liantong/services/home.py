"""The services strand's home-page panel: what waits for this user now, with links to the pages.

A firm sees its open orders and those waiting for its rating; a committee its dispatch queue and the
open cards; a department its inbox and how much of it is overdue. Every figure is the count of the
page it links to (same scoping, same states).
"""

from django.urls import reverse
from django.utils import timezone

from liantong.accounts.models import UnitKind

from .models import (
    INBOX_STATES,
    OPEN_STATES,
    OVERDUE_PARAM,
    QUEUE_STATES,
    Assignment,
    Card,
    CardLevel,
    OrderState,
    ServiceRequest,
    overdue_q,
)
from .notify import unread_count
from .services import can_place


def panel(request):
    user = request.user
    rows = []
    now = timezone.now()
    if can_place(user):
        mine = ServiceRequest.objects.visible_to(user).filter(enterprise_id=user.enterprise_id)
        orders = reverse("services:order_list")
        rows.append(("办理中的诉求", mine.filter(state__in=OPEN_STATES).count(),
                     f"{orders}?state={','.join(OPEN_STATES)}", ""))
        rows.append(("待我评价", mine.filter(state=OrderState.RESOLVED).count(), f"{orders}?state=resolved", "warning"))
    committee = user.unit_kind in (UnitKind.ZONE, UnitKind.CHAIN)  # a platform admin dispatches nothing
    if committee and user.has_perm_code("services.dispatch"):
        queue = ServiceRequest.objects.visible_to(user).filter(state__in=QUEUE_STATES)
        rows.append(("待派单", queue.count(), reverse("services:queue"), ""))
        rows.append(("其中已超时", queue.filter(overdue_q(now)).count(), f"{reverse('services:queue')}?{OVERDUE_PARAM}=1",
                     "danger"))
    if committee and user.has_perm_code("services.supervise"):
        cards = Card.objects.visible_to(user).filter(cleared_at__isnull=True)
        board = reverse("services:board")
        rows.append(("红牌督办", cards.filter(level=CardLevel.RED).count(), f"{board}?level=red", "danger"))
        rows.append(("黄牌预警", cards.filter(level=CardLevel.YELLOW).count(), f"{board}?level=yellow", "warning"))
    if user.department_id and user.has_perm_code("services.handle"):
        inbox = Assignment.objects.visible_to(user).filter(active=True, order_state__in=INBOX_STATES)
        rows.append(("部门待办", inbox.count(), reverse("services:dept_inbox"), ""))
        rows.append(("其中已超时", inbox.filter(overdue_q(now)).count(),
                     f"{reverse('services:dept_inbox')}?{OVERDUE_PARAM}=1", "danger"))
    if not rows:
        return None
    unread = unread_count(request)
    rows.append(("未读消息", unread, f"{reverse('services:inbox')}?unread=true", "warning"))
    return {"template": "services/_home_work.html", "rows": rows,
            "place_url": reverse("services:order_create") if can_place(user) else None}


def flows(zone, start, end) -> dict:
    """The zone home's figures over a period: orders placed and orders resolved from ``start`` to
    ``end``, each with the order list showing exactly those rows."""
    orders = reverse("services:order_list")
    zone_orders = ServiceRequest.objects.filter(zone=zone)
    placed = zone_orders.filter(submitted_at__date__gte=start, submitted_at__date__lte=end).count()
    resolved = zone_orders.filter(resolved_at__date__gte=start, resolved_at__date__lte=end).count()
    return {
        "orders_placed": (placed, f"{orders}?submitted_from={start}&submitted_to={end}"),
        "orders_resolved_in": (resolved, f"{orders}?resolved_from={start}&resolved_to={end}"),
    }


def department_rates(request):
    """A department's own three rates (响应率, 按时办结率, 满意率) this month against last month: over the
    orders it leads (the 办理统计 page's definitions), placed in each month."""
    from liantong.core.stats import period_bounds

    from .services import order_figures, with_lead_department

    user = request.user
    if not (user.department_id and user.has_perm_code("services.handle")):
        return None
    start, end, prev_start, prev_end = period_bounds("month", timezone.localdate())
    led = with_lead_department(ServiceRequest.objects.visible_to(user)).filter(lead_department=user.department_id)
    now_f = order_figures(led.filter(submitted_at__date__gte=start, submitted_at__date__lte=end))
    prev_f = order_figures(led.filter(submitted_at__date__gte=prev_start, submitted_at__date__lte=prev_end))
    total = order_figures(led)
    rows = []
    for key, label in (("response_rate", "响应率"), ("on_time_rate", "按时办结率"), ("satisfaction_rate", "满意率")):
        a, b = now_f[key], prev_f[key]
        rows.append({"label": label, "now": a, "prev": b, "all": total[key],
                     "delta": round(a - b, 1) if a is not None and b is not None else None})
    return {"template": "services/_home_dept_rates.html", "rows": rows, "orders_now": now_f["orders"],
            "orders_prev": prev_f["orders"], "orders_all": total["orders"], "figures_url": reverse("services:figures"),
            "month": f"{start.year}年{start.month}月", "prev_month": f"{prev_start.year}年{prev_start.month}月"}
