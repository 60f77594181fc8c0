"""``liantong gen`` makes the innovation strand at scale too: every synthetic zone gets challenges, results,
qualifications and incubated firms, searchable, with the zone's figures counted from them; a second run of the
strand's generator adds nothing."""

import pytest

from liantong.core import gen as core_gen
from liantong.core.models import Zone
from liantong.innovation import gen, services
from liantong.innovation.models import Achievement, Challenge, IncubatedFirm, Qualification
from liantong.orgs.models import Chain

pytestmark = pytest.mark.django_db


def test_gen_fills_every_synthetic_zone_and_a_second_run_adds_nothing():
    core_gen.run(core_gen.SCALES["tiny"], log=lambda *_: None, only={"orgs", "innovation"})
    zones = list(Zone.objects.filter(name__startswith=gen.ZONE_PREFIX))
    assert zones
    for zone in zones:
        chains = Chain.objects.filter(zone=zone, memberships__isnull=False).distinct().count()
        assert Challenge.objects.filter(zone=zone).count() == chains * gen.CHALLENGES_PER_CHAIN
        figures = services.stats(zone)
        assert figures["achievements"] == Achievement.objects.filter(zone=zone).count() == \
            chains * gen.ACHIEVEMENTS_PER_CHAIN
        assert figures["incubated_enterprises"] == IncubatedFirm.objects.filter(zone=zone).count() == chains
        assert figures["tech_centres"] == Qualification.objects.filter(zone=zone, kind="tech_centre").count()
    c = Challenge.objects.filter(zone=zones[0]).first()
    assert c.search_text  # the token index is filled
    before = Challenge.objects.count()
    assert gen.generate(None, log=lambda *_: None) == {}
    assert Challenge.objects.count() == before
