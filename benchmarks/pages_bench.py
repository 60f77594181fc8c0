"""Benchmark of the list pages at province scale (issue 2: "well under a second each").

    SQLITE_PATH=/tmp/province.sqlite3 .venv/bin/liantong migrate
    SQLITE_PATH=/tmp/province.sqlite3 .venv/bin/liantong gen --scale province
    SQLITE_PATH=/tmp/province.sqlite3 DEBUG=0 .venv/bin/python benchmarks/pages_bench.py [--runs 30] [--sql]

(or ``DATABASE_URL=postgres://…`` instead of ``SQLITE_PATH``). With Django's test ``Client``
(``force_login``, the whole middleware stack) it times the chain, enterprise and member list pages
— first page, a search, a filter — for a zone-staff user of a generated zone (``gen_z01_zone``)
and for the platform admin (``gen_admin``, all generated zones), and, in the same run, a bare
Django view (an ``HttpResponse`` behind the same middleware, through a throw-away URLconf). It
prints the median and p95 of each page, its ratio to the bare view's median and its query count.
``--sql`` also prints each page's queries with their times and the query plan of the slowest.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
import types
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "liantong.settings")

import django

django.setup()

from django.db import connection
from django.http import HttpResponse
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings
from django.urls import include, path


def bare(request):
    return HttpResponse("ok")


# the throw-away URLconf: the project's URLs plus the bare view
bench_urls = types.ModuleType("pages_bench_urls")
bench_urls.urlpatterns = [path("__bench__/bare/", bare), path("", include("liantong.urls"))]
sys.modules["pages_bench_urls"] = bench_urls


def pct(xs: list[float], p: float) -> float:
    xs = sorted(xs)
    return xs[min(len(xs) - 1, max(0, round(p / 100 * (len(xs) - 1))))]


def pages(zone, chain) -> list[tuple[str, str]]:
    return [
        ("bare view", "/__bench__/bare/"),
        ("首页 (figures cached)", "/"),
        ("首页 (figures counted)", "/?cold=1"),  # the cache emptied before each request: once a minute
        ("产业链 first page", "/orgs/chain/"),
        ("产业链 search", "/orgs/chain/?q=新能源"),
        ("产业链 filter zone", f"/orgs/chain/?zone={zone.pk}"),
        ("企业 first page", "/orgs/enterprise/"),
        ("企业 search", "/orgs/enterprise/?q=科技"),
        ("企业 filter chain", f"/orgs/enterprise/?chain={chain.pk}"),
        ("企业 page 50", "/orgs/enterprise/?page=50"),
        ("党员 first page", "/orgs/member/"),
        ("党员 search", "/orgs/member/?q=王伟"),
        ("党员 filter status", "/orgs/member/?status=probationary"),
        ("党员 filter chain", f"/orgs/member/?chain={chain.pk}"),
    ]


def forget_home_figures() -> None:
    """What the minute's expiry does: each zone's home figures and the administrator's table of zones."""
    from django.core.cache import cache

    from liantong.core.models import Zone
    from liantong.core.views import zones_overview_key

    zones = list(Zone.objects.order_by("pk"))
    cache.delete_many([f"home_figures:{z.pk}" for z in zones] + [zones_overview_key(zones)])


def time_page(client: Client, url: str, runs: int) -> tuple[list[float], int, int]:
    cold = "cold=1" in url  # the home page's figures counted afresh (its cache emptied) each time
    resp = client.get(url)  # warm-up (and the status check)
    status = resp.status_code
    if cold:
        forget_home_figures()
    with CaptureQueriesContext(connection) as ctx:
        client.get(url)
    n_queries = len(ctx.captured_queries)
    times = []
    for _ in range(runs):
        if cold:
            forget_home_figures()
        t0 = time.perf_counter()
        client.get(url)
        times.append((time.perf_counter() - t0) * 1000)
    return times, status, n_queries


def show_sql(client: Client, url: str) -> None:
    with CaptureQueriesContext(connection) as ctx:
        client.get(url)
    print(f"\n--- {url}: {len(ctx.captured_queries)} queries")
    slowest = None
    for q in ctx.captured_queries:
        print(f"  {float(q['time']) * 1000:7.1f} ms  {q['sql'][:300]}")
        if slowest is None or float(q["time"]) > float(slowest["time"]):
            slowest = q
    if slowest is not None and slowest["sql"].lstrip().upper().startswith("SELECT"):
        explain = "EXPLAIN QUERY PLAN " if connection.vendor == "sqlite" else "EXPLAIN "
        with connection.cursor() as c:
            c.execute(explain + slowest["sql"])
            print("  plan of the slowest:")
            for row in c.fetchall():
                print("    ", " ".join(str(x) for x in row))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--runs", type=int, default=30)
    ap.add_argument("--zone-user", default="gen_z01_zone")
    ap.add_argument("--admin-user", default="gen_admin")
    ap.add_argument("--sql", action="store_true", help="print each page's queries and the slowest one's plan")
    ap.add_argument("--only", default="", help="only pages whose label contains this text")
    ap.add_argument("--admin-only", action="store_true", help="only the platform admin")
    args = ap.parse_args()

    from liantong.accounts.models import User
    from liantong.orgs.models import Chain, Enterprise, Member

    users = [User.objects.get(username=args.zone_user), User.objects.get(username=args.admin_user)]
    zone = users[0].zone
    chain = Chain.objects.filter(zone=zone).order_by("id").first()
    print(f"database: {connection.vendor} {connection.settings_dict['NAME']}; "
          f"{Enterprise.objects.count():,} enterprises, {Member.objects.count():,} members; "
          f"{args.runs} runs per page; DEBUG={django.conf.settings.DEBUG}")
    if args.admin_only:
        users = users[1:]
    run_pages(users, [(label, url) for label, url in pages(zone, chain)
                      if not args.only or args.only in label or label == "bare view"], args.runs, sql=args.sql)


def run_pages(users, page_list: list[tuple[str, str]], runs: int, *, sql: bool = False, width: int = 22) -> None:
    """Time each page for each user (the first page is the bare view, the yardstick) and print a line each."""
    with override_settings(ROOT_URLCONF="pages_bench_urls", ALLOWED_HOSTS=["*"]):
        for user in users:
            client = Client()
            client.force_login(user)
            print(f"\n{user.username} ({user}): median / p95 ms, ratio of medians to the bare view, queries")
            bare_median = None
            for label, url in page_list:
                times, status, nq = time_page(client, url, runs)
                med = statistics.median(times)
                bare_median = bare_median or med
                print(f"  {label:<{width}} {med:8.1f} {pct(times, 95):8.1f}   x{med / bare_median:6.1f}   "
                      f"{nq:3d} q   HTTP {status}   {url}")
                if sql and label != "bare view":
                    show_sql(client, url)


if __name__ == "__main__":
    main()
