"""Benchmark of the list pages' text search at province scale (DESIGN-NOTES 9, docs/search.md).

    SQLITE_PATH=/tmp/province.sqlite3 .venv/bin/liantong migrate
    SQLITE_PATH=/tmp/province.sqlite3 .venv/bin/liantong gen --scale province
    SQLITE_PATH=/tmp/province.sqlite3 DEBUG=0 .venv/bin/python benchmarks/search_bench.py [--runs 30] [--sql]

(or ``DATABASE_URL=postgres://…``). Same harness as ``pages_bench.py`` (Django's test ``Client``, the
whole middleware stack, a bare view as the yardstick): member, enterprise and order list pages searched
by a full name, a surname, a two-character word, a credit code, an order ref and a title word, for the
platform admin (all zones: the worst case) and a zone-staff user. The query texts are taken from the
database (the first generated rows), so the script runs unchanged against a checkout without the token
index (``icontains``), which gives the "before" figures on the same file.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import django
import pages_bench  # noqa: F401  (django.setup(), the URLconf with the bare view)
from pages_bench import connection, run_pages


def pages() -> list[tuple[str, str]]:
    from liantong.orgs.models import Enterprise, Member
    from liantong.services.models import ServiceRequest

    m = Member.objects.exclude(post="").order_by("id").first()
    f = Enterprise.objects.order_by("id").first()
    o = ServiceRequest.objects.exclude(ref=None).order_by("id").first()
    return [
        ("bare view", "/__bench__/bare/"),
        ("党员 full name", f"/orgs/member/?q={m.name}"),
        ("党员 surname", f"/orgs/member/?q={m.name[0]}"),
        ("党员 2-char word", f"/orgs/member/?q={m.post[:2]}"),
        ("党员 no match", "/orgs/member/?q=欧阳晓川"),
        ("企业 name word", "/orgs/enterprise/?q=科技"),
        ("企业 credit code", f"/orgs/enterprise/?q={f.credit_code}"),
        ("工单 ref", f"/services/orders/?q={o.ref}"),
        ("工单 title word", f"/services/orders/?q={o.title[:2]}"),
    ]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--runs", type=int, default=30)
    ap.add_argument("--zone-user", default="gen_z01_zone")
    ap.add_argument("--admin-user", default="gen_admin")
    ap.add_argument("--sql", action="store_true", help="print each page's queries and the slowest one's plan")
    ap.add_argument("--admin-only", action="store_true", help="only the platform admin")
    args = ap.parse_args()

    from liantong.accounts.models import User
    from liantong.orgs.models import Enterprise, Member
    from liantong.services.models import ServiceRequest

    users = [User.objects.get(username=args.admin_user)]
    if not args.admin_only:
        users.append(User.objects.get(username=args.zone_user))
    print(f"database: {connection.vendor} {connection.settings_dict['NAME']}; "
          f"{Enterprise.objects.count():,} enterprises, {Member.objects.count():,} members, "
          f"{ServiceRequest.objects.count():,} orders; {args.runs} runs per page; DEBUG={django.conf.settings.DEBUG}")
    run_pages(users, pages(), args.runs, sql=args.sql, width=18)


if __name__ == "__main__":
    main()
