"""Benchmark of the zone dashboard at province scale (issue 11: server time at p95 ≤ 150 ms).

    SQLITE_PATH=/tmp/province.sqlite3 .venv/bin/liantong migrate
    SQLITE_PATH=/tmp/province.sqlite3 .venv/bin/liantong gen --scale province
    SQLITE_PATH=/tmp/province.sqlite3 DEBUG=0 .venv/bin/python benchmarks/dashboard_bench.py [--runs 30] [--sql]

With Django's test ``Client`` (``force_login``, the whole middleware stack) it times, for a generated zone's
committee (``gen_z01_zone``), the zone dashboard for a year, a quarter and a month, a chain dashboard, the
big screen's refresh (JSON) and the dashboard API — and, in the same run, a bare Django view (the yardstick,
``pages_bench``'s throw-away URLconf). It prints the median and p95 of each, the ratio to the bare view and
the query count, and says whether the zone dashboard's p95 is within the 150 ms budget.
"""

from __future__ import annotations

import argparse
import statistics
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import pages_bench  # noqa: E402  (sets up Django and the bare view's URLconf)
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import override_settings  # noqa: E402

BUDGET_MS = 150.0


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--runs", type=int, default=30)
    ap.add_argument("--zone-user", default="gen_z01_zone")
    ap.add_argument("--date", default="2025-06-01", help="the period's date (the generator's data ends 2025-12-31)")
    ap.add_argument("--sql", action="store_true")
    args = ap.parse_args()

    from liantong.accounts.models import User
    from liantong.insights.models import InvestmentProject
    from liantong.orgs.models import Chain
    from liantong.services.models import ServiceRequest

    user = User.objects.get(username=args.zone_user)
    zone = user.zone
    chain = Chain.objects.filter(zone=zone).order_by("id").first()
    print(f"database: {connection.vendor} {connection.settings_dict['NAME']}; "
          f"{ServiceRequest.objects.count():,} orders ({ServiceRequest.objects.filter(zone=zone).count():,} in "
          f"{zone.name}), {InvestmentProject.objects.count():,} investment projects; {args.runs} runs per page")
    d = args.date
    pages = [
        ("bare view", "/__bench__/bare/"),
        ("zone dashboard (year)", f"/insights/dashboard/?period=year&date={d}"),
        ("zone dashboard (quarter)", f"/insights/dashboard/?period=quarter&date={d}"),
        ("zone dashboard (month)", f"/insights/dashboard/?period=month&date={d}"),
        ("zone dashboard (default)", "/insights/dashboard/"),
        ("chain dashboard (year)", f"/insights/dashboard/chain/{chain.pk}/?period=year&date={d}"),
        ("big screen refresh", f"/insights/screen/?date={d}&format=json"),
        ("dashboard API", f"/api/v1/zones/{zone.pk}/dashboard?period=year&date={d}"),
    ]
    results = {}
    with override_settings(ROOT_URLCONF="pages_bench_urls", ALLOWED_HOSTS=["*"]):
        client = Client()
        client.force_login(user)
        bare = None
        print("median / p95 ms, ratio of medians to the bare view, queries")
        for label, url in pages:
            times, status, nq = pages_bench.time_page(client, url, args.runs)
            med, p95 = statistics.median(times), pages_bench.pct(times, 95)
            bare = bare or med
            results[label] = p95
            print(f"  {label:<26} {med:8.1f} {p95:8.1f}   x{med / bare:6.1f}   {nq:3d} q   HTTP {status}   {url}")
            if args.sql and label != "bare view":
                pages_bench.show_sql(client, url)
    worst = max(v for k, v in results.items() if k.startswith("zone dashboard"))
    print(f"\nzone dashboard p95 (worst period): {worst:.1f} ms — "
          f"{'within' if worst <= BUDGET_MS else 'OVER'} the {BUDGET_MS:.0f} ms budget")


if __name__ == "__main__":
    main()
