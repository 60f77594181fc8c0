"""Zone figures, counted from the data (DESIGN-NOTES 6: figures are queries).

Each app registers a function ``(zone) -> dict`` adding its keys, with the Chinese label of each key
the home page shows; ``zone_stats`` merges them. A figure that cannot be computed yet (a rate with
no orders) is ``None`` and shows as “—”.
"""

from __future__ import annotations

from collections.abc import Callable

from . import guarantees

_PROVIDERS: list[Callable] = []


def register(fn: Callable, labels: dict[str, str] | None = None) -> Callable:
    """Add a provider ``(zone) -> dict``; ``labels`` names the keys the home page shows, in order."""
    if fn not in _PROVIDERS:
        _PROVIDERS.append(fn)
    LABELS.update(labels or {})
    return fn


def zone_stats(zone) -> dict:
    """The figures of ``zone``: totals over the whole zone, which the caller shows only to users who may
    see the zone (the home page: the user's own; the API: ``Zone.objects.visible_to``)."""
    out: dict = {"zone": zone.pk, "zone_name": zone.name}
    with guarantees.unscoped("zone figures: totals over a zone the caller may see, published to its users"):
        for fn in _PROVIDERS:
            out.update(fn(zone))
    return out


LABELS: dict[str, str] = {}  # key -> label, filled by ``register``


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
