"""Benchmark of matching over the database's listings (the standalone engine benchmark is match_bench.py).

    SQLITE_PATH=/tmp/bench.sqlite3 python benchmarks/match_db_bench.py [--gen province] [--queries 200]

``--gen SCALE`` first migrates and runs ``liantong gen --scale SCALE --only orgs listings`` on that
database (200,000 listings at province). Then, in the same run:

* the index build from the database through ``index.build()`` (query + Doc building + engine index);
* p50 / p95 of ``engine.match()`` for ``--queries`` listings drawn deterministically from the database,
  and of ``index.match_listing()`` (the page/API path: engine + SQL re-check of status, validity, scope);
* a plain ``rank_bm25.BM25Okapi`` over the same stored tokens (``Listing.tokens``): build time and
  p50 / p95 of ``get_scores`` + top 10 for the same queries;
* a bare Django view (``HttpResponse("ok")`` through the test client) as the machine's yardstick,
  and the ratios.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "liantong.settings")


def pct(values, q):
    values = sorted(values)
    return values[min(len(values) - 1, int(round(q / 100 * (len(values) - 1))))]


def ms(seconds):
    return f"{seconds * 1000:.2f} ms"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--gen", choices=["tiny", "zone", "city", "province"], default=None)
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--bm25-queries", type=int, default=50)
    args = parser.parse_args()
    if args.gen:
        cli = [sys.executable, "-m", "liantong.cli"]
        subprocess.run([*cli, "migrate", "-v0"], cwd=ROOT, check=True)
        subprocess.run([*cli, "gen", "--scale", args.gen, "--only", "orgs", "listings"], cwd=ROOT, check=True)

    import django

    django.setup()
    from django.http import HttpResponse
    from django.test import Client, RequestFactory

    from liantong.matching import index
    from liantong.matching.models import Listing

    n = index.matchable().count()
    print(f"可匹配的供需信息：{n} 条（数据库 {os.environ.get('DATABASE_URL') or os.environ.get('SQLITE_PATH')}）")
    t0 = time.perf_counter()
    engine = index.build()
    build = time.perf_counter() - t0
    print(f"由数据库建索引：{build:.1f} 秒")

    rng = random.Random(0)
    ids = list(index.matchable().values_list("pk", flat=True))
    sample = sorted(rng.sample(ids, min(args.queries, len(ids))))
    queries = list(Listing.objects.filter(pk__in=sample).select_related("zone", "chain", "node", "enterprise"))
    docs = [index.doc_for(q) for q in queries]
    engine.match(docs[0], limit=10)  # warm-up
    t_engine = []
    for d in docs:
        t = time.perf_counter()
        engine.match(d, limit=10)
        t_engine.append(time.perf_counter() - t)
    t_full = []
    for q in queries:
        t = time.perf_counter()
        index.match_listing(q, limit=10, engine=engine)
        t_full.append(time.perf_counter() - t)

    from rank_bm25 import BM25Okapi

    t0 = time.perf_counter()
    pool_ids, corpus = [], []
    for pk, tokens in index.matchable().values_list("pk", "tokens").iterator(chunk_size=10000):
        pool_ids.append(pk)
        corpus.append(tokens.split() or ["∅"])
    bm25 = BM25Okapi(corpus)
    bm25_build = time.perf_counter() - t0
    t_bm25 = []
    import numpy as np

    for q in queries[: args.bm25_queries]:
        t = time.perf_counter()
        scores = bm25.get_scores(q.tokens.split())
        np.argpartition(-scores, 10)[:10]
        t_bm25.append(time.perf_counter() - t)

    # the bare Django view, as the yardstick of this machine
    from django.urls import path

    factory = RequestFactory()

    def bare(request):
        return HttpResponse("ok")

    t_bare = []
    client = Client()
    for _ in range(200):
        t = time.perf_counter()
        bare(factory.get("/"))
        t_bare.append(time.perf_counter() - t)
    t_login = []
    for _ in range(50):
        t = time.perf_counter()
        client.get("/accounts/login/")
        t_login.append(time.perf_counter() - t)
    del path

    p50e, p95e = statistics.median(t_engine), pct(t_engine, 95)
    p50f, p95f = statistics.median(t_full), pct(t_full, 95)
    p50b, p95b = statistics.median(t_bm25), pct(t_bm25, 95)
    print(f"引擎 match()：p50 {ms(p50e)}，p95 {ms(p95e)}（{len(t_engine)} 次查询）")
    print(f"页面/API 路径 match_listing()：p50 {ms(p50f)}，p95 {ms(p95f)}")
    print(f"rank_bm25.BM25Okapi（同一批检索词）：建索引 {bm25_build:.1f} 秒，查询 p50 {ms(p50b)}，p95 {ms(p95b)}"
          f"（{len(t_bm25)} 次）")
    print(f"比值：BM25Okapi p50 / 引擎 p50 = {p50b / p50e:.1f} 倍；p95 = {p95b / p95e:.1f} 倍")
    print(f"基准：空 Django 视图 p50 {ms(statistics.median(t_bare))}；登录页（完整请求）p50 "
          f"{ms(statistics.median(t_login))}；引擎 p95 / 登录页 p50 = {p95e / statistics.median(t_login):.2f}")


if __name__ == "__main__":
    main()
