"""Figures that add up (issue 7, "Fix first" 8): a department's rates and the zone's are counted by the
same definitions over the same orders; a returned dispatch (退单) is no positive history for the
suggestions. Expected values come from each test's own orders."""

from __future__ import annotations

import datetime

import pytest

from liantong.accounts.models import Role, UnitKind
from liantong.accounts.services import save_user
from liantong.core import calendar
from liantong.orgs import services as org_services
from liantong.services import services
from liantong.services.models import DispatchStat, ServiceRequest
from liantong.services.models import OrderState as S
from liantong.services.suggest import suggest

from .helpers import ZJ_ASSIST, ZJ_LAND, dept, user

pytestmark = pytest.mark.django_db

T0 = datetime.datetime(2025, 6, 9, 9, 0, tzinfo=calendar.SHANGHAI)
HOUR = datetime.timedelta(hours=1)


def _new_department(name: str):
    """A fresh 镇江 department with one handler, so that its figures are this test's orders only."""
    zone = user("zj_zone").zone
    d = org_services.save_department(actor=None, zone=zone, name=name)
    handler = save_user(actor=None, username=f"h_{d.pk}", password=None, unit_kind=UnitKind.DEPARTMENT,
                        roles=[Role.objects.get(code="dept_staff")], zone=zone, department=d)
    return d, handler


def _escalated(lead_dept, handler, title: str, *, close: bool):
    """An order led by ``lead_dept``, resolved, rated 不满意 twice (重办, then 提级督办), maybe closed."""
    firm, chain = user("zj_firm"), user("zj_chain")
    o = services.place_order(actor=firm, title=title, category="land", description="厂区道路照明", at=T0)
    o = services.transition(o, "dispatch", actor=chain, at=T0 + HOUR, lead=lead_dept)
    o = services.transition(o, "accept", actor=handler, at=T0 + 2 * HOUR)
    o = services.transition(o, "resolve", actor=handler, at=T0 + 3 * HOUR, note="已办结")
    o = services.transition(o, "rate", actor=firm, at=T0 + 4 * HOUR, satisfaction=1, note="不满意")
    o = services.transition(o, "resolve", actor=handler, at=T0 + 5 * HOUR, note="再次办结")
    o = services.transition(o, "rate", actor=firm, at=T0 + 6 * HOUR, satisfaction=1, note="仍不满意")
    assert o.state == S.ESCALATED
    if close:
        o = services.transition(o, "close", actor=user("zj_zone"), at=T0 + 7 * HOUR, note="党工委督办结案")
        assert o.state == S.CLOSED
    return o


def _row(rows, key):
    return next((r for r in rows if r["key"] == key), None)


def test_an_order_rated_unsatisfied_twice_and_escalated_stays_in_its_departments_figures():
    d, handler = _new_department("测试照明管理所")
    _escalated(d, handler, "厂区门前道路照明（督办结案）", close=True)
    _escalated(d, handler, "厂区门前道路照明（督办中）", close=False)
    satisfied = services.transition(
        services.transition(services.transition(services.transition(
            services.place_order(actor=user("zj_firm"), title="厂区路灯维修", category="land", at=T0),
            "dispatch", actor=user("zj_chain"), at=T0 + HOUR, lead=d),
            "accept", actor=handler, at=T0 + 2 * HOUR),
            "resolve", actor=handler, at=T0 + 3 * HOUR, note="已修复"),
        "rate", actor=user("zj_firm"), at=T0 + 4 * HOUR, satisfaction=3)
    assert satisfied.state == S.RATED
    # sent to the department, returned by it (退单), then led by another: not the department's order
    back = services.transition(services.place_order(actor=user("zj_firm"), title="厂区绿化", category="land", at=T0),
                               "dispatch", actor=user("zj_chain"), at=T0 + HOUR, lead=d)
    back = services.transition(back, "return", actor=handler, at=T0 + 2 * HOUR, note="不属本所职责")
    services.transition(back, "redispatch", actor=user("zj_chain"), at=T0 + 3 * HOUR, lead=dept(ZJ_LAND))
    # this test's own data: three orders led by the department; resolved: the closed one and the
    # satisfied one (the escalated one is under supervision); rated 不满意, 不满意, 满意
    expected = {"orders": 3, "resolved": 2, "satisfaction_rate": round(100.0 * 1 / 3, 1)}

    for who in (user("zj_zone"), handler):  # the zone committee's 办理统计 and the department's own
        rows = services.service_figures(who, by="department")["by_dept"]
        row = _row(rows, d.pk)
        assert row is not None, who
        assert {k: row[k] for k in expected} == expected, who

    # the zone's figures, counted by the test over the zone's orders, by the same definitions
    zone = user("zj_zone")
    orders = list(ServiceRequest.objects.filter(zone_id=zone.zone_id).values_list("satisfaction", flat=True))
    rated = [s for s in orders if s is not None]
    total = services.service_figures(zone)["total"]
    assert total["orders"] == len(orders)
    assert total["satisfaction_rate"] == round(100.0 * sum(1 for s in rated if s >= 2) / len(rated), 1)


def test_a_returned_dispatch_counts_against_the_department_not_for_it():
    firm, chain = user("zj_firm"), user("zj_chain")
    wrong, right = dept(ZJ_ASSIST), dept(ZJ_LAND)
    DispatchStat.objects.filter(zone_id=wrong.zone_id).delete()  # this test's history only
    title = "协调厂区门前道路照明"
    for i in range(2):  # twice sent to the wrong department, twice returned (退单)
        o = services.place_order(actor=firm, title=title, category="other", at=T0 + i * HOUR)
        o = services.transition(o, "dispatch", actor=chain, at=T0 + i * HOUR, lead=wrong)
        services.transition(o, "return", actor=user("zj_jfj"), at=T0 + i * HOUR, note="不属本部门职责")
    o = services.place_order(actor=firm, title=title, category="other", at=T0 + 3 * HOUR)
    services.transition(o, "dispatch", actor=chain, at=T0 + 3 * HOUR, lead=right)  # once, and kept

    ranked = suggest(services.place_order(actor=firm, title=title, category="other", at=T0 + 4 * HOUR))
    names = [r["department"].name for r in ranked]
    assert names[0] == ZJ_LAND, ranked
    first = ranked[0]["reasons"]
    assert any("过去 1 次派往该部门" in r for r in first), first
    for r in ranked:
        if r["department"] == wrong:
            assert not any("次派往该部门" in x for x in r["reasons"]), r
