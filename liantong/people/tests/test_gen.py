"""``liantong gen`` for the people strand keeps the services' invariants (a ``tiny`` run, rolled back)."""

import pytest
from django.db.models import F

from liantong.core import gen
from liantong.core.stats import zone_stats
from liantong.orgs import gen as orgs_gen
from liantong.people import gen as people_gen
from liantong.people.models import Activity, Attendance, CommitteePost, Trainee

TINY = gen.SCALES["tiny"]


@pytest.fixture(scope="module")
def generated(django_db_setup, django_db_blocker):
    from django.db import transaction

    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            orgs_gen.generate(TINY, log=lambda s: None)
            counts = people_gen.generate(TINY, log=lambda s: None)
            again = people_gen.generate(TINY, log=lambda s: None)
            yield {"counts": counts, "again": again, "zones": list(orgs_gen.generated_zones())}
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


def test_generated_zones_get_activities_with_attendances_and_a_second_run_adds_nothing(generated, db):
    zones = generated["zones"]
    counts = generated["counts"]
    assert counts["activities"] == Activity.objects.filter(zone__in=zones).count() > 0
    assert counts["attendances"] == Attendance.objects.filter(zone__in=zones).count() > 0
    assert generated["again"] == {}
    for z in zones:
        s = zone_stats(z)
        assert s["activities"] > 0 and s["attendance"] >= Attendance.objects.filter(zone=z).count()


def test_generated_rows_keep_the_invariants(generated, db):
    zones = generated["zones"]
    acts = Activity.objects.filter(zone__in=zones)
    assert not acts.exclude(organisers=F("lead_org")).exists()
    assert acts.values("checkin_token").distinct().count() == acts.count()
    att = Attendance.objects.filter(zone__in=zones)
    assert not att.exclude(member__party_org=F("activity__lead_org")).exists()
    assert not att.exclude(zone=F("activity__zone")).exists()
    assert not Trainee.objects.filter(zone__in=zones).exclude(enterprise_mentor__kind="enterprise").exists()
    assert not CommitteePost.objects.filter(zone__in=zones).exclude(manager__enterprise=F("party_org__enterprise")).exists()
