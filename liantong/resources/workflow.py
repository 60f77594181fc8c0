"""The resources strand's state machines, declared on ``liantong.core.workflow``: bookings of shared resources
(资源共享预约) and resolutions of joint meetings (联席会议议定事项). Their history is their audit rows
(``Workflow.history``): no timeline table of their own.

Move them with ``BOOKING.transition(booking, "approve", actor=user)`` /
``RESOLUTION.transition(r, "complete", actor=user, note="办理结果")``; the note is the booking's 处理意见
(``reason``) and the resolution's 办理结果 (``result``).
"""

from __future__ import annotations

from liantong.core.workflow import Workflow, move, register

from .models import Booking, BookingState, Resolution, ResolutionState, SharedResource
from .services import _can_write, _overlap_error, _overlapping

# --- 资源共享预约 -----------------------------------------------------------------------------------------

B = BookingState
OWNER, REQUESTER = "owner", "requester"


def booking_roles(booking: Booking, user) -> set[str]:
    """``owner``: a user of the firm sharing the resource; ``requester``: a user of the booking firm.
    System jobs and the demo (no user) act for both."""
    if user is None or not getattr(user, "pk", None):
        return {OWNER, REQUESTER}
    firm = user.enterprise_id
    roles = set()
    if firm is not None and firm == booking.resource.owner_id:
        roles.add(OWNER)
    if firm is not None and firm == booking.requester_id:
        roles.add(REQUESTER)
    return roles


def _lock_resource(pk) -> None:
    """Approvals of one resource queue on the resource row, so two overlapping approvals cannot both pass."""
    rid = Booking.objects.filter(pk=pk).values_list("resource_id", flat=True).first()
    SharedResource.objects.select_for_update().filter(pk=rid).first()


def _decided(booking: Booking, *, actor, at, note, **_):
    if note:
        booking.reason = note
    booking.decided_by = actor if getattr(actor, "pk", None) else None
    booking.decided_at = at


def _approve(booking: Booking, *, actor, at, note, **_):
    other = _overlapping(booking.resource, booking.start_on, booking.end_on, exclude_pk=booking.pk)
    if other is not None:
        raise _overlap_error(other)
    _decided(booking, actor=actor, at=at, note=note)


def _withdraw(booking: Booking, *, note, **_):
    if note:
        booking.reason = note


BOOKING = register(Workflow(
    Booking,
    moves=[
        move(B.PENDING, "approve", B.APPROVED, OWNER, label="同意"),
        move(B.PENDING, "decline", B.DECLINED, OWNER, note=True, label="拒绝"),
        move(B.PENDING, "withdraw", B.WITHDRAWN, REQUESTER, label="撤回"),
        move(B.APPROVED, "cancel", B.CANCELLED, OWNER, REQUESTER, label="取消"),
    ],
    roles=booking_roles,
    role_labels={OWNER: "资源提供企业", REQUESTER: "申请企业"},
    note_labels={"decline": "拒绝理由"},
    effects={"approve": _approve, "decline": _decided, "withdraw": _withdraw, "cancel": _decided},
    noun="预约", note_max=200, lock=_lock_resource,
))

# --- 联席会议议定事项 -------------------------------------------------------------------------------------

R = ResolutionState
HANDLER = "handler"


def resolution_roles(resolution: Resolution, user) -> set[str]:
    """``handler``: whoever may write the resolution — its owner unit, or the chain and zone staff above it
    (the scoping layer's write scope). System jobs and the demo too."""
    return {HANDLER} if _can_write(user, Resolution, resolution.pk) else set()


def _complete(r: Resolution, *, at, note, **_):
    r.done_at, r.result = at, note


def _reopen(r: Resolution, *, at, **_):
    """Back to work; the deadline stands, so a resolution reopened after it is overdue at once."""
    r.done_at = None
    return {"state": R.OVERDUE} if at > r.due_at else None


RESOLUTION = register(Workflow(
    Resolution,
    moves=[
        move(R.OPEN, "start", R.IN_PROGRESS, HANDLER, label="开始办理"),
        move(R.OPEN, "complete", R.DONE, HANDLER, note=True, label="办结"),
        move(R.IN_PROGRESS, "complete", R.DONE, HANDLER, note=True, label="办结"),
        move(R.OVERDUE, "start", R.OVERDUE, HANDLER, label="开始办理"),  # late work begins; it stays overdue
        move(R.OVERDUE, "complete", R.DONE, HANDLER, note=True, label="办结"),
        move(R.DONE, "reopen", R.IN_PROGRESS, HANDLER, label="重新办理"),
    ],
    roles=resolution_roles,
    role_labels={HANDLER: "责任单位或上级党委"},
    note_labels={"complete": "办理结果"},
    effects={"complete": _complete, "reopen": _reopen},
    noun="议定事项",
))
