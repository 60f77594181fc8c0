"""The order state machine, as data (django-helpdesk style), declared on the project's one machine
(``liantong.core.workflow``): ``TRANSITIONS`` lists every legal move (from-state, action, to-state, who
may), ``EFFECTS`` what each action does, ``actor_roles`` who the user is relative to the order, and
``ORDER_WORKFLOW`` binds them with the order's own timeline (``TimelineEntry``) and its notifications.
``transition()`` is the only function that changes an order's state: core's ``Workflow.transition``
locks the row, re-checks the state the caller saw, checks the role, applies the effects and writes the
timeline row, the audit row and the notifications — all in one transaction. Any refusal is a
``TransitionError`` with a Chinese message (403 role, 404 scope, 409 state, 400 field), and nothing is
written.
"""

from __future__ import annotations

import datetime

from django.utils import timezone

from liantong.core import calendar, guarantees
from liantong.core.workflow import Move, OutOfScope, TransitionError, Workflow, WrongRole, register

from .models import (
    Assignment,
    AssignmentRole,
    AssignmentState,
    Card,
    OrderState,
    Satisfaction,
    ServiceRequest,
    Stage,
    TimelineEntry,
)
from .notify import after_move
from .suggest import learn, unlearn

S = OrderState

# who may act, relative to the order
FIRM = "firm"  # the ordering firm's users (services.place)
COMMITTEE = "committee"  # zone or chain committee staff whose scope holds the order (services.dispatch)
ZONE = "zone"  # the zone committee only (escalations)
LEAD = "lead"  # the lead department's staff (services.handle)
ASSIST = "assist"  # an assisting department's staff that has not reported yet

ROLE_LABELS = {FIRM: "提交诉求的企业", COMMITTEE: "园区党工委或产业链联合党委", ZONE: "园区党工委",
               LEAD: "主办部门", ASSIST: "协办部门"}

ACTION_LABELS = {
    "submit": "企业点单", "dispatch": "派单", "redispatch": "改派", "decline": "不予受理", "withdraw": "撤回",
    "merge": "并单", "accept": "接单", "return": "退单", "report": "协办反馈", "request_extension": "申请延期",
    "grant_extension": "同意延期", "refuse_extension": "不同意延期", "resolve": "办结", "rate": "评价",
    "reopen": "不满意重办", "escalate": "不满意提级督办", "close": "督办结案",
}

NOTE_LABELS = {"decline": "不予受理理由", "return": "退单理由", "report": "协办意见", "request_extension": "延期理由",
               "refuse_extension": "不同意理由", "resolve": "办理结果", "close": "结案意见"}


__all__ = ["TRANSITIONS", "ORDER_WORKFLOW", "Move", "OutOfScope", "TransitionError", "WrongRole", "transition",
           "allowed_actions", "actor_roles", "find_move"]


def _m(source, action, target, *roles, note=False) -> Move:
    return Move(str(source), action, str(target), frozenset(roles), note, ACTION_LABELS[action])


TRANSITIONS: list[Move] = [
    _m(S.SUBMITTED, "dispatch", S.DISPATCHED, COMMITTEE),
    _m(S.SUBMITTED, "decline", S.DECLINED, COMMITTEE, note=True),
    _m(S.SUBMITTED, "withdraw", S.WITHDRAWN, FIRM),
    _m(S.SUBMITTED, "merge", S.MERGED, COMMITTEE),
    _m(S.DISPATCHED, "accept", S.ACCEPTED, LEAD),
    _m(S.DISPATCHED, "return", S.RETURNED, LEAD, note=True),
    _m(S.DISPATCHED, "redispatch", S.DISPATCHED, COMMITTEE),
    _m(S.DISPATCHED, "withdraw", S.WITHDRAWN, FIRM),
    _m(S.DISPATCHED, "merge", S.MERGED, COMMITTEE),
    _m(S.RETURNED, "redispatch", S.DISPATCHED, COMMITTEE),
    _m(S.RETURNED, "decline", S.DECLINED, COMMITTEE, note=True),
    _m(S.RETURNED, "withdraw", S.WITHDRAWN, FIRM),
    _m(S.RETURNED, "merge", S.MERGED, COMMITTEE),
    _m(S.ACCEPTED, "report", S.ACCEPTED, ASSIST, note=True),
    _m(S.ACCEPTED, "request_extension", S.EXTENSION_REQUESTED, LEAD, note=True),
    _m(S.ACCEPTED, "resolve", S.RESOLVED, LEAD, note=True),
    _m(S.EXTENSION_REQUESTED, "report", S.EXTENSION_REQUESTED, ASSIST, note=True),
    _m(S.EXTENSION_REQUESTED, "grant_extension", S.ACCEPTED, COMMITTEE),
    _m(S.EXTENSION_REQUESTED, "refuse_extension", S.ACCEPTED, COMMITTEE, note=True),
    _m(S.RESOLVED, "rate", S.RATED, FIRM),
    _m(S.RESOLVED, "reopen", S.ACCEPTED, FIRM),  # first 不满意: the departments handle it again (重办)
    _m(S.RESOLVED, "escalate", S.ESCALATED, FIRM),  # second 不满意: the zone committee supervises
    _m(S.ESCALATED, "redispatch", S.DISPATCHED, ZONE),
    _m(S.ESCALATED, "close", S.CLOSED, ZONE, note=True),
]

ACTIONS = sorted({m.action for m in TRANSITIONS})
# states whose stage deadline ``tick`` watches
OPEN_TICK_STATES = [S.SUBMITTED, S.DISPATCHED, S.RETURNED, S.ACCEPTED, S.EXTENSION_REQUESTED, S.ESCALATED]
TERMINAL = {S.RATED, S.CLOSED, S.DECLINED, S.WITHDRAWN, S.MERGED}


def find_move(state: str, action: str) -> Move | None:
    return ORDER_WORKFLOW.find(state, action)


def category_limit(category: str) -> int:
    """The category's resolve limit in working days (dictionary item ``extra.limit_days``, default 5)."""
    from liantong.core import dicts

    from .categories import DEFAULT_LIMITS

    item = dicts.item("service_category", category)
    try:
        value = int((item or {}).get("extra", {}).get("limit_days") or DEFAULT_LIMITS.get(category, 5))
    except (TypeError, ValueError):
        value = 5
    return max(1, min(value, 60))


# --- who is acting ---------------------------------------------------------------------------------


def actor_roles(order: ServiceRequest, user) -> set[str]:
    """The roles ``user`` holds on ``order`` (an empty set: nobody the order concerns)."""
    from liantong.accounts.models import UnitKind

    roles: set[str] = set()
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return roles
    if user.is_superuser:
        return {COMMITTEE, ZONE}
    if user.enterprise_id and user.enterprise_id == order.enterprise_id and user.has_perm_code("services.place"):
        roles.add(FIRM)
    if (user.has_perm_code("services.dispatch")
            and user.unit_kind in (UnitKind.ZONE, UnitKind.CHAIN, UnitKind.PLATFORM)
            and ServiceRequest.objects.visible_to(user).filter(pk=order.pk).exists()):
        roles.add(COMMITTEE)
        if user.unit_kind != UnitKind.CHAIN:
            roles.add(ZONE)
    if user.department_id and user.has_perm_code("services.handle"):
        with guarantees.unscoped("who the user is on an order: its assignments to the user's own department"):
            for a in Assignment.objects.filter(order=order, active=True, department_id=user.department_id):
                if a.role == AssignmentRole.LEAD:
                    roles.add(LEAD)
                elif a.state != AssignmentState.REPORTED:
                    roles.add(ASSIST)
    return roles


def allowed_actions(order: ServiceRequest, user) -> list[Move]:
    """The moves ``user`` may make on ``order`` now (for buttons); 重办 and 督办 come through 评价 → 不满意."""
    return ORDER_WORKFLOW.allowed_actions(order, user)


def _unit_name(user) -> str:
    if user is None:
        return "系统"
    unit = getattr(user, "unit", None)
    return str(unit) if unit else user.get_unit_kind_display()


# --- the effects of each action ------------------------------------------------------------------


def _set_stage(order: ServiceRequest, stage: str, at: datetime.datetime, workdays: int | None = None,
               due: datetime.datetime | None = None) -> None:
    order.stage = stage
    order.stage_started_at = at if stage else None
    if not stage:
        order.due_at = order.warn_at = None
        return
    order.due_at = due or calendar.deadline(at, workdays or 1)
    span = order.due_at - at
    order.warn_at = order.due_at - span / 4 if span.total_seconds() > 0 else order.due_at


def _clear_cards(order: ServiceRequest, at) -> None:
    Card.objects.filter(order=order, cleared_at__isnull=True).update(cleared_at=at)


def _deactivate(order: ServiceRequest, at, state=AssignmentState.CANCELLED) -> None:
    for a in order.assignments.filter(active=True):
        a.active = False
        if a.state in (AssignmentState.PENDING, AssignmentState.ACCEPTED):
            a.state = state
            a.finished_at = at
        a.save(update_fields=["active", "state", "finished_at"])


def _dispatch(order, *, actor, at, lead=None, assists=(), **_):
    from liantong.orgs.models import Department

    if lead is None:
        raise TransitionError("请选择主办部门", field="lead")
    lead = lead if isinstance(lead, Department) else Department.objects.filter(pk=lead).first()
    assists = [a if isinstance(a, Department) else Department.objects.filter(pk=a).first() for a in assists or ()]
    if lead is None or any(a is None for a in assists):
        raise TransitionError("所选部门不存在", field="lead")
    for d in [lead, *assists]:
        if d.zone_id != order.zone_id:
            raise TransitionError(f"“{d.name}”不是本园区的部门，不能派单", field="lead")
    if lead.pk in {a.pk for a in assists} or len({a.pk for a in assists}) != len(assists):
        raise TransitionError("协办部门不能与主办部门重复，也不能重复选择", field="assists")
    if order.state != S.SUBMITTED:
        order.round += 1
    _deactivate(order, at)
    _clear_cards(order, at)
    _set_stage(order, Stage.ACCEPT, at, 1)
    for dept, role in [(lead, AssignmentRole.LEAD)] + [(a, AssignmentRole.ASSIST) for a in assists]:
        Assignment.objects.create(zone_id=order.zone_id, order=order, department=dept, role=role,
                                  round=order.round, order_state=S.DISPATCHED, due_at=order.due_at,
                                  assigned_at=at)
    order.dispatched_at = at
    order.resolved_at = order.resolved_on_time = order.workdays_taken = None
    learn(order, lead)
    return {"department": lead, "detail": "主办：" + lead.name + ("；协办：" + "、".join(a.name for a in assists)
                                                                if assists else "")}


def _terminal(order, *, actor, at, **_):
    _deactivate(order, at)
    _clear_cards(order, at)
    _set_stage(order, Stage.NONE, at)
    order.closed_at = at


def _merge(order, *, actor, at, into=None, **_):
    target = into if isinstance(into, ServiceRequest) else ServiceRequest.objects.filter(pk=into).first()
    if target is None:
        raise TransitionError("请选择要并入的工单", field="into")
    if target.pk == order.pk:
        raise TransitionError("不能并入工单本身", field="into")
    if target.zone_id != order.zone_id:
        raise TransitionError("只能并入本园区的工单", field="into")
    if target.state in (S.MERGED, S.DECLINED, S.WITHDRAWN):
        raise TransitionError(f"工单 {target.ref} 已{target.get_state_display()}，不能作为并单目标", field="into")
    _terminal(order, actor=actor, at=at)
    order.merged_into = target
    return {"detail": f"并入工单 {target.ref}"}


def _lead(order) -> Assignment:
    return order.assignments.get(active=True, role=AssignmentRole.LEAD)


def _accept(order, *, actor, at, **_):
    lead = _lead(order)
    order.responded_on_time = at <= order.due_at if order.due_at else True
    order.accepted_at = at
    for a in order.assignments.filter(active=True):
        a.state = AssignmentState.ACCEPTED
        a.save(update_fields=["state"])
    _clear_cards(order, at)
    order.resolve_due_at = calendar.deadline(at, category_limit(order.category))
    _set_stage(order, Stage.RESOLVE, at, due=order.resolve_due_at)
    return {"department": lead.department}


def _return(order, *, actor, at, note="", **_):
    lead = _lead(order)
    unlearn(order, lead.department)
    _deactivate(order, at, AssignmentState.RETURNED)
    _clear_cards(order, at)
    _set_stage(order, Stage.DISPATCH, at, 1)
    return {"department": lead.department}


def _report(order, *, actor, at, note="", **_):
    a = order.assignments.filter(active=True, role=AssignmentRole.ASSIST, department_id=actor.department_id).first()
    a.state, a.note, a.finished_at = AssignmentState.REPORTED, note, at
    a.save(update_fields=["state", "note", "finished_at"])
    return {"department": a.department}


def _request_extension(order, *, actor, at, days=None, **_):
    try:
        days = int(days)
    except (TypeError, ValueError):
        raise TransitionError("请填写申请延期的工作日数", field="days") from None
    if not 1 <= days <= 30:
        raise TransitionError("申请延期的工作日数应在 1 到 30 之间", field="days")
    order.pending_extension_days = days
    return {"department": _lead(order).department, "detail": f"申请延期 {days} 个工作日"}


def _grant_extension(order, *, actor, at, **_):
    days = order.pending_extension_days
    order.extension_days += days
    order.pending_extension_days = 0
    order.resolve_due_at = calendar.deadline(order.resolve_due_at or at, days)
    _clear_cards(order, at)
    order.round += 1  # a new deadline may earn new cards
    _set_stage(order, Stage.RESOLVE, order.stage_started_at or at, due=order.resolve_due_at)
    for a in order.assignments.filter(active=True):
        a.round = order.round
        a.save(update_fields=["round"])
    return {"detail": f"同意延期 {days} 个工作日，新时限 {timezone.localtime(order.resolve_due_at):%Y-%m-%d}"}


def _refuse_extension(order, *, actor, at, **_):
    days, order.pending_extension_days = order.pending_extension_days, 0
    return {"detail": f"不同意延期 {days} 个工作日"}


def _resolve(order, *, actor, at, note="", **_):
    lead = _lead(order)
    waiting = [a.department.name for a in order.assignments.filter(active=True, role=AssignmentRole.ASSIST)
               .select_related("department") if a.state != AssignmentState.REPORTED]
    if waiting:
        raise TransitionError("协办部门尚未全部反馈，暂不能办结：" + "、".join(waiting))
    lead.state, lead.note, lead.finished_at = AssignmentState.RESOLVED, note, at
    lead.save(update_fields=["state", "note", "finished_at"])
    order.resolved_at = at
    order.resolution = note
    order.resolved_on_time = at <= order.resolve_due_at if order.resolve_due_at else True
    order.workdays_taken = max(0, calendar.workdays_elapsed(order.submitted_at, at))
    order.followup_sent_at = None
    _clear_cards(order, at)
    _set_stage(order, Stage.NONE, at)
    return {"department": lead.department}


def _rating(satisfaction) -> int:
    try:
        value = int(satisfaction)
    except (TypeError, ValueError):
        raise TransitionError("请选择满意度：满意、基本满意或不满意", field="satisfaction") from None
    if value not in Satisfaction.values:
        raise TransitionError("请选择满意度：满意、基本满意或不满意", field="satisfaction")
    return value


def _rate(order, *, actor, at, satisfaction=None, note="", **_):
    order.satisfaction = _rating(satisfaction)
    order.rating_note = (note or "")[:300]
    order.rated_at = order.closed_at = at
    return {"detail": f"评价：{Satisfaction(order.satisfaction).label}"}


def _reopen(order, *, actor, at, note="", **_):
    order.satisfaction = Satisfaction.UNSATISFIED
    order.rating_note = (note or "")[:300]
    order.rated_at = at
    order.reopen_count += 1
    order.round += 1
    for a in order.assignments.filter(active=True):
        a.state, a.finished_at, a.round = AssignmentState.ACCEPTED, None, order.round
        a.save(update_fields=["state", "finished_at", "round"])
    order.resolved_at = order.resolved_on_time = order.workdays_taken = None
    order.resolve_due_at = calendar.deadline(at, category_limit(order.category))
    _set_stage(order, Stage.RESOLVE, at, due=order.resolve_due_at)
    return {"detail": "评价：不满意，退回原承办部门重办"}


def _escalate(order, *, actor, at, note="", **_):
    order.satisfaction = Satisfaction.UNSATISFIED
    order.rating_note = (note or "")[:300]
    order.rated_at = at
    _set_stage(order, Stage.DISPATCH, at, 1)
    return {"detail": "再次评价不满意，提交园区党工委督办"}


def _close(order, *, actor, at, **_):
    _terminal(order, actor=actor, at=at)


EFFECTS = {
    "dispatch": _dispatch, "redispatch": _dispatch, "decline": _terminal, "withdraw": _terminal, "merge": _merge,
    "accept": _accept, "return": _return, "report": _report, "request_extension": _request_extension,
    "grant_extension": _grant_extension, "refuse_extension": _refuse_extension, "resolve": _resolve,
    "rate": _rate, "reopen": _reopen, "escalate": _escalate, "close": _close,
}


# --- the declaration and the one function that moves an order ---------------------------------------


def _guard(order: ServiceRequest, action: str, params: dict) -> str:
    """A merged order takes no move; 评价 不满意 is 重办 the first time, 督办 the second."""
    if order.state == S.MERGED:
        ref = order.merged_into.ref if order.merged_into_id else ""
        raise TransitionError(f"该工单已并入工单 {ref}，不能再办理")
    if action == "rate" and _rating(params.get("satisfaction")) == Satisfaction.UNSATISFIED:
        return "reopen" if order.reopen_count == 0 else "escalate"
    return action


def _timeline(order: ServiceRequest, move: Move, *, actor, at, note, source, target, extra) -> None:
    """The order's own timeline row, and its assignments follow the order's state and deadline."""
    Assignment.objects.filter(order=order, active=True).update(order_state=target, due_at=order.due_at)
    TimelineEntry.objects.create(
        zone_id=order.zone_id, order=order, at=at, actor=actor if getattr(actor, "pk", None) else None,
        actor_name=(str(actor) if actor else "系统")[:150], actor_unit=_unit_name(actor)[:120], action=move.action,
        from_state=source, to_state=target, department=extra.get("department"), note=note)


ORDER_WORKFLOW = register(Workflow(
    ServiceRequest, TRANSITIONS, actor_roles, noun="工单", role_labels=ROLE_LABELS, action_labels=ACTION_LABELS,
    note_labels=NOTE_LABELS, effects=EFFECTS, hidden=frozenset({"reopen", "escalate"}), guard=_guard,
    timeline=_timeline, history_of=lambda order: order.timeline.order_by("at", "id"), after_move=[after_move]))


def transition(order: ServiceRequest | int, action: str, *, actor, at: datetime.datetime | None = None,
               note: str = "", **params) -> ServiceRequest:
    """Make ``action`` on ``order`` as ``actor``; returns the updated order.

    ``order`` may be an instance (its ``state`` is the state the caller saw: if someone moved the
    order since, the move is refused as "已被他人处理") or a primary key; ``expected_state`` says the
    seen state explicitly. ``at`` back-dates the move (demo and imports). ``params``: ``lead``/``assists``
    (dispatch), ``into`` (merge), ``days`` (extension), ``satisfaction`` (rate). Raises
    ``TransitionError`` (``WrongRole`` 403, ``OutOfScope`` 404); nothing is written then.
    """
    return ORDER_WORKFLOW.transition(order, action, actor=actor, at=at, note=note, **params)
