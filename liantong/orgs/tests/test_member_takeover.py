"""Issue 7, fix first #1: nobody adds or overwrites a member outside their write scope by typing an ID number
registered elsewhere. The form, the API and the Excel import answer one neutral sentence and change nothing."""

import io
import json

import pytest
from openpyxl import Workbook

from liantong.core import pii
from liantong.core.excel import import_workbook
from liantong.core.identifiers import id_check_char
from liantong.orgs.excel import MEMBER
from liantong.orgs.models import Member, PartyOrg

NEUTRAL = "该身份证号码不能在此新增，请发起组织关系转接"
WRITERS = ["zone_staff", "chain_staff", "firm_a", "firm_b"]


def _victims(user):
    """One member outside ``user``'s write scope in another zone, and one in the user's own zone if any."""
    outside = Member.objects.exclude(pk__in=Member.objects.visible_to(user, for_write=True).values("pk"))
    other_zone = outside.exclude(zone_id=user.zone_id).select_related("party_org", "zone").first()
    same_zone = outside.filter(zone_id=user.zone_id).select_related("party_org", "zone").first()
    return [m for m in (other_zone, same_zone) if m is not None]


def _state(m: Member) -> tuple:
    m = Member.objects.get(pk=m.pk)
    return (m.name, m.party_org_id, m.zone_id, m.status, m.post, m.id_encrypted, m.phone_encrypted, m.updated_at)


def _leaks(body: str, m: Member, user) -> list[str]:
    """What of the existing member the answer shows (its zone only counts when it is not the user's own)."""
    zone = (m.zone.name, m.zone.short_name) if m.zone_id != user.zone_id else ()
    return [s for s in (m.name, m.party_org.name, *zone, m.id_masked, m.phone_masked) if s and s in body]


@pytest.mark.parametrize("persona", WRITERS)
def test_the_member_form_never_takes_over_a_member_outside_the_writers_scope(personas, client_for, persona):
    user = personas[persona]
    org = PartyOrg.objects.visible_to(user, for_write=True).order_by("path").first()
    victims = _victims(user)
    assert victims and org is not None
    for m in victims:
        before = _state(m)
        resp = client_for(user).post("/orgs/member/new/", {
            "name": "冒名顶替", "party_org": org.pk, "status": m.status, "post": "篡改岗位",
            "id_number": pii.decrypt(m.id_encrypted), "phone": "13900000000"})
        body = resp.content.decode()
        assert resp.status_code == 400
        assert NEUTRAL in body
        assert _leaks(body, m, user) == []
        assert _state(m) == before
        assert "/orgs/transfer/new/" in body  # the refusal offers the transfer request


@pytest.mark.parametrize("persona", WRITERS)
def test_the_api_never_takes_over_a_member_outside_the_writers_scope(personas, client_for, persona):
    user = personas[persona]
    org = PartyOrg.objects.visible_to(user, for_write=True).order_by("path").first()
    for m in _victims(user):
        before = _state(m)
        resp = client_for(user).post("/api/v1/members", {
            "name": "冒名顶替", "party_org_id": org.pk, "status": m.status, "post": "篡改岗位",
            "id_number": pii.decrypt(m.id_encrypted), "phone": "13900000000"}, content_type="application/json")
        assert resp.status_code == 409
        assert resp.json()["detail"] == NEUTRAL
        assert _leaks(resp.json()["detail"] + str(resp.json()), m, user) == []
        assert _state(m) == before


def test_editing_a_members_id_number_into_one_registered_elsewhere_changes_nothing(personas, client_for):
    user = personas["firm_a"]
    own = Member.objects.visible_to(user, for_write=True).first()
    victim = _victims(user)[0]
    own_before, victim_before = _state(own), _state(victim)
    resp = client_for(user).post(f"/orgs/member/{own.pk}/edit/", {
        "name": own.name, "party_org": own.party_org_id, "status": own.status,
        "id_number": pii.decrypt(victim.id_encrypted)})
    assert resp.status_code == 400 and NEUTRAL in resp.content.decode()
    assert _leaks(resp.content.decode(), victim, user) == []
    assert _state(own) == own_before and _state(victim) == victim_before


def test_the_excel_import_answers_the_same_neutral_sentence(personas):
    user = personas["firm_a"]
    victim = _victims(user)[0]
    before = _state(victim)
    wb = Workbook()
    ws = wb.active
    ws.append([c.title for c in MEMBER.columns])
    ws.append(["冒名顶替", "男" if victim.gender == "male" else "女", pii.decrypt(victim.id_encrypted), user.party_org.name, "正式党员", "", "", "", "", "",
               ""])
    buf = io.BytesIO()
    wb.save(buf)
    buf.seek(0)
    result = import_workbook(MEMBER, buf, actor=user)
    text = "\n".join(result.error_lines())
    assert NEUTRAL in text, text
    assert _leaks(text, victim, user) == []
    assert _state(victim) == before


def test_a_writer_still_adds_a_new_member_through_the_api_and_the_answer_is_masked(personas, client_for):
    user = personas["firm_a"]
    first17 = "32119119900101" + "43" + "1"
    number = first17 + id_check_char(first17)
    assert not Member.objects.filter(id_hash=pii.keyed_hash(number)).exists()
    resp = client_for(user).post("/api/v1/members", {
        "name": "新党员", "party_org_id": user.party_org_id, "status": "full", "id_number": number,
        "phone": "13900000001"}, content_type="application/json")
    assert resp.status_code == 201, resp.content
    m = Member.objects.get(id_hash=pii.keyed_hash(number))
    assert resp.json()["id_number"] == m.id_masked != number and resp.json()["phone"] == "139****0001"
    assert (m.party_org_id, m.name, m.gender) == (user.party_org_id, "新党员", "male")
    other = PartyOrg.objects.exclude(pk__in=PartyOrg.objects.visible_to(user, for_write=True).values("pk")).first()
    refused = client_for(user).post("/api/v1/members", {
        "name": "新党员", "party_org_id": other.pk, "status": "full", "id_number": number},
        content_type="application/json")
    assert refused.status_code == 400 and refused.json()["field"] == "party_org_id"


@pytest.mark.parametrize("persona", WRITERS)
def test_the_refusal_is_the_same_whoever_and_wherever_the_member_is(personas, client_for, persona):
    """A member in another zone and one in the writer's own zone (outside its scope) get byte-identical API
    answers and the same form error: the refusal cannot tell the writer which case it hit, nor anything else."""
    user = personas[persona]
    org = PartyOrg.objects.visible_to(user, for_write=True).order_by("path").first()
    victims = _victims(user)
    api, form_errors = set(), set()
    for m in victims:
        number = pii.decrypt(m.id_encrypted)
        resp = client_for(user).post("/api/v1/members", {
            "name": "冒名顶替", "party_org_id": org.pk, "status": "full", "id_number": number},
            content_type="application/json")
        api.add((resp.status_code, resp.content))
        page = client_for(user).post("/orgs/member/new/", {"name": "冒名顶替", "party_org": org.pk, "status": "full",
                                                           "id_number": number}).content.decode()
        form_errors.add(tuple(line.strip() for line in page.splitlines()
                              if "invalid-feedback" in line or "alert-danger" in line))
    assert victims and len(api) == 1  # one answer, whichever case (another zone; own zone, outside scope)
    status, body = next(iter(api))
    assert status == 409 and json.loads(body) == {"detail": NEUTRAL, "field": "id_number"}
    assert len(form_errors) == 1 and NEUTRAL in "".join(next(iter(form_errors)))
