"""Two owners' users approving two overlapping bookings of one resource at once (PostgreSQL: two connections):
the booking machine locks the resource first (``workflow.BOOKING.lock``), so exactly one is approved and the
other is told the dates clash; nothing half-written. SQLite serialises writers, so this needs PostgreSQL."""

import datetime
import threading

import pytest
from django.db import connection

from liantong.services.tests.test_concurrency import _race

pytestmark = pytest.mark.skipif(connection.vendor == "sqlite",
                                reason="needs PostgreSQL: two connections contending for one row lock")


@pytest.fixture
def bookings(transactional_db):
    from liantong.accounts.models import UnitKind, User
    from liantong.accounts.roles import ensure_roles
    from liantong.core.dicts import ensure_dicts
    from liantong.core.models import Zone
    from liantong.orgs.models import Enterprise
    from liantong.resources.models import Booking, SharedResource

    ensure_dicts()
    roles = ensure_roles()
    zone = Zone.objects.create(name="预约并发园区", short_name="预约并发")
    owner = Enterprise.objects.create(zone=zone, name="资源企业", credit_code="91321191000000002X")
    other = Enterprise.objects.create(zone=zone, name="预约企业", credit_code="91321191000000003X")
    users = []
    for name in ("b_owner1", "b_owner2"):
        u = User.objects.create(username=name, unit_kind=UnitKind.ENTERPRISE, zone=zone, enterprise=owner)
        u.roles.set([roles["enterprise"]])
        users.append(u)
    res = SharedResource.objects.create(zone=zone, owner=owner, category="equipment", name="检测台")
    day = datetime.date.today() + datetime.timedelta(days=30)
    made = [Booking.objects.create(zone=zone, resource=res, requester=other, start_on=day, end_on=day,
                                   purpose=f"第{i}次试验") for i in (1, 2)]
    return made, users


def test_two_overlapping_approvals_at_once_one_wins_the_other_is_told(bookings):
    from liantong.core.models import AuditLog
    from liantong.resources.models import Booking, BookingState
    from liantong.resources.workflow import BOOKING

    (b1, b2), (u1, u2) = bookings
    pairs = iter([(b1, u1), (b2, u2)])
    lock = threading.Lock()

    def act():
        with lock:
            b, u = next(pairs)
        return BOOKING.transition(Booking.objects.get(pk=b.pk), "approve", actor=u)

    results = _race(act)
    assert sorted(kind for kind, _ in results) == ["error", "ok"]
    err = next(v for kind, v in results if kind == "error")
    assert "冲突" in getattr(err, "message", str(err))
    states = sorted(Booking.objects.filter(pk__in=[b1.pk, b2.pk]).values_list("state", flat=True))
    assert states == [BookingState.APPROVED, BookingState.PENDING]
    assert AuditLog.objects.filter(object_type="resources.booking", action="transition",
                                   object_id__in=[str(b1.pk), str(b2.pk)]).count() == 1
