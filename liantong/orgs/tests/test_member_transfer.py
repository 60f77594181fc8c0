"""组织关系转接: a member registered elsewhere joins an org only through a transfer that the sending side
accepts. Seen by both sides (and the zones above them), by nobody else (404); moves are data; history
shows on the member."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from liantong.core import pii
from liantong.core.models import AuditLog
from liantong.orgs import transfers
from liantong.orgs.models import Member, MemberMove, MemberTransfer, PartyOrg, TransferState

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
                                                              "state": t.state})
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
