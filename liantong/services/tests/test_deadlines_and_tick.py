"""Deadlines in Chinese working days (国庆 2025, 调休 make-up days) and the periodic job's cards."""

import datetime

import pytest

from liantong.core import calendar
from liantong.services import services
from liantong.services.models import Card, Notification, ServiceRequest
from liantong.services.models import OrderState as S

from .helpers import ZJ_LAND, dept, new_order, user

pytestmark = pytest.mark.django_db
SH = calendar.SHANGHAI


def _local(dt):
    return dt.astimezone(SH)


def test_an_order_placed_before_national_day_must_be_dispatched_on_the_first_working_day_after_it():
    order = new_order(at=datetime.datetime(2025, 9, 30, 10, 0, tzinfo=SH))
    # 1–8 October 2025 are holidays: the next working day is Thursday 9 October
    assert _local(order.due_at) == datetime.datetime(2025, 10, 9, 23, 59, 59, tzinfo=SH)
    assert order.stage == "dispatch"
    assert order.warn_at < order.due_at


def test_a_make_up_sunday_counts_as_a_working_day():
    # Sunday 28 September 2025 is a 调休 working day
    order = new_order(at=datetime.datetime(2025, 9, 26, 16, 0, tzinfo=SH))
    assert _local(order.due_at).date() == datetime.date(2025, 9, 28)


def test_a_make_up_saturday_counts_as_a_working_day():
    # Saturday 11 October 2025 is a 调休 working day
    order = new_order(at=datetime.datetime(2025, 10, 10, 9, 0, tzinfo=SH))
    assert _local(order.due_at).date() == datetime.date(2025, 10, 11)


def test_the_resolve_deadline_counts_the_categorys_limit_across_national_day():
    order = new_order(at=datetime.datetime(2025, 9, 29, 9, 0, tzinfo=SH), category="land")  # limit 10 working days
    order = services.transition(order, "dispatch", actor=user("zj_chain"), lead=dept(ZJ_LAND),
                                at=datetime.datetime(2025, 9, 29, 10, 0, tzinfo=SH))
    order = services.transition(order, "accept", actor=user("zj_dept"),
                                at=datetime.datetime(2025, 9, 29, 11, 0, tzinfo=SH))
    # 9/30, 10/9, 10/10, 10/11 (Sat, 调休), 10/13 … 10/17, 10/20: the 10th working day is Monday 20 October
    assert _local(order.resolve_due_at).date() == datetime.date(2025, 10, 20)
    assert order.due_at == order.resolve_due_at


def test_the_default_limit_is_five_working_days_and_an_admin_can_change_it():
    from liantong.core import dicts
    from liantong.core.models import DictItem

    at = datetime.datetime(2025, 6, 9, 9, 0, tzinfo=SH)  # Monday
    order = new_order(at=at, category="policy")
    order = services.transition(order, "dispatch", actor=user("zj_chain"), lead=dept(ZJ_LAND), at=at)
    order = services.transition(order, "accept", actor=user("zj_dept"), at=at)
    assert _local(order.resolve_due_at).date() == datetime.date(2025, 6, 16)
    DictItem.objects.filter(dict_type__code="service_category", value="policy").update(extra={"limit_days": 2})
    dicts.invalidate()
    order2 = new_order(at=at, category="policy")
    order2 = services.transition(order2, "dispatch", actor=user("zj_chain"), lead=dept(ZJ_LAND), at=at)
    order2 = services.transition(order2, "accept", actor=user("zj_dept"), at=at)
    dicts.invalidate()
    assert _local(order2.resolve_due_at).date() == datetime.date(2025, 6, 11)


def _overdue_order():
    at = datetime.datetime(2025, 6, 9, 9, 0, tzinfo=SH)
    return new_order(at=at), datetime.datetime(2025, 6, 12, 9, 0, tzinfo=SH)


def test_tick_raises_a_yellow_card_when_under_a_quarter_of_the_time_is_left():
    order = new_order(at=datetime.datetime(2025, 6, 9, 9, 0, tzinfo=SH))
    services.tick(order.warn_at - datetime.timedelta(minutes=1))
    assert not Card.objects.filter(order=order).exists()
    services.tick(order.warn_at + datetime.timedelta(minutes=1))
    assert list(Card.objects.filter(order=order).values_list("level", "stage")) == [("yellow", "dispatch")]


def test_tick_run_twice_raises_each_card_once_and_reminds_once():
    order, later = _overdue_order()
    first = services.tick(later)
    notes = Notification.objects.filter(order=order, kind="card_red").count()
    second = services.tick(later)
    assert first["red"] >= 1 and second["red"] == 0
    assert Card.objects.filter(order=order, level="red").count() == 1
    assert Notification.objects.filter(order=order, kind="card_red").count() == notes > 0


def test_the_liantong_tick_job_runs_through_the_shared_runner_twice_without_duplicates():
    from liantong.core import tick

    order, later = _overdue_order()
    tick.run(later)
    tick.run(later)
    assert Card.objects.filter(order=order, level="red").count() == 1


def test_the_red_card_names_the_responsible_department_once_the_order_is_dispatched():
    order, later = _overdue_order()
    order = services.transition(order, "dispatch", actor=user("zj_chain"), lead=dept(ZJ_LAND),
                                at=datetime.datetime(2025, 6, 9, 10, 0, tzinfo=SH))
    services.tick(later)
    card = Card.objects.get(order=order, level="red")
    assert card.stage == "accept" and card.department.name == ZJ_LAND
    services.transition(order, "accept", actor=user("zj_dept"), at=later)
    card.refresh_from_db()
    assert card.cleared_at is not None


def test_tick_sends_the_follow_up_request_once_after_resolution():
    from .helpers import drive

    order = drive(S.RESOLVED)
    ServiceRequest.objects.filter(pk=order.pk).update(followup_sent_at=None)
    now = datetime.datetime(2025, 6, 20, 9, 0, tzinfo=SH)
    services.tick(now)
    services.tick(now)
    assert Notification.objects.filter(order=order, kind="followup", user__username="zj_firm").count() == 1
