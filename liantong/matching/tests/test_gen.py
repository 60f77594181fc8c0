"""The listings generator writes rows as the application would: ``keywords`` a JSON list on both engines
(the bulk path adapts JSON itself; an earlier version encoded it twice, a string on SQLite and an error on
PostgreSQL)."""

import dataclasses

import pytest

from liantong.core import gen as core_gen
from liantong.matching import gen
from liantong.matching.models import Listing
from liantong.orgs import gen as orgs_gen

pytestmark = pytest.mark.django_db


def test_generated_listings_keep_their_keywords_as_a_list():
    scale = dataclasses.replace(core_gen.SCALES["tiny"], listings=40)
    orgs_gen.generate(scale, log=lambda s: None)
    zones = [z.pk for z in orgs_gen.generated_zones()]
    before = Listing.objects.filter(zone_id__in=zones).count()
    out = gen.generate(scale, log=lambda s: None)
    made = list(Listing.objects.filter(zone_id__in=zones))
    assert out["listings"] == len(made) - before == 40
    assert all(isinstance(x.keywords, list) and x.keywords for x in made)
    assert all(isinstance(k, str) for x in made for k in x.keywords)
