"""Faults (issue 12, item 14): kill -9 the server mid-import and mid-transition; restart PostgreSQL under load.

    SQLITE_PATH=/tmp/faults.sqlite3 python benchmarks/faults.py --prepare            # SQLite: scenarios 1, 2
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/lt_faults python benchmarks/faults.py --prepare
    python benchmarks/faults.py --pg-restart          # scenario 3 on a private PostgreSQL cluster (port 55432)

1. **kill -9 mid-import**: gunicorn serves; admin uploads a member workbook (``--rows``, default 20,000) on the
   import page; the whole server (master and workers) is killed with SIGKILL while the request runs, at a
   few points in time. After each kill: the members are all there or none of them, ``audit-verify`` passes,
   (SQLite) ``PRAGMA integrity_check`` is ok. The server is started again and the same file imports whole.
2. **kill -9 mid-transition**: 8 threads of firms submit orders and withdraw them (``POST /orders``, ``POST
   /orders/{id}/transitions``) while the server is killed; afterwards every order's state is its last
   timeline entry's ``to_state``, every withdrawn order has exactly one withdraw entry and one transition
   audit row, and ``audit-verify`` passes; the restarted server serves the same requests.
3. **PostgreSQL restarted under load** (``--pg-restart``): a private cluster is created with ``initdb``,
   migrated with the demo; gunicorn serves it; 8 threads read the API while ``pg_ctl restart`` runs; the
   requests fail for the seconds PostgreSQL is down and succeed again afterwards **without restarting the
   app** (the script checks the last 50 requests all answered 200 with the same gunicorn processes).

Prints one line per check; exit 1 when one fails.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))
PY = sys.executable
PORT = 8798
BASE = f"http://127.0.0.1:{PORT}"
FAILED: list[str] = []

from load import _server_env, _wait_port  # noqa: E402


def say(ok: bool, what: str) -> None:
    print(("ok   " if ok else "FAIL ") + what, flush=True)
    if not ok:
        FAILED.append(what)


def _env() -> dict:
    """Production settings; the admin's session is made here without its second factor (TOTP off)."""
    return dict(_server_env(), LIANTONG_TOTP="0")


def manage(*args: str, env: dict | None = None, capture: bool = True) -> subprocess.CompletedProcess:
    return subprocess.run([PY, "-m", "liantong.cli", *args], env=env or _env(), cwd=ROOT,
                          capture_output=capture, text=True)


def query(code: str, env: dict | None = None) -> dict:
    """Run ``code`` (which sets ``out``) in a Django child process; its ``out`` as JSON."""
    script = ("import django, json, os; os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'liantong.settings'); "
              "django.setup()\n" + code + "\nprint(json.dumps(out, default=str))")
    r = subprocess.run([PY, "-c", script], env=env or _env(), cwd=ROOT, capture_output=True, text=True)
    if r.returncode:
        raise SystemExit(r.stderr[-2000:])
    return json.loads(r.stdout.strip().splitlines()[-1])


def start(env: dict | None = None, workers: int = 2) -> subprocess.Popen:
    proc = subprocess.Popen([PY, "-m", "gunicorn", "liantong.wsgi:application", "--workers", str(workers),
                             "--bind", f"127.0.0.1:{PORT}", "--timeout", "300", "--log-level", "error"],
                            env=env or _env(), cwd=ROOT, start_new_session=True)
    _wait_port(PORT, 120)
    return proc


def kill9(proc: subprocess.Popen) -> None:
    """SIGKILL the server's whole process group: the master and every worker, no cleanup."""
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    time.sleep(0.5)


def consistency(env: dict | None = None) -> None:
    r = manage("audit-verify", env=env)
    say(r.returncode == 0, f"audit-verify after the kill: {(r.stdout or r.stderr).strip().splitlines()[-1:]}")
    if not os.environ.get("DATABASE_URL", "").startswith("postgres") and env is None:
        out = query("from django.db import connection\nc = connection.cursor()\n"
                    "c.execute('PRAGMA integrity_check')\nout = c.fetchone()[0]")
        say(out == "ok", f"SQLite integrity_check: {out}")


# --- sessions and tokens --------------------------------------------------------------------------------------

def accounts() -> dict:
    return query("""
from django.conf import settings
from django.test import Client
from liantong.accounts import services
from liantong.accounts.models import User
out = {"cookie": settings.SESSION_COOKIE_NAME, "tokens": {}}
admin = User.objects.get(username="admin")
c = Client(); c.force_login(admin)
out["admin_session"] = c.cookies[settings.SESSION_COOKIE_NAME].value
for name in ["zj_firm", "zj_firm2", "zj_f00", "zj_f02", "zj_f03", "zj_f04", "zj_f05", "zj_f06"]:
    out["tokens"][name] = services.issue_token(User.objects.get(username=name), actor=None, name="faults")[1]
""")


# --- 1. kill -9 mid-import ------------------------------------------------------------------------------------

def upload(session: requests.Session, path: Path) -> int:
    page = session.get(f"{BASE}/orgs/import/?kind=members", timeout=30)
    token = session.cookies.get("csrftoken") or ""
    with open(path, "rb") as fh:
        r = session.post(f"{BASE}/orgs/import/", data={"kind": "members", "csrfmiddlewaretoken": token},
                         files={"file": ("members.xlsx", fh)}, headers={"Referer": page.url}, timeout=600)
    return r.status_code


def scenario_import(acc: dict, rows: int, delays: tuple[float, ...]) -> None:
    from import_bench import write_workbook

    count = "from liantong.orgs.models import Member\nout = Member.objects.count()"
    before = query(count)
    tmp = Path(tempfile.mkdtemp())
    path = tmp / "members.xlsx"
    write_workbook(path, rows, "镇江船厂设计所党支部", 7_500_000 + before)
    for delay in delays:
        server = start()
        s = requests.Session()
        s.cookies.set(acc["cookie"], acc["admin_session"])
        t = threading.Thread(target=_swallow, args=(upload, s, path), daemon=True)
        t.start()
        time.sleep(delay)
        kill9(server)
        t.join(30)
        after = query(count)
        say(after in (before, before + rows),
            f"import killed after {delay:.1f} s: members {after - before:+,} (all {rows:,} or none)")
        consistency()
        before = after
    fresh = tmp / "again.xlsx"
    write_workbook(fresh, rows, "镇江船厂设计所党支部", 7_500_000 + before + rows)
    server = start()
    s = requests.Session()
    s.cookies.set(acc["cookie"], acc["admin_session"])
    status = upload(s, fresh)
    after = query(count)
    say(status == 200 and after == before + rows,
        f"after a restart a workbook of {rows:,} rows imports whole: HTTP {status}, members {after - before:+,}")
    server.terminate()
    server.wait(30)
    shutil.rmtree(tmp)


def _swallow(fn, *args):
    with contextlib.suppress(requests.RequestException):
        fn(*args)


# --- 2. kill -9 mid-transition --------------------------------------------------------------------------------

def churn(token: str, stop: threading.Event, done: list) -> None:
    h = {"Authorization": f"Bearer {token}"}
    while not stop.is_set():
        try:
            r = requests.post(f"{BASE}/api/v1/orders", json={"title": f"故障{uuid.uuid4().hex[:10]}",
                              "category": "finance", "description": "故障测试"}, headers=h, timeout=30)
            if r.status_code == 201:
                pk = r.json()["id"]
                w = requests.post(f"{BASE}/api/v1/orders/{pk}/transitions", json={"action": "withdraw"},
                                  headers=h, timeout=30)
                done.append((pk, w.status_code))
        except requests.RequestException:
            time.sleep(0.2)


def scenario_transition(acc: dict, seconds: float) -> None:
    for round_ in range(2):
        server = start()
        stop, done = threading.Event(), []
        threads = [threading.Thread(target=churn, args=(tok, stop, done), daemon=True)
                   for tok in acc["tokens"].values()]
        for t in threads:
            t.start()
        time.sleep(seconds * (round_ + 1))
        kill9(server)
        stop.set()
        for t in threads:
            t.join(35)
        out = query("""
from django.db.models import Count, Q
from liantong.core.models import AuditLog
from liantong.services.models import ServiceRequest, TimelineEntry
orders = ServiceRequest.objects.filter(title__startswith="故障")
bad = []
for o in orders:
    last = o.timeline.order_by("-at", "-id").first()
    if last is None or last.to_state != o.state:
        bad.append(o.pk)
withdrawn = orders.filter(state="withdrawn")
twice = withdrawn.annotate(n=Count("timeline", filter=Q(timeline__action="withdraw"))).exclude(n=1).count()
audited = set(AuditLog.objects.filter(object_type="services.servicerequest", action="transition",
              object_id__in=[str(p) for p in withdrawn.values_list("pk", flat=True)]).values_list("object_id", flat=True))
out = {"orders": orders.count(), "withdrawn": withdrawn.count(), "mismatch": bad[:5], "twice": twice,
       "unaudited": withdrawn.count() - len(audited)}
""")
        say(not out["mismatch"] and not out["twice"] and not out["unaudited"],
            f"transitions killed (round {round_ + 1}, {len(done)} withdrawals answered): {out['orders']} orders, "
            f"{out['withdrawn']} withdrawn; state ≠ last timeline entry: {len(out['mismatch'])}; withdrawn "
            f"without exactly one withdraw entry: {out['twice']}; without their audit row: {out['unaudited']}")
        consistency()
    server = start()
    tok = next(iter(acc["tokens"].values()))
    r = requests.get(f"{BASE}/api/v1/orders", headers={"Authorization": f"Bearer {tok}"}, timeout=30)
    say(r.status_code == 200, f"the restarted server answers: HTTP {r.status_code}")
    server.terminate()
    server.wait(30)


# --- 3. PostgreSQL restarted under load -----------------------------------------------------------------------

PG_BIN = Path("/usr/lib/postgresql") / (sorted(os.listdir("/usr/lib/postgresql"))[-1] if Path(
    "/usr/lib/postgresql").exists() else "15") / "bin"


def as_postgres(*cmd: str) -> subprocess.CompletedProcess:
    return subprocess.run(["runuser", "-u", "postgres", "--", *cmd], capture_output=True, text=True)


def scenario_pg_restart(port: int = 55432) -> None:
    data = Path(tempfile.mkdtemp(prefix="lt-faults-pg-"))
    shutil.chown(data, "postgres", "postgres")
    as_postgres(str(PG_BIN / "initdb"), "-D", str(data / "db"), "-A", "trust", "-U", "postgres")
    ctl = [str(PG_BIN / "pg_ctl"), "-D", str(data / "db"), "-l", str(data / "db" / "log"), "-w",
           "-o", f"-p {port} -k {data} -c listen_addresses=127.0.0.1"]
    as_postgres(*ctl, "start")
    try:
        subprocess.run(["createdb", "-h", "127.0.0.1", "-p", str(port), "-U", "postgres", "lt_faults"], check=True)
        env = dict(_env(), DATABASE_URL=f"postgres://postgres@127.0.0.1:{port}/lt_faults",
                   FAST_PASSWORD_HASHER="1")
        env.pop("SQLITE_PATH", None)
        manage("migrate", "--noinput", "-v0", env=env)
        manage("demo", env=env)
        acc = query("""
from liantong.accounts import services
from liantong.accounts.models import User
out = services.issue_token(User.objects.get(username="zj_zone"), actor=None, name="faults")[1]
""", env=env)
        server = start(env, workers=2)
        pids = sorted(int(p) for p in subprocess.run(["pgrep", "-g", str(server.pid)], capture_output=True,
                                                     text=True).stdout.split())
        log: list[tuple[float, int]] = []
        stop = threading.Event()

        def reader():
            while not stop.is_set():
                try:
                    r = requests.get(f"{BASE}/api/v1/orders", headers={"Authorization": f"Bearer {acc}"}, timeout=30)
                    log.append((time.time(), r.status_code))
                except requests.RequestException:
                    log.append((time.time(), 0))
                time.sleep(0.05)

        threads = [threading.Thread(target=reader, daemon=True) for _ in range(8)]
        for t in threads:
            t.start()
        time.sleep(5)
        t0 = time.time()
        restarted = as_postgres(*ctl, "restart", "-m", "fast")
        t1 = time.time()
        time.sleep(8)
        stop.set()
        for t in threads:
            t.join(35)
        during = [s for t, s in log if t0 <= t <= t1 + 1]
        after = [s for t, s in log if t > t1 + 3][-50:]
        same = sorted(int(p) for p in subprocess.run(["pgrep", "-g", str(server.pid)], capture_output=True,
                                                     text=True).stdout.split()) == pids
        ok_before = sum(1 for t, s in log if t < t0 and s == 200)
        say(restarted.returncode == 0 and after and all(s == 200 for s in after) and same,
            f"PostgreSQL restarted in {t1 - t0:.1f} s under load: {ok_before} answers 200 before, "
            f"{sum(1 for s in during if s != 200)} of {len(during)} failed while it restarted, the last "
            f"{len(after)} after it all 200 from the same gunicorn processes ({same})")
        server.terminate()
        server.wait(30)
        consistency(env)
    finally:
        as_postgres(*ctl, "stop", "-m", "immediate")
        shutil.rmtree(data, ignore_errors=True)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--prepare", action="store_true")
    ap.add_argument("--rows", type=int, default=20000)
    ap.add_argument("--kill-after", default="1,4,10,20", help="seconds into the import at which to kill")
    ap.add_argument("--churn", type=float, default=10, help="seconds of transitions before the first kill")
    ap.add_argument("--pg-restart", action="store_true", help="only scenario 3")
    args = ap.parse_args()
    if args.pg_restart:
        scenario_pg_restart()
    else:
        if args.prepare:
            manage("migrate", "--noinput", "-v0")
            manage("demo")
        manage("collectstatic", "--noinput", "-v0")
        acc = accounts()
        scenario_import(acc, args.rows, tuple(float(x) for x in args.kill_after.split(",")))
        scenario_transition(acc, args.churn)
    print(f"\nfaults: {len(FAILED)} check(s) failed" if FAILED else "\nfaults: every check held")
    sys.exit(1 if FAILED else 0)


if __name__ == "__main__":
    main()
