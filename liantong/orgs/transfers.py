"""组织关系转接 (member transfers): the receiving org's request (``request_transfer``) and the transfer's state
machine ``TRANSFER``, declared on ``liantong.core.workflow`` like every other machine of the project.

requested ─ accept (sender) ──▶ accepted    the member moves to the receiving org (and zone); a ``MemberMove``
          ├ refuse (sender, reason) ▶ refused   row is its history; other orgs' pending requests for the
          ├ cancel (receiver) ──▶ cancelled     same member lapse (system move, refused with a reason)
          └ lapse (system) ──▶ refused

Move one with ``TRANSFER.transition(t, "accept", actor=user, note="同意转出")`` (lock, stale-page check, role
check, effect, audit row — see docs/architecture.md "State machines"); its history is its audit rows
(``TRANSFER.history(t)``), which both sides read (``orgs.apps`` registers them with ``core.audit``).
"""

from __future__ import annotations

from django.db import transaction
from django.db.models import Case, CharField, Exists, OuterRef, Q, QuerySet, Value, When
from django.db.models.functions import Cast

from liantong.core import audit, pii
from liantong.core.identifiers import id_error, normalise
from liantong.core.scoping import _org_path, get_for_user
from liantong.core.services import Conflict, Forbidden, ServiceError
from liantong.core.services import update as core_update
from liantong.core.workflow import TransitionError, Workflow, move, register

from . import services
from .models import Member, MemberMove, MemberTransfer, PartyOrg, TransferState

S = TransferState

# who may act, relative to the transfer
RECEIVER = "receiver"  # staff who may manage the receiving org (they asked)
SENDER = "sender"  # the sending org's secretary, the organisation staff above it, the sending zone's committee
SYSTEM = "system"  # no user: the lapse of other orgs' requests when one is accepted

LAPSED = "该党员的组织关系已转往其他组织"


# --- who is acting ---------------------------------------------------------------------------------


def with_sides(qs: QuerySet, user) -> QuerySet:
    """Annotate each transfer with where ``user`` stands: ``writes_from`` / ``writes_to`` (it may write the
    sending / receiving org) and ``direction`` — ``in`` (the transfer comes to the user's orgs), ``out`` (it
    leaves them), ``both`` (a move between two of them) — so a page, the API list and the export know each
    row's roles, what they may show and its direction without a query per row."""
    writable = PartyOrg.objects.visible_to(user, for_write=True)
    qs = qs.annotate(writes_from=Exists(writable.filter(pk=OuterRef("from_org_id"))),
                     writes_to=Exists(writable.filter(pk=OuterRef("to_org_id"))))
    path = _org_path(user) if getattr(user, "is_authenticated", False) else None
    sends, takes = Q(writes_from=True), Q(writes_to=True)
    if path:
        sends |= Q(from_org__path__startswith=path)
        takes |= Q(to_org__path__startswith=path)
    return qs.annotate(direction=Case(When(sends & takes, then=Value("both")), When(takes, then=Value("in")),
                                      When(sends, then=Value("out")), default=Value(""), output_field=CharField()))


def _manages(user, org: PartyOrg, writes: bool | None = None) -> bool:
    """``user`` stands for ``org``: its party org is ``org`` or above it, or it may write ``org``
    (``writes``: that answer when ``with_sides`` annotated it)."""
    path = _org_path(user)
    if path and org.path.startswith(path):
        return True
    if writes is not None:
        return writes
    return PartyOrg.objects.visible_to(user, for_write=True).filter(pk=org.pk).exists()


def transfer_roles(t: MemberTransfer, user) -> set[str]:
    """The roles ``user`` holds on transfer ``t`` (an empty set: nobody it concerns); the system (no user)
    only lapses requests."""
    if user is None:
        return {SYSTEM}
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return set()
    if user.is_platform_admin:
        return {RECEIVER, SENDER}
    if not user.has_perm_code("orgs.manage_party"):
        return set()
    roles = set()
    if _manages(user, t.to_org, getattr(t, "writes_to", None)):
        roles.add(RECEIVER)
    if _manages(user, t.from_org, getattr(t, "writes_from", None)):  # its secretary, the staff above, the zone
        roles.add(SENDER)
    return roles


def shown_from_org(t: MemberTransfer, user) -> PartyOrg | None:
    """The sending org as ``user`` may see it: the receiving side learns it only once the transfer is accepted."""
    if t.state == S.ACCEPTED or (user is not None and SENDER in transfer_roles(t, user)):
        return t.from_org
    return None


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


# --- the machine -----------------------------------------------------------------------------------


def _decide(t: MemberTransfer, *, actor, at, note, **_) -> None:
    t.decided_by, t.decided_at = (actor if getattr(actor, "pk", None) else None), at
    t.reply = note or t.reply


def _accept(t: MemberTransfer, *, actor, at, note, **_) -> dict:
    member = Member.objects.select_for_update().get(pk=t.member_id)
    if member.party_org_id != t.from_org_id:
        raise TransitionError("该党员的组织关系已发生变动，请转入方重新申请")
    core_update(member, actor=actor, party_org=t.to_org, zone_id=t.to_org.zone_id)
    services.record_move(member, from_org_id=t.from_org_id, actor=actor, transfer=t)
    _decide(t, actor=actor, at=at, note=note)
    # other orgs' pending requests for the same member can no longer be met: they lapse, each a move of its own
    for other in MemberTransfer.objects.filter(member=member, state=S.REQUESTED).exclude(pk=t.pk).values_list(
            "pk", flat=True):
        TRANSFER.transition(other, "lapse", actor=None, at=at, note=LAPSED)
    return {"detail": f"组织关系由“{t.from_org.name}”转入“{t.to_org.name}”"}


def _cancel(t: MemberTransfer, *, note, **_) -> None:
    t.reply = note or t.reply


TRANSFER = register(Workflow(
    MemberTransfer,
    moves=[
        move(S.REQUESTED, "accept", S.ACCEPTED, SENDER, label="同意转出"),
        move(S.REQUESTED, "refuse", S.REFUSED, SENDER, note=True, label="拒绝"),
        move(S.REQUESTED, "cancel", S.CANCELLED, RECEIVER, label="撤销申请"),
        move(S.REQUESTED, "lapse", S.REFUSED, SYSTEM, note=True, label="自动失效"),
    ],
    roles=transfer_roles,
    role_labels={RECEIVER: "转入方党组织", SENDER: "转出方党组织书记或转出园区党工委", SYSTEM: "系统"},
    note_labels={"refuse": "拒绝理由", "lapse": "失效原因"},
    effects={"accept": _accept, "refuse": _decide, "lapse": _decide, "cancel": _cancel},
    hidden=frozenset({"lapse"}),
    noun="组织关系转接", note_max=1000,
))


_SIDE_OF_ACTION = {"accept": "转出方", "refuse": "转出方", "cancel": "转入方", "lapse": "系统"}


def history_for(t: MemberTransfer, user) -> list[dict]:
    """The transfer's moves (its audit rows) as ``user`` may read them: who acted is named to the sending side,
    and to everyone once the transfer is accepted; otherwise only by side (转出方/转入方), so a refusal tells the
    receiving side nothing of where the member is registered."""
    named = shown_from_org(t, user) is not None
    return [{"at": row.at, "action": TRANSFER.label(row.changes.get("action", "")),
             "state": TRANSFER.state_label(row.changes.get("to", "")), "note": row.changes.get("note", ""),
             "who": row.actor_name if named else _SIDE_OF_ACTION.get(row.changes.get("action"), "")}
            for row in TRANSFER.history(t)]


# --- the audit rows both sides read -----------------------------------------------------------------------


def _ids(qs: QuerySet) -> QuerySet:
    return qs.annotate(pk_text=Cast("pk", CharField())).values("pk_text")


@audit.register_reader
def shared_audit_rows(user) -> Q:
    """A transfer's audit rows (request, moves) and the member move its acceptance wrote are read by everyone
    who sees the transfer — the auditors of the receiving zone and of the sending one alike — though each row
    carries only one zone."""
    seen = MemberTransfer.objects.visible_to(user)
    return (Q(object_type="orgs.membertransfer", object_id__in=_ids(seen))
            | Q(object_type="orgs.membermove", object_id__in=_ids(MemberMove.objects.filter(transfer__in=seen))))
