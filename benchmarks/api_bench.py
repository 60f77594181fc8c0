"""The key API endpoints at province scale, beside a bare Django view in the same run (issue 12, item 15).

    SQLITE_PATH=<province file> DEBUG=0 python benchmarks/api_bench.py [--runs 15]

Same method as ``pages_bench.py`` (Django's test ``Client`` with the whole middleware stack, the session of
a generated zone's staff user and of the platform admin): the median and p95 of each endpoint, its ratio to
the bare view's median and its query count.
"""

from __future__ import annotations

import argparse

from pages_bench import django, run_pages  # noqa: F401  (pages_bench sets Django up)


def endpoints(zone, listing) -> list[tuple[str, str]]:
    matches = [("GET /listings/{id}/matches", f"/api/v1/listings/{listing.pk}/matches")] if listing else []
    return [
        ("bare view", "/__bench__/bare/"),
        ("GET /zones", "/api/v1/zones"),
        ("GET /zones/{id}/stats", f"/api/v1/zones/{zone.pk}/stats"),
        ("GET /enterprises", "/api/v1/enterprises"),
        ("GET /enterprises?q=科技", "/api/v1/enterprises?q=科技"),
        ("GET /members", "/api/v1/members"),
        ("GET /orders", "/api/v1/orders"),
        ("GET /orders?state=accepted", "/api/v1/orders?state=accepted"),
        ("GET /listings", "/api/v1/listings"),
        *matches,  # (none when the database has no listing in the zone)
    ]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=15)
    ap.add_argument("--zone-user", default="gen_z01_zone")
    ap.add_argument("--admin-user", default="gen_admin")
    args = ap.parse_args()
    from liantong.accounts.models import User
    from liantong.matching.models import Listing

    users = [User.objects.get(username=args.zone_user), User.objects.get(username=args.admin_user)]
    zone = users[0].zone
    listing = Listing.objects.filter(zone=zone).order_by("pk").first()
    run_pages(users, endpoints(zone, listing), args.runs, width=28)


if __name__ == "__main__":
    main()
