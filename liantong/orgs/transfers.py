"""组织关系转接 (member transfers), as data: ``TRANSITIONS`` lists every legal move (from-state, action,
to-state, who may) and ``transition()`` is the only function that changes a transfer's state. It locks the
row, re-checks the state the caller saw, checks the actor's role, applies the move's effect (accept moves
the member and writes its history) and the audit row, in one transaction. Refusals are
``TransferError`` (409 state, 400 field), ``Forbidden`` (403 role) or ``Http404`` (out of scope).

Shaped like ``services/workflow.py`` (``Move``, ``TRANSITIONS``, ``find_move``, ``actor_roles``,
``allowed_actions``, ``transition``) so that it ports to the generalised ``core.workflow`` unchanged.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from liantong.core import audit, pii
from liantong.core.identifiers import id_error, normalise
from liantong.core.scoping import _org_path, get_for_user
from liantong.core.services import Conflict, Forbidden, ServiceError
from liantong.core.services import update as core_update

from . import services
from .models import Member, MemberTransfer, PartyOrg, TransferState

S = TransferState

# who may act, relative to the transfer
RECEIVER = "receiver"  # staff who may manage the receiving org (they asked)
SENDER = "sender"  # the sending org's secretary, the organisation staff above it, the sending zone's committee

ROLE_LABELS = {RECEIVER: "转入方党组织", SENDER: "转出方党组织书记或转出园区党工委"}
ACTION_LABELS = {"accept": "同意转出", "refuse": "拒绝", "cancel": "撤销申请"}
NOTE_LABELS = {"refuse": "拒绝理由"}


class TransferError(ServiceError):
    """A refused move of a transfer: 409 (its state refuses it), or 400 when a field of the input is at fault."""

    @property
    def status(self) -> int:
        return 400 if self.field else 409


@dataclass(frozen=True)
class Move:
    source: str
    action: str
    target: str
    roles: frozenset[str]
    needs_note: bool = False

    @property
    def label(self) -> str:
        return ACTION_LABELS[self.action]


def _m(source, action, target, *roles, note=False) -> Move:
    return Move(source, action, target, frozenset(roles), note)


TRANSITIONS: list[Move] = [
    _m(S.REQUESTED, "accept", S.ACCEPTED, SENDER),
    _m(S.REQUESTED, "refuse", S.REFUSED, SENDER, note=True),
    _m(S.REQUESTED, "cancel", S.CANCELLED, RECEIVER),
]

_BY_KEY = {(m.source, m.action): m for m in TRANSITIONS}
ACTIONS = sorted({m.action for m in TRANSITIONS})
TERMINAL = {S.ACCEPTED, S.REFUSED, S.CANCELLED}


def find_move(state: str, action: str) -> Move | None:
    return _BY_KEY.get((state, action))


# --- who is acting ---------------------------------------------------------------------------------


def _manages(user, org: PartyOrg, writable: set[int] | None = None) -> bool:
    """``user`` stands for ``org``: its party org is ``org`` or above it, or it may write ``org``
    (``writable``: the ids of the orgs in question that the user may write, when a list computed them)."""
    path = _org_path(user)
    if path and org.path.startswith(path):
        return True
    if writable is not None:
        return org.pk in writable
    return PartyOrg.objects.visible_to(user, for_write=True).filter(pk=org.pk).exists()


def actor_roles(t: MemberTransfer, user, writable: set[int] | None = None) -> set[str]:
    """The roles ``user`` holds on transfer ``t`` (an empty set: nobody it concerns)."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return set()
    if user.is_platform_admin:
        return {RECEIVER, SENDER}
    if not user.has_perm_code("orgs.manage_party"):
        return set()
    roles = set()
    if _manages(user, t.to_org, writable):
        roles.add(RECEIVER)
    if _manages(user, t.from_org, writable):  # its secretary, the staff above, the sending zone's committee
        roles.add(SENDER)
    return roles


def allowed_actions(t: MemberTransfer, user, writable: set[int] | None = None) -> list[Move]:
    """The moves ``user`` may make on ``t`` now (for buttons)."""
    roles = actor_roles(t, user, writable)
    return [m for m in TRANSITIONS if m.source == t.state and m.roles & roles]


def shown_from_org(t: MemberTransfer, user, writable: set[int] | None = None) -> PartyOrg | None:
    """The sending org as ``user`` may see it: the receiving side learns it only once the transfer is accepted."""
    if t.state == S.ACCEPTED or SENDER in actor_roles(t, user, writable):
        return t.from_org
    return None


def for_display(page: list[MemberTransfer], user) -> list[tuple[MemberTransfer, PartyOrg | None, list[Move]]]:
    """A page of transfers with what ``user`` sees of each (the sending org, the buttons), in one extra query."""
    ids = {pk for t in page for pk in (t.from_org_id, t.to_org_id)}
    writable = set(PartyOrg.objects.visible_to(user, for_write=True).filter(pk__in=ids).values_list("pk", flat=True))
    return [(t, shown_from_org(t, user, writable), allowed_actions(t, user, writable)) for t in page]


# --- requests --------------------------------------------------------------------------------------


@transaction.atomic
def request_transfer(*, actor, id_number: str, name: str, to_org: PartyOrg, note: str = "") -> MemberTransfer:
    """The receiving org asks for the member registered under ``id_number`` (found whatever its scope; the
    answer never names its org, zone or name). Audited; refused when the number is unknown, the member is
    already the actor's to manage, or the same org already asked."""
    if not actor.has_perm_code("orgs.manage_party") or not _manages(actor, to_org):
        raise Forbidden("转入党组织不存在或您无权管理", field="to_org")
    number = normalise(id_number)
    err = id_error(number)
    if err:
        raise ServiceError(err, field="id_number")
    if not (name or "").strip():
        raise ServiceError("请填写姓名", field="name")
    member = Member.objects.select_for_update().filter(id_hash=pii.keyed_hash(number)).first()
    if member is None:
        raise ServiceError("该身份证号码尚未登记，请直接新增党员", field="id_number")
    if services.writable_members(actor).filter(pk=member.pk).exists():
        raise ServiceError("该党员在您管理的组织中，请直接编辑其所在党组织", field="id_number")
    if MemberTransfer.objects.filter(member=member, to_org=to_org, state=S.REQUESTED).exists():
        raise Conflict("已就该身份证号码发起转接，请等待转出方审核", field="id_number")
    t = MemberTransfer.objects.create(
        zone_id=to_org.zone_id, from_zone_id=member.zone_id, member=member, from_org_id=member.party_org_id,
        to_org=to_org, requested_name=name.strip()[:50], note=note or "", requested_by=actor)
    # the requester's audit row names only what the requester gave: the sending side is not theirs to read
    audit.record(actor, audit.AuditAction.CREATE, t, zone=t.zone_id,
                 changes={"new": {"to_org": to_org.pk, "requested_name": t.requested_name, "note": t.note,
                                  "id_number": member.id_masked}})
    return t


def get_transfer_for_user(user, pk) -> MemberTransfer:
    """A transfer ``user`` may see (either side), else 404."""
    qs = MemberTransfer.objects.select_related("member", "from_org", "to_org", "zone", "from_zone")
    return get_for_user(MemberTransfer, user, pk, queryset=qs)


# --- moves -----------------------------------------------------------------------------------------


def _accept(t: MemberTransfer, *, actor, at) -> None:
    member = Member.objects.select_for_update().get(pk=t.member_id)
    if member.party_org_id != t.from_org_id:
        raise TransferError("该党员的组织关系已发生变动，请转入方重新申请")
    core_update(member, actor=actor, party_org=t.to_org, zone_id=t.to_org.zone_id)
    services.record_move(member, from_org_id=t.from_org_id, actor=actor, transfer=t)
    # other orgs' pending requests for the same member can no longer be met
    for other in MemberTransfer.objects.filter(member=member, state=S.REQUESTED).exclude(pk=t.pk):
        other.state, other.reply, other.decided_at = S.REFUSED, "该党员的组织关系已转往其他组织", at
        other.save(update_fields=["state", "reply", "decided_at"])
        audit.record(None, audit.AuditAction.UPDATE, other, changes={"state": [S.REQUESTED, S.REFUSED]})


EFFECTS = {"accept": _accept}


@transaction.atomic
def transition(t: MemberTransfer, action: str, *, actor, note: str = "", expected_state: str | None = None
               ) -> MemberTransfer:
    """Make ``action`` on ``t`` for ``actor``: lock, stale-page check, role check, effect, audit."""
    t = MemberTransfer.objects.select_for_update().select_related("member", "from_org", "to_org").get(pk=t.pk)
    if expected_state and expected_state != t.state:
        raise TransferError(f"该转接已{t.get_state_display()}，页面已过期，请刷新后重试")
    move = find_move(t.state, action)
    if move is None:
        label = ACTION_LABELS.get(action)
        if label is None:
            raise TransferError("不支持的操作", field="action")
        raise TransferError(f"该转接已{t.get_state_display()}，不能{label}")
    if not move.roles & actor_roles(t, actor):
        raise Forbidden(f"只有{'或'.join(ROLE_LABELS[r] for r in sorted(move.roles))}可以{move.label}")
    note = (note or "").strip()
    if move.needs_note and not note:
        raise TransferError(f"请填写{NOTE_LABELS[action]}", field="note")
    at = timezone.now()
    old = t.state
    effect = EFFECTS.get(action)
    if effect:
        effect(t, actor=actor, at=at)
    t.state = move.target
    if action != "cancel":
        t.decided_by, t.decided_at = actor, at
    if note:
        t.reply = note
    t.save(update_fields=["state", "decided_by", "decided_at", "reply"])
    audit.record(actor, audit.AuditAction.UPDATE, t, zone=t.from_zone_id if SENDER in move.roles else t.zone_id,
                 changes={"state": [old, t.state], "action": action, "note": note})
    return t
