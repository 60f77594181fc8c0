"""Panels of the home page. Each app registers ``panel(request) -> dict | None``; a dict gives the
``template`` to include and its context. The home page shows the panels that answer, in order."""

from collections.abc import Callable

_PANELS: list[tuple[int, Callable]] = []


def register(order: int, panel: Callable) -> None:
    if all(p is not panel for _, p in _PANELS):
        _PANELS.append((order, panel))
        _PANELS.sort(key=lambda t: t[0])


def panels_for(request) -> list[dict]:
    out = []
    for _, panel in _PANELS:
        p = panel(request)
        if p:
            out.append(p)
    return out


def list_figure(request, label: str, view_class, url_name: str, tone: str = "", **params) -> tuple:
    """A home figure that is, by construction, the count of the list page it links to: ``view_class``
    (an ``ObjectListView``) reads its rows for this user under ``params`` exactly as its page does, and
    the link is ``url_name`` with the same query string. Returns the row ``(label, n, url, tone)`` of
    ``core/_home_rows.html``."""
    import copy

    from django.http import QueryDict
    from django.urls import reverse

    q = QueryDict(mutable=True)
    for k, v in params.items():
        q[k] = str(v)
    r = copy.copy(request)
    r.GET = q
    view = view_class()
    view.setup(r)
    n = view.get_queryset().count()
    return (label, n, reverse(url_name) + (f"?{q.urlencode()}" if params else ""), tone)


def rows_panel(key: str, title: str, rows: list, *, action: tuple | None = None, width: int = 6,
               empty: str = "") -> dict | None:
    """A panel of figures linking to their lists (``core/_home_rows.html``); ``action`` is the main
    button ``(label, url)``; ``empty`` says what to do when every figure is 0."""
    if not rows:
        return None
    return {"template": "core/_home_rows.html", "key": key, "title": title, "rows": rows, "action": action,
            "width": width, "empty": empty if not any(n for _, n, _, _ in rows) else ""}


def zone_panel(zone, period: str, figures: dict, counted_at) -> dict:
    """The zone committee's figures: what happened in this month / quarter / year against the period
    before (each a link to the list showing those rows, its date filters set), then the zone's totals,
    each a link to the list it counts (``stats.link``)."""
    from django.core.cache import cache
    from django.urls import NoReverseMatch, reverse
    from django.utils import timezone

    from . import stats

    start, end, prev_start, prev_end = stats.period_bounds(period, timezone.localdate())

    def flows_of(a, b):  # counted at most once a minute per zone and period, like the totals
        return cache.get_or_set(f"home_flows:{zone.pk}:{a}:{b}", lambda: stats.zone_flows(zone, a, b), 60)

    now, before = flows_of(start, end), flows_of(prev_start, prev_end)
    flows = []
    for key, label in stats.FLOW_LABELS.items():
        if key not in now:
            continue
        value, url = now[key]
        prev, prev_url = before[key]
        delta = value - prev
        flows.append({"key": key, "label": label, "value": value, "url": url, "prev": prev, "prev_url": prev_url,
                      "delta": round(delta, 2), "pct": round(delta * 100 / prev, 1) if prev else None})
    totals = []
    for key, label in stats.LABELS.items():
        if key not in figures:
            continue
        url = ""
        if key in stats.LINKS:
            name, query = stats.LINKS[key]
            try:
                url = reverse(name) + (f"?{query}" if query else "")
            except NoReverseMatch:
                url = ""
        totals.append({"key": key, "label": label, "value": figures[key], "url": url})
    return {"template": "core/_home_zone.html", "zone": zone, "period": period, "periods": stats.PERIODS,
            "period_label": stats.PERIODS[period], "prev_label": stats.PREVIOUS[period],
            "start": start, "end": end, "prev_start": prev_start, "prev_end": prev_end,
            "flows": flows, "totals": totals, "counted_at": counted_at, "width": 12}


# the columns of the administrator's table of zones (_home_admin.html): four counts, each linking to the list
# it counts, then the satisfaction rate (a rate, not a list's count)
ADMIN_COUNTS = (("chains", "产业链"), ("enterprises", "链上企业"), ("members", "党员"), ("orders", "企业诉求"))
ADMIN_KEYS = (*(key for key, _ in ADMIN_COUNTS), "satisfaction_rate")


def _zone_counts(zone, figures: dict) -> list[tuple[str, object, str]]:
    """``(label, value, url)`` of each count of the administrator's table of zones: the url is the list it
    counts, filtered to the zone."""
    from . import stats

    out = []
    for key, label in ADMIN_COUNTS:
        url = stats.link_for(key, zone)
        if url:
            url = f"{url}{'&' if '?' in url else '?'}zone={zone.pk}"
        out.append((label, figures.get(key), url or ""))
    return out


def admin_panel(request, zones, figures: dict) -> dict:
    """The platform administrator's home: the zones (with ``ADMIN_KEYS`` of their totals, ``figures``), the
    periodic jobs, and the logs."""
    import datetime

    from django.urls import reverse
    from django.utils import timezone

    from . import audit, tick
    from .models import AuditLog, JobLease

    rows = [{"zone": z, "figures": figures.get(z.pk, {}), "counts": _zone_counts(z, figures.get(z.pk, {}))}
            for z in zones]
    leases = {j.name: j for j in JobLease.objects.all()}
    jobs = [{"name": name, "lease": leases.get(name)} for name, _ in tick._JOBS]
    since = timezone.now() - datetime.timedelta(days=1)
    logs = AuditLog.objects.filter(audit.readable(request.user)).as_scoped()
    failed = logs.filter(action="login_failed", at__gte=since).count()
    return {"template": "core/_home_admin.html", "zones": rows, "jobs": jobs, "failed_logins": failed,
            "login_log": reverse("core:login_log"), "operation_log": reverse("core:operation_log"), "width": 12}
