"""The zone and chain dashboards and the big screen: every strand's figures through ``core.stats`` (what a
strand registers appears here), per period (month / quarter / year), with the change against the previous
period, a monthly trend, a drill-down link per figure and the chain health index."""

from __future__ import annotations

import datetime
import hashlib

from django.core.cache import cache
from django.db.models import Count
from django.urls import reverse
from django.utils import timezone

from liantong.core import stats
from liantong.core.stats import Period

from . import health
from .chainmap import gap_counts

# the sections of a dashboard and of the work report: the strands' keys, in the article's order; a key
# registered by a strand but named nowhere here is shown under 其他
SECTIONS = [
    ("组织固链", ["chains", "chain_committees", "enterprises", "party_orgs", "members", "vanguard_teams", "pairings"]),
    ("服务优链", ["orders", "orders_resolved", "response_rate", "on_time_rate", "satisfaction_rate",
              "service_visits", "shared_resources", "department_resources", "action_projects", "joint_meetings",
              "resolutions_open", "listings", "deals", "deal_amount"]),
    ("创新强链", ["challenges", "challenges_solved", "incubated_enterprises", "achievements",
              "achievements_industrialised", "transfer_centres"]),
    ("人才与活动", ["activities", "attendance", "joint_activities", "joint_attendance", "training_programs", "trainees", "placements", "mentors"]),
    ("招商", ["investment_projects", "investment_amount", "projects_producing", "projects_in_talks", "target_firms",
            "gaps"]),
]
HIDDEN = {"party_orgs_all", "zone", "zone_name"}
TREND_KEYS = ("investment_projects", "investment_amount", "orders", "orders_resolved", "deals", "activities",
              "attendance", "incubated_enterprises", "achievements_industrialised", "placements")


# The figures of a dashboard (and of the big screen) are counted at most once a minute per zone or chain and
# period, shared through the cache by every app server: at province scale a zone's figures take some hundreds
# of milliseconds of aggregates, and nobody needs them fresher than the minute the page says they are from.
CACHE_TTL = 60  # seconds


def _cached(key: str, compute):
    """``(value, counted_at)``: ``compute()``'s value, computed at most once per ``CACHE_TTL``."""
    hit = cache.get(key)
    if hit is None:
        hit = (compute(), timezone.now())
        cache.set(key, hit, CACHE_TTL)
    return hit


def _period_key(period: Period) -> str:
    return f"{period.kind}:{period.start.isoformat()}"


def cached_figures(zone, period: Period, chain=None) -> tuple[dict, object]:
    """``({"sections", "trend"}, counted_at)`` of a zone (or one of its chains) for ``period``."""
    key = f"insights_dash:{zone.pk}:{chain.pk if chain else 0}:{_period_key(period)}"
    return _cached(key, lambda: {"sections": figure_sections(zone, period, chain),
                                 "trend": trends(zone, period, chain)})


def cached_health(chains, period: Period) -> dict:
    """``health.chain_health`` of these chains (each chain's figures are its own: the key is the set of ids)."""
    ids = ",".join(str(c.pk) for c in chains)
    key = f"insights_health:{_period_key(period)}:{hashlib.sha1(ids.encode()).hexdigest()}"
    return _cached(key, lambda: health.chain_health(chains, period))[0]


class BadPeriod(ValueError):
    pass


def parse_period(kind, date) -> Period:
    kind = (kind or "year").strip()
    if kind not in stats.PERIOD_KINDS:
        raise BadPeriod("参数“统计周期”（period）应为 month、quarter 或 year")
    if date:
        try:
            day = datetime.date.fromisoformat(str(date).strip())
        except ValueError:
            raise BadPeriod("参数“日期”（date）应为日期（YYYY-MM-DD）") from None
        if not 2000 <= day.year <= 2100:
            raise BadPeriod("参数“日期”（date）应在 2000 年到 2100 年之间")
    else:
        day = timezone.localdate()
    return Period.of(kind, day)


def _change(now, before):
    if now is None or before is None:
        return None, None
    diff = round(now - before, 2)
    pct = round(100 * diff / before, 1) if before else None
    return diff, pct


def figure_sections(zone, period: Period | None, chain=None) -> list[dict]:
    """``[{"title", "rows": [{key, label, value, previous, change, pct, url, cumulative}], "empty"}]``."""
    now = stats.figures(zone, period, chain)
    before = stats.figures(zone, period.previous(), chain) if period is not None else {}
    totals = stats.totals(zone, besides=now) if chain is None else {}
    named = {k for _, keys in SECTIONS for k in keys}
    extra = [k for k in stats.LABELS if k not in named and k not in HIDDEN]
    out = []
    for title, keys in [*SECTIONS, ("其他", extra)]:
        rows = []
        for key in keys:
            if key in now:
                value, cumulative = now[key], key in stats.STANDING
            elif key in totals:
                value, cumulative = totals[key], True
            else:
                continue
            prev = None if cumulative else before.get(key)
            diff, pct = _change(value, prev)
            rows.append({"key": key, "label": stats.LABELS.get(key, key), "value": value, "previous": prev,
                         "change": diff, "pct": pct, "cumulative": cumulative,
                         "url": stats.link_for(key, zone, period, chain)})
        if rows or title != "其他":
            out.append({"title": title, "rows": rows, "empty": not rows})
    return out


def trends(zone, period: Period, chain=None) -> dict:
    end = period.end
    start = stats.add_months(end, -12)
    series = stats.monthly(zone, start, end, chain, keys=TREND_KEYS)
    months = Period("month", start, end).months()
    return {"months": [f"{m.year}-{m.month:02d}" for m in months],
            "series": [{"key": k, "name": stats.LABELS.get(k, k), "data": series[k]} for k in TREND_KEYS if k in series]}


def _period_nav(period: Period) -> dict:
    return {"kind": period.kind, "label": period.label, "date": period.start.isoformat(),
            "previous": period.previous().start.isoformat(),
            "next": period.end.isoformat(), "kinds": list(stats.PERIOD_KINDS.items())}


def zone_dashboard(zone, period: Period, user) -> dict:
    from liantong.orgs.models import Chain

    chains = list(Chain.objects.visible_to(user).filter(zone=zone).order_by("id"))
    scores = cached_health(chains, period)
    chain_rows = [{"chain": c, "health": scores[c.pk], "url": reverse("insights:chain_dashboard", args=[c.pk]),
                   "map_url": reverse("insights:map", args=[c.pk])} for c in chains]
    chain_rows.sort(key=lambda r: -(r["health"]["index"] or 0))
    figs, counted_at = cached_figures(zone, period)
    return {"zone": zone, "chain": None, "period": period, "nav": _period_nav(period), **figs,
            "chains": chain_rows, "health_labels": health.LABELS, "health_weights": health.WEIGHTS,
            "report_year": period.start.year, "counted_at": timezone.localtime(counted_at)}


def chain_dashboard(chain, period: Period, user) -> dict:
    scores = cached_health([chain], period)[chain.pk]
    figs, counted_at = cached_figures(chain.zone, period, chain)
    return {"zone": chain.zone, "chain": chain, "period": period, "nav": _period_nav(period), **figs,
            "chains": [{"chain": chain, "health": scores, "url": None,
                        "map_url": reverse("insights:map", args=[chain.pk])}],
            "health_labels": health.LABELS, "health_weights": health.WEIGHTS, "report_year": period.start.year,
            "counted_at": timezone.localtime(counted_at)}


LOOP = [("企业点单", ["submitted"]), ("党委派单", ["dispatched", "returned"]),
        ("部门接单办理", ["accepted", "extension_requested", "escalated"]), ("办结待评价", ["resolved"]),
        ("评价闭环", ["rated", "closed"])]
SCREEN_KEYS = ["enterprises", "party_orgs", "members", "orders_resolved", "satisfaction_rate", "deals",
               "investment_projects", "investment_amount", "gaps", "activities", "incubated_enterprises",
               "placements"]


def _screen_data(zone, period: Period) -> dict:
    from liantong.core import guarantees
    from liantong.orgs.models import Chain
    from liantong.services.models import ServiceRequest

    fig = stats.figures(zone, period)
    totals = stats.totals(zone, besides=fig)
    with guarantees.unscoped("the big screen: the zone's figures, shown to its staff"):
        chains = list(Chain.objects.filter(zone=zone).order_by("id"))
        by_state = dict(ServiceRequest.objects.filter(zone=zone).order_by().values_list("state")
                        .annotate(n=Count("id")))
    scores = cached_health(chains, period)
    gaps = gap_counts([c.pk for c in chains])
    figures = [{"key": k, "label": stats.LABELS.get(k, k), "value": fig.get(k, totals.get(k))}
               for k in SCREEN_KEYS if k in fig or k in totals]
    return {
        "zone": zone.name, "year": period.start.year, "figures": figures,
        "chains": [{"name": c.name, "health": scores[c.pk]["index"], "gaps": gaps.get(c.pk, {}).get("total", 0)}
                   for c in chains],
        "loop": [{"name": name, "value": sum(by_state.get(s, 0) for s in states)} for name, states in LOOP],
        "trend": trends(zone, period),
    }


def screen_data(zone, day: datetime.date | None = None) -> dict:
    """What the big screen shows: the year's figures, the chains (health, gaps), the service loop — counted
    at most once a minute (``updated``: when)."""
    period = Period.of("year", day or timezone.localdate())
    data, counted_at = _cached(f"insights_screen:{zone.pk}:{_period_key(period)}", lambda: _screen_data(zone, period))
    return {**data, "updated": timezone.localtime(counted_at).strftime("%H:%M:%S")}
