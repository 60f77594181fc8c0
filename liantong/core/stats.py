"""Zone figures, counted from the data (DESIGN-NOTES 6: figures are queries).

Two kinds of provider, both registered here by the strands (core imports none of them):

* ``register(fn, labels)``: ``fn(zone) -> dict`` — totals over the whole zone (the home page, the API's
  ``GET /zones/{id}/stats``). A figure that cannot be computed yet (a rate with no orders) is ``None``.
  ``register_by_zone(fn, labels)``: the same provider written for many zones at once, ``fn(zone_ids) ->
  {zone_id: dict}`` (grouped queries, an entry for every id asked): ``zone_stats`` asks it for one zone, and
  ``across_zones`` (the platform administrator's table of zones) for all of them in one pass.
* ``register_periodic(fn, labels, *, links=None, monthly=None)``: ``fn(zone, period=None, chain=None) -> dict``
  — the same figures *for a period* (``Period``: a month, a quarter, a year; ``None`` = all time) and *for
  one chain* (``None`` = the whole zone; a key that has no meaning per chain is left out). With
  ``period=None, chain=None`` it answers the zone totals, so a periodic provider is also a zone provider
  (``zone_stats`` calls it): a strand registers once. ``links``: key → ``fn(zone, period, chain) -> url``,
  the list that figure counts (the dashboards' drill-down). ``monthly``: ``fn(zone, start, end, chain) ->
  {key: {first day of month: value}}`` — the month-by-month series in one grouped query; without it a trend
  calls ``fn`` once per month.

The dashboards, the big screen and the work report read every strand's figures through ``figures()`` and
``zone_stats()``; a strand's keys appear there as soon as it registers them.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass

from django.db import models
from django.db.models import Q
from django.utils import timezone

from . import guarantees

_PROVIDERS: list[Callable] = []
_BY_ZONE: dict[Callable, Callable] = {}  # a zone provider -> the grouped function it was derived from
_PERIODIC: list[Callable] = []
LABELS: dict[str, str] = {}  # key -> label, filled by ``register`` / ``register_periodic``
PERIOD_LINKS: dict[str, Callable] = {}  # key -> fn(zone, period, chain) -> url of the list the figure counts
_MONTHLY: dict[Callable, Callable] = {}  # periodic provider -> its monthly series function
_KEYS: dict[Callable, tuple[str, ...]] = {}  # provider -> the keys it labels
STANDING: set[str] = set()  # keys that are a state now (a count of gaps), not a count over the period
_NOT_TOTALS: set[Callable] = set()  # periodic providers whose zone totals a zone-only provider already gives


def register(fn: Callable, labels: dict[str, str] | None = None) -> Callable:
    """Add a provider ``(zone) -> dict``; ``labels`` names the keys the home page shows, in order."""
    if fn not in _PROVIDERS:
        _PROVIDERS.append(fn)
    LABELS.update(labels or {})
    _KEYS[fn] = tuple(labels or ())
    return fn


def register_by_zone(fn: Callable, labels: dict[str, str]) -> Callable:
    """Add a provider written for many zones: ``fn(zone_ids) -> {zone_id: dict}``, one entry per id asked (a
    zone without rows gets its zeros). ``zone_stats`` calls it for one zone; ``across_zones`` for many."""
    for provider, grouped in _BY_ZONE.items():
        if grouped is fn:
            return provider

    def provider(zone) -> dict:
        return fn([zone.pk])[zone.pk]

    provider.__name__ = provider.__qualname__ = getattr(fn, "__name__", "by_zone")
    _BY_ZONE[provider] = fn
    return register(provider, labels)


def across_zones(zones, keys) -> dict[int, dict]:
    """``{zone_id: {key: value}}`` of ``keys`` for each of ``zones``: each provider that labels one of the keys
    is asked once for all the zones when it was registered by zone (``register_by_zone``), once per zone
    otherwise. Totals over zones the caller may see, as ``zone_stats``."""
    wanted = set(keys)
    out: dict[int, dict] = {z.pk: {} for z in zones}
    with guarantees.unscoped("zone figures: totals over zones the caller may see, published to its users"):
        for fn in _PROVIDERS:
            if wanted.isdisjoint(_KEYS.get(fn, ())):
                continue
            grouped = _BY_ZONE.get(fn)
            rows = grouped(list(out)) if grouped is not None else {z.pk: fn(z) for z in zones}
            for zone_id, values in rows.items():
                out[zone_id].update((k, v) for k, v in values.items() if k in wanted)
    return out


def register_periodic(fn: Callable, labels: dict[str, str] | None = None, *, links: dict | None = None,
                      monthly: Callable | None = None, standing=(), zone_totals: bool = True) -> Callable:
    """Add a provider ``(zone, period=None, chain=None) -> dict`` (see the module's docstring). ``standing``:
    the keys that are a state now, the same for any period (no change against the previous period is shown);
    ``zone_totals=False``: ``zone_stats`` does not call it (a zone-only provider already gives its totals)."""
    if fn not in _PERIODIC:
        _PERIODIC.append(fn)
    STANDING.update(standing)
    if not zone_totals:
        _NOT_TOTALS.add(fn)
    LABELS.update(labels or {})
    PERIOD_LINKS.update(links or {})
    _KEYS[fn] = tuple(labels or ())
    if monthly is not None:
        _MONTHLY[fn] = monthly
    return fn


def zone_stats(zone) -> dict:
    """The figures of ``zone``: totals over the whole zone, which the caller shows only to users who may
    see the zone (the home page: the user's own; the API: ``Zone.objects.visible_to``)."""
    out: dict = {"zone": zone.pk, "zone_name": zone.name}
    with guarantees.unscoped("zone figures: totals over a zone the caller may see, published to its users"):
        for fn in _PROVIDERS:
            out.update(fn(zone))
        for fn in _PERIODIC:
            if fn not in _NOT_TOTALS:
                out.update(fn(zone, None, None))
    return out


# --- periods --------------------------------------------------------------------------------------------

PERIOD_KINDS = {"month": "月", "quarter": "季度", "year": "年"}


def add_months(d: datetime.date, n: int) -> datetime.date:
    m = d.year * 12 + d.month - 1 + n
    return datetime.date(m // 12, m % 12 + 1, 1)


@dataclass(frozen=True)
class Period:
    """``[start, end)``: a calendar month, quarter or year."""

    kind: str
    start: datetime.date
    end: datetime.date

    @classmethod
    def of(cls, kind: str, day: datetime.date) -> Period:
        if kind not in PERIOD_KINDS:
            raise ValueError(f"未知的统计周期“{kind}”")
        if kind == "month":
            start = day.replace(day=1)
            return cls(kind, start, add_months(start, 1))
        if kind == "quarter":
            start = datetime.date(day.year, (day.month - 1) // 3 * 3 + 1, 1)
            return cls(kind, start, add_months(start, 3))
        return cls(kind, datetime.date(day.year, 1, 1), datetime.date(day.year + 1, 1, 1))

    @classmethod
    def year(cls, year: int) -> Period:
        return cls.of("year", datetime.date(year, 1, 1))

    def previous(self) -> Period:
        return Period.of(self.kind, self.start - datetime.timedelta(days=1))

    def months(self) -> list[datetime.date]:
        out, d = [], self.start
        while d < self.end:
            out.append(d)
            d = add_months(d, 1)
        return out

    @property
    def label(self) -> str:
        if self.kind == "month":
            return f"{self.start.year}年{self.start.month}月"
        if self.kind == "quarter":
            return f"{self.start.year}年第{(self.start.month - 1) // 3 + 1}季度"
        return f"{self.start.year}年"

    def contains(self, value) -> bool:
        if value is None:
            return False
        if isinstance(value, datetime.datetime):
            value = value.date()
        return self.start <= value < self.end


    @classmethod
    def until(cls, end: datetime.date) -> Period:
        """Everything before ``end`` (a cumulative figure: 截至年底累计)."""
        return cls("until", datetime.date(1900, 1, 1), end)


# --- periods as query bounds, and monthly series in one query --------------------------------------------

def _is_datetime(model, field: str) -> bool:
    """Whether ``field`` (a lookup path such as ``activity__held_on``) ends at a ``DateTimeField``."""
    opts = model._meta
    f = None
    for part in field.split("__"):
        f = opts.get_field(part)
        if f.is_relation and f.related_model is not None:
            opts = f.related_model._meta
    return isinstance(f, models.DateTimeField)


def edge(day: datetime.date, as_datetime: bool):
    """The first instant of ``day`` in the zone's time zone (``Asia/Shanghai``) for a ``DateTimeField``, the
    day itself for a ``DateField``: so a month of orders is the month as people there count it."""
    if not as_datetime:
        return day
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time()))


def within(model, field: str, start: datetime.date | None, end: datetime.date | None) -> Q:
    """``Q`` of the rows whose ``field`` falls in ``[start, end)`` (``None``: unbounded)."""
    as_dt = _is_datetime(model, field)
    q = Q()
    if start is not None:
        q &= Q(**{f"{field}__gte": edge(start, as_dt)})
    if end is not None:
        q &= Q(**{f"{field}__lt": edge(end, as_dt)})
    return q


def in_period(model, field: str, period: Period | None) -> Q:
    """``Q`` of the rows whose ``field`` falls in ``period`` (all rows for ``None``)."""
    return Q() if period is None else within(model, field, period.start, period.end)


def by_month(qs, field: str, start: datetime.date, end: datetime.date, measures: dict) -> dict:
    """``{key: {first day of month: value}}`` for the months from ``start`` to ``end`` in ONE grouped query:
    the rows of ``qs`` whose ``field`` falls in the range, grouped by their month (nested ``CASE``s over the
    months' edges: the same SQL on SQLite and PostgreSQL, no per-row date function, the range read through
    an index on (zone, ``field``)), each group aggregated by ``measures`` (key → aggregate, e.g.
    ``Count("pk")``, ``Sum("amount", filter=Q(…))``). A month without rows is 0."""
    months = Period("month", start, end).months()
    out: dict = {key: dict.fromkeys(months, 0) for key in measures}
    if not months:
        return out
    as_dt = _is_datetime(qs.model, field)
    edges = [edge(add_months(m, 1), as_dt) for m in months]

    def bucket(lo: int, hi: int):  # the month index of a row: a binary search over the edges, ~log2(n) tests
        if hi - lo == 1:
            return models.Value(lo)
        mid = (lo + hi) // 2
        return models.Case(models.When(Q(**{f"{field}__lt": edges[mid - 1]}), then=bucket(lo, mid)),
                           default=bucket(mid, hi), output_field=models.IntegerField())

    rows = (qs.filter(within(qs.model, field, months[0], end)).annotate(month_index=bucket(0, len(months)))
            .values("month_index").annotate(**{f"agg_{key}": agg for key, agg in measures.items()}).order_by())
    for r in rows:
        m = months[r["month_index"]]
        for key in measures:
            out[key][m] = r[f"agg_{key}"] or 0
    return out


def figures(zone, period: Period | None = None, chain=None) -> dict:
    """Every periodic provider's figures for ``zone`` in ``period`` (``None``: all time), for ``chain``
    (``None``: the whole zone). Zone-only providers' totals are added (``totals=True`` keys) when no chain
    is asked: the caller shows those as cumulative (累计)."""
    out: dict = {}
    with guarantees.unscoped("dashboard figures: totals over a zone or chain the caller may see"):
        for fn in _PERIODIC:
            out.update(fn(zone, period, chain))
    return out


def totals(zone, *, besides=()) -> dict:
    """The zone-only providers' figures (not per period, not per chain). ``besides``: keys the caller already
    has (from ``figures``); a provider all of whose labelled keys are among them is not asked."""
    out: dict = {}
    have = set(besides)
    with guarantees.unscoped("zone figures: totals over a zone the caller may see, published to its users"):
        for fn in _PROVIDERS:
            keys = _KEYS.get(fn, ())
            if keys and set(keys) <= have:
                continue
            out.update(fn(zone))
    return out


def monthly(zone, start: datetime.date, end: datetime.date, chain=None, keys=None) -> dict:
    """``{key: [value per month from start to end)]}`` for the periodic providers' keys (``keys``: only those)."""
    months = Period("month", start, end).months()
    out: dict = {}
    with guarantees.unscoped("dashboard trends: monthly totals over a zone or chain the caller may see"):
        for fn in _PERIODIC:
            wanted = [k for k in _KEYS.get(fn, ()) if keys is None or k in keys]
            if not wanted:
                continue
            series_fn = _MONTHLY.get(fn)
            if series_fn is not None:
                series = series_fn(zone, start, end, chain)
                for k in wanted:
                    if k in series:
                        out[k] = [series[k].get(m, 0) for m in months]
                continue
            per_month = [fn(zone, Period.of("month", m), chain) for m in months]
            for k in wanted:
                if all(k in row for row in per_month):
                    out[k] = [row[k] for row in per_month]
    return out


def link_for(key: str, zone, period: Period | None = None, chain=None) -> str | None:
    """The list a figure counts: the periodic provider's link for this zone, period and chain, else the
    zone figure's static link (``link(key, url_name, query)``)."""
    fn = PERIOD_LINKS.get(key)
    if fn is not None:
        return fn(zone, period, chain)
    if key in LINKS:
        from django.urls import NoReverseMatch, reverse

        name, query = LINKS[key]
        try:
            return reverse(name) + (f"?{query}" if query else "")
        except NoReverseMatch:
            return None
    return None




# --- the zone committee's home: each figure a link, and flows per period -----------------------------------

LINKS: dict[str, tuple[str, str]] = {}  # key -> (URL name of the list it counts, query string)


def link(key: str, url_name: str, query: str = "") -> None:
    """The list page a zone figure counts (``url_name`` with ``query``), so the home page links it."""
    LINKS[key] = (url_name, query)


_FLOWS: list[Callable] = []
FLOW_LABELS: dict[str, str] = {}


def register_flow(fn: Callable, labels: dict[str, str]) -> Callable:
    """Add a provider of figures *over a period*: ``fn(zone, start, end) -> {key: (value, url)}``, counting
    what happened from ``start`` to ``end`` (dates, both included) and the list address showing exactly
    those rows (its date filters set). The zone home shows them for a month, quarter or year, with the
    change against the period before."""
    if fn not in _FLOWS:
        _FLOWS.append(fn)
    FLOW_LABELS.update(labels)
    return fn


def zone_flows(zone, start, end) -> dict:
    out: dict = {}
    with guarantees.unscoped("zone figures over a period: totals over a zone the caller may see"):
        for fn in _FLOWS:
            out.update(fn(zone, start, end))
    return out


PERIODS = {"month": "本月", "quarter": "本季度", "year": "本年"}
PREVIOUS = {"month": "上月", "quarter": "上季度", "year": "上年"}


def period_bounds(kind: str, today) -> tuple:
    """(start, end, previous start, previous end) of the month, quarter or year holding ``today``."""
    import datetime

    if kind == "year":
        start = today.replace(month=1, day=1)
        prev_start = start.replace(year=start.year - 1)
    elif kind == "quarter":
        start = today.replace(month=(today.month - 1) // 3 * 3 + 1, day=1)
        m = start.month - 3
        prev_start = start.replace(year=start.year - (1 if m < 1 else 0), month=m + 12 if m < 1 else m)
    else:
        start = today.replace(day=1)
        prev_start = (start - datetime.timedelta(days=1)).replace(day=1)
    months = {"year": 12, "quarter": 3}.get(kind, 1)
    m = start.month - 1 + months
    end = start.replace(year=start.year + m // 12, month=m % 12 + 1) - datetime.timedelta(days=1)
    return start, end, prev_start, start - datetime.timedelta(days=1)
