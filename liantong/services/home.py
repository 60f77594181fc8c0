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
    return {"template": "services/_home_work.html", "rows": rows,
            "place_url": reverse("services:order_create") if can_place(user) else None}
