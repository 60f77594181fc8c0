"""The booking and resolution machines, tested from their tables (``workflow.BOOKING``, ``workflow.RESOLUTION``)
with the generated cases of ``liantong/core/tests/workflow_kit.py``: every legal move for every role it lists,
every role it does not list refused (403), every pair not in the table refused (409), out of scope 404, a
stale page 409, a missing note 400 — and nothing written on any refusal."""

import datetime
import itertools

import pytest
from django.utils import timezone

from liantong.core.tests.workflow_kit import (
    Trace,
    assert_refused,
    illegal_cases,
    legal_cases,
    wrong_role_cases,
)
from liantong.resources import services
from liantong.resources.models import Booking, Resolution, ResolutionState
from liantong.resources.workflow import BOOKING, RESOLUTION

pytestmark = pytest.mark.django_db

_days = itertools.count(400, 3)  # each booking its own dates: approved ones never overlap


def _booking(personas, ship_lab, state):
    firm_b = personas["firm_b"]
    start = datetime.date.today() + datetime.timedelta(days=next(_days))
    b = services.request_booking(actor=firm_b, resource=ship_lab, requester=firm_b.enterprise, start_on=start,
                                 end_on=start + datetime.timedelta(days=1), purpose="工艺评定")
    Booking.objects.filter(pk=b.pk).update(state=state)  # the test's own data: the state under test
    b.refresh_from_db()
    return b


# the users holding each role on a booking of ship_lab requested by firm_b (from the fixtures' own data)
BOOKING_ROLE_USERS = {"owner": "firm_a", "requester": "firm_b"}


@pytest.mark.parametrize("move,role", legal_cases(BOOKING))
def test_each_legal_booking_move_succeeds_for_each_role_it_lists(personas, ship_lab, move, role):
    b = _booking(personas, ship_lab, move.source)
    actor = personas[BOOKING_ROLE_USERS[role]]
    trace = Trace(BOOKING, b)
    moved = BOOKING.transition(b, move.action, actor=actor, note="测试说明")
    assert moved.state == move.target == trace.now_state() == b.state
    trace.assert_one_move(move, actor)


@pytest.mark.parametrize("move,role", wrong_role_cases(BOOKING))
def test_each_booking_move_is_refused_to_a_role_it_does_not_list(personas, ship_lab, move, role):
    b = _booking(personas, ship_lab, move.source)
    err = assert_refused(BOOKING, b, move.action, personas[BOOKING_ROLE_USERS[role]], 403, note="测试")
    assert "该操作应由" in err.message


@pytest.mark.parametrize("move", BOOKING.moves, ids=lambda m: f"{m.source}-{m.action}")
def test_each_booking_move_is_refused_to_the_committees_that_see_it_and_hidden_from_others(personas, ship_lab, move):
    b = _booking(personas, ship_lab, move.source)
    assert_refused(BOOKING, b, move.action, personas["zone_staff"], 403, note="测试")
    assert_refused(BOOKING, b, move.action, personas["dept_staff"], 404, note="测试")
    assert_refused(BOOKING, b, move.action, personas["by_zone"], 404, note="测试")


@pytest.mark.parametrize("state,action", illegal_cases(BOOKING))
def test_each_booking_pair_not_in_the_table_is_refused_with_409(personas, ship_lab, state, action):
    b = _booking(personas, ship_lab, state)
    err = assert_refused(BOOKING, b, action, personas["admin"], 409, note="测试")
    assert "不能执行" in err.message


def test_a_stale_booking_page_a_missing_reason_and_an_unknown_action(personas, ship_lab):
    b = _booking(personas, ship_lab, "pending")
    owner = personas["firm_a"]
    assert assert_refused(BOOKING, b, "decline", owner, 400).field == "note"
    assert assert_refused(BOOKING, b, "explode", owner, 400).field == "action"
    assert_refused(BOOKING, b, "approve", owner, 409, expected_state="approved")
    stale = Booking.objects.get(pk=b.pk)
    BOOKING.transition(b, "withdraw", actor=personas["firm_b"])
    err = assert_refused(BOOKING, stale, "approve", owner, 409)
    assert "已被他人处理" in err.message


def test_the_buttons_are_the_moves_of_the_role(personas, ship_lab):
    b = _booking(personas, ship_lab, "pending")
    assert BOOKING.buttons(b, personas["firm_a"]) == [("approve", "同意"), ("decline", "拒绝")]
    assert BOOKING.buttons(b, personas["firm_b"]) == [("withdraw", "撤回")]
    assert BOOKING.buttons(b, personas["zone_staff"]) == []


def test_the_booking_history_is_its_audit_rows(personas, ship_lab):
    b = _booking(personas, ship_lab, "pending")
    BOOKING.transition(b, "approve", actor=personas["firm_a"])
    BOOKING.transition(b, "cancel", actor=personas["firm_b"], note="计划调整")
    rows = list(BOOKING.history(b))
    assert [(r.changes["action"], r.changes["from"], r.changes["to"], r.actor_id) for r in rows] == [
        ("approve", "pending", "approved", personas["firm_a"].pk),
        ("cancel", "approved", "cancelled", personas["firm_b"].pk)]
    b.refresh_from_db()
    assert b.reason == "计划调整" and b.decided_by == personas["firm_b"]


# --- resolutions ---------------------------------------------------------------------------------------------


def _resolution(personas, meeting, state):
    """A resolution owned by dept_staff's department, due 10 working days from now (not yet overdue)."""
    r = services.save_resolution(actor=personas["zone_staff"], meeting=meeting, content="生成测试的议定事项",
                                 workdays=10, owner_department=personas["dept_staff"].department,
                                 starts_at=timezone.now())
    Resolution.objects.filter(pk=r.pk).update(state=state)
    r.refresh_from_db()
    return r


# the owner department and the zone committee above it both hold the one role
RESOLUTION_ROLE_USERS = {"handler": ["dept_staff", "zone_staff"]}


@pytest.mark.parametrize("who", RESOLUTION_ROLE_USERS["handler"])
@pytest.mark.parametrize("move,role", legal_cases(RESOLUTION))
def test_each_legal_resolution_move_succeeds_for_its_handlers(personas, meeting, move, role, who):
    r = _resolution(personas, meeting, move.source)
    trace = Trace(RESOLUTION, r)
    moved = RESOLUTION.transition(r, move.action, actor=personas[who], note="已办理")
    assert moved.state == move.target == trace.now_state()
    trace.assert_one_move(move, personas[who])
    if move.action == "complete":
        assert moved.result == "已办理" and moved.done_at is not None


def test_the_resolution_table_has_one_role_so_no_wrong_role_case():
    assert wrong_role_cases(RESOLUTION) == []


@pytest.mark.parametrize("move", RESOLUTION.moves, ids=lambda m: f"{m.source}-{m.action}")
def test_each_resolution_move_is_hidden_from_those_outside(personas, meeting, move):
    r = _resolution(personas, meeting, move.source)
    for who in ("firm_a", "uni", "by_zone", "nobody"):
        assert_refused(RESOLUTION, r, move.action, personas[who], 404, note="测试")


@pytest.mark.parametrize("state,action", illegal_cases(RESOLUTION))
def test_each_resolution_pair_not_in_the_table_is_refused_with_409(personas, meeting, state, action):
    r = _resolution(personas, meeting, state)
    assert_refused(RESOLUTION, r, action, personas["dept_staff"], 409, note="测试")


def test_completing_needs_a_result_and_reopening_after_the_deadline_is_overdue(personas, meeting):
    r = _resolution(personas, meeting, ResolutionState.IN_PROGRESS)
    assert assert_refused(RESOLUTION, r, "complete", personas["dept_staff"], 400).field == "note"
    RESOLUTION.transition(r, "complete", actor=personas["dept_staff"], note="已办结")
    late = r.due_at + datetime.timedelta(days=1)
    moved = RESOLUTION.transition(r, "reopen", actor=personas["zone_staff"], at=late)
    assert moved.state == ResolutionState.OVERDUE and moved.done_at is None
    assert list(RESOLUTION.history(r))[-1].changes["to"] == ResolutionState.OVERDUE


def test_the_tick_marking_a_resolution_overdue_is_in_its_history(personas, meeting):
    r = _resolution(personas, meeting, ResolutionState.IN_PROGRESS)
    services.tick_resolutions(r.due_at + datetime.timedelta(hours=1))
    rows = list(RESOLUTION.history(r))
    assert [(x.changes["action"], x.changes["from"], x.changes["to"], x.actor_id) for x in rows] == [
        ("overdue", ResolutionState.IN_PROGRESS, ResolutionState.OVERDUE, None)]
