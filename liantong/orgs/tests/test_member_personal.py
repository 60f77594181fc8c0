"""Issue 7, fix first #3 and #4: members' personal data.

Lists mask everywhere (page, API list, Excel export); the full value only on a detail read, only to the
entitled (platform admins, and users whose party org is the member's org or an ancestor of it), and every
full read writes one audit row. Changing a protected field rewrites hash, mask and ciphertext together.
"""

import io

import pytest
from django.template import Context, Template
from openpyxl import load_workbook

from liantong.core import pii
from liantong.core.identifiers import id_check_char, mask_id, mask_phone
from liantong.core.models import AuditLog
from liantong.orgs.models import Member, PartyOrg

ALL = ["admin", "zone_staff", "chain_staff", "dept_staff", "firm_a", "firm_b", "uni", "by_zone", "nobody"]


def _entitled(user, m: Member) -> bool:
    """From the test's own data: platform admin, or the user's party org is the member's org or above it."""
    if user.is_superuser:
        return True
    if not user.party_org_id:
        return False
    return m.party_org.path.startswith(PartyOrg.objects.get(pk=user.party_org_id).path)


def _full_reads(user) -> int:
    return AuditLog.objects.filter(actor=user, action="view_personal").count()


@pytest.mark.parametrize("persona", ALL)
def test_the_api_list_masks_id_numbers_and_phones_for_every_persona_and_audits_no_full_read(
        personas, client_for, persona):
    user = personas[persona]
    before = _full_reads(user)
    org = user.party_org_id and PartyOrg.objects.get(pk=user.party_org_id)
    # the persona's own branch first (where it is entitled), then the whole list
    for params in ([{"party_org": org.pk, "page_size": 50}] if org else []) + [{"page_size": 50}]:
        resp = client_for(user).get("/api/v1/members", params)
        assert resp.status_code == 200
        items = resp.json()["items"]
        stored = {m.pk: m for m in Member.objects.filter(pk__in=[i["id"] for i in items])}
        for item in items:
            m = stored[item["id"]]
            assert item["id_number"] == m.id_masked == mask_id(pii.decrypt(m.id_encrypted))
            assert item["phone"] == m.phone_masked
            assert item["birth_date"] in ("", f"{m.birth_date.year}-**-**")
    assert _full_reads(user) == before


@pytest.mark.parametrize("persona", ALL)
def test_the_api_detail_gives_full_values_only_to_the_entitled_and_audits_each_read(personas, client_for, persona):
    user = personas[persona]
    m = Member.objects.select_related("party_org").filter(party_org__name="镇江船厂设计所党支部").exclude(
        phone_encrypted="").first()
    visible = Member.objects.visible_to(user).filter(pk=m.pk).exists()
    before = _full_reads(user)
    c = client_for(user)
    for _ in range(2):
        resp = c.get(f"/api/v1/members/{m.pk}")
        if not visible:
            assert resp.status_code == 404
            continue
        data = resp.json()
        if _entitled(user, m):
            assert data["id_number"] == pii.decrypt(m.id_encrypted) and data["phone"] == pii.decrypt(m.phone_encrypted)
            assert data["birth_date"] == m.birth_date.isoformat()
        else:
            assert data["id_number"] == m.id_masked and data["phone"] == m.phone_masked
    expected = 2 if visible and _entitled(user, m) else 0
    assert _full_reads(user) == before + expected
    if expected:
        row = AuditLog.objects.filter(actor=user, action="view_personal").latest("pk")
        assert row.object_id == str(m.pk) and row.object_type == "orgs.member"


@pytest.mark.parametrize("persona", ["admin", "zone_staff", "chain_staff", "firm_a"])
def test_the_member_list_page_and_the_excel_export_mask_for_the_entitled_too(personas, client_for, persona):
    user = personas[persona]
    org = PartyOrg.objects.get(name="镇江船厂设计所党支部")
    members = list(Member.objects.filter(party_org=org))
    c = client_for(user)
    page = c.get("/orgs/member/", {"party_org": org.pk}).content.decode()
    resp = c.get("/orgs/member/", {"party_org": org.pk, "export": "xlsx"})
    ws = load_workbook(io.BytesIO(resp.content)).active
    cells = {str(v) for row in ws.iter_rows(values_only=True) for v in row if v is not None}
    assert len(members) > 1
    for m in members:
        number, phone = pii.decrypt(m.id_encrypted), pii.decrypt(m.phone_encrypted)
        assert number not in page and number not in cells and m.id_masked in cells
        if phone:
            assert phone not in page and phone not in cells and mask_phone(phone) in cells
    assert _full_reads(user) == 0 or not AuditLog.objects.filter(
        actor=user, action="view_personal", object_id__in=[str(m.pk) for m in members]).exists()


def _new_number(old: str) -> str:
    """Another valid ID number of the same birth date and gender as ``old`` (a different sequence)."""
    seq = (int(old[14:16]) + 37) % 100
    first17 = old[:14] + f"{seq:02d}" + old[16]
    return first17 + id_check_char(first17)


@pytest.mark.parametrize("via", ["form", "api"])
def test_editing_the_id_number_shows_the_new_number_and_the_old_hash_finds_nothing(personas, client_for, via):
    user = personas["firm_a"]
    m = Member.objects.filter(party_org_id=user.party_org_id).first()
    old = pii.decrypt(m.id_encrypted)
    new = _new_number(old)
    assert new != old and not Member.objects.filter(id_hash=pii.keyed_hash(new)).exists()
    c = client_for(user)
    if via == "form":
        resp = c.post(f"/orgs/member/{m.pk}/edit/", {"name": m.name, "party_org": m.party_org_id, "status": m.status,
                                                     "id_number": new})
        assert resp.status_code == 302
    else:
        resp = c.put(f"/api/v1/members/{m.pk}", {"name": m.name, "party_org_id": m.party_org_id, "status": m.status,
                                                 "id_number": new}, content_type="application/json")
        assert resp.status_code == 200
    page = c.get(f"/orgs/member/{m.pk}/").content.decode()
    assert new in page and old not in page
    assert c.get(f"/api/v1/members/{m.pk}").json()["id_number"] == new
    assert not Member.objects.filter(id_hash=pii.keyed_hash(old)).exists()
    m.refresh_from_db()
    assert (m.id_hash, m.id_masked, pii.decrypt(m.id_encrypted)) == (pii.keyed_hash(new), mask_id(new), new)


def test_changing_a_phone_rewrites_its_mask_and_ciphertext_together(personas):
    m = Member.objects.filter(party_org__name="镇江船厂设计所党支部").first()
    m.phone = "13912345678"
    assert (m.phone_masked, pii.decrypt(m.phone_encrypted)) == ("139****5678", "13912345678")
    m.id_number = _new_number(pii.decrypt(m.id_encrypted))
    assert (m.id_hash, m.id_masked) == (pii.keyed_hash(m.id_number), mask_id(m.id_number))


def test_a_template_that_prints_a_protected_attribute_shows_only_the_mask(personas):
    m = Member.objects.exclude(phone_encrypted="").first()
    html = Template("{{ m.id_number }} {{ m.phone }}").render(Context({"m": m}))
    assert html == f"{m.id_masked} {m.phone_masked}"
    assert m.id_number == pii.decrypt(m.id_encrypted)  # code still compares and saves the plain value
