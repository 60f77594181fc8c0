"""Two people at once (PostgreSQL: two connections, one order): one wins, the other is told, nothing
is half-written; and two ticks at once raise each card once. SQLite serialises writers with its
IMMEDIATE transactions, so these tests need PostgreSQL's row locks to mean anything."""

import datetime
import threading

import pytest
from django.db import connection

from liantong.core import calendar

pytestmark = pytest.mark.skipif(connection.vendor == "sqlite",
                                reason="needs PostgreSQL: two connections contending for one row lock")


def _race(fn, n=2):
    barrier = threading.Barrier(n)
    results = []

    def run():
        from django.db import connections

        try:
            barrier.wait()
            results.append(("ok", fn()))
        except Exception as exc:  # noqa: BLE001 - we record what each contender got
            results.append(("error", exc))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run) for _ in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results


@pytest.fixture
def order(transactional_db):
    from liantong.accounts.models import UnitKind, User
    from liantong.accounts.roles import ensure_roles
    from liantong.core.dicts import ensure_dicts
    from liantong.core.models import Zone
    from liantong.orgs.models import Department, Enterprise
    from liantong.services import services

    ensure_dicts()
    roles = ensure_roles()
    zone = Zone.objects.create(name="并发测试园区", short_name="并发")
    dept = Department.objects.create(zone=zone, name="自然资源和规划分局")
    firm = Enterprise.objects.create(zone=zone, name="并发测试企业", credit_code="91321191000000001X")
    firm_user = User.objects.create(username="c_firm", unit_kind=UnitKind.ENTERPRISE, zone=zone, enterprise=firm)
    firm_user.roles.set([roles["enterprise"]])
    zone_user = User.objects.create(username="c_zone", unit_kind=UnitKind.ZONE, zone=zone)
    zone_user.roles.set([roles["zone_staff"]])
    dept_users = []
    for name in ("c_dept1", "c_dept2"):
        u = User.objects.create(username=name, unit_kind=UnitKind.DEPARTMENT, zone=zone, department=dept)
        u.roles.set([roles["dept_staff"]])
        dept_users.append(u)
    at = datetime.datetime(2025, 6, 9, 9, 0, tzinfo=calendar.SHANGHAI)
    o = services.place_order(actor=firm_user, title="并发测试诉求", category="land", at=at)
    o = services.transition(o, "dispatch", actor=zone_user, lead=dept, at=at)
    return o, dept_users, zone_user, firm_user


def test_two_departments_users_accepting_at_once_one_wins_the_other_is_told(order):
    from liantong.services import services
    from liantong.services.models import ServiceRequest, TimelineEntry

    o, (u1, u2), _, _ = order
    users = iter([u1, u2])
    lock = threading.Lock()

    def act():
        with lock:
            u = next(users)
        seen = ServiceRequest.objects.get(pk=o.pk)  # each contender loads the page it acts on
        return services.transition(seen, "accept", actor=u)

    results = _race(act)
    oks = [r for kind, r in results if kind == "ok"]
    errors = [r for kind, r in results if kind == "error"]
    assert len(oks) == 1 and len(errors) == 1
    assert "已被他人处理" in errors[0].message or "不能执行" in errors[0].message
    assert TimelineEntry.objects.filter(order_id=o.pk, action="accept").count() == 1
    assert ServiceRequest.objects.get(pk=o.pk).state == "accepted"


def test_accept_and_return_at_once_leave_one_consistent_outcome(order):
    from liantong.services import services
    from liantong.services.models import Assignment, ServiceRequest, TimelineEntry

    o, (u1, u2), _, _ = order
    moves = iter([("accept", u1, ""), ("return", u2, "不属本部门")])
    lock = threading.Lock()

    def act():
        with lock:
            action, u, note = next(moves)
        seen = ServiceRequest.objects.get(pk=o.pk)
        return services.transition(seen, action, actor=u, note=note)

    results = _race(act)
    assert sorted(kind for kind, _ in results) == ["error", "ok"]
    final = ServiceRequest.objects.get(pk=o.pk)
    last = TimelineEntry.objects.filter(order_id=o.pk).order_by("-id").first()
    assert last.to_state == final.state
    if final.state == "returned":
        assert not Assignment.objects.filter(order_id=o.pk, active=True).exists()
    else:
        assert Assignment.objects.get(order_id=o.pk, active=True).state == "accepted"


def test_two_ticks_at_once_raise_each_card_once(order):
    from liantong.services import services
    from liantong.services.models import Card, Notification

    o, _, _, _ = order
    later = o.due_at + datetime.timedelta(days=3)
    results = _race(lambda: services.tick(later))
    assert all(kind == "ok" for kind, _ in results), results
    assert Card.objects.filter(order_id=o.pk, level="red").count() == 1
    assert sum(r["red"] for _, r in results) == 1
    assert Notification.objects.filter(order_id=o.pk, kind="card_red").values("user").distinct().count() == \
        Notification.objects.filter(order_id=o.pk, kind="card_red").count()
