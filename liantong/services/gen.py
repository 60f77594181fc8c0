"""``liantong gen``: synthetic orders with their timelines, assignments, cards and ratings, bulk-inserted.

The services strand's one documented bulk path (DESIGN-NOTES 8, ``docs/generator.md``). It reads the
zones, firms (with their chain), departments and users that exist — the organisation generator's
合成园区 when there are any, else every zone — and spreads ``scale.orders`` orders over them
(province: 1,000,000). It does not call ``workflow.transition`` per move (a million orders would take
hours) but replays each order's life with the same rules, so it keeps what the services keep:

* every row's ``zone`` is its firm's zone; the chain is the firm's chain;
* each order's moves are looked up in ``workflow.TRANSITIONS`` (``find_move``: an illegal move would
  raise), so its timeline is a legal path (submit → dispatch → accept → resolve → rate, with returns
  and re-dispatches, assisting departments and their reports, extensions granted or refused, 不满意
  reopenings and escalations, declines, withdrawals and merges); timestamps increase and lie in the
  past; ``state`` is the last timeline row's ``to_state``;
* actors are the zone's users in the role the move needs (zone or chain committee, the lead or
  assisting department's staff, the firm's user or, for firms without one, its contact person);
  each generated zone's departments get a staff user (``gen_zNN_dK``) when they have none;
* deadlines come from ``core.calendar`` exactly as the services compute them — precomputed per
  day (``_Calendar``), not called per row — and ``stage``/``round``/``due_at``/``warn_at`` describe
  the running stage the way ``workflow._set_stage`` leaves it; on-time flags, working days taken,
  satisfaction and follow-ups are set on finished orders;
* assignments have the state, round, ``order_state`` and ``due_at`` the moves leave them with;
* cards are those ``liantong tick`` (run every few minutes) would have raised — a yellow card once a
  stage passes its ``warn_at``, a red one once it passes ``due_at``, one per order/stage/level/round,
  with the lead department once dispatched — cleared by the moves that clear them, so a ``tick``
  right after the run finds nothing to raise;
* ``DispatchStat`` counts every dispatch's category and terms, and takes back the returned ones
  (counted as returns of the category), as ``suggest.learn`` / ``suggest.unlearn`` do.

Rows are built as plain tuples in column order (datetimes naive UTC, which both backends store as
such) and go in with ``executemany`` of the model's INSERT (``core.gen.insert``: batches of 5,000,
one transaction per 50,000). At scale, zones are simulated in two forked workers while the main
process inserts, and on SQLite the secondary indexes are dropped for the load and rebuilt once;
the SQLite bulk-load settings apply, and the loaded tables are analysed at the end. Order keys are
reserved above the current maximum so timelines, assignments and cards can point at their order
before it is inserted; PostgreSQL's sequences are moved past them afterwards. One audit row per
zone records the bulk creation. Measured: 368 s for 1,000,000 orders on SQLite (benchmarks/README.md).
"""

from __future__ import annotations

import dataclasses
import datetime
import os
import random
import time
from collections import Counter
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from multiprocessing import get_context

from django.db import connection
from django.db.models import Max

from liantong.core import audit, calendar
from liantong.core import gen as core_gen
from liantong.core.models import Zone

from .categories import CATEGORIES
from .demo import PROBLEMS
from .models import (
    Assignment,
    AssignmentRole,
    AssignmentState,
    Card,
    CardLevel,
    DispatchStat,
    OrderState,
    ServiceRequest,
    Stage,
    TimelineEntry,
)
from .suggest import dispatch_keys, return_key, tokenize
from .workflow import category_limit, find_move

S = OrderState
A = AssignmentState
LEAD, ASSIST = str(AssignmentRole.LEAD), str(AssignmentRole.ASSIST)
YELLOW, RED = str(CardLevel.YELLOW), str(CardLevel.RED)
DISPATCH, ACCEPT, RESOLVE = str(Stage.DISPATCH), str(Stage.ACCEPT), str(Stage.RESOLVE)
HOUR = datetime.timedelta(hours=1)
DAY = datetime.timedelta(days=1)
TICK_EVERY = 600.0  # seconds: cards are raised by a tick at most this long after their moment
ZONE_PREFIX = "合成园区"
POOL_THRESHOLD = 100_000  # simulate zones in forked workers above this many orders

# final state → share of orders (per cent)
MIX = [(S.RATED, 61), (S.RESOLVED, 8), (S.ACCEPTED, 11), (S.DISPATCHED, 5), (S.SUBMITTED, 5), (S.RETURNED, 2),
       (S.EXTENSION_REQUESTED, 2), (S.DECLINED, 2), (S.WITHDRAWN, 2), (S.MERGED, 1), (S.ESCALATED, 0.5),
       (S.CLOSED, 0.5)]
# final state → age of the order in days (open orders are recent, finished ones spread over a year)
AGE = {S.SUBMITTED: (0.02, 3), S.DISPATCHED: (0.1, 4), S.RETURNED: (0.2, 5), S.ACCEPTED: (0.5, 20),
       S.EXTENSION_REQUESTED: (1, 20), S.RESOLVED: (1, 30), S.ESCALATED: (3, 40)}
AGE_DONE = (3, 365)
# action → (min, max) hours after the previous move
GAP = {"dispatch": (0.3, 30), "redispatch": (0.5, 12), "return": (0.5, 20), "accept": (0.3, 36),
       "decline": (1, 24), "withdraw": (1, 30), "merge": (1, 20), "grant_extension": (1, 20),
       "refuse_extension": (1, 20), "report": (2, 48), "rate": (2, 72), "reopen": (2, 72), "escalate": (2, 72),
       "close": (24, 120)}
NOTES = {"decline": "不属于园区服务范围，已告知企业其他办理渠道", "return": "不属本部门职责，请改派",
         "report": "已按分工配合办理", "request_extension": "需上级部门批复，申请延期", "refuse_extension": "时限内可以办结",
         "resolve": "已协调办结（合成数据）", "close": "党工委督办后结案", "reopen": "办理结果未解决问题",
         "escalate": "重办后仍未解决"}


class _Calendar:
    """``calendar.deadline`` and ``workdays_elapsed`` precomputed per Shanghai day over the run's range,
    so a million orders never walk the calendar row by row (days outside the range are computed once).
    Times here are naive UTC (the generator's own arithmetic; see ``generate``)."""

    EIGHT = datetime.timedelta(hours=8)  # Asia/Shanghai has had no daylight saving since 1991

    def __init__(self, first: datetime.date, last: datetime.date, workday_counts: set[int]):
        self.due: dict[tuple[datetime.date, int], datetime.datetime] = {}
        self.cum: dict[datetime.date, int] = {}
        day, n = first, 0
        while day <= last:
            n += calendar.is_workday(day)
            self.cum[day] = n
            day += DAY
        day = first
        while day <= last:
            for k in workday_counts:
                self.due[(day, k)] = calendar.deadline(
                    datetime.datetime.combine(day, datetime.time(12), tzinfo=calendar.SHANGHAI), k
                ).replace(tzinfo=None)
            day += DAY

    def day(self, at: datetime.datetime) -> datetime.date:
        return (at + self.EIGHT).date()

    def deadline(self, at: datetime.datetime, n: int) -> datetime.datetime:
        key = ((at + self.EIGHT).date(), n)
        due = self.due.get(key)
        if due is None:
            due = self.due[key] = calendar.deadline(at.replace(tzinfo=datetime.UTC), n).replace(tzinfo=None)
        return due

    def elapsed(self, start: datetime.datetime, end: datetime.datetime) -> int:
        a, b = self.cum.get(self.day(start)), self.cum.get(self.day(end))
        if a is None or b is None:
            return calendar.workdays_elapsed(start.replace(tzinfo=datetime.UTC), end.replace(tzinfo=datetime.UTC))
        return b - a


def _zones() -> list[Zone]:
    zones = Zone.objects.filter(name__startswith=ZONE_PREFIX, is_demo=True).order_by("id")
    return list(zones) if zones.exists() else list(Zone.objects.order_by("id"))


def _plan(rng: random.Random) -> str:
    x = rng.uniform(0, 100)
    for state, share in MIX:
        x -= share
        if x <= 0:
            return state
    return S.RATED


def _actions(final: str, rng: random.Random) -> list[str]:
    """The moves after ``submit`` that end in ``final`` (reports are added before each resolve)."""
    r = rng.random
    if final == S.SUBMITTED:
        return []
    if final == S.DECLINED:
        return (["dispatch", "return"] if r() < 0.2 else []) + ["decline"]
    if final == S.WITHDRAWN:
        return (["dispatch"] if r() < 0.4 else []) + ["withdraw"]
    if final == S.MERGED:
        return ["merge"]
    if final == S.RETURNED:
        return ["dispatch", "return"]
    acts = ["dispatch", "return", "redispatch"] if r() < 0.04 else ["dispatch"]
    if r() < 0.02:
        acts.append("redispatch")  # 改派 before anyone accepted
    if final == S.DISPATCHED:
        return acts
    acts.append("accept")
    if final == S.EXTENSION_REQUESTED:
        return acts + ["request_extension"]
    if r() < 0.06:
        acts += ["request_extension", "grant_extension" if r() < 0.7 else "refuse_extension"]
    if final == S.ACCEPTED:
        return acts
    acts.append("resolve")
    if final == S.RESOLVED:
        return acts
    if final == S.RATED:
        return acts + (["reopen", "resolve", "rate"] if r() < 0.03 else ["rate"])
    acts += ["reopen", "resolve", "escalate"]
    return acts + (["close"] if final == S.CLOSED else [])


class _ZoneUsers:
    """The zone's users by the role they play on an order: (id, name, unit) triples."""

    SYSTEM = (None, "系统", "系统")

    def __init__(self, zone: Zone):
        from liantong.accounts.models import UnitKind, User

        self.rng = random.Random()
        self.zone: list[tuple] = []
        self.chain: dict[int, list[tuple]] = {}
        self.dept: dict[int, list[tuple]] = {}
        self.firm: dict[int, tuple] = {}
        users = (User.objects.filter(zone=zone, is_active=True)
                 .select_related("zone", "chain", "department", "enterprise", "institution").order_by("id"))
        for u in users:
            unit = u.unit
            who = (u.pk, str(u)[:150], (str(unit) if unit else u.get_unit_kind_display())[:120])
            if u.unit_kind == UnitKind.ZONE:
                self.zone.append(who)
            elif u.unit_kind == UnitKind.CHAIN and u.chain_id:
                self.chain.setdefault(u.chain_id, []).append(who)
            elif u.unit_kind == UnitKind.DEPARTMENT and u.department_id:
                self.dept.setdefault(u.department_id, []).append(who)
            elif u.unit_kind == UnitKind.ENTERPRISE and u.enterprise_id:
                self.firm.setdefault(u.enterprise_id, who)

    def committee(self, chain_id, zone_only: bool = False) -> tuple:
        """A committee member: the chain's 联合党委 staff half the time, else the zone's 党工委 staff."""
        pool = self.chain.get(chain_id) if not zone_only and self.rng.random() < 0.5 else None
        pool = pool or self.zone or (None if zone_only else self.chain.get(chain_id))
        return pool[self.rng.randrange(len(pool))] if pool else self.SYSTEM

    def staff(self, dept_id: int) -> tuple:
        """One of the department's staff (or, when it has none, its name as the unit)."""
        pool = self.dept.get(dept_id)
        if pool:
            return pool[self.rng.randrange(len(pool))]
        return None, f"{dept_name(dept_id)}承办人"[:150], dept_name(dept_id)[:120]


def _department_users(zone: Zone, number: int, depts: list[int], password: Callable[[], str]) -> int:
    """Give each department of a generated zone without staff a user ``gen_zNN_dK`` (audited, demo
    password), so department moves have a real actor and the inbox a reader."""
    from liantong.accounts.models import UnitKind, User
    from liantong.accounts.roles import ensure_roles
    from liantong.accounts.services import save_user
    from liantong.orgs.models import Department

    staffed = set(User.objects.filter(department_id__in=depts).values_list("department_id", flat=True))
    role = ensure_roles()["dept_staff"]
    made = []
    for k, d in enumerate(Department.objects.filter(pk__in=depts).order_by("id"), start=1):
        if d.pk in staffed:
            continue
        name = f"gen_z{number:02d}_d{k}"
        save_user(actor=None, username=name, password=None, unit_kind=UnitKind.DEPARTMENT, roles=[role], zone=zone,
                  department_id=d.pk, display_name=f"{d.name}承办人（合成）", is_demo=True)
        made.append(name)
    if made:
        User.objects.filter(username__in=made).update(password=password())
    return len(made)


class _Life:
    """One order's life, replayed move by move with the effects of ``workflow`` (no database)."""

    __slots__ = ("o", "zone_id", "pk", "now", "cal", "rng", "state", "stage", "round", "since", "due", "warn",
                 "lead", "active", "cards", "mine", "keys", "timeline", "t", "assignments", "counts", "limit")

    def __init__(self, o: dict, now, cal: _Calendar, rng, assignments: list, cards: list, timeline: list,
                 limit: int):
        self.o, self.zone_id, self.pk = o, o["zone_id"], o["id"]
        self.now, self.cal, self.rng, self.limit = now, cal, rng, limit
        self.assignments, self.cards, self.timeline = assignments, cards, timeline
        self.state, self.round = "", 1
        self.stage, self.since, self.due, self.warn = "", None, None, None
        self.lead = None  # the active lead assignment row (a list), if any
        self.active: list[list] = []  # active assignment rows
        self.keys: set = set()  # (stage, level, round) of the cards raised
        self.mine: list[list] = []  # this order's cards
        self.t = o["submitted_at"]

    # -- stages and cards, as ``tick`` sees them --------------------------------------------------

    def _cards_until(self, end: datetime.datetime) -> None:
        """Cards a tick every few minutes raises on the running stage between ``since`` and ``end``."""
        if not self.stage:
            return
        since, due, warn, rnd, stage = self.since, self.due, self.warn, self.round, self.stage
        dept = self.lead[2] if (self.lead is not None and stage != DISPATCH) else None
        lo, hi = max(warn, since), min(due, end)
        if lo <= hi and (stage, YELLOW, rnd) not in self.keys:
            raised = lo + datetime.timedelta(seconds=min(TICK_EVERY * self.rng.random(), (hi - lo).total_seconds()))
            self.keys.add((stage, YELLOW, rnd))
            self._card([self.zone_id, self.pk, stage, YELLOW, rnd, dept, due, raised, None])
        lo = max(due, since) + datetime.timedelta(microseconds=1)
        if lo < end and (stage, RED, rnd) not in self.keys:
            raised = lo + datetime.timedelta(seconds=min(TICK_EVERY * self.rng.random(), (end - lo).total_seconds()))
            self.keys.add((stage, RED, rnd))
            self._card([self.zone_id, self.pk, stage, RED, rnd, dept, due, raised, None])

    def _card(self, row: list) -> None:
        self.cards.append(row)
        self.mine.append(row)

    def _clear(self, at) -> None:
        for c in self.mine:
            if c[8] is None:
                c[8] = at

    def _set_stage(self, stage: str, start, at, due=None, workdays: int = 1) -> None:
        """``workflow._set_stage``: the stage, its start, deadline and yellow-card moment (from ``at``
        on for the cards)."""
        o = self.o
        self.stage, self.since = stage, at
        if not stage:
            o["stage"], o["stage_started_at"], o["due_at"], o["warn_at"] = "", None, None, None
            self.due = self.warn = None
            return
        due = due or self.cal.deadline(start, workdays)
        span = due - start
        warn = due - span / 4 if span.total_seconds() > 0 else due
        o["stage"], o["stage_started_at"], o["due_at"], o["warn_at"] = stage, start, due, warn
        self.due, self.warn = due, warn

    # -- assignments --------------------------------------------------------------------------------

    def _assign(self, dept: int, role: str, at) -> list:
        row = [self.zone_id, self.pk, dept, role, str(A.PENDING), True, self.round, str(S.DISPATCHED), None, "", at,
               None]
        self.assignments.append(row)
        self.active.append(row)
        return row

    def _deactivate(self, at, state=A.CANCELLED) -> None:
        for a in self.active:
            a[5] = False
            if a[4] in (A.PENDING, A.ACCEPTED):
                a[4], a[11] = str(state), at
        self.active = []
        self.lead = None

    # -- one move ---------------------------------------------------------------------------------------

    def move(self, action: str, at, actor: tuple, *, dept=None, assist=None, note: str = "", satisfaction=None,
             into=None, days: int = 0) -> None:
        o = self.o
        m = find_move(self.state, action) if action != "submit" else None
        if action != "submit" and m is None:
            raise AssertionError(f"illegal generated move {self.state} → {action}")
        self._cards_until(at)
        source = self.state
        detail, department = "", None
        if action == "submit":
            target = S.SUBMITTED
            self._set_stage(DISPATCH, at, at)
        else:
            target = m.target
        if action in ("dispatch", "redispatch"):
            if source != S.SUBMITTED:
                self.round += 1
            self._deactivate(at)
            self._clear(at)
            self._set_stage(ACCEPT, at, at)
            self.lead = self._assign(dept, LEAD, at)
            if assist:
                self._assign(assist[0], ASSIST, at)
            o["dispatched_at"] = at
            o["resolved_at"] = o["resolved_on_time"] = o["workdays_taken"] = None
            detail, department = "主办：" + dept_name(dept) + ("；协办：" + assist[1] if assist else ""), dept
        elif action in ("decline", "withdraw", "close", "merge"):
            self._deactivate(at)
            self._clear(at)
            self._set_stage("", at, at)
            o["closed_at"] = at
            if action == "merge":
                o["merged_into_id"] = into[0]
                detail = f"并入工单 {into[1]}"
        elif action == "accept":
            department = self.lead[2]
            o["responded_on_time"] = at <= o["due_at"]
            o["accepted_at"] = at
            for a in self.active:
                a[4] = str(A.ACCEPTED)
            self._clear(at)
            o["resolve_due_at"] = self.cal.deadline(at, self.limit)
            self._set_stage(RESOLVE, at, at, due=o["resolve_due_at"])
        elif action == "return":
            department = self.lead[2]
            self._deactivate(at, A.RETURNED)
            self._clear(at)
            self._set_stage(DISPATCH, at, at)
        elif action == "report":
            a = next(a for a in self.active if a[3] == ASSIST and a[4] != A.REPORTED)
            a[4], a[9], a[11] = str(A.REPORTED), note, at
            department = a[2]
        elif action == "request_extension":
            o["pending_extension_days"] = days
            department = self.lead[2]
            detail = f"申请延期 {days} 个工作日"
        elif action == "grant_extension":
            days, o["pending_extension_days"] = o["pending_extension_days"], 0
            o["extension_days"] += days
            o["resolve_due_at"] = self.cal.deadline(o["resolve_due_at"] or at, days)
            self._clear(at)
            self.round += 1
            self._set_stage(RESOLVE, o["stage_started_at"] or at, at, due=o["resolve_due_at"])
            for a in self.active:
                a[6] = self.round
            detail = f"同意延期 {days} 个工作日，新时限 {self.cal.day(o['resolve_due_at'] - HOUR):%Y-%m-%d}"
        elif action == "refuse_extension":
            detail = f"不同意延期 {o['pending_extension_days']} 个工作日"
            o["pending_extension_days"] = 0
        elif action == "resolve":
            self.lead[4], self.lead[9], self.lead[11] = str(A.RESOLVED), note, at
            department = self.lead[2]
            o["resolved_at"], o["resolution"] = at, note
            o["resolved_on_time"] = at <= o["resolve_due_at"]
            o["workdays_taken"] = max(0, self.cal.elapsed(o["submitted_at"], at))
            self._clear(at)
            self._set_stage("", at, at)
            # the next tick sends the follow-up request (回访)
            o["followup_sent_at"] = min(self.now, at + datetime.timedelta(seconds=TICK_EVERY * self.rng.random()))
        elif action == "rate":
            o["satisfaction"] = satisfaction
            o["rated_at"] = o["closed_at"] = at
            detail = "评价：" + ("满意" if satisfaction == 3 else "基本满意")
        elif action == "reopen":
            o["satisfaction"], o["rating_note"], o["rated_at"] = 1, note, at
            o["reopen_count"] += 1
            self.round += 1
            for a in self.active:
                a[4], a[11], a[6] = str(A.ACCEPTED), None, self.round
            o["resolved_at"] = o["resolved_on_time"] = o["workdays_taken"] = None
            o["resolve_due_at"] = self.cal.deadline(at, self.limit)
            self._set_stage(RESOLVE, at, at, due=o["resolve_due_at"])
            detail = "评价：不满意，退回原承办部门重办"
        elif action == "escalate":
            o["satisfaction"], o["rating_note"], o["rated_at"] = 1, note, at
            self._set_stage(DISPATCH, at, at)
            detail = "再次评价不满意，提交园区党工委督办"
        self.state = target
        o["state"], o["round"] = str(target), self.round
        for a in self.active:
            a[7], a[8] = str(target), o["due_at"]
        text = "；".join(x for x in (detail, note) if x)
        self.timeline.append((self.zone_id, self.pk, at, actor[0], actor[1], actor[2], action, str(source),
                              str(target), department, text))
        self.t = at

    def finish(self) -> None:
        """Cards on the stage still running up to now."""
        self._cards_until(self.now)


_DEPT_NAMES: dict[int, str] = {}


def dept_name(pk: int) -> str:
    return _DEPT_NAMES.get(pk, "")


ORDER_FIELDS = [f.attname for f in ServiceRequest._meta.concrete_fields]
ASSIGNMENT_COLUMNS = ["zone_id", "order_id", "department_id", "role", "state", "active", "round", "order_state",
                      "due_at", "note", "assigned_at", "finished_at"]
CARD_COLUMNS = ["zone_id", "order_id", "stage", "level", "round", "department_id", "due_at", "raised_at",
                "cleared_at"]
TIMELINE_COLUMNS = ["zone_id", "order_id", "at", "actor_id", "actor_name", "actor_unit", "action", "from_state",
                    "to_state", "department_id", "note"]


@dataclasses.dataclass
class _ZoneSpec:
    """What one zone's simulation needs from the database (read in the main process)."""

    zone_id: int
    seed: str
    first_pk: int
    orders: int
    firms: list[tuple]  # (enterprise, chain, name, contact, phone)
    depts: list[tuple[int, str]]
    people: _ZoneUsers


@dataclasses.dataclass
class _ZoneRows:
    orders: list
    assignments: list
    cards: list
    timeline: list
    learned: Counter


_CTX: dict = {}  # now, calendar, limits, titles: set before the workers fork


def _simulate(spec: _ZoneSpec) -> _ZoneRows:
    """Replay the lives of one zone's orders: plain rows in column order (no database; runs in a
    forked worker at scale). Datetimes are naive UTC, which both backends store as such."""
    now, cal, limits, titles = _CTX["now"], _CTX["cal"], _CTX["limits"], _CTX["titles"]
    cats = list(limits)
    rng = random.Random(spec.seed)
    people = spec.people
    people.rng = rng
    committee, staff = people.committee, people.staff
    _DEPT_NAMES.update(spec.depts)
    dept_ids = [d for d, _ in spec.depts]
    firms = spec.firms
    lead_of = {c: dept_ids[i % len(dept_ids)] for i, c in enumerate(cats)}
    template = {f: None for f in ORDER_FIELDS}
    template.update(description="", contact_name="", contact_phone="", rating_note="", resolution="", stage="",
                    urgency="normal", extension_days=0, pending_extension_days=0, reopen_count=0, round=1,
                    is_demo=True)
    orders: list[tuple] = []
    assignments: list[list] = []
    cards: list[list] = []
    timeline: list[tuple] = []
    learned: Counter = Counter()
    live: list[tuple[int, str]] = []  # recent live orders a duplicate may be merged into
    for pk in range(spec.first_pk, spec.first_pk + spec.orders):
        ent, chain, firm_name, contact, phone = firms[rng.randrange(len(firms))]
        firm = people.firm.get(ent) or (None, (contact or "企业联系人")[:150], firm_name[:120])
        cat = cats[rng.randrange(len(cats))]
        title, terms = titles[cat][rng.randrange(len(titles[cat]))]
        final = _plan(rng)
        lo, hi = AGE.get(final, AGE_DONE)
        at = now - datetime.timedelta(days=rng.uniform(lo, hi))
        o = dict(template)
        u = rng.random()
        o.update(id=pk, zone_id=spec.zone_id, ref=f"G{spec.zone_id}-{pk}", enterprise_id=ent, chain_id=chain,
                 category=cat, title=title, description=f"{title}（合成数据）", terms=terms,
                 urgency="normal" if u < 0.85 else ("urgent" if u < 0.97 else "critical"),
                 contact_name=(contact or "")[:50], contact_phone=(phone or "")[:30], submitted_at=at,
                 created_by_id=firm[0])
        life = _Life(o, now, cal, rng, assignments, cards, timeline, limits[cat])
        life.move("submit", at, firm, note=title)
        lead = lead_of[cat] if rng.random() < 0.85 else dept_ids[rng.randrange(len(dept_ids))]
        t = at
        plan = _actions(final, rng)
        for i, action in enumerate(plan):
            if action == "resolve":
                for a in [a for a in life.active if a[3] == ASSIST and a[4] != A.REPORTED]:
                    t = _later(t, GAP["report"], now, rng)
                    life.move("report", t, staff(a[2]), note=NOTES["report"])
                span = (o["resolve_due_at"] - o["stage_started_at"]).total_seconds()
                target = o["stage_started_at"] + datetime.timedelta(seconds=span * rng.uniform(0.2, 1.25))
                t = _clamp(max(target, t + HOUR * rng.uniform(0.5, 4)), t, now, rng)
                life.move("resolve", t, staff(life.lead[2]), note=NOTES["resolve"])
                continue
            if action == "request_extension":
                span = (o["due_at"] - o["stage_started_at"]).total_seconds()
                target = o["stage_started_at"] + datetime.timedelta(seconds=span * rng.uniform(0.3, 0.8))
                t = _clamp(max(target, t + HOUR), t, now, rng)
            else:
                t = _later(t, GAP[action], now, rng)
            if action in ("dispatch", "redispatch"):
                escalated = life.state == S.ESCALATED
                # a first dispatch that comes back went to the wrong department (退单 → 改派)
                wrong = action == "dispatch" and i + 1 < len(plan) and plan[i + 1] == "return"
                d = dept_ids[rng.randrange(len(dept_ids))] if wrong else lead
                assist = None
                if len(dept_ids) > 1 and rng.random() < 0.1:
                    others = [x for x in dept_ids if x != d]
                    a_id = others[rng.randrange(len(others))]
                    assist = (a_id, dept_name(a_id))
                life.move(action, t, committee(chain, zone_only=escalated), dept=d, assist=assist)
                for k in dispatch_keys(cat, terms):
                    learned[(d, k)] += 1
            elif action in ("accept", "return"):
                if action == "return":  # 退单, as suggest.unlearn counts it
                    d = life.lead[2]
                    for k in dispatch_keys(cat, terms):
                        learned[(d, k)] = max(0, learned[(d, k)] - 1)
                    learned[(d, return_key(cat))] += 1
                life.move(action, t, staff(life.lead[2]), note=NOTES.get(action, ""))
            elif action == "request_extension":
                life.move(action, t, staff(life.lead[2]), note=NOTES[action], days=rng.choice((2, 3, 5)))
            elif action in ("grant_extension", "refuse_extension", "decline"):
                life.move(action, t, committee(chain), note=NOTES.get(action, ""))
            elif action == "merge":
                if live:
                    life.move("merge", t, committee(chain), into=live[rng.randrange(len(live))],
                              note="同一诉求重复提交，并单办理")
                else:  # nothing to merge into yet: the committee declines it instead
                    life.move("decline", t, committee(chain), note=NOTES["decline"])
            elif action == "close":
                life.move(action, t, committee(chain, zone_only=True), note=NOTES[action])
            elif action == "rate":
                life.move(action, t, firm, satisfaction=3 if rng.random() < 0.8 else 2)
            else:  # withdraw, reopen, escalate
                life.move(action, t, firm, note=NOTES.get(action, ""))
        life.finish()
        if life.state not in (S.MERGED, S.DECLINED, S.WITHDRAWN):
            live.append((pk, o["ref"]))
            if len(live) > 200:
                del live[:100]
        orders.append(tuple(map(o.__getitem__, ORDER_FIELDS)))
    return _ZoneRows(orders, assignments, cards, timeline, learned)


def _results(specs: list[_ZoneSpec], workers: int):
    """Each zone's rows, in order: simulated here, or in forked workers a zone or two ahead of the
    inserts (the main process writes while the workers simulate)."""
    if workers <= 1:
        for spec in specs:
            yield spec, _simulate(spec)
        return
    with ProcessPoolExecutor(max_workers=workers, mp_context=get_context("fork")) as pool:
        pending = []
        for spec in specs:
            pending.append((spec, pool.submit(_simulate, spec)))
            if len(pending) > workers:
                spec0, fut = pending.pop(0)
                yield spec0, fut.result()
        for spec0, fut in pending:
            yield spec0, fut.result()


def generate(scale, log: Callable[[str], None] = print, *, now: datetime.datetime | None = None) -> dict:
    """Insert ``scale.orders`` orders with their timelines, assignments, cards and ratings over the
    existing zones (``now``: the moment the data ends, for tests; default the current time)."""
    from django.conf import settings
    from django.contrib.auth.hashers import make_password

    from liantong.orgs.models import ChainMembership, Department

    t0, c0 = time.perf_counter(), time.process_time()
    zones = _zones()
    if not zones:
        log("服务优链：没有园区，跳过")
        return {"orders": 0}
    now = (now or datetime.datetime.now(datetime.UTC)).astimezone(datetime.UTC).replace(tzinfo=None)
    limits = {c: category_limit(c) for c, _, _ in CATEGORIES}
    _CTX.update(now=now, limits=limits,
                cal=_Calendar((now - 400 * DAY).date(), (now + 200 * DAY).date(), {1, 2, 3, 5, *limits.values()}),
                titles={c: [(t, " ".join(tokenize(t))[:400]) for t in PROBLEMS[c]] for c in limits})
    hashed: list[str] = []

    def password() -> str:  # one Argon2 hash of the demo password for every generated user (~1 s each)
        if not hashed:
            hashed.append(make_password(settings.DEMO_PASSWORD))
        return hashed[0]

    counts = {"orders": 0, "timeline": 0, "assignments": 0, "cards": 0, "users": 0}
    per_zone = [scale.orders // len(zones) + (1 if i < scale.orders % len(zones) else 0) for i in range(len(zones))]
    next_pk = (ServiceRequest.objects.aggregate(n=Max("pk"))["n"] or 0) + 1
    specs = []
    for zone, n_orders in zip(zones, per_zone):
        firms = list(ChainMembership.objects.filter(zone=zone)
                     .values_list("enterprise_id", "chain_id", "enterprise__name", "enterprise__contact_name",
                                  "enterprise__contact_phone").order_by("enterprise_id", "id"))
        seen: set[int] = set()
        firms = [f for f in firms if not (f[0] in seen or seen.add(f[0]))]
        depts = list(Department.objects.filter(zone=zone).order_by("id").values_list("pk", "name"))
        if not firms or not depts or n_orders <= 0:
            log(f"服务优链：{zone.name} 没有链上企业或部门，跳过")
            continue
        number = zone.name[len(ZONE_PREFIX):]
        if zone.is_demo and zone.name.startswith(ZONE_PREFIX) and number.isdigit():
            counts["users"] += _department_users(zone, int(number), [d for d, _ in depts], password)
        specs.append(_ZoneSpec(zone.pk, f"services:{scale.name}:{zone.pk}", next_pk, n_orders, firms, depts,
                               _ZoneUsers(zone)))
        next_pk += n_orders
    names = {z.pk: z.name for z in zones}
    # fork workers only for a real load (tests run inside a transaction, on small scales)
    workers = min(2, os.cpu_count() or 1) if scale.orders >= POOL_THRESHOLD and not connection.in_atomic_block else 1
    restore = core_gen.bulk_load_pragmas()
    reindex = core_gen.without_indexes([ServiceRequest, Assignment, TimelineEntry, Card]) if workers > 1 else None
    try:
        for spec, rows in _results(specs, workers):
            t_built = time.perf_counter()
            core_gen.insert(ServiceRequest, ORDER_FIELDS, rows.orders, counts)
            core_gen.insert(Assignment, ASSIGNMENT_COLUMNS, rows.assignments, counts)
            core_gen.insert(TimelineEntry, TIMELINE_COLUMNS, rows.timeline, counts)
            core_gen.insert(Card, CARD_COLUMNS, rows.cards, counts)
            learned = rows.learned
            stats = DispatchStat.objects.filter(zone_id=spec.zone_id)
            for d, k, n in stats.values_list("department_id", "key", "count"):
                learned[(d, k)] += n
            stats.delete()
            core_gen.insert(DispatchStat, ["zone_id", "department_id", "key", "count"],
                    [(spec.zone_id, d, k, n) for (d, k), n in learned.items() if n > 0], counts)
            made = {"orders": len(rows.orders), "timeline": len(rows.timeline),
                    "assignments": len(rows.assignments), "cards": len(rows.cards)}
            for k, v in made.items():
                counts[k] += v
            audit.record(None, audit.AuditAction.CREATE, None, zone=spec.zone_id, object_type="services.gen",
                         object_repr=f"{names[spec.zone_id]} 合成工单",
                         changes={"gen": f"services:{scale.name}", "new": made})
            log(f"服务优链：{names[spec.zone_id]} {made['orders']} 件工单、{made['timeline']} 条办理记录、"
                f"{made['cards']} 张红黄牌（写入 {time.perf_counter() - t_built:.0f} 秒，"
                f"累计 {time.perf_counter() - t0:.0f} 秒）")
        if reindex is not None:
            t_index = time.perf_counter()
            reindex()
            reindex = None
            log(f"服务优链：重建索引 {time.perf_counter() - t_index:.0f} 秒")
        core_gen.reset_sequences([ServiceRequest, Assignment, TimelineEntry, Card, DispatchStat])
        core_gen.analyze([ServiceRequest, Assignment, TimelineEntry, Card, DispatchStat])
    finally:
        if reindex is not None:  # (an error above: the indexes come back all the same)
            reindex()
        restore()
    for k in ("servicerequest", "assignment", "timelineentry", "card", "dispatchstat"):
        counts.pop(k, None)
    counts["seconds"] = round(time.perf_counter() - t0, 1)
    counts["cpu_seconds"] = round(time.process_time() - c0, 1)  # the main process only
    return counts


def _later(t, gap: tuple[float, float], now, rng) -> datetime.datetime:
    return _clamp(t + HOUR * rng.uniform(*gap), t, now, rng)


def _clamp(t, prev, now, rng) -> datetime.datetime:
    """Keep a move in the past and after the previous one."""
    if t >= now:
        t = prev + (now - prev) * rng.uniform(0.2, 0.9)
    return t
