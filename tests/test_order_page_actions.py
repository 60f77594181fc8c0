"""The order page's actions for people: 并单 picks the order from a list (no typed number), 不予受理 and
并单 ask before they act, a dispatch suggestion fills the lead department, and acting on an order marks the
messages about it read."""

import re

from django.utils import timezone

from liantong.services import services
from liantong.services.models import Notification, OrderState


def _orders(firm, n=2):
    return [services.place_order(actor=firm, title=f"界面测试诉求{i}", category="land", at=timezone.now())
            for i in range(n)]


def test_merge_offers_a_picker_of_open_orders_and_merges_the_chosen_one(personas, client_for):
    first, second = _orders(personas["firm_a"])
    c = client_for(personas["chain_staff"])
    html = c.get(f"/services/orders/{second.pk}/").content.decode()
    picker = re.search(r'<select[^>]*name="into".*?</select>', html, re.S).group(0)
    assert f'value="{first.ref}"' in picker and f'value="{second.ref}"' not in picker
    assert 'data-confirm="确定把这件诉求并入所选工单吗' in html and 'data-confirm="确定不予受理' in html
    c.post(f"/services/orders/{second.pk}/move/", {"action": "merge", "state": second.state, "into": first.ref,
                                                  "note": "同一件事"})
    second.refresh_from_db()
    assert second.merged_into_id == first.pk and second.state == OrderState.MERGED


def test_a_dispatch_suggestion_is_a_button_that_fills_the_lead_department(personas, client_for):
    (order,) = _orders(personas["firm_a"], 1)
    html = client_for(personas["chain_staff"]).get(f"/services/orders/{order.pk}/").content.decode()
    if 'data-testid="suggestions"' in html:
        assert re.search(r'<button type="button"[^>]*data-fill="#id_lead" data-value="\d+"', html)


def test_acting_on_an_order_marks_the_messages_about_it_read(personas, client_for):
    (order,) = _orders(personas["firm_a"], 1)
    chain = personas["chain_staff"]
    url = f"/services/orders/{order.pk}/"
    # the committee is told of new orders; make sure one message is about this order
    Notification.objects.create(user=chain, zone_id=order.zone_id, order=order, kind="new", title="新诉求", url=url,
                                created_at=timezone.now())
    from liantong.orgs.models import Department

    lead = Department.objects.filter(zone_id=order.zone_id).order_by("pk").first()
    client_for(chain).post(f"{url}move/", {"action": "dispatch", "state": order.state, "lead": lead.pk})
    order.refresh_from_db()
    assert order.state == OrderState.DISPATCHED
    assert not Notification.objects.filter(user=chain, order=order, read_at__isnull=True).exists()
