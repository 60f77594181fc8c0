"""The bulk generator's orders are ones the services could have made: legal timelines against the real
``TRANSITIONS`` table, the right actors, calendar deadlines, consistent assignments and the cards a
``tick`` would have raised (a small run on the demo zones; the province run is measured in benchmarks/)."""

import dataclasses
import datetime
from collections import defaultdict

import pytest

from liantong.accounts.models import UnitKind, User
from liantong.core import calendar
from liantong.core.gen import SCALES
from liantong.orgs.models import ChainMembership
from liantong.services import gen, services
from liantong.services.models import Assignment, Card, ServiceRequest, TimelineEntry
from liantong.services.models import OrderState as S
from liantong.services.workflow import OPEN_TICK_STATES, TRANSITIONS, category_limit

pytestmark = pytest.mark.django_db

NOW = datetime.datetime(2026, 3, 2, 3, 0, tzinfo=datetime.UTC)
LEGAL = {(m.source, m.action): m for m in TRANSITIONS}
COMMITTEE_ACTIONS = {"dispatch", "redispatch", "decline", "merge", "grant_extension", "refuse_extension", "close"}
DEPARTMENT_ACTIONS = {"accept", "return", "resolve", "request_extension", "report"}
FIRM_ACTIONS = {"submit", "withdraw", "rate", "reopen", "escalate"}


@pytest.fixture(scope="module")
def generated(django_db_setup, django_db_blocker):
    """One generation of 1,500 orders ending at ``NOW`` (rolled back after the module)."""
    from django.db import transaction

    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            before = set(ServiceRequest.objects.values_list("pk", flat=True))
            out = gen.generate(dataclasses.replace(SCALES["tiny"], orders=1500), log=lambda s: None, now=NOW)
            made = list(ServiceRequest.objects.exclude(pk__in=before).order_by("pk"))
            timelines = defaultdict(list)
            for t in TimelineEntry.objects.filter(order__in=made).order_by("order_id", "at", "id"):
                timelines[t.order_id].append(t)
            yield {"out": out, "orders": made, "timelines": timelines}
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


def test_the_generator_makes_the_orders_it_reports_in_every_final_state(generated):
    orders = generated["orders"]
    assert generated["out"]["orders"] == len(orders) == 1500
    assert generated["out"]["timeline"] == sum(len(t) for t in generated["timelines"].values())
    states = {o.state for o in orders}
    for state in (S.SUBMITTED, S.DISPATCHED, S.RETURNED, S.ACCEPTED, S.EXTENSION_REQUESTED, S.RESOLVED, S.RATED,
                  S.DECLINED, S.WITHDRAWN, S.MERGED):
        assert state in states, state


def test_every_row_carries_its_firms_zone_and_the_firms_chain(generated):
    chains = defaultdict(set)
    for ent, chain in ChainMembership.objects.values_list("enterprise_id", "chain_id"):
        chains[ent].add(chain)
    for o in generated["orders"]:
        assert o.zone_id == o.enterprise.zone_id
        assert o.chain_id in chains[o.enterprise_id]
        assert all(t.zone_id == o.zone_id for t in generated["timelines"][o.pk])
    ids = [o.pk for o in generated["orders"]]
    assert not Assignment.objects.filter(order_id__in=ids).exclude(zone_id__in=[o.zone_id for o in
                                                                               generated["orders"]]).exists()
    for a in Assignment.objects.filter(order_id__in=ids).select_related("order", "department"):
        assert a.zone_id == a.order.zone_id == a.department.zone_id
    for c in Card.objects.filter(order_id__in=ids).select_related("order"):
        assert c.zone_id == c.order.zone_id


def test_each_timeline_is_a_path_of_legal_moves_in_time_order_ending_in_the_orders_state(generated):
    for o in generated["orders"]:
        steps = generated["timelines"][o.pk]
        assert (steps[0].action, steps[0].from_state, steps[0].to_state) == ("submit", "", S.SUBMITTED)
        assert steps[0].at == o.submitted_at
        for prev, step in zip(steps, steps[1:]):
            move = LEGAL.get((step.from_state, step.action))
            assert move is not None, (o.ref, step.from_state, step.action)
            assert step.from_state == prev.to_state and step.to_state == move.target
            assert prev.at < step.at <= NOW
        assert steps[-1].to_state == o.state


def test_each_move_is_made_by_a_user_of_the_zone_in_the_role_the_move_needs(generated):
    users = {u.pk: u for u in User.objects.all()}
    staffed = {u.department_id for u in users.values() if u.department_id and u.is_active}
    committees = {u.zone_id for u in users.values() if u.unit_kind == UnitKind.ZONE and u.is_active}
    committees |= {u.chain_id for u in users.values() if u.unit_kind == UnitKind.CHAIN and u.is_active}
    leads = {}
    for o in generated["orders"]:
        for step in generated["timelines"][o.pk]:
            assert step.actor_name
            if step.action in ("dispatch", "redispatch"):
                leads[o.pk] = step.department_id
            u = users.get(step.actor_id)
            if step.action in FIRM_ACTIONS:
                assert u is None or u.enterprise_id == o.enterprise_id
                continue
            if u is None:  # only a unit without any staff acts under its own name (demo zones have some)
                if step.action in DEPARTMENT_ACTIONS:
                    assert step.department_id not in staffed, (o.ref, step.action)
                else:
                    assert o.zone_id not in committees and step.actor_name == "系统", (o.ref, step.action)
                continue
            assert u.zone_id == o.zone_id
            if step.action in COMMITTEE_ACTIONS:
                assert u.unit_kind == UnitKind.ZONE or (u.unit_kind == UnitKind.CHAIN and u.chain_id == o.chain_id)
                if step.action == "close":
                    assert u.unit_kind == UnitKind.ZONE
            else:
                assert step.action in DEPARTMENT_ACTIONS
                assert u.unit_kind == UnitKind.DEPARTMENT and u.department_id == step.department_id
                if step.action != "report":
                    assert step.department_id == leads[o.pk]


def test_deadlines_follow_the_chinese_working_day_calendar(generated):
    for o in generated["orders"]:
        if o.state in OPEN_TICK_STATES:
            assert o.stage and o.due_at and o.warn_at and o.stage_started_at
            assert o.warn_at == o.due_at - (o.due_at - o.stage_started_at) / 4
            if o.stage in ("dispatch", "accept"):
                assert o.due_at == calendar.deadline(o.stage_started_at, 1)
            elif o.extension_days == 0:
                assert o.due_at == o.resolve_due_at == calendar.deadline(o.stage_started_at,
                                                                          category_limit(o.category))
        else:
            assert not o.stage and o.due_at is None and o.warn_at is None
        if o.accepted_at:
            assert o.responded_on_time == (o.accepted_at <= calendar.deadline(o.dispatched_at, 1))
        if o.state in (S.RESOLVED, S.RATED):
            assert o.resolved_on_time == (o.resolved_at <= o.resolve_due_at)
            assert o.workdays_taken == calendar.workdays_elapsed(o.submitted_at, o.resolved_at)
            assert o.followup_sent_at and o.resolution
        if o.state == S.RATED:
            assert o.satisfaction in (2, 3) and o.rated_at == o.closed_at


def test_assignments_mirror_the_order_as_the_moves_leave_them(generated):
    by_order = defaultdict(list)
    for a in Assignment.objects.filter(order_id__in=[o.pk for o in generated["orders"]]):
        by_order[a.order_id].append(a)
    for o in generated["orders"]:
        active = [a for a in by_order[o.pk] if a.active]
        dispatches = sum(t.action in ("dispatch", "redispatch") for t in generated["timelines"][o.pk])
        assert len([a for a in by_order[o.pk] if a.role == "lead"]) == dispatches
        if o.state in (S.DISPATCHED, S.ACCEPTED, S.EXTENSION_REQUESTED, S.RESOLVED, S.RATED, S.ESCALATED):
            lead = [a for a in active if a.role == "lead"]
            assert len(lead) == 1
            assert all(a.order_state == o.state and a.due_at == o.due_at and a.round == o.round for a in active)
            expected = {S.DISPATCHED: "pending", S.ACCEPTED: "accepted", S.EXTENSION_REQUESTED: "accepted",
                        S.RESOLVED: "resolved", S.RATED: "resolved", S.ESCALATED: "resolved"}[o.state]
            assert lead[0].state == expected
            if o.state in (S.RESOLVED, S.RATED, S.ESCALATED):
                assert all(a.state == "reported" for a in active if a.role == "assist")
        else:
            assert not active


def test_the_cards_are_those_a_tick_would_have_raised_so_a_tick_now_raises_none(generated):
    ids = [o.pk for o in generated["orders"]]
    cards = list(Card.objects.filter(order_id__in=ids))
    assert any(c.level == "red" for c in cards) and any(c.level == "yellow" for c in cards)
    open_orders = {o.pk for o in generated["orders"] if o.state in OPEN_TICK_STATES}
    for c in cards:
        assert c.raised_at <= NOW
        assert (c.raised_at > c.due_at) if c.level == "red" else (c.raised_at <= c.due_at)
        assert c.cleared_at is None or c.cleared_at >= c.raised_at
        if c.cleared_at is None:
            assert c.order_id in open_orders
    services.tick(NOW)  # (the demo's own open orders may earn cards: they are not counted here)
    assert Card.objects.filter(order_id__in=ids).count() == len(cards)
    assert not ServiceRequest.objects.filter(pk__in=ids, state=S.RESOLVED, followup_sent_at__gt=NOW).exists()


def test_merged_orders_point_at_a_live_order_of_their_zone(generated):
    merged = [o for o in generated["orders"] if o.state == S.MERGED]
    assert merged
    for o in merged:
        target = ServiceRequest.objects.get(pk=o.merged_into_id)
        assert target.zone_id == o.zone_id and target.pk < o.pk
        assert target.state not in (S.MERGED, S.DECLINED, S.WITHDRAWN)
