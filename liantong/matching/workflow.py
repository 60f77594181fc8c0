"""The contact request's state machine (有意向 → 接受 / 婉拒 / 撤回), declared on ``liantong.core.workflow``.
Its history is its audit rows (``CONTACT.history(contact)``). Move one with
``CONTACT.transition(contact, "accept", actor=user, note="回复")``; the note is the reply (回复)."""

from __future__ import annotations

from liantong.core.workflow import Workflow, move, register

from .models import ContactRequest, ContactStatus
from .services import REQUESTER, RESPONDER, clean_text, party_of

C = ContactStatus


def _reply(contact: ContactRequest, *, note, **_):
    contact.reply = clean_text(note)[:500] or contact.reply


def _answer(contact: ContactRequest, *, at, note, **_):
    _reply(contact, note=note)
    contact.answered_at = at


CONTACT = register(Workflow(
    ContactRequest,
    moves=[
        move(C.PENDING, "accept", C.ACCEPTED, RESPONDER, label="接受"),
        move(C.PENDING, "decline", C.DECLINED, RESPONDER, label="婉拒"),
        move(C.PENDING, "withdraw", C.WITHDRAWN, REQUESTER, label="撤回"),
    ],
    roles=party_of,
    role_labels={REQUESTER: "发起方", RESPONDER: "被联系方"},
    effects={"accept": _answer, "decline": _answer, "withdraw": _reply},
    state_field="status", noun="对接意向", note_max=500,
))
