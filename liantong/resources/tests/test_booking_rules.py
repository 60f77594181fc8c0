"""Booking rules: overlaps refused, only the owner firm decides, the state machine is the table."""

import datetime

import pytest

from liantong.core.models import AuditLog
from liantong.core.services import ServiceError
from liantong.resources import services
from liantong.resources.models import Booking, BookingState
from liantong.resources.workflow import BOOKING


def _day(n):
    return datetime.date.today() + datetime.timedelta(days=n)


def _book(personas, res, start, end, purpose="样品检测"):
    user = personas["firm_b"]
    return services.request_booking(actor=user, resource=res, requester=user.enterprise, start_on=start, end_on=end,
                                    purpose=purpose)


def test_a_firm_books_another_firms_resource_and_the_owner_approves_it(personas, ship_lab):
    b = _book(personas, ship_lab, _day(10), _day(12))
    assert b.state == BookingState.PENDING and b.days == 3
    BOOKING.transition(b, "approve", actor=personas["firm_a"])
    b.refresh_from_db()
    assert b.state == BookingState.APPROVED and b.decided_by == personas["firm_a"]
    assert AuditLog.objects.filter(object_type="resources.booking", object_id=str(b.pk), action="transition").exists()


def test_an_overlapping_booking_is_refused_with_a_chinese_message(personas, ship_lab):
    b = _book(personas, ship_lab, _day(20), _day(25))
    BOOKING.transition(b, "approve", actor=personas["firm_a"])
    before = Booking.objects.count()
    with pytest.raises(ServiceError, match="冲突"):
        _book(personas, ship_lab, _day(25), _day(27))
    assert Booking.objects.count() == before


def test_approving_a_request_that_overlaps_one_approved_meanwhile_is_refused(personas, ship_lab):
    first = _book(personas, ship_lab, _day(40), _day(42))
    second = _book(personas, ship_lab, _day(41), _day(41))  # both pending: allowed
    BOOKING.transition(first, "approve", actor=personas["firm_a"])
    with pytest.raises(ServiceError, match="冲突"):
        BOOKING.transition(second, "approve", actor=personas["firm_a"])
    second.refresh_from_db()
    assert second.state == BookingState.PENDING


@pytest.mark.parametrize("who,status", [("firm_b", 403), ("zone_staff", 403), ("chain_staff", 403),
                                        ("dept_staff", 404)])
def test_a_booking_is_decided_only_by_the_owner_firm(personas, ship_lab, who, status):
    """Those who see the booking (the requester, the committees) are told the role (403); a department that
    does not see it is told nothing (404)."""
    b = _book(personas, ship_lab, _day(50), _day(50))
    with pytest.raises(ServiceError, match="资源提供企业" if status == 403 else "未找到") as exc:
        BOOKING.transition(b, "approve", actor=personas[who])
    assert exc.value.status == status
    b.refresh_from_db()
    assert b.state == BookingState.PENDING


def test_declining_needs_a_reason_and_a_declined_booking_cannot_be_approved(personas, ship_lab):
    b = _book(personas, ship_lab, _day(60), _day(61))
    with pytest.raises(ServiceError, match="理由"):
        BOOKING.transition(b, "decline", actor=personas["firm_a"])
    BOOKING.transition(b, "decline", actor=personas["firm_a"], note="设备检修")
    with pytest.raises(ServiceError, match="已拒绝"):
        BOOKING.transition(b, "approve", actor=personas["firm_a"])


def test_only_the_requester_withdraws_and_either_side_cancels_an_approved_booking(personas, ship_lab):
    b = _book(personas, ship_lab, _day(70), _day(71))
    with pytest.raises(ServiceError, match="申请企业"):
        BOOKING.transition(b, "withdraw", actor=personas["firm_a"])
    BOOKING.transition(b, "withdraw", actor=personas["firm_b"])
    b2 = _book(personas, ship_lab, _day(70), _day(71))
    BOOKING.transition(b2, "approve", actor=personas["firm_a"])
    BOOKING.transition(b2, "cancel", actor=personas["firm_b"])
    b2.refresh_from_db()
    assert b2.state == BookingState.CANCELLED


@pytest.mark.parametrize("start,end,message", [
    (10, 9, "结束日期不能早于开始日期"),
    (-3, 1, "开始日期不能早于今天"),
    (1, 400, "不能超过一年"),
])
def test_bad_booking_dates_are_refused_in_chinese(personas, ship_lab, start, end, message):
    with pytest.raises(ServiceError, match=message):
        _book(personas, ship_lab, _day(start), _day(end))


def test_a_firm_cannot_book_its_own_resource_or_book_in_another_firms_name(personas, ship_lab):
    a = personas["firm_a"]
    with pytest.raises(ServiceError, match="本企业"):
        services.request_booking(actor=a, resource=ship_lab, requester=a.enterprise, start_on=_day(5),
                                 end_on=_day(5), purpose="自用")
    with pytest.raises(ServiceError, match="本企业名义"):
        services.request_booking(actor=a, resource=ship_lab, requester=personas["firm_b"].enterprise,
                                 start_on=_day(5), end_on=_day(5), purpose="代约")


def test_the_month_calendar_marks_approved_days_and_hides_other_firms_purposes(personas, ship_lab):
    b = _book(personas, ship_lab, _day(80), _day(81), purpose="焊接工艺评定")
    BOOKING.transition(b, "approve", actor=personas["firm_a"])
    d = _day(80)
    grid = services.month_grid(ship_lab, d.year, d.month, user=personas["uni"])
    day = next(x for w in grid["weeks"] for x in w if x["date"] == d)
    assert [x.pk for x in day["approved"]] == [b.pk]
    assert b.pk not in grid["visible"]  # the university sees the day taken, not who took it
    assert b.pk in services.month_grid(ship_lab, d.year, d.month, user=personas["firm_b"])["visible"]
