"""组织关系转接: a member registered elsewhere joins an org only through a transfer that the sending side
accepts. Seen by both sides (and the zones above them), by nobody else (404); moves are data; history
shows on the member."""

import datetime
import io

import pytest
from django.db import connection
from django.db.models import Q
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from openpyxl import load_workbook

from liantong.core import audit, pii
from liantong.core.models import AuditLog
from liantong.core.scoping import scope_q
from liantong.core.tests.workflow_kit import (
    Trace,
    assert_refused,
    illegal_cases,
    legal_cases,
    wrong_role_cases,
)
from liantong.orgs import transfers
from liantong.orgs.models import Member, MemberMove, MemberTransfer, PartyOrg, TransferState
from liantong.orgs.transfers import TRANSFER

NEUTRAL = "该身份证号码不能在此新增，请发起组织关系转接"
OUTSIDERS = ["firm_b", "uni", "dept_staff", "nobody"]


@pytest.fixture
def case(personas):
    """A 白银 member (sent by 白银's zone committee) asked for by 镇江船厂's branch (firm_a)."""
    member = Member.objects.filter(zone__name="白银高新区").select_related("party_org").first()
    to_org = PartyOrg.objects.get(pk=personas["firm_a"].party_org_id)
    return member, to_org


def _request(client, member, to_org):
    return client.post("/api/v1/member-transfers", {
        "id_number": pii.decrypt(member.id_encrypted), "name": "申请人填写的姓名", "to_org_id": to_org.pk,
        "note": "本人已入职镇江船厂"}, content_type="application/json")


def test_a_transfer_is_requested_accepted_by_the_sending_zone_and_moves_the_member(personas, client_for, case):
    member, to_org = case
    from_org = member.party_org
    firm = client_for(personas["firm_a"])
    resp = _request(firm, member, to_org)
    assert resp.status_code == 201, resp.content
    body = resp.json()
    # the requester learns nothing of the member's current org, zone or name
    assert body["state"] == TransferState.REQUESTED and body["from_org"] is None
    for secret in (member.name, from_org.name, member.zone.name):
        assert secret not in resp.content.decode()
    t = MemberTransfer.objects.get(pk=body["id"])
    assert (t.member_id, t.from_org_id, t.to_org_id, t.zone_id, t.from_zone_id) == (
        member.pk, from_org.pk, to_org.pk, to_org.zone_id, member.zone_id)
    # the requester may not accept its own request (403: visible, but not its move)
    assert firm.post(f"/api/v1/member-transfers/{t.pk}/transitions", {"action": "accept"},
                     content_type="application/json").status_code == 403
    # the sending zone sees it, with the member, and accepts
    sender = client_for(personas["by_zone"])
    listed = sender.get("/orgs/transfer/").content.decode()
    assert f"/orgs/transfer/{t.pk}/" in listed and "同意" in listed
    resp = sender.post(f"/api/v1/member-transfers/{t.pk}/transitions", {"action": "accept", "note": "同意转出"},
                       content_type="application/json")
    assert resp.status_code == 200, resp.content
    assert resp.json()["state"] == TransferState.ACCEPTED
    member.refresh_from_db()
    assert (member.party_org_id, member.zone_id) == (to_org.pk, to_org.zone_id)
    move = MemberMove.objects.get(member=member, transfer=t)
    assert (move.from_org_id, move.to_org_id) == (from_org.pk, to_org.pk)
    assert AuditLog.objects.filter(object_type="orgs.membertransfer", object_id=str(t.pk)).count() >= 2
    # the member's history shows on its page, for its new org
    page = firm.get(f"/orgs/member/{member.pk}/").content.decode()
    assert from_org.name in page and to_org.name in page and "组织关系转接" in page
    # a second accept is refused by state (409)
    assert sender.post(f"/api/v1/member-transfers/{t.pk}/transitions", {"action": "accept"},
                       content_type="application/json").status_code == 409


def test_a_refused_transfer_leaves_the_member_where_it_was(personas, client_for, case):
    member, to_org = case
    t = transfers.request_transfer(actor=personas["firm_a"], id_number=pii.decrypt(member.id_encrypted),
                                   name="某某", to_org=to_org, note="")
    sender = client_for(personas["by_zone"])
    resp = sender.post(f"/orgs/transfer/{t.pk}/transition/", {"action": "refuse", "note": "该同志尚未办理离职",
                                                              "expected_state": t.state})
    assert resp.status_code == 302
    t.refresh_from_db()
    assert t.state == TransferState.REFUSED and t.reply == "该同志尚未办理离职"
    member.refresh_from_db()
    assert member.party_org_id != to_org.pk and not MemberMove.objects.filter(member=member).exists()


def test_the_requester_may_cancel_a_pending_transfer(personas, client_for, case):
    member, to_org = case
    t = transfers.request_transfer(actor=personas["firm_a"], id_number=pii.decrypt(member.id_encrypted),
                                   name="某某", to_org=to_org, note="")
    assert client_for(personas["by_zone"]).post(f"/api/v1/member-transfers/{t.pk}/transitions",
                                                {"action": "cancel"}, content_type="application/json"
                                                ).status_code == 403
    resp = client_for(personas["firm_a"]).post(f"/api/v1/member-transfers/{t.pk}/transitions", {"action": "cancel"},
                                               content_type="application/json")
    assert resp.status_code == 200 and resp.json()["state"] == TransferState.CANCELLED


@pytest.mark.parametrize("persona", OUTSIDERS)
def test_users_outside_both_sides_get_404_everywhere(personas, client_for, case, persona):
    member, to_org = case
    t = transfers.request_transfer(actor=personas["firm_a"], id_number=pii.decrypt(member.id_encrypted),
                                   name="某某", to_org=to_org, note="")
    c = client_for(personas[persona])
    assert c.get(f"/orgs/transfer/{t.pk}/").status_code == 404
    assert c.post(f"/orgs/transfer/{t.pk}/transition/", {"action": "accept"}).status_code == 404
    assert c.get(f"/api/v1/member-transfers/{t.pk}").status_code == 404
    assert c.post(f"/api/v1/member-transfers/{t.pk}/transitions", {"action": "accept"},
                  content_type="application/json").status_code == 404
    t.refresh_from_db()
    assert t.state == TransferState.REQUESTED
    listed = c.get("/api/v1/member-transfers")
    assert listed.status_code == 200 and t.pk not in [i["id"] for i in listed.json()["items"]]


@pytest.mark.parametrize("persona", ["admin", "zone_staff", "firm_a", "by_zone"])
def test_both_sides_and_their_zones_see_the_transfer(personas, client_for, case, persona):
    member, to_org = case
    t = transfers.request_transfer(actor=personas["firm_a"], id_number=pii.decrypt(member.id_encrypted),
                                   name="某某", to_org=to_org, note="")
    user = personas[persona]
    assert MemberTransfer.objects.visible_to(user).filter(pk=t.pk).exists()
    c = client_for(user)
    assert c.get(f"/orgs/transfer/{t.pk}/").status_code == 200
    assert t.pk in [i["id"] for i in c.get("/api/v1/member-transfers").json()["items"]]


def test_the_request_form_is_reachable_and_the_requesters_page_hides_the_sending_side(personas, client_for, case):
    member, to_org = case
    c = client_for(personas["firm_a"])
    assert c.get("/orgs/transfer/new/").status_code == 200
    resp = c.post("/orgs/transfer/new/", {"id_number": pii.decrypt(member.id_encrypted), "name": "某某",
                                          "to_org": to_org.pk, "note": ""})
    assert resp.status_code == 302
    t = MemberTransfer.objects.get(member=member, to_org=to_org)
    page = c.get(f"/orgs/transfer/{t.pk}/").content.decode()
    assert member.party_org.name not in page and member.zone.name not in page


@pytest.mark.parametrize("url", ["/orgs/transfer/", "/api/v1/member-transfers"])
def test_the_transfer_lists_query_count_does_not_grow_with_their_rows(personas, client_for, url):
    firm = personas["firm_a"]
    to_org = PartyOrg.objects.get(pk=firm.party_org_id)
    people = list(Member.objects.filter(zone__name="白银高新区")[:4])
    c = client_for(personas["by_zone"])
    counts, requested = [], 0
    for batch in (people[:1], people[1:]):
        requested += len(batch)
        for m in batch:
            transfers.request_transfer(actor=firm, id_number=pii.decrypt(m.id_encrypted), name="某某", to_org=to_org)
        c.get(url)
        with CaptureQueriesContext(connection) as ctx:
            resp = c.get(url)
        assert resp.status_code == 200
        shown = len(resp.json()["items"]) if "api" in url else resp.content.decode().count('value="accept"')
        assert shown == requested
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1]


# --- the machine from its table (core/tests/workflow_kit.py) ---------------------------------------------

# firm_a's branch (镇江) asks for a 白银 member; 白银's zone committee is the sending side; no user is the system
ROLE_USERS = {"receiver": "firm_a", "sender": "by_zone", "system": None}


def _transfer(personas, case, state=TransferState.REQUESTED) -> MemberTransfer:
    member, to_org = case
    t = transfers.request_transfer(actor=personas["firm_a"], id_number=pii.decrypt(member.id_encrypted),
                                   name="某某", to_org=to_org, note="")
    if state != TransferState.REQUESTED:
        MemberTransfer.objects.filter(pk=t.pk).update(state=state)
        t.refresh_from_db()
    return t


def _actor(personas, role):
    return personas[ROLE_USERS[role]] if ROLE_USERS[role] else None


@pytest.mark.parametrize("move,role", legal_cases(TRANSFER))
def test_each_legal_transfer_move_succeeds_for_its_side(personas, case, move, role):
    t = _transfer(personas, case, move.source)
    member, to_org = case
    from_org_id = member.party_org_id
    actor = _actor(personas, role)
    trace = Trace(TRANSFER, t)
    moved = TRANSFER.transition(t, move.action, actor=actor, note="经研究同意" if move.action != "lapse" else "另行转出")
    assert moved.state == move.target == trace.now_state()
    trace.assert_one_move(move, actor)
    member.refresh_from_db()
    moved_member = move.action == "accept"
    assert (member.party_org_id == to_org.pk) is moved_member
    assert MemberMove.objects.filter(member=member, transfer=t, from_org_id=from_org_id).exists() is moved_member
    assert (moved.decided_at is not None) is (move.action != "cancel")


@pytest.mark.parametrize("move,role", wrong_role_cases(TRANSFER))
def test_each_transfer_move_is_refused_to_the_other_roles(personas, case, move, role):
    t = _transfer(personas, case, move.source)
    member, _ = case
    err = assert_refused(TRANSFER, t, move.action, _actor(personas, role), 403, note="理由")
    assert "该操作应由" in err.message
    assert Member.objects.get(pk=member.pk).party_org_id == member.party_org_id


@pytest.mark.parametrize("move", TRANSFER.moves, ids=lambda m: f"{m.source}-{m.action}")
@pytest.mark.parametrize("persona", OUTSIDERS)
def test_each_transfer_move_is_hidden_from_those_outside_both_sides(personas, case, move, persona):
    t = _transfer(personas, case, move.source)
    assert_refused(TRANSFER, t, move.action, personas[persona], 404, note="理由")


@pytest.mark.parametrize("state,action", illegal_cases(TRANSFER))
def test_each_transfer_pair_not_in_the_table_is_refused_with_409(personas, case, state, action):
    t = _transfer(personas, case, state)
    assert_refused(TRANSFER, t, action, personas["admin"], 409, note="理由")


def test_a_refusal_needs_its_reason_and_an_unknown_action_is_a_400(personas, case):
    t = _transfer(personas, case)
    assert assert_refused(TRANSFER, t, "refuse", personas["by_zone"], 400).field == "note"
    assert assert_refused(TRANSFER, t, "approve", personas["by_zone"], 400).field == "action"


def test_a_stale_transfer_page_is_told_someone_else_acted(personas, case):
    t = _transfer(personas, case)
    stale = MemberTransfer.objects.get(pk=t.pk)
    TRANSFER.transition(t, "cancel", actor=personas["firm_a"])
    assert "已被他人处理" in assert_refused(TRANSFER, stale, "accept", personas["by_zone"], 409).message


def test_accepting_one_request_lapses_the_other_orgs_requests_for_the_member(personas, case):
    member, to_org = case
    first = _transfer(personas, case)
    # a second receiving org (another branch firm_a manages, or the chain committee's) asks too
    other_org = (PartyOrg.objects.visible_to(personas["zone_staff"], for_write=True)
                 .exclude(pk=to_org.pk).exclude(kind="zone_committee").order_by("path").first())
    second = transfers.request_transfer(actor=personas["zone_staff"], id_number=pii.decrypt(member.id_encrypted),
                                        name="某某", to_org=other_org)
    TRANSFER.transition(first, "accept", actor=personas["by_zone"])
    second.refresh_from_db()
    assert second.state == TransferState.REFUSED and second.reply == transfers.LAPSED
    lapse = list(TRANSFER.history(second))
    assert [(r.changes["action"], r.actor_id) for r in lapse] == [("lapse", None)]
    # the lapse tells the other requester nothing of where the member went
    assert first.to_org.name not in second.reply and member.zone.name not in second.reply


def test_the_api_lists_and_makes_transfer_moves_with_one_url_shape(personas, client_for, case):
    t = _transfer(personas, case)
    url = f"/api/v1/member-transfers/{t.pk}/transitions"
    sender, receiver = client_for(personas["by_zone"]), client_for(personas["firm_a"])
    assert [(m["action"], m["label"], m["needs_note"]) for m in sender.get(url).json()] == [
        ("accept", "同意转出", False), ("refuse", "拒绝", True)]
    assert [m["action"] for m in receiver.get(url).json()] == ["cancel"]
    assert client_for(personas["firm_b"]).get(url).status_code == 404
    stale = sender.post(url, {"action": "accept", "expected_state": "cancelled"}, content_type="application/json")
    assert stale.status_code == 409 and "已被他人处理" in stale.json()["detail"]
    no_reason = sender.post(url, {"action": "refuse"}, content_type="application/json")
    assert no_reason.status_code == 400 and no_reason.json()["field"] == "note"
    resp = sender.post(url, {"action": "refuse", "note": "尚未离职", "expected_state": "requested"},
                       content_type="application/json")
    assert resp.status_code == 200, resp.content
    body = resp.json()
    assert (body["state"], body["reply"], body["actions"]) == ("refused", "尚未离职", [])
    assert body["from_org_id"] == case[0].party_org_id  # the sending side sees its own org
    # the receiving side's view of the refused transfer still hides the sending org
    seen = receiver.get(f"/api/v1/member-transfers/{t.pk}").json()
    assert seen["from_org"] is None and seen["reply"] == "尚未离职"


def test_the_transfer_page_shows_its_history_without_naming_the_sending_side_early(personas, client_for, case):
    member, _ = case
    t = _transfer(personas, case)
    TRANSFER.transition(t, "refuse", actor=personas["by_zone"], note="尚未办理离职")
    receiver_page = client_for(personas["firm_a"]).get(f"/orgs/transfer/{t.pk}/").content.decode()
    assert "办理记录" in receiver_page and "尚未办理离职" in receiver_page and "转出方" in receiver_page
    for secret in (personas["by_zone"].username, member.party_org.name, member.zone.name, member.name):
        assert secret not in receiver_page
    sender_page = client_for(personas["by_zone"]).get(f"/orgs/transfer/{t.pk}/").content.decode()
    assert personas["by_zone"].username in sender_page and member.party_org.name in sender_page


# --- the audit rows both zones read ----------------------------------------------------------------------


def test_both_zones_auditors_read_the_transfers_audit_rows_and_the_members_move(personas, client_for, case):
    member, to_org = case
    t = transfers.request_transfer(actor=personas["firm_a"], id_number=pii.decrypt(member.id_encrypted),
                                   name="审计样例甲", to_org=to_org)
    TRANSFER.transition(t, "accept", actor=personas["by_zone"], note="同意")
    mv = MemberMove.objects.get(transfer=t)
    rows = AuditLog.objects.filter(Q(object_type="orgs.membertransfer", object_id=str(t.pk))
                                   | Q(object_type="orgs.membermove", object_id=str(mv.pk)))
    expected = set(rows.values_list("pk", flat=True))
    assert len(expected) == 3  # the request, the acceptance, the member's move
    receiving, sending = personas["zone_staff"], personas["by_zone"]  # 镇江 asked, 白银 sent
    # each row carries one zone: without the shared reader the sending zone would read none of them
    assert not expected & set(AuditLog.objects.filter(scope_q(sending, AuditLog)).values_list("pk", flat=True))
    for user in (receiving, sending):
        assert expected <= set(AuditLog.objects.filter(audit.readable(user)).values_list("pk", flat=True))
        page = client_for(user).get("/system/operation-log/", {"q": "审计样例甲"}).content.decode()
        assert page.count("审计样例甲 →") == 2  # the request and the acceptance
        assert client_for(user).get("/system/operation-log/", {"q": member.name}).content.decode().count(
            f"{member.name}：") >= 1  # the move: the member's history, on both sides
    # the platform still reads everything (an empty Q is all rows: sharing must not narrow it)
    assert AuditLog.objects.filter(audit.readable(personas["admin"])).count() == AuditLog.objects.count()
    # nobody outside the transfer gains a row
    for who in OUTSIDERS:
        assert not expected & set(AuditLog.objects.filter(audit.readable(personas[who])).values_list("pk", flat=True))


# --- the list page: search, filters, export, paging -------------------------------------------------------


def _three_transfers(personas):
    """Two 白银 members asked for by firm_a's branch (one accepted), one 镇江 member asked for by a 白银 org."""
    firm_org = PartyOrg.objects.get(pk=personas["firm_a"].party_org_id)
    first = Member.objects.filter(zone__name="白银高新区").order_by("id").first()
    by_members = [first, Member.objects.filter(zone__name="白银高新区").exclude(party_org=first.party_org_id)
                  .order_by("id").first()]  # two sending orgs: the accepted one's is then shown, the other's not
    made = [transfers.request_transfer(actor=personas["firm_a"], id_number=pii.decrypt(m.id_encrypted),
                                       name=f"入转样例{i}", to_org=firm_org) for i, m in enumerate(by_members)]
    TRANSFER.transition(made[0], "accept", actor=personas["by_zone"])
    zj_member = (Member.objects.filter(zone__name__startswith="镇江")
                 .exclude(pk__in=Member.objects.visible_to(personas["firm_a"]).values("pk")).order_by("id").first())
    by_org = PartyOrg.objects.filter(zone__name="白银高新区").order_by("path").first()
    made.append(transfers.request_transfer(actor=personas["by_zone"], id_number=pii.decrypt(zj_member.id_encrypted),
                                           name="出转样例", to_org=by_org))
    return made


def _names(page: str) -> set[str]:
    return {n for n in ("入转样例0", "入转样例1", "出转样例") if n in page}


def test_the_transfer_list_searches_filters_by_state_direction_and_date(personas, client_for):
    _three_transfers(personas)
    zj = client_for(personas["zone_staff"])  # 镇江: receives 入转样例*, sends 出转样例
    assert _names(zj.get("/orgs/transfer/").content.decode()) == {"入转样例0", "入转样例1", "出转样例"}
    assert _names(zj.get("/orgs/transfer/", {"q": "入转样例1"}).content.decode()) == {"入转样例1"}
    assert _names(zj.get("/orgs/transfer/", {"state": "accepted"}).content.decode()) == {"入转样例0"}
    assert _names(zj.get("/orgs/transfer/", {"direction": "in,both"}).content.decode()) == {"入转样例0", "入转样例1"}
    assert _names(zj.get("/orgs/transfer/", {"direction": "out,both"}).content.decode()) == {"出转样例"}
    # 白银 sees the same rows from the other side
    by = client_for(personas["by_zone"])
    assert _names(by.get("/orgs/transfer/", {"direction": "out,both"}).content.decode()) == {"入转样例0", "入转样例1"}
    today = timezone.localdate()
    assert _names(zj.get("/orgs/transfer/", {"since": today.isoformat()}).content.decode()) == {
        "入转样例0", "入转样例1", "出转样例"}
    tomorrow = (today + datetime.timedelta(days=1)).isoformat()
    assert _names(zj.get("/orgs/transfer/", {"since": tomorrow}).content.decode()) == set()
    # a malformed value is refused in Chinese (core/lists.py), never a 500
    bad = zj.get("/orgs/transfer/", {"since": "9" * 30})
    assert bad.status_code == 400 and "参数“申请时间”（since）" in bad.content.decode()


def test_the_receiving_side_cannot_find_the_sending_org_or_the_members_name_by_search(personas, client_for):
    made = _three_transfers(personas)
    pending = MemberTransfer.objects.select_related("member", "from_org").get(pk=made[1].pk)
    firm = client_for(personas["firm_a"])
    page = firm.get("/orgs/transfer/").content.decode()
    assert "入转样例1" in page and pending.from_org.name not in page and pending.member.name not in page
    for probe in (pending.from_org.name, pending.member.name):
        assert "入转样例1" not in firm.get("/orgs/transfer/", {"q": probe}).content.decode()


def test_the_transfer_export_is_what_the_page_shows_and_is_audited(personas, client_for):
    made = _three_transfers(personas)
    pending = MemberTransfer.objects.select_related("member", "from_org").get(pk=made[1].pk)
    firm = client_for(personas["firm_a"])
    before = AuditLog.objects.filter(action="export", actor=personas["firm_a"]).count()
    resp = firm.get("/orgs/transfer/", {"export": "xlsx", "state": "requested"})
    assert resp.status_code == 200 and resp["Content-Disposition"].startswith("attachment")
    ws = load_workbook(io.BytesIO(resp.content)).active
    rows = [[c.value for c in r] for r in ws.iter_rows(min_row=2)]
    assert [r[0] for r in rows] == ["入转样例1"]
    assert rows[0][1] == pending.member.id_masked and rows[0][2] == "待转出方审核后显示"
    assert pending.from_org.name not in str(rows) and pending.member.name not in str(rows)
    assert AuditLog.objects.filter(action="export", actor=personas["firm_a"]).count() == before + 1
    # the sending side's export names its own org
    by_rows = load_workbook(io.BytesIO(client_for(personas["by_zone"]).get(
        "/orgs/transfer/", {"export": "xlsx", "q": "入转样例1"}).content)).active
    assert [c.value for c in next(by_rows.iter_rows(min_row=2))][2] == pending.from_org.name


def test_the_transfer_list_pages(personas, client_for):
    _three_transfers(personas)
    c = client_for(personas["zone_staff"])
    first = c.get("/orgs/transfer/", {"page": 1}).content.decode()
    assert "共 3 条" in first
    from liantong.orgs.views import TransferList

    TransferList.paginate_by, saved = 2, TransferList.paginate_by
    try:
        one, two = (c.get("/orgs/transfer/", {"page": n}).content.decode() for n in (1, 2))
    finally:
        TransferList.paginate_by = saved
    assert len(_names(one)) == 2 and len(_names(two)) == 1 and not _names(one) & _names(two)
    assert c.get("/orgs/transfer/", {"page": "9" * 30}).status_code == 400  # past 2**63-1: refused in Chinese
    assert c.get("/orgs/transfer/", {"page": 99}).status_code == 200  # past the last page: the last page
