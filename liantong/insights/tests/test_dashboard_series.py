"""The dashboards' monthly trends are computed in one grouped query per strand (``stats.by_month``); each
series equals a naive count, month by month, of the demo's rows (the expectations are this test's own
queries). The dashboards' figures are counted at most once a minute and the page says when."""

import datetime
import re

import pytest
from django.core.cache import cache
from django.db import connection
from django.db.models import Sum
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from liantong.core import stats
from liantong.core.models import Zone
from liantong.innovation.models import Achievement, IncubatedFirm
from liantong.insights import dashboard, services
from liantong.insights.models import InvestmentProject
from liantong.insights.workflow import PROJECT
from liantong.matching.models import Deal
from liantong.orgs.models import Chain, ChainMembership
from liantong.people.models import Activity, Attendance, Placement
from liantong.services.models import ServiceRequest

pytestmark = pytest.mark.django_db

START, END = datetime.date(2024, 7, 1), datetime.date(2026, 1, 1)  # 18 months across the demo's years
KEYS = ("orders", "orders_resolved", "investment_projects", "investment_amount", "deals", "deal_amount",
        "activities", "joint_activities", "attendance", "joint_attendance", "placements", "incubated_enterprises",
        "achievements_industrialised")


def _months():
    return stats.Period("month", START, END).months()


def _aware(day):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time()))


def _naive(zone, chain, key, m) -> float:
    """One month of one figure, counted the plain way."""
    n = stats.add_months(m, 1)
    on = {"zone": zone} if chain is None else {"zone": zone, "chain": chain}
    if key in ("orders", "orders_resolved"):
        qs = ServiceRequest.objects.filter(**on)
        if key == "orders":
            return qs.filter(submitted_at__gte=_aware(m), submitted_at__lt=_aware(n)).count()
        return qs.filter(state__in=["resolved", "rated", "closed"], resolved_at__gte=_aware(m),
                         resolved_at__lt=_aware(n)).count()
    if key.startswith("investment"):
        qs = InvestmentProject.objects.filter(**on, stage__in=["signed", "started", "producing"],
                                              signed_on__gte=m, signed_on__lt=n)
        return qs.count() if key == "investment_projects" else float(qs.aggregate(s=Sum("amount"))["s"] or 0)
    if key.startswith("deal"):
        qs = Deal.objects.filter(**on, signed_on__gte=m, signed_on__lt=n)
        return qs.count() if key == "deals" else float(qs.aggregate(s=Sum("amount"))["s"] or 0)
    if key in ("activities", "joint_activities", "attendance", "joint_attendance"):
        acts = Activity.objects.filter(**on, held_on__gte=m, held_on__lt=n)
        if key.startswith("joint"):
            acts = acts.filter(kind__in=["themed_day", "seminar"])
        if key.endswith("activities"):
            return acts.count()
        return (Attendance.objects.filter(activity__in=acts, checked_in_at__isnull=False).count()
                + (acts.aggregate(n=Sum("guests"))["n"] or 0))
    if key == "placements":
        qs = Placement.objects.filter(zone=zone, placed_on__gte=m, placed_on__lt=n)
        if chain is not None:
            qs = qs.filter(enterprise__in=ChainMembership.objects.filter(chain=chain).values("enterprise_id"))
        return qs.count()
    if key == "incubated_enterprises":
        return IncubatedFirm.objects.filter(zone=zone, incubated_on__gte=m, incubated_on__lt=n).count()
    if key == "achievements_industrialised":
        return Achievement.objects.filter(**on, stage="industrialised", industrialised_on__gte=m,
                                          industrialised_on__lt=n).count()
    raise AssertionError(key)


@pytest.mark.parametrize("short_name", ["镇江", "平顶山", "白银"])
def test_each_grouped_monthly_series_equals_a_naive_count_per_month(short_name):
    zone = Zone.objects.get(short_name=short_name)
    chains = [None, *Chain.objects.filter(zone=zone).order_by("id")[:2]]
    nonzero = set()
    for chain in chains:
        series = stats.monthly(zone, START, END, chain, keys=KEYS)
        for key in KEYS:
            if chain is not None and key == "incubated_enterprises":
                assert key not in series  # an incubated firm belongs to no chain
                continue
            want = [_naive(zone, chain, key, m) for m in _months()]
            assert series[key] == want, (key, chain)
            if any(want):
                nonzero.add(key)
    if short_name == "镇江":  # the demo's 镇江 has rows for every strand: the comparison is not of zeros
        assert nonzero >= {"orders", "orders_resolved", "investment_projects", "joint_activities", "attendance",
                           "placements", "incubated_enterprises", "achievements_industrialised"}


def test_the_trend_takes_one_query_per_strand_not_one_per_month():
    zone = Zone.objects.get(short_name="镇江")
    with CaptureQueriesContext(connection) as ctx:
        stats.monthly(zone, START, END)
    assert len(ctx.captured_queries) <= 12  # 18 months: at least 18 per figure the naive way


def test_the_dashboard_figures_are_counted_once_a_minute_and_the_page_says_when(personas, client_for):
    c = client_for(personas["zone_staff"])
    url = "/insights/dashboard/?period=year&date=2025-06-01"

    def projects(html):
        return re.search(r'data-figure="investment_projects">\s*<div class="fs-5 fw-bold">(\d+)</div>', html).group(1)

    html = c.get(url).content.decode()
    assert projects(html) == "9"
    assert re.search(r"数据更新于 \d\d:\d\d", html)
    chain = Chain.objects.get(name="高技术船舶海工装备")
    p = services.save_project(actor=None, chain=chain, name="看板缓存测试项目", investor="测试投资方", amount=100,
                              talks_on=datetime.date(2025, 3, 1))
    PROJECT.transition(p, "sign", actor=None, at=datetime.datetime(2025, 4, 1, 10, tzinfo=datetime.UTC))
    assert projects(c.get(url).content.decode()) == "9"  # within the minute: the counted figures
    cache.clear()  # the minute is over
    assert projects(c.get(url).content.decode()) == "10"
    assert dashboard.CACHE_TTL <= 60
