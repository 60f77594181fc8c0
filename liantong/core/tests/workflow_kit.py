"""Tests generated from a ``Workflow`` declaration: every strand's machine gets the same checks by giving
how to build an object in a state and which users hold which role.

* ``legal_cases(wf)``: every move × every role it lists → the move succeeds, the state is the target,
  one history row and one audit row are written;
* ``wrong_role_cases(wf)``: every move × every declared role it does *not* list → 403, nothing written;
* ``illegal_cases(wf)``: every (state, action) pair the table does not have → 409, nothing written.

``Trace(wf, obj)`` counts what a move writes (the history rows — the model's own timeline or its audit
rows — and the audit rows) so a test can check "one of each" or "nothing".
"""

from __future__ import annotations

import pytest

from liantong.core.models import AuditAction, AuditLog
from liantong.core.services import ServiceError
from liantong.core.workflow import Move, Workflow


def _id(*parts) -> str:
    return "-".join(str(p) for p in parts)


def legal_cases(wf: Workflow) -> list:
    return [pytest.param(m, role, id=_id(m.source, m.action, role)) for m in wf.moves for role in sorted(m.roles)]


def wrong_role_cases(wf: Workflow) -> list:
    return [pytest.param(m, role, id=_id(m.source, m.action, "not", role))
            for m in wf.moves for role in sorted(set(wf.role_labels) - m.roles)]


def illegal_cases(wf: Workflow) -> list:
    return [pytest.param(state, action, id=_id(state, action))
            for state in wf.states for action in sorted({m.action for m in wf.moves}) if wf.find(state, action) is None]


class Trace:
    """What the object's state, history and audit rows are now; ``written()`` says what a move added."""

    def __init__(self, wf: Workflow, obj):
        self.wf, self.pk = wf, obj.pk
        self.state = self.now_state()  # the stored state (a stale page's object may say otherwise)
        self.history, self.audit = self._counts()

    def _counts(self) -> tuple[int, int]:
        obj = self.wf.model.objects.get(pk=self.pk)
        audit = AuditLog.objects.filter(object_type=self.wf.model._meta.label_lower, object_id=str(self.pk),
                                        action=AuditAction.TRANSITION).count()
        return len(list(self.wf.history(obj))), audit

    def now_state(self) -> str:
        return self.wf.state_of(self.wf.model.objects.get(pk=self.pk))

    def assert_nothing_written(self) -> None:
        assert self.now_state() == self.state
        assert self._counts() == (self.history, self.audit)

    def assert_one_move(self, move: Move, actor) -> None:
        history, audit = self._counts()
        assert (history, audit) == (self.history + 1, self.audit + 1)
        row = AuditLog.objects.filter(object_type=self.wf.model._meta.label_lower, object_id=str(self.pk),
                                      action=AuditAction.TRANSITION).order_by("-id").first()
        assert row.changes["action"] == move.action and row.changes["from"] == move.source
        assert row.actor_id == getattr(actor, "pk", None)


def assert_refused(wf: Workflow, obj, action: str, actor, status: int, **kwargs) -> ServiceError:
    """The move is refused with ``status`` and a Chinese message, and writes nothing."""
    trace = Trace(wf, obj)
    with pytest.raises(ServiceError) as exc:  # TransitionError, WrongRole, or OutOfScope (404)
        wf.transition(obj, action, actor=actor, **kwargs)
    assert exc.value.status == status, exc.value.message
    assert any("\u4e00" <= ch <= "\u9fff" for ch in exc.value.message)
    trace.assert_nothing_written()
    return exc.value
