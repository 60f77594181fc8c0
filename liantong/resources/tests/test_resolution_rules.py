"""Resolutions of joint meetings are tracked like orders: working-day deadlines, states, cards raised once."""

import datetime

import pytest

from liantong.core import tick
from liantong.core.calendar import SHANGHAI
from liantong.core.services import ServiceError
from liantong.resources import services
from liantong.resources.models import CardLevel, Resolution, ResolutionCard, ResolutionState
from liantong.resources.workflow import RESOLUTION


def _at(*args):
    return datetime.datetime(*args, tzinfo=SHANGHAI)


@pytest.fixture
def fresh(personas, meeting):
    """A resolution owned by the persona dept_staff's department, 4 working days from 2025-09-26."""
    return services.save_resolution(actor=personas["zone_staff"], meeting=meeting, content="测试：跨国庆的议定事项",
                                    workdays=4, owner_department=personas["dept_staff"].department,
                                    starts_at=_at(2025, 9, 26, 10))


def test_a_deadline_counts_chinese_working_days_across_national_day(fresh):
    # 9-26 (Fri) → 9-28 (Sun, 调休 working) 1 → 9-29 2 → 9-30 3 → 10-1..10-8 holiday → 10-9 4
    assert fresh.due_at.astimezone(SHANGHAI).date() == datetime.date(2025, 10, 9)
    assert fresh.starts_at < fresh.yellow_at < fresh.due_at


def test_cards_are_raised_once_when_tick_runs_twice(fresh):
    in_last_quarter = fresh.yellow_at + datetime.timedelta(minutes=1)
    first = services.tick_resolutions(in_last_quarter)
    again = services.tick_resolutions(in_last_quarter)
    assert first["yellow_cards"] >= 1 and again["yellow_cards"] == 0
    assert ResolutionCard.objects.filter(resolution=fresh, level=CardLevel.YELLOW).count() == 1
    late = fresh.due_at + datetime.timedelta(hours=1)
    services.tick_resolutions(late)
    services.tick_resolutions(late)
    fresh.refresh_from_db()
    assert fresh.state == ResolutionState.OVERDUE
    assert ResolutionCard.objects.filter(resolution=fresh, level=CardLevel.RED).count() == 1
    assert fresh.card_level(late) == CardLevel.RED


def test_the_registered_tick_job_marks_overdue_resolutions(fresh):
    out = tick.run(fresh.due_at + datetime.timedelta(days=1))
    assert "resources.resolutions" in out
    fresh.refresh_from_db()
    assert fresh.state == ResolutionState.OVERDUE


def test_the_owner_department_completes_its_resolution_with_a_result(personas, fresh):
    dept = personas["dept_staff"]
    with pytest.raises(ServiceError, match="办理结果"):
        RESOLUTION.transition(fresh, "complete", actor=dept)
    RESOLUTION.transition(fresh, "start", actor=dept)
    RESOLUTION.transition(fresh, "complete", actor=dept, note="已办结")
    fresh.refresh_from_db()
    assert fresh.state == ResolutionState.DONE and fresh.card_level() == ""
    with pytest.raises(ServiceError, match="已办结"):
        RESOLUTION.transition(fresh, "start", actor=dept)


@pytest.mark.parametrize("who", ["firm_a", "uni", "by_zone", "nobody"])
def test_a_resolution_is_moved_only_by_its_owner_or_the_committees_above(personas, fresh, who):
    """Those outside the owner unit and the committees above do not see the resolution: 404, nothing moves."""
    with pytest.raises(ServiceError, match="未找到该议定事项") as exc:
        RESOLUTION.transition(fresh, "start", actor=personas[who])
    assert exc.value.status == 404
    fresh.refresh_from_db()
    assert fresh.state == ResolutionState.OPEN


def test_a_resolution_needs_exactly_one_owner(personas, meeting):
    with pytest.raises(ServiceError, match="只选择一个"):
        services.save_resolution(actor=personas["zone_staff"], meeting=meeting, content="两个责任单位", workdays=5,
                                 owner_department=personas["dept_staff"].department,
                                 owner_enterprise=personas["firm_a"].enterprise)
    assert not Resolution.objects.filter(content="两个责任单位").exists()
