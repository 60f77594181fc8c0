"""``liantong gen``: synthetic orders with their assignments and timelines, bulk-inserted.

The services strand's one documented bulk path (DESIGN-NOTES 8). It reads the zones, firms
(with their chain) and departments that exist — the organisation generator's 合成园区 when there
are any, else every zone — and spreads ``scale.orders`` orders over them. It does not call
``transition`` per row (a million orders would take hours) but keeps what it keeps:

* every row's ``zone`` is its firm's zone; the chain is one of the firm's chains;
* each order's ``state`` is the ``to_state`` of its last timeline row, and the timeline follows
  legal moves of ``workflow.TRANSITIONS`` (submit → dispatch → accept → resolve → rate, with some
  returns and re-dispatches);
* deadlines come from ``core.calendar`` exactly as the services compute them (dispatch and accept
  within 1 working day, resolve within the category's limit), ``due_at``/``warn_at``/``stage``
  describe the running stage, and on-time flags, working days taken and satisfaction are set on
  finished orders;
* every open order past its stage has an active lead assignment whose ``order_state``/``due_at``
  mirror the order; ``DispatchStat`` is rebuilt from the generated lead assignments.

Primary keys are reserved above the current maximum so timelines can point at their orders
before the insert; PostgreSQL sequences are moved past them afterwards.
"""

from __future__ import annotations

import datetime
import random
import time
from collections.abc import Callable

from django.core.management.color import no_style
from django.db import connection, transaction
from django.db.models import Count, Max

from liantong.core import calendar
from liantong.core.models import Zone

from .categories import CATEGORIES
from .demo import PROBLEMS
from .models import (
    Assignment,
    AssignmentRole,
    AssignmentState,
    DispatchStat,
    OrderState,
    ServiceRequest,
    Stage,
    TimelineEntry,
)
from .suggest import tokenize
from .workflow import category_limit

S = OrderState
BATCH = 5000
# final state → share of orders
MIX = [(S.RATED, 58), (S.RESOLVED, 10), (S.ACCEPTED, 12), (S.DISPATCHED, 6), (S.SUBMITTED, 6), (S.RETURNED, 2),
       (S.EXTENSION_REQUESTED, 2), (S.DECLINED, 2), (S.WITHDRAWN, 2)]


def _zones():
    zones = Zone.objects.filter(name__startswith="合成园区", is_demo=True).order_by("id")
    return list(zones) if zones.exists() else list(Zone.objects.order_by("id"))


def _stage(order: ServiceRequest, stage: str, start: datetime.datetime, due: datetime.datetime) -> None:
    order.stage, order.stage_started_at, order.due_at = stage, start, due
    order.warn_at = due - (due - start) / 4


class _Deadlines:
    """calendar.deadline, memoised per (Shanghai date, n): the generator asks millions of times."""

    def __init__(self):
        self.cache: dict = {}

    def __call__(self, at: datetime.datetime, n: int) -> datetime.datetime:
        key = (at.astimezone(calendar.SHANGHAI).date(), n)
        if key not in self.cache:
            self.cache[key] = calendar.deadline(at, n)
        return self.cache[key]


def _plan(rng: random.Random) -> str:
    x = rng.uniform(0, 100)
    for state, share in MIX:
        x -= share
        if x <= 0:
            return state
    return S.RATED


def generate(scale, log: Callable[[str], None] = print) -> dict:
    """Insert ``scale.orders`` orders (with assignments and timelines) over the existing zones."""
    from liantong.orgs.models import ChainMembership, Department

    t0 = time.perf_counter()
    rng = random.Random(f"services:{scale.name}")
    zones = _zones()
    if not zones:
        log("服务优链：没有园区，跳过")
        return {"orders": 0}
    deadline = _Deadlines()
    now = datetime.datetime.now(datetime.UTC)
    cats = [c for c, _, _ in CATEGORIES]
    limits = {c: category_limit(c) for c in cats}
    titles = {c: [(t, " ".join(tokenize(t))) for t in PROBLEMS[c]] for c in cats}
    next_order = (ServiceRequest.objects.aggregate(n=Max("pk"))["n"] or 0) + 1
    counts = {"orders": 0, "assignments": 0, "timeline": 0}
    per_zone = [scale.orders // len(zones) + (1 if i < scale.orders % len(zones) else 0) for i in range(len(zones))]
    for zone, n_orders in zip(zones, per_zone):
        firms = list(ChainMembership.objects.filter(zone=zone).values_list("enterprise_id", "chain_id")
                     .order_by("enterprise_id", "id").distinct())
        depts = list(Department.objects.filter(zone=zone).values_list("pk", flat=True))
        if not firms or not depts:
            log(f"服务优链：{zone.name} 没有链上企业或部门，跳过")
            continue
        lead_of = {c: depts[i % len(depts)] for i, c in enumerate(cats)}
        orders, assignments, timeline = [], [], []

        def flush():
            with transaction.atomic():
                ServiceRequest.objects.bulk_create(orders, batch_size=BATCH)
                Assignment.objects.bulk_create(assignments, batch_size=BATCH)
                TimelineEntry.objects.bulk_create(timeline, batch_size=BATCH)
            counts["orders"] += len(orders)
            counts["assignments"] += len(assignments)
            counts["timeline"] += len(timeline)
            orders.clear(), assignments.clear(), timeline.clear()

        for _ in range(n_orders):
            pk = next_order
            next_order += 1
            ent, chain = firms[rng.randrange(len(firms))]
            cat = rng.choice(cats)
            title, terms = rng.choice(titles[cat])
            final = _plan(rng)
            # old enough that every step of its path lies in the past, so timelines stay in order
            age = {S.SUBMITTED: rng.uniform(0.01, 1.5), S.DISPATCHED: rng.uniform(1.7, 3)}.get(
                final, rng.uniform(5, 365))
            at = now - datetime.timedelta(days=age)
            o = ServiceRequest(pk=pk, zone_id=zone.pk, ref=f"G{zone.pk}-{pk}", enterprise_id=ent, chain_id=chain,
                               category=cat, title=title, description=f"{title}（合成数据）", terms=terms,
                               submitted_at=at, is_demo=True, urgency="normal", round=1)
            steps = [("submit", "", S.SUBMITTED, at, None)]
            _stage(o, Stage.DISPATCH, at, deadline(at, 1))
            state = S.SUBMITTED

            def step(action, to, when, dept=None):
                steps.append((action, state, to, when, dept))
                return to

            if final in (S.DECLINED, S.WITHDRAWN):
                when = at + datetime.timedelta(hours=rng.uniform(1, 20))
                state = step("decline" if final == S.DECLINED else "withdraw", final, when)
                o.closed_at = when
                o.stage, o.due_at, o.warn_at, o.stage_started_at = "", None, None, None
            elif final != S.SUBMITTED:
                lead = lead_of[cat] if rng.random() < 0.85 else rng.choice(depts)
                when = at + datetime.timedelta(hours=rng.uniform(0.5, 30))
                if final == S.RETURNED or rng.random() < 0.03:
                    wrong = rng.choice(depts)
                    assignments.append(Assignment(zone_id=zone.pk, order_id=pk, department_id=wrong,
                                                  role=AssignmentRole.LEAD, state=AssignmentState.RETURNED,
                                                  active=False, round=1, order_state=S.RETURNED, assigned_at=when,
                                                  finished_at=when + datetime.timedelta(hours=2)))
                    state = step("dispatch", S.DISPATCHED, when, wrong)
                    when += datetime.timedelta(hours=2)
                    state = step("return", S.RETURNED, when, wrong)
                    _stage(o, Stage.DISPATCH, when, deadline(when, 1))
                    if final == S.RETURNED:
                        o.state = state
                        _emit(o, steps, timeline, zone.pk)
                        orders.append(o)
                        if len(orders) >= BATCH:
                            flush()
                        continue
                    when += datetime.timedelta(hours=rng.uniform(1, 6))
                    o.round = 2
                    state = step("redispatch", S.DISPATCHED, when, lead)
                else:
                    state = step("dispatch", S.DISPATCHED, when, lead)
                o.dispatched_at = when
                _stage(o, Stage.ACCEPT, when, deadline(when, 1))
                a = Assignment(zone_id=zone.pk, order_id=pk, department_id=lead, role=AssignmentRole.LEAD,
                               state=AssignmentState.PENDING, active=True, round=o.round, assigned_at=when)
                assignments.append(a)
                if final != S.DISPATCHED:
                    acc = when + datetime.timedelta(hours=rng.uniform(0.5, 40))
                    o.accepted_at, o.responded_on_time = acc, acc <= o.due_at
                    state = step("accept", S.ACCEPTED, acc, lead)
                    a.state = AssignmentState.ACCEPTED
                    o.resolve_due_at = deadline(acc, limits[cat])
                    _stage(o, Stage.RESOLVE, acc, o.resolve_due_at)
                    if final == S.EXTENSION_REQUESTED:
                        o.pending_extension_days = 3
                        state = step("request_extension", S.EXTENSION_REQUESTED, acc + datetime.timedelta(days=1),
                                     lead)
                    elif final in (S.RESOLVED, S.RATED):
                        span = (o.resolve_due_at - acc).total_seconds()
                        res = acc + datetime.timedelta(seconds=span * rng.uniform(0.2, 1.25))
                        if res > now:
                            res = now - datetime.timedelta(minutes=5)
                        state = step("resolve", S.RESOLVED, res, lead)
                        a.state, a.finished_at = AssignmentState.RESOLVED, res
                        o.resolved_at, o.resolved_on_time = res, res <= o.resolve_due_at
                        o.workdays_taken = max(0, calendar.workdays_elapsed(at, res))
                        o.resolution = "已协调办结（合成数据）"
                        o.followup_sent_at = res
                        o.stage, o.due_at, o.warn_at, o.stage_started_at = "", None, None, None
                        if final == S.RATED:
                            rated = min(now, res + datetime.timedelta(hours=rng.uniform(2, 72)))
                            o.satisfaction = 3 if rng.random() < 0.8 else (2 if rng.random() < 0.7 else 1)
                            if o.satisfaction == 1:
                                o.satisfaction = 2  # a 不满意 would have reopened the order
                            state = step("rate", S.RATED, rated)
                            o.rated_at = o.closed_at = rated
                a.order_state, a.due_at = state, o.due_at
            o.state = state
            _emit(o, steps, timeline, zone.pk)
            orders.append(o)
            if len(orders) >= BATCH:
                flush()
        if orders:
            flush()
        _learn(zone.pk)
        log(f"服务优链：{zone.name} {n_orders} 件工单（{time.perf_counter() - t0:.0f} 秒）")
    if connection.vendor == "postgresql":
        with connection.cursor() as c:
            for stmt in connection.ops.sequence_reset_sql(no_style(), [ServiceRequest]):
                c.execute(stmt)
    counts["seconds"] = round(time.perf_counter() - t0, 1)
    return counts


def _emit(o: ServiceRequest, steps, timeline: list, zone_id: int) -> None:
    for action, src, dst, when, dept in steps:
        timeline.append(TimelineEntry(zone_id=zone_id, order_id=o.pk, at=when, actor_name="合成数据",
                                      actor_unit="合成数据", action=action, from_state=src, to_state=dst,
                                      department_id=dept))


def _learn(zone_id: int) -> None:
    """Rebuild the zone's dispatch statistics (category → lead department) from its assignments."""
    DispatchStat.objects.filter(zone_id=zone_id).delete()
    rows = (Assignment.objects.filter(zone_id=zone_id, role=AssignmentRole.LEAD, active=True)
            .values("department_id", "order__category").annotate(n=Count("pk")))
    DispatchStat.objects.bulk_create([DispatchStat(zone_id=zone_id, department_id=r["department_id"],
                                                   key=f"c:{r['order__category']}", count=r["n"]) for r in rows],
                                     batch_size=BATCH)
