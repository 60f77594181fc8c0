"""Organisation forms for a chain committee and a firm (issue 7, fix first 6): they carry no field their user
cannot set, they save, their service writes the change and its audit row, and a refusal is readable."""

from django.urls import reverse

from liantong.core.models import AuditAction, AuditLog
from liantong.orgs.models import Chain, Enterprise, Member, PartyOrg


def _audit(obj, field):
    return AuditLog.objects.filter(action=AuditAction.UPDATE, object_type=obj._meta.label_lower,
                                   object_id=str(obj.pk), changes__has_key=field)


def test_a_chain_committee_saves_its_chain_and_the_form_has_no_zone_field(personas, client_for):
    chain = Chain.objects.get(name="高技术船舶海工装备")
    c = client_for(personas["chain_staff"])
    page = c.get(reverse("orgs:chain_edit", args=[chain.pk])).content.decode()
    assert 'name="zone"' not in page
    resp = c.post(reverse("orgs:chain_edit", args=[chain.pk]), {
        "name": chain.name, "chief_name": chain.chief_name, "chief_department": chain.chief_department_id or "",
        "description": "船舶与海工装备全链条"})
    assert resp.status_code == 302, resp.content.decode()[:2000]
    chain.refresh_from_db()
    assert chain.description == "船舶与海工装备全链条"
    assert _audit(chain, "description").exists()


def test_a_firm_saves_its_enterprise_and_its_party_org(personas, client_for):
    firm = personas["firm_a"]
    ent = Enterprise.objects.get(pk=firm.enterprise_id)
    c = client_for(firm)
    resp = c.post(reverse("orgs:enterprise_edit", args=[ent.pk]), {
        "name": ent.name, "credit_code": ent.credit_code, "scale": ent.scale, "is_hightech": "on",
        "address": "镇江市京口区船厂路1号", "contact_name": ent.contact_name, "contact_phone": ent.contact_phone})
    assert resp.status_code == 302, resp.content.decode()[:2000]
    ent.refresh_from_db()
    assert ent.address == "镇江市京口区船厂路1号" and ent.zone_id == firm.zone_id
    org = PartyOrg.objects.visible_to(firm, for_write=True).exclude(parent=None).order_by("depth").first()
    page = c.get(reverse("orgs:partyorg_edit", args=[org.pk])).content.decode()
    assert 'type="hidden" name="zone"' not in page and 'name="zone"' not in page


def test_a_member_renamed_on_the_form_is_saved_and_audited(personas, client_for):
    """The form used to validate (and so change) the very row it handed to the service, which then found
    nothing to change: a renamed member stayed as it was, with no audit row."""
    firm = personas["firm_a"]
    member = Member.objects.visible_to(firm, for_write=True).order_by("pk").first()
    resp = client_for(firm).post(reverse("orgs:member_edit", args=[member.pk]), {
        "name": member.name + "新", "party_org": member.party_org_id, "status": member.status,
        "joined_on": member.joined_on.isoformat() if member.joined_on else "", "post": member.post})
    assert resp.status_code == 302, resp.content.decode()[:2000]
    member.refresh_from_db()
    assert member.name.endswith("新")
    assert _audit(member, "name").exists()


def test_a_chain_committee_may_not_create_a_chain_and_sees_no_button(personas, client_for):
    c = client_for(personas["chain_staff"])
    assert c.get(reverse("orgs:chain_create")).status_code == 404
    assert reverse("orgs:chain_create") not in c.get(reverse("orgs:chain_list")).content.decode()
    zc = client_for(personas["zone_staff"])
    assert reverse("orgs:chain_create") in zc.get(reverse("orgs:chain_list")).content.decode()


def test_a_refused_save_shows_its_message(personas, client_for):
    """A party org moved under its own branch: the service's refusal is on the page, not a bare 400."""
    firm = personas["firm_a"]
    orgs = PartyOrg.objects.visible_to(firm, for_write=True)
    child = orgs.exclude(parent=None).filter(parent__in=orgs).order_by("depth", "pk").first()
    org = child.parent
    resp = client_for(firm).post(reverse("orgs:partyorg_edit", args=[org.pk]), {
        "name": org.name, "kind": org.kind, "parent": child.pk, "chain": org.chain_id or "",
        "enterprise": org.enterprise_id or "", "secretary_name": org.secretary_name})
    assert resp.status_code == 400
    body = resp.content.decode()
    assert "alert-danger" in body and "下级" in body
