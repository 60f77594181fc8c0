"""A small ``gen`` run keeps the invariants the services keep."""

import dataclasses

import pytest
from django.db.models import F, OuterRef, Subquery

from liantong.core.gen import SCALES
from liantong.services import gen
from liantong.services.models import Assignment, ServiceRequest, TimelineEntry
from liantong.services.models import OrderState as S
from liantong.services.workflow import find_move

pytestmark = pytest.mark.django_db


def test_a_small_generation_keeps_zone_keys_states_timelines_and_deadlines():
    before = ServiceRequest.objects.count()
    scale = dataclasses.replace(SCALES["tiny"], orders=300)
    out = gen.generate(scale, log=lambda s: None)
    made = ServiceRequest.objects.filter(ref__startswith="G")
    assert out["orders"] == made.count() == 300 == ServiceRequest.objects.count() - before
    assert not made.exclude(zone_id=F("enterprise__zone_id")).exists()
    assert not made.filter(chain__isnull=False).exclude(chain__memberships__enterprise_id=F("enterprise_id")).exists()
    last = TimelineEntry.objects.filter(order=OuterRef("pk")).order_by("-at", "-id").values("to_state")[:1]
    assert not made.annotate(last=Subquery(last)).exclude(last=F("state")).exists()
    for o in made.prefetch_related("timeline")[:300]:
        steps = list(o.timeline.order_by("at", "id"))
        assert steps[0].action == "submit"
        for s in steps[1:]:
            assert find_move(s.from_state, s.action) is not None, (o.ref, s.from_state, s.action)
        if o.state in (S.SUBMITTED, S.DISPATCHED, S.RETURNED, S.ACCEPTED, S.EXTENSION_REQUESTED):
            assert o.due_at and o.warn_at and o.stage
        if o.state in (S.DISPATCHED, S.ACCEPTED, S.EXTENSION_REQUESTED):
            a = Assignment.objects.get(order=o, active=True, role="lead")
            assert a.order_state == o.state and a.due_at == o.due_at and a.zone_id == o.zone_id
        if o.state in (S.RESOLVED, S.RATED):
            assert o.resolved_at and o.resolved_on_time is not None and o.workdays_taken is not None
