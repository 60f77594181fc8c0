"""Benchmark of the services strand's busiest pages on generated data.

    SQLITE_PATH=/tmp/bench.sqlite3 python -m liantong.cli migrate
    SQLITE_PATH=/tmp/bench.sqlite3 python -m liantong.cli gen --scale zone      # or city / province
    SQLITE_PATH=/tmp/bench.sqlite3 python benchmarks/services_bench.py [--runs 30]

(or ``DATABASE_URL=postgres://…`` for PostgreSQL). Picks the zone with the most orders, logs in a
zone-committee user and a department user of that zone (created once, ``bench_*``), makes sure
``tick`` has raised the zone's cards, then times with Django's test Client, in the same run:

* the dispatch queue ``/services/queue/`` (zone committee),
* the department inbox ``/services/dept/`` (the department with the most open assignments),
* the supervision board ``/services/board/`` (zone committee),
* a bare Django view returning "ok" through the same middleware stack,

and prints median / p95 per page and each page's ratio to the bare view, with the page's query
count and its slowest query (``--sql`` prints the queries). ``--retick`` times the first ``tick``
at this scale instead (it deletes the open cards first: use a throw-away database).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "liantong.settings")

import django

django.setup()

from django.conf import settings
from django.http import HttpResponse
from django.urls import include, path


def bare(request):
    return HttpResponse("ok")


urlpatterns = [path("bench-bare/", bare), path("", include(settings.ROOT_URLCONF))]


def _users(zone):
    from django.db.models import Count

    from liantong.accounts.models import UnitKind
    from liantong.accounts.roles import ensure_roles
    from liantong.accounts.services import save_user
    from liantong.services.models import Assignment

    roles = ensure_roles()
    top = (Assignment.objects.filter(zone=zone, active=True, order_state__in=["dispatched", "accepted",
                                                                           "extension_requested"])
           .values("department_id").annotate(n=Count("pk")).order_by("-n").first())
    zone_user = save_user(actor=None, username=f"bench_zone_{zone.pk}", password=None, unit_kind=UnitKind.ZONE,
                          roles=[roles["zone_staff"]], zone=zone, display_name="基准测试党工委")
    dept_user = save_user(actor=None, username=f"bench_dept_{zone.pk}", password=None,
                          unit_kind=UnitKind.DEPARTMENT, roles=[roles["dept_staff"]], zone=zone,
                          department_id=top["department_id"], display_name="基准测试部门")
    return zone_user, dept_user, top["n"]


SHOW_SQL = False


def _time(client, url: str, runs: int) -> tuple[list[float], int, float]:
    """Milliseconds of ``runs`` requests, the query count of one, and its slowest query (ms)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        r = client.get(url)  # warm, and count the queries
    assert r.status_code == 200, (url, r.status_code)
    queries = list(ctx.captured_queries)  # (a view on the connection's log: copy it now)
    slowest = max((float(q["time"]) * 1000 for q in queries), default=0.0)
    if SHOW_SQL:
        for q in sorted(queries, key=lambda q: -float(q["time"]))[:2]:
            print(f"  {url} {float(q['time']) * 1000:.1f} ms: {q['sql'][:600]}")
    out = []
    for _ in range(runs):
        t = time.perf_counter()
        r = client.get(url)
        out.append((time.perf_counter() - t) * 1000)
        assert r.status_code == 200, (url, r.status_code)
    return out, len(queries), slowest


def _p95(xs: list[float]) -> float:
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(round(0.95 * (len(xs) - 1))))]


def _retick() -> None:
    from django.utils import timezone

    from liantong.services import services
    from liantong.services.models import Card, Notification

    open_cards = Card.objects.filter(cleared_at__isnull=True)
    print(f"deleting {open_cards.count():,} open cards and their messages")
    open_cards.delete()
    Notification.objects.filter(kind__startswith="card_").delete()
    for label in ("first tick", "second tick"):
        t, c = time.perf_counter(), time.process_time()
        done = services.tick(timezone.now())
        print(f"{label}: {done}; wall {time.perf_counter() - t:.1f} s, CPU {time.process_time() - c:.1f} s; "
              f"card messages: {Notification.objects.filter(kind__startswith='card_').count():,}")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=30)
    ap.add_argument("--sql", action="store_true", help="print the two slowest queries of each page")
    ap.add_argument("--retick", action="store_true",
                    help="time the first tick at this scale: delete every open card and its messages, run "
                         "tick (raises them again, with the messages), then a second tick (finds nothing); "
                         "no pages are timed")
    args = ap.parse_args()
    global SHOW_SQL
    SHOW_SQL = args.sql
    settings.ROOT_URLCONF = __name__
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    from django.db import connection
    from django.db.models import Count
    from django.test import Client
    from django.utils import timezone

    from liantong.core.models import Zone
    from liantong.services import services
    from liantong.services.models import Card, ServiceRequest

    if args.retick:
        _retick()
        return
    row = ServiceRequest.objects.values("zone").annotate(n=Count("pk")).order_by("-n", "zone").first()
    if not row:
        sys.exit("没有工单：先运行 liantong gen --scale zone")
    zone = Zone.objects.get(pk=row["zone"])
    total = ServiceRequest.objects.count()
    if not Card.objects.filter(zone=zone).exists():
        t = time.perf_counter()
        result = services.tick(timezone.now())
        print(f"tick: {result} in {time.perf_counter() - t:.1f}s")
    zone_user, dept_user, dept_open = _users(zone)
    dept_id = dept_user.department_id
    zc, dc = Client(), Client()
    zc.force_login(zone_user)
    dc.force_login(dept_user)
    print(f"database: {connection.vendor}; orders in db: {total:,}; zone {zone.name}: {row['n']:,} orders, "
          f"{Card.objects.filter(zone=zone, cleared_at__isnull=True).count():,} open cards; "
          f"bench department: {dept_open:,} open assignments; runs: {args.runs}")
    bare_ms = _time(zc, "/bench-bare/", args.runs)
    rows = [("bare Django view", *bare_ms)]
    pages = [("dispatch queue", zc, "/services/queue/"),
             ("dispatch queue p.50", zc, "/services/queue/?page=50"),
             ("dispatch queue search", zc, "/services/queue/?q=%E8%B4%B7%E6%AC%BE"),
             ("department inbox", dc, "/services/dept/"),
             ("department inbox all", dc, "/services/dept/?all=1"),
             ("supervision board", zc, "/services/board/"),
             ("board red, by dept", zc, f"/services/board/?level=red&department={dept_id}"),
             ("order list (zone)", zc, "/services/orders/"),
             ("order list state", zc, "/services/orders/?state=accepted"),
             ("order list search", zc, "/services/orders/?q=%E8%B4%B7%E6%AC%BE")]
    for label, client, url in pages:
        rows.append((label, *_time(client, url, args.runs)))
    base = statistics.median(bare_ms[0])
    print(f"{'page':<24}{'median ms':>11}{'p95 ms':>9}{'x bare':>9}{'queries':>9}{'slowest q ms':>14}")
    for label, xs, n, slowest in rows:
        med = statistics.median(xs)
        print(f"{label:<24}{med:>11.1f}{_p95(xs):>9.1f}{med / base:>9.1f}{n:>9}{slowest:>14.1f}")


if __name__ == "__main__":
    main()
