"""The one state machine of the project: a ``Workflow`` declared per model, its moves kept as data.

A strand declares, in its own ``workflow.py`` (or ``services.py``), which moves exist — from-state, action,
to-state, the roles who may, whether a note is required, the effect — and a *role resolver* that says
which roles a user holds on one object. ``Workflow.transition()`` is then the only function that moves
such an object. In one transaction it

1. locks the row (``select_for_update``; on SQLite the IMMEDIATE transaction holds the write lock),
   after the rows a ``lock`` hook names (a booking locks its resource first);
2. refuses what the user may not see (404), a page that is out of date (the state the caller saw is not
   the state now: 409), a move the table does not have in this state (409), a role the move does not
   list (403), a missing or too long note or a wrong parameter (400);
3. runs the move's effect, sets the new state and saves;
4. writes the model's own timeline row (``timeline`` hook, e.g. the order's ``TimelineEntry``) and the
   audit row (``AuditAction.TRANSITION``: action, from, to, note — for models without a timeline table
   these rows *are* the history, read with ``Workflow.history()``);
5. fires the after-move hooks (notifications), still inside the transaction.

Any refusal raises a ``TransitionError`` (a ``ServiceError``) whose ``status`` the API answers; nothing is
written then. ``allowed_actions(obj, user)`` lists the moves for buttons and ``GET …/transitions``;
``liantong.core.workflow_api.transition_endpoints`` builds the two endpoints from a declaration.

``core`` imports no other app: strands ``register()`` their workflows; ``for_model()`` finds them.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.db import models, transaction
from django.utils import timezone

from . import audit, guarantees
from .models import AuditAction, AuditLog
from .services import Forbidden, OutOfScope, ServiceError

# --- refusals ------------------------------------------------------------------------------------------


class TransitionError(ServiceError):
    """A refused move: 409 (illegal in this state, someone was faster) or 400 when a field is at fault."""

    @property
    def status(self) -> int:
        return 400 if self.field else 409


class WrongRole(TransitionError, Forbidden):
    """The move exists in this state, but not for the user's role on the object (403)."""

    status = 403


# A move on an object the user cannot see raises ``OutOfScope`` (404): core.services' one scope refusal,
# imported here so the strands may keep importing it from core.workflow.


# --- the declaration -------------------------------------------------------------------------------------

Effect = Callable[..., "dict | None"]


@dataclass(frozen=True)
class Move:
    """One legal move: in state ``source``, ``action`` leads to ``target`` for any of ``roles``."""

    source: str
    action: str
    target: str
    roles: frozenset[str]
    needs_note: bool = False
    label_text: str = ""

    @property
    def label(self) -> str:
        return self.label_text or self.action


def move(source, action: str, target, *roles: str, note: bool = False, label: str = "") -> Move:
    """``move(S.OPEN, "start", S.DOING, "owner", label="开始办理")``; ``note=True``: a note is required."""
    return Move(str(source), action, str(target), frozenset(roles), note, label)


@dataclass
class Workflow:
    """A model's state machine. Required: ``model``, ``moves``, ``roles`` (the resolver:
    ``roles(obj, user) -> set[str]``; ``user`` may be None for system jobs and the demo).

    ``effects``: action → ``fn(obj, *, actor, at, note, **params)``, run on the locked row before the new
    state is set; it may refuse (raise ``TransitionError``), change fields, and return a dict with
    ``detail`` (text for the timeline and audit row), ``state`` (a different target than the table's)
    and anything the ``timeline`` hook wants. ``guard(obj, action, params) -> action`` runs first (it may
    refuse, or turn one action into another: the order's 评价 不满意 becomes 重办 or 督办).
    """

    model: type[models.Model]
    moves: list[Move]
    roles: Callable[[models.Model, object], set[str]]
    role_labels: dict[str, str] = field(default_factory=dict)
    action_labels: dict[str, str] = field(default_factory=dict)
    note_labels: dict[str, str] = field(default_factory=dict)
    effects: dict[str, Effect] = field(default_factory=dict)
    state_field: str = "state"
    noun: str = ""  # default: the model's verbose_name
    note_max: int = 2000
    scoped: bool = True  # a user who cannot see the object is told 404
    hidden: frozenset[str] = frozenset()  # actions not offered as buttons (reached through another)
    lock: Callable[[object], None] | None = None  # lock(pk): lock other rows first
    guard: Callable[[models.Model, str, dict], str] | None = None
    timeline: Callable[..., None] | None = None  # (obj, move, *, actor, at, note, source, target, extra)
    history_of: Callable[[models.Model], Iterable] | None = None
    after_move: list[Callable[..., None]] = field(default_factory=list)  # (obj, move, *, actor, at, note)

    def __post_init__(self) -> None:
        self.noun = self.noun or str(self.model._meta.verbose_name)
        self._by_key = {(m.source, m.action): m for m in self.moves}
        if len(self._by_key) != len(self.moves):
            raise ValueError(f"{self.model.__name__}: a (state, action) pair is declared twice")
        self.moves = [m if m.label_text else Move(m.source, m.action, m.target, m.roles, m.needs_note,
                                                  self.action_labels.get(m.action, m.action))
                      for m in self.moves]
        self._by_key = {(m.source, m.action): m for m in self.moves}
        choices = {str(v) for v, _ in self.model._meta.get_field(self.state_field).choices}
        for m in self.moves:
            unknown = ({m.source, m.target} - choices) | (m.roles - set(self.role_labels) if self.role_labels else set())
            if unknown or not m.roles:
                raise ValueError(f"{self.model.__name__}: move {m} names unknown states or roles {unknown}")
        self.actions = sorted({m.action for m in self.moves} | set(self.action_labels))

    # --- reading the table

    def find(self, state: str, action: str) -> Move | None:
        return self._by_key.get((state, action))

    def label(self, action: str) -> str:
        return self.action_labels.get(action) or next((m.label for m in self.moves if m.action == action), action)

    @property
    def states(self) -> list[str]:
        return [str(v) for v, _ in self.model._meta.get_field(self.state_field).choices]

    def state_of(self, obj) -> str:
        return getattr(obj, self.state_field)

    def state_label(self, value: str) -> str:
        return str(dict(self.model._meta.get_field(self.state_field).choices).get(value, value))

    def roles_of(self, obj, user) -> set[str]:
        return set(self.roles(obj, user) or ())

    def allowed_actions(self, obj, user) -> list[Move]:
        """The moves ``user`` may make on ``obj`` now (for buttons and ``GET …/transitions``)."""
        state = self.state_of(obj)
        candidates = [m for m in self.moves if m.source == state and m.action not in self.hidden]
        if not candidates:
            return []
        roles = self.roles_of(obj, user)
        return [m for m in candidates if m.roles & roles]

    def buttons(self, obj, user) -> list[tuple[str, str]]:
        return [(m.action, m.label) for m in self.allowed_actions(obj, user)]

    def history(self, obj):
        """The object's moves, oldest first: its own timeline (``history_of``) or its audit rows."""
        if self.history_of is not None:
            return self.history_of(obj)
        # the moves of an object the caller already holds (read through the scoping layer): its own history
        with guarantees.unscoped("the history of an object the caller already holds"):
            return list(AuditLog.objects.filter(object_type=self.model._meta.label_lower, object_id=str(obj.pk),
                                                action=AuditAction.TRANSITION).order_by("at", "id"))

    # --- the one function that moves an object

    def transition(self, obj, action: str, *, actor, at: datetime.datetime | None = None, note: str = "",
                   expected_state: str | None = None, **params):
        """Make ``action`` on ``obj`` (an instance or a primary key) as ``actor``; returns the locked, moved row
        (and brings a passed instance up to date). The state the caller saw — ``expected_state``, else the
        passed instance's state — must still hold. ``at`` back-dates the move (demo, imports)."""
        is_obj = isinstance(obj, self.model)
        pk = obj.pk if is_obj else obj
        seen = expected_state or (self.state_of(obj) if is_obj else None)
        at = at or timezone.now()
        note = (note or "").strip()
        if action not in self.actions:
            raise TransitionError(f"未知的操作“{action}”", field="action")
        with transaction.atomic():
            if self.lock is not None:
                self.lock(pk)
            locked = self.model.objects.select_for_update().filter(pk=pk).first()
            if locked is None or not self._in_scope(locked, actor):
                raise OutOfScope(f"未找到该{self.noun}，或您无权访问")
            if self.guard is not None:
                action = self.guard(locked, action, params)
            state = self.state_of(locked)
            if seen is not None and state != seen:
                raise TransitionError(f"该{self.noun}已被他人处理（当前状态：{self.state_label(state)}），请刷新后查看")
            mv = self.find(state, action)
            if mv is None:
                raise TransitionError(f"{self.noun}当前状态为“{self.state_label(state)}”，不能执行“{self.label(action)}”")
            if not (self.roles_of(locked, actor) & mv.roles):
                who = "或".join(self.role_labels.get(r, r) for r in sorted(mv.roles))
                raise WrongRole(f"您无权执行“{mv.label}”：该操作应由{who}办理")
            if mv.needs_note and not note:
                raise TransitionError(f"请填写{self.note_labels.get(action, '说明')}", field="note")
            if len(note) > self.note_max:
                raise TransitionError(f"说明不能超过 {self.note_max} 字", field="note")
            effect = self.effects.get(action)
            extra = (effect(locked, actor=actor, at=at, note=note, **params) if effect else None) or {}
            target = extra.get("state", mv.target)
            setattr(locked, self.state_field, target)
            locked.save()
            text = "；".join(x for x in [extra.get("detail", ""), note] if x)
            if self.timeline is not None:
                self.timeline(locked, mv, actor=actor, at=at, note=text, source=state, target=target, extra=extra)
            audit.record(actor, AuditAction.TRANSITION, locked,
                         changes={"action": action, "from": state, "to": target, "note": text, "at": at})
            for hook in self.after_move:
                hook(locked, mv, actor=actor, at=at, note=text)
        if is_obj and obj is not locked:
            for f in self.model._meta.concrete_fields:
                setattr(obj, f.attname, getattr(locked, f.attname))
        return locked

    def _in_scope(self, obj, actor) -> bool:
        if not self.scoped or actor is None or not getattr(actor, "pk", None):
            return True  # system jobs and the demo
        return self.model.objects.visible_to(actor).filter(pk=obj.pk).exists()


# --- the registry: strands register, core finds -----------------------------------------------------------

_REGISTRY: dict[str, Workflow] = {}


def register(workflow: Workflow) -> Workflow:
    """Make ``workflow`` the machine of its model (returns it, so a declaration reads ``X = register(...)``)."""
    _REGISTRY[workflow.model._meta.label_lower] = workflow
    return workflow


def for_model(model_or_obj) -> Workflow:
    label = model_or_obj._meta.label_lower
    try:
        return _REGISTRY[label]
    except KeyError:
        raise LookupError(f"no workflow registered for {label}") from None


def registered() -> list[Workflow]:
    return list(_REGISTRY.values())


def transition(obj: models.Model, action: str, *, actor, at=None, note: str = "", **params):
    """Move any registered object: ``for_model(obj).transition(obj, action, …)``."""
    return for_model(obj).transition(obj, action, actor=actor, at=at, note=note, **params)


def allowed_actions(obj: models.Model, user) -> list[Move]:
    return for_model(obj).allowed_actions(obj, user)
