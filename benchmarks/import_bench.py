"""Member workbook import at scale (issue 12, item 16).

    SQLITE_PATH=<db with the demo> python benchmarks/import_bench.py [--rows 5000] [--org 镇江船厂设计所党支部]
    DATABASE_URL=postgres://… python benchmarks/import_bench.py --rows 100000

Writes a workbook of ``--rows`` new members (valid GB 11643 numbers, not yet registered, mixed genders, phones,
dates, backbone flags) for one party org, then imports it as ``--user`` (default ``admin``) through
``core.excel.import_workbook`` — the same function the page and ``liantong import members`` call, with every
check — and prints rows/s, the time the write transaction was open, the peak memory, and what a concurrent
reader (a member count every 50 ms) and, on SQLite, a concurrent writer (``BEGIN IMMEDIATE``) waited at most
during the import. ``--check-rollback`` then imports the same rows again with one bad row at the end and
checks nothing was written. The workbook's writing time is not counted."""

from __future__ import annotations

import argparse
import datetime
import os
import resource
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(os.environ.get("LIANTONG_SRC") or Path(__file__).resolve().parents[1])  # another checkout: a baseline
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "liantong.settings")

import django  # noqa: E402

django.setup()

from django.db import OperationalError, connection, connections  # noqa: E402
from openpyxl import Workbook  # noqa: E402

from liantong.accounts.models import User  # noqa: E402
from liantong.core.excel import import_workbook  # noqa: E402
from liantong.orgs.excel import MEMBER  # noqa: E402
from liantong.orgs.gen import id_number  # noqa: E402
from liantong.orgs.models import Member, PartyOrg  # noqa: E402

HEADERS = ["姓名*", "性别*", "公民身份号码*", "所在党组织*", "人员类别*", "出生日期", "手机号码", "入党日期", "工作岗位",
           "是否技术骨干", "是否管理骨干"]
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂"


def write_workbook(path: Path, rows: int, org: str, start: int) -> None:
    wb = Workbook(write_only=True)
    ws = wb.create_sheet()
    ws.append(HEADERS)
    for i in range(rows):
        number = id_number(start + i, "321191")
        gender = "男" if int(number[16]) % 2 else "女"
        born = datetime.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
        joined = born.replace(year=born.year + 25) if not (born.month == 2 and born.day == 29) else born.replace(
            year=born.year + 24)
        ws.append([SURNAMES[i % 20] + GIVEN[(i // 20) % 20] + GIVEN[(i // 400) % 20], gender, number, org,
                   "正式党员" if i % 7 else "预备党员", born if i % 3 == 0 else None,
                   f"138{i % 100000000:08d}" if i % 2 else "", joined, "工程师" if i % 5 == 0 else "",
                   "是" if i % 4 == 0 else "否", "否"])
    wb.save(path)


class Probe(threading.Thread):
    """Every 50 ms: a read (count one org's members) and, on SQLite, a write lock taken and released; the
    longest wait of each."""

    def __init__(self, org_id: int):
        super().__init__(daemon=True)
        self.org_id, self.stop, self.max_read, self.max_write, self.samples = org_id, threading.Event(), 0.0, 0.0, 0
        self.locked_out = 0

    def run(self):
        try:
            while not self.stop.is_set():
                t = time.perf_counter()
                Member.objects.filter(party_org_id=self.org_id).count()
                self.max_read = max(self.max_read, time.perf_counter() - t)
                if connection.vendor == "sqlite":
                    t = time.perf_counter()
                    try:
                        with connection.cursor() as cur:
                            cur.execute("BEGIN IMMEDIATE")
                            cur.execute("COMMIT")
                    except OperationalError:  # waited the whole busy timeout: a site write would have failed
                        self.locked_out += 1
                    self.max_write = max(self.max_write, time.perf_counter() - t)
                self.samples += 1
                time.sleep(0.05)
        finally:
            connections.close_all()


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, default=5000)
    ap.add_argument("--org", default="镇江船厂设计所党支部")
    ap.add_argument("--user", default="admin")
    ap.add_argument("--check-rollback", action="store_true")
    args = ap.parse_args()
    actor = User.objects.get(username=args.user)
    org = PartyOrg.objects.filter(name=args.org).order_by("pk").first()
    if org is None:
        sys.exit(f"没有党组织“{args.org}”")
    before = Member.objects.count()
    start = 7_000_000 + before  # numbers not yet registered (the generator's own stay below 13.87 M)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "members.xlsx"
        t = time.perf_counter()
        write_workbook(path, args.rows, org.name, start)
        print(f"workbook: {args.rows:,} rows, {path.stat().st_size / 1e6:.1f} MB, written in "
              f"{time.perf_counter() - t:.1f} s (not counted)")
        probe = Probe(org.pk)
        probe.start()
        rss0 = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        t, cpu = time.perf_counter(), time.process_time()
        with open(path, "rb") as fh:
            result = import_workbook(MEMBER, fh, actor=actor)
        wall, cpu = time.perf_counter() - t, time.process_time() - cpu
        probe.stop.set()
        probe.join()
        rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        if not result.ok:
            sys.exit("导入失败：" + "；".join(result.error_lines()[:5]))
        added = Member.objects.count() - before
        print(f"engine: {connection.vendor}; user: {args.user}; org: {org.name}")
        print(f"import: {result.rows:,} rows in {wall:.2f} s = {result.rows / wall:,.0f} rows/s "
              f"(created {result.created:,}, updated {result.updated:,}, unchanged {result.unchanged:,}: numbers "
              f"the demo already holds; members +{added:,}); CPU {cpu:.2f} s = {result.rows / cpu:,.0f} rows/s "
              f"of this process's CPU; load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
        write = getattr(result, "write_seconds", 0.0)
        print(f"write transaction open: {write:.2f} s; validation before it: {wall - write:.2f} s")
        print(f"peak RSS: {rss / 1024:.0f} MB (before the import {rss0 / 1024:.0f} MB)")
        print(f"concurrent reader waited at most {probe.max_read * 1000:.0f} ms; "
              + (f"a concurrent writer at most {probe.max_write * 1000:.0f} ms "
                 f"({probe.locked_out} gave up after the busy timeout); " if connection.vendor == "sqlite" else "")
              + f"{probe.samples} probes")
        assert added == result.created and result.created + result.updated + result.unchanged == result.rows, \
            "not every row was written exactly once"
        if args.check_rollback:
            bad = Path(tmp) / "bad.xlsx"
            write_workbook(bad, args.rows, org.name, start + args.rows)
            from openpyxl import load_workbook

            wb = load_workbook(bad)
            wb.active.append(["坏行", "男", "123", org.name, "正式党员"])
            wb.save(bad)
            n = Member.objects.count()
            with open(bad, "rb") as fh:
                result = import_workbook(MEMBER, fh, actor=actor)
            assert not result.ok and Member.objects.count() == n, "a refused workbook wrote rows"
            print(f"all or nothing: {args.rows + 1:,} rows with one bad one refused "
                  f"({result.error_lines()[0]}), members unchanged")


if __name__ == "__main__":
    main()
