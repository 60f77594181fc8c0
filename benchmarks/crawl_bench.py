"""Benchmark of every page a persona reaches: the demo crawled as the test suite crawls it (``tests/crawl.py``).

    SQLITE_PATH=/tmp/demo.sqlite3 .venv/bin/liantong migrate
    SQLITE_PATH=/tmp/demo.sqlite3 .venv/bin/liantong demo
    SQLITE_PATH=/tmp/demo.sqlite3 DEBUG=0 LIANTONG_TOTP=0 .venv/bin/python benchmarks/crawl_bench.py [--runs 5] [--top 15]

(or ``DATABASE_URL=postgres://…``). For each demo persona (the suite's: ``admin``, ``zj_zone`` …) it crawls
from ``/`` by links, one page per route and set of query keys, then times each page reached ``--runs`` times
with Django's test ``Client`` (the whole middleware stack) and counts its queries. In the same run it times a
bare Django view behind the same middleware (the yardstick). It prints each persona's total, the median of
its pages, and its slowest pages with their ratio to the bare view and their query count.
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
from django.test.utils import override_settings
from django.urls import include, path

from tests.crawl import crawl

PERSONAS = ("admin", "zj_zone", "zj_chain", "zj_dept", "zj_firm", "zj_uni", "by_zone")


def bare(request):
    return HttpResponse("ok")


bench_urls = types.ModuleType("crawl_bench_urls")
bench_urls.urlpatterns = [path("__bench__/bare/", bare), path("", include("liantong.urls"))]
sys.modules["crawl_bench_urls"] = bench_urls


def time_url(client: Client, url: str, runs: int) -> tuple[float, int]:
    queries = []

    def count(execute, sql, params, many, context):
        queries.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        client.get(url)
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        client.get(url)
        times.append((time.perf_counter() - t0) * 1000)
    return statistics.median(times), len(queries)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--top", type=int, default=15)
    ap.add_argument("--persona", action="append", help="a username (repeatable); by default the suite's personas")
    args = ap.parse_args()

    from liantong.accounts.models import User

    with override_settings(ROOT_URLCONF="crawl_bench_urls", ALLOWED_HOSTS=["*"]):
        for username in args.persona or PERSONAS:
            client = Client()
            client.force_login(User.objects.get(username=username))
            bare_ms, _ = time_url(client, "/__bench__/bare/", max(args.runs, 25))
            pages = [u for u, status in crawl(client).items() if status == 200]
            rows = [(url, *time_url(client, url, args.runs)) for url in pages]
            total = sum(ms for _, ms, _ in rows)
            print(f"\n{username}: {len(rows)} pages, {total:,.0f} ms in all, median {statistics.median(ms for _, ms, _ in rows):.1f} ms, "
                  f"{sum(q for *_, q in rows):,} queries; bare view {bare_ms:.2f} ms")
            for url, ms, nq in sorted(rows, key=lambda r: -r[1])[:args.top]:
                print(f"  {ms:8.1f} ms  x{ms / bare_ms:6.1f}  {nq:4d} q  {url}")


if __name__ == "__main__":
    main()
