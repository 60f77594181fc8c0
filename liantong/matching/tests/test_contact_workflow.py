"""The contact request's machine (``workflow.CONTACT``), tested from its table with the generated cases of
``liantong/core/tests/workflow_kit.py``: legal moves per listed role, 403 for each role not listed, 409 for
each pair not in the table, 404 out of scope, a stale page 409 — nothing written on refusal — and the API."""

import json

import pytest

from liantong.core.tests.workflow_kit import (
    Trace,
    assert_refused,
    illegal_cases,
    legal_cases,
    wrong_role_cases,
)
from liantong.matching import services
from liantong.matching.models import ContactRequest, ContactStatus, Listing
from liantong.matching.workflow import CONTACT

pytestmark = pytest.mark.django_db

# a contact from firm_a's firm about a listing of firm_b's firm
ROLE_USERS = {"requester": "firm_a", "responder": "firm_b"}


def _contact(personas, state):
    listing = next(x for x in Listing.objects.filter(enterprise=personas["firm_b"].enterprise).order_by("id")
                   if x.is_matchable)
    c = services.express_interest(actor=personas["firm_a"], listing=listing, message="请报价")
    ContactRequest.objects.filter(pk=c.pk).update(status=state)
    c.refresh_from_db()
    return c


@pytest.mark.parametrize("move,role", legal_cases(CONTACT))
def test_each_legal_contact_move_succeeds_for_its_side(personas, move, role):
    c = _contact(personas, move.source)
    actor = personas[ROLE_USERS[role]]
    trace = Trace(CONTACT, c)
    moved = CONTACT.transition(c, move.action, actor=actor, note="可以安排")
    assert moved.status == move.target == trace.now_state()
    trace.assert_one_move(move, actor)
    assert moved.reply == "可以安排"
    assert (moved.answered_at is not None) == (role == "responder")


@pytest.mark.parametrize("move,role", wrong_role_cases(CONTACT))
def test_each_contact_move_is_refused_to_the_other_side(personas, move, role):
    c = _contact(personas, move.source)
    err = assert_refused(CONTACT, c, move.action, personas[ROLE_USERS[role]], 403)
    assert "该操作应由" in err.message


@pytest.mark.parametrize("move", CONTACT.moves, ids=lambda m: f"{m.source}-{m.action}")
def test_each_contact_move_is_hidden_from_those_outside(personas, move):
    c = _contact(personas, move.source)
    for who in ("dept_staff", "uni", "by_zone", "nobody"):
        assert_refused(CONTACT, c, move.action, personas[who], 404)


@pytest.mark.parametrize("state,action", illegal_cases(CONTACT))
def test_each_contact_pair_not_in_the_table_is_refused_with_409(personas, state, action):
    c = _contact(personas, state)
    assert_refused(CONTACT, c, action, personas["zone_staff"], 409)


def test_a_stale_contact_page_is_told_someone_else_acted(personas):
    c = _contact(personas, ContactStatus.PENDING)
    stale = ContactRequest.objects.get(pk=c.pk)
    CONTACT.transition(c, "withdraw", actor=personas["firm_a"])
    assert "已被他人处理" in assert_refused(CONTACT, stale, "accept", personas["firm_b"], 409).message


def test_the_api_lists_and_makes_moves_with_one_url_shape(personas, client_for):
    c = _contact(personas, ContactStatus.PENDING)
    url = f"/api/v1/contacts/{c.pk}/transitions"
    responder = client_for(personas["firm_b"])
    assert [(m["action"], m["label"]) for m in responder.get(url).json()] == [("accept", "接受"), ("decline", "婉拒")]
    assert client_for(personas["by_zone"]).get(url).status_code == 404
    body = {"action": "accept", "note": "欢迎来厂", "expected_state": "withdrawn"}
    stale = responder.post(url, json.dumps(body), content_type="application/json")
    assert stale.status_code == 409 and "已被他人处理" in stale.json()["detail"]
    ok = responder.post(url, json.dumps({**body, "expected_state": "pending"}), content_type="application/json")
    assert ok.status_code == 200 and ok.json()["status"] == "accepted" and ok.json()["reply"] == "欢迎来厂"
    again = responder.post(url, json.dumps({"action": "decline"}), content_type="application/json")
    assert again.status_code == 409 and "不能执行“婉拒”" in again.json()["detail"]
    assert responder.get(url).json() == []
