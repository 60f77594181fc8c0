"""The generator's bulk path keeps the invariants the services keep (a ``tiny`` run checked row by row)."""

from collections import Counter

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db.models import F

from liantong.core import gen, pii
from liantong.core.identifiers import id_birth_date, id_error, id_gender, mask_id, mask_phone, uscc_error
from liantong.core.stats import zone_stats
from liantong.orgs import gen as orgs_gen
from liantong.orgs.models import (
    Chain,
    ChainMembership,
    ChainNode,
    ChainRole,
    Department,
    Enterprise,
    Member,
    OrgKind,
    PartyOrg,
)

TINY = gen.SCALES["tiny"]


@pytest.fixture(scope="module")
def generated(django_db_setup, django_db_blocker):
    """Run the tiny scale once for this module (inside a rolled-back atomic block)."""
    from django.db import transaction

    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            counts = orgs_gen.generate(TINY, log=lambda s: None)
            yield {"counts": counts, "zones": list(orgs_gen.generated_zones())}
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


@pytest.fixture
def zones(generated, db):
    return generated["zones"]


def test_it_generates_the_scale_s_number_of_zones_chains_firms_orgs_and_members(generated, zones):
    counts = generated["counts"]
    assert len(zones) == TINY.zones
    assert all(z.is_demo and z.name.startswith("合成园区") for z in zones)
    assert Chain.objects.filter(zone__in=zones).count() == TINY.zones * TINY.chains_per_zone == counts["chain"]
    assert Enterprise.objects.filter(zone__in=zones).count() == TINY.firms == counts["enterprise"]
    assert PartyOrg.objects.filter(zone__in=zones).count() == TINY.party_orgs == counts["partyorg"]
    assert Member.objects.filter(zone__in=zones).count() == TINY.members == counts["member"]


def test_every_scoped_row_has_the_zone_of_its_parent_objects(zones):
    assert not ChainNode.objects.filter(zone__in=zones).exclude(zone=F("chain__zone")).exists()
    assert not ChainMembership.objects.filter(zone__in=zones).exclude(zone=F("enterprise__zone")).exists()
    assert not ChainMembership.objects.filter(zone__in=zones).exclude(zone=F("chain__zone")).exists()
    assert not ChainMembership.objects.filter(zone__in=zones).exclude(node__chain=F("chain")).exists()
    assert not Chain.objects.filter(zone__in=zones).exclude(chief_department__zone=F("zone")).exists()
    orgs = PartyOrg.objects.filter(zone__in=zones)
    assert not orgs.filter(parent__isnull=False).exclude(zone=F("parent__zone")).exists()
    assert not orgs.filter(chain__isnull=False).exclude(zone=F("chain__zone")).exists()
    assert not orgs.filter(enterprise__isnull=False).exclude(zone=F("enterprise__zone")).exists()
    assert not Member.objects.filter(zone__in=zones).exclude(zone=F("party_org__zone")).exists()
    assert Department.objects.filter(zone__in=zones).count() == 8 * len(zones)


def test_every_party_org_path_is_its_parent_s_path_plus_its_own_key(zones):
    orgs = {o.pk: o for o in PartyOrg.objects.filter(zone__in=zones)}
    for org in orgs.values():
        expected = (orgs[org.parent_id].path if org.parent_id else "/") + f"{org.pk}/"
        assert org.path == expected, org.name
        assert org.depth == expected.count("/") - 2
    for node in ChainNode.objects.filter(zone__in=zones).select_related("parent"):
        assert node.path == (node.parent.path if node.parent_id else "/") + f"{node.pk}/"
        assert node.depth == node.path.count("/") - 2


def test_each_zone_has_one_root_and_each_chain_one_committee_under_it(zones):
    for zone in zones:
        roots = PartyOrg.objects.filter(zone=zone, parent__isnull=True)
        assert [r.kind for r in roots] == [OrgKind.ZONE_COMMITTEE]
        for chain in Chain.objects.filter(zone=zone):
            committees = PartyOrg.objects.filter(chain=chain, kind=OrgKind.CHAIN_COMMITTEE)
            assert committees.count() == 1
            assert committees[0].parent_id == roots[0].pk
            # firm orgs of the chain hang under its committee
            assert not PartyOrg.objects.filter(chain=chain, enterprise__isnull=False).exclude(
                path__startswith=committees[0].path).exists()
    assert not PartyOrg.objects.filter(zone__in=zones, enterprise__isnull=False).exclude(
        chain=F("enterprise__memberships__chain")).exists()


def test_chain_nodes_span_the_three_stages_and_every_firm_has_one_membership(zones):
    for chain in Chain.objects.filter(zone__in=zones):
        nodes = list(chain.nodes.all())
        assert 6 <= len(nodes) <= 9
        assert {n.stage for n in nodes} == {"up", "mid", "down"}
        assert chain.memberships.filter(role=ChainRole.MASTER).exists()
    per_firm = Counter(ChainMembership.objects.filter(zone__in=zones).values_list("enterprise_id", flat=True))
    assert set(per_firm.values()) == {1}
    assert len(per_firm) == Enterprise.objects.filter(zone__in=zones).count()


def test_every_credit_code_is_valid_and_unique(zones):
    codes = list(Enterprise.objects.filter(zone__in=zones).values_list("credit_code", flat=True))
    assert [c for c in codes if uscc_error(c)] == []
    assert len(set(codes)) == len(codes)


def test_every_member_keeps_hash_encrypted_and_masked_forms_of_a_valid_id_number(zones):
    members = list(Member.objects.filter(zone__in=zones))
    assert members
    for m in members:
        number = pii.decrypt(m.id_encrypted)
        assert id_error(number) is None, number
        assert m.id_hash == pii.keyed_hash(number)
        assert m.id_masked == mask_id(number) and "*" in m.id_masked
        assert m.gender == id_gender(number)
        assert m.birth_date == id_birth_date(number)
        phone = pii.decrypt(m.phone_encrypted)
        assert len(phone) == 11
        assert m.phone_masked == mask_phone(phone) and "****" in m.phone_masked
        assert m.joined_on > m.birth_date
    assert len({m.id_hash for m in members}) == len(members)


def test_zone_stats_count_exactly_what_was_generated(zones):
    for zone in zones:
        s = zone_stats(zone)
        orgs = PartyOrg.objects.filter(zone=zone)
        assert s["chains"] == TINY.chains_per_zone
        assert s["chain_committees"] == TINY.chains_per_zone
        assert s["enterprises"] == TINY.firms // TINY.zones
        assert s["party_orgs_all"] == TINY.party_orgs // TINY.zones == orgs.count()
        assert s["party_orgs"] == orgs.filter(enterprise__isnull=False).count() > 0
        assert s["members"] == TINY.members // TINY.zones
        assert s["vanguard_teams"] == 3 * TINY.chains_per_zone  # the three kinds per chain
        assert s["pairings"] >= 2 * TINY.chains_per_zone  # each committee's campus and vertical pairing


def test_vanguard_teams_pairings_and_cultivation_hang_off_the_zone_s_own_orgs(zones):
    from liantong.orgs.models import Cultivation, Pairing, VanguardTeam

    for zone in zones:
        teams = VanguardTeam.objects.filter(zone=zone)
        assert {t.kind for t in teams} == {"tech", "education", "supply"}
        assert all(t.lead_org.zone_id == zone.pk and t.lead_org.kind == "chain_committee" for t in teams)
        pairings = Pairing.objects.filter(zone=zone).select_related("party_org", "partner_org")
        assert {p.kind for p in pairings} >= {"campus", "vertical"}
        assert all(p.party_org.zone_id == zone.pk for p in pairings)
        assert all(p.partner_org is None or p.partner_org.zone_id == zone.pk for p in pairings)
        cult = Cultivation.objects.filter(zone=zone).select_related("party_org")
        assert cult.count() == 2 * PartyOrg.objects.filter(zone=zone, enterprise__isnull=False).count()
        assert all(c.party_org.zone_id == zone.pk and c.party_org.enterprise_id for c in cult)


def test_the_generated_users_have_the_demo_password_and_see_their_zone_only(zones):
    from liantong.accounts.models import User

    zone_user = User.objects.get(username="gen_z01_zone")
    assert zone_user.zone == zones[0]
    assert zone_user.check_password(settings.DEMO_PASSWORD)
    visible = Member.objects.visible_to(zone_user)
    assert visible.count() == TINY.members // TINY.zones
    assert not visible.exclude(zone=zones[0]).exists()
    firm_user = User.objects.get(username="gen_z01_firm")
    assert not Member.objects.visible_to(firm_user).exclude(party_org__enterprise=firm_user.enterprise).exists()
    admin = User.objects.get(username="gen_admin")
    assert Member.objects.visible_to(admin).filter(zone__in=zones).count() == TINY.members


def test_running_it_again_is_refused_with_a_clear_message(zones):
    with pytest.raises(CommandError, match="已有合成园区"):
        call_command("gen", "--scale", "tiny")
    assert Member.objects.filter(zone__in=zones).count() == TINY.members


def test_the_member_insert_names_every_column_of_the_model():
    assert sorted(orgs_gen.MEMBER_COLUMNS) == sorted(f.attname for f in Member._meta.concrete_fields)
