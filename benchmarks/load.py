"""Load test (issue 12, item 13): locust, headless, against the production server on loopback.

    SQLITE_PATH=/tmp/load.sqlite3 python benchmarks/load.py --prepare      # a fresh demo database
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/lt_load python benchmarks/load.py --prepare
    options: --users 50 --seconds 60 --workers 4 --port 8799

1. ``--prepare`` migrates the database and loads the demo (a database of its own: the run adds orders).
2. A session and an API token for every demo firm account (13 firms), made in a child process.
3. gunicorn (``liantong.wsgi``, ``--workers``, ``DEBUG=0``, static files by WhiteNoise) on 127.0.0.1.
4. ``--users`` locust users (round-robin over the firms) for ``--seconds``: page views with the session
   (home, the firm's list pages), API reads with the token (orders, listings, enterprises, members) and order
   submissions (``POST /api/v1/orders``, weight 1 in 6), each titled with its own marker.
5. Prints requests, errors, p50 / p95 per kind and overall; then, in a child process, checks that every
   submission answered 201 exists exactly once, and no failed one exists.

Exit status 1 when a request failed or an order is missing or doubled.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PY = sys.executable
FIRMS = ["zj_firm", "zj_firm2"] + [f"zj_f{i:02d}" for i in (0, 2, 3, 4, 5, 6, 7, 8, 9, 10)]


def _django():
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "liantong.settings")
    import django

    django.setup()


def child_setup() -> None:
    """Print ``{"accounts": [{username, session, token, pages}], "categories": [...], "orders": n}``."""
    _django()
    from django.conf import settings
    from django.test import Client
    from django.urls import reverse

    from liantong.accounts import services as account_services
    from liantong.accounts.models import User
    from liantong.core import dicts, guarantees
    from liantong.services.models import ServiceRequest

    pages = ["/"] + [reverse(e.list_page) for e in guarantees.entries() if e.list_page and "firm_a" in e.readers]
    accounts = []
    for name in FIRMS:
        user = User.objects.filter(username=name).first()
        if user is None:
            continue
        client = Client()
        client.force_login(user)
        token = account_services.issue_token(user, actor=None, name="load")[1]
        accounts.append({"username": name, "session": client.cookies[settings.SESSION_COOKIE_NAME].value,
                         "token": token, "pages": pages})
    print(json.dumps({"accounts": accounts, "categories": [v for v, _ in dicts.choices("service_category")],
                      "orders": ServiceRequest.objects.count(), "session_cookie": settings.SESSION_COOKIE_NAME}))


def child_verify(markers_file: str) -> None:
    """Every 201 marker exactly once; no failed marker at all. Prints one line; exit 1 on a miss."""
    _django()
    from django.db.models import Count

    from liantong.services.models import ServiceRequest

    data = json.loads(Path(markers_file).read_text())
    ok, failed = set(data["ok"]), set(data["failed"])
    counts = dict(ServiceRequest.objects.filter(title__startswith="压测").values_list("title")
                  .annotate(n=Count("id")).values_list("title", "n"))
    missing = [m for m in ok if counts.get(m, 0) == 0]
    doubled = [m for m in ok if counts.get(m, 0) > 1]
    ghosts = [m for m in failed if counts.get(m, 0)]
    print(f"orders: {len(ok)} submissions answered 201, {len(failed)} failed; in the database: "
          f"{sum(counts.get(m, 0) for m in ok)} of the 201s ({len(missing)} missing, {len(doubled)} doubled), "
          f"{len(ghosts)} of the failed ones written")
    sys.exit(1 if missing or doubled else 0)


def _wait_port(port: int, seconds: float = 60) -> None:
    end = time.time() + seconds
    while time.time() < end:
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.3)
    raise SystemExit(f"服务器未在 {seconds:.0f} 秒内启动")


def _server_env() -> dict:
    # the demo accounts log in without a second factor (docs/security.md: on by default with DEBUG off)
    env = dict(os.environ, DEBUG="0", LIANTONG_TOTP="0", DJANGO_SETTINGS_MODULE="liantong.settings",
               PYTHONPATH=str(ROOT))
    env.setdefault("ALLOWED_HOSTS", "127.0.0.1,localhost")
    return env


def start_server(port: int, workers: int) -> subprocess.Popen:
    env = _server_env()
    subprocess.run([PY, "-m", "liantong.cli", "collectstatic", "--noinput", "-v0"], env=env, check=True, cwd=ROOT)
    proc = subprocess.Popen([PY, "-m", "gunicorn", "liantong.wsgi:application", "--workers", str(workers),
                             "--bind", f"127.0.0.1:{port}", "--timeout", "120", "--log-level", "warning"],
                            env=env, cwd=ROOT)
    _wait_port(port)
    return proc


def run_locust(host: str, setup: dict, users: int, seconds: int) -> tuple[dict, list[str], list[str]]:
    import gevent
    from locust import FastHttpUser, between, task
    from locust.env import Environment

    accounts, categories = setup["accounts"], setup["categories"]
    ok_markers: list[str] = []
    failed_markers: list[str] = []
    counter = iter(range(10**9))

    class Firm(FastHttpUser):
        wait_time = between(0.5, 2.0)

        def on_start(self):
            self.account = accounts[next(counter) % len(accounts)]
            self.cookie = {"Cookie": f"{setup['session_cookie']}={self.account['session']}"}
            self.bearer = {"Authorization": f"Bearer {self.account['token']}"}

        @task(3)
        def page(self):
            url = random.choice(self.account["pages"])
            with self.client.get(url, headers=self.cookie, name=f"page {url}", catch_response=True,
                                 allow_redirects=False) as r:
                if r.status_code != 200:
                    r.failure(f"{r.status_code} {r.headers.get('Location', '')}")

        @task(2)
        def api_read(self):
            path = random.choice(["/api/v1/orders", "/api/v1/listings", "/api/v1/enterprises", "/api/v1/members"])
            self.client.get(path, headers=self.bearer, name=f"api {path}")

        @task(1)
        def submit(self):
            marker = f"压测{uuid.uuid4().hex[:12]}"
            body = {"title": marker, "category": random.choice(categories), "description": "负载测试提交的诉求",
                    "urgency": "normal"}
            with self.client.post("/api/v1/orders", json=body, headers=self.bearer, name="api POST /orders",
                                  catch_response=True) as r:
                if r.status_code == 201:
                    ok_markers.append(marker)
                    r.success()
                else:
                    failed_markers.append(marker)
                    r.failure(f"{r.status_code}")

    Firm.host = host
    env = Environment(user_classes=[Firm])
    runner = env.create_local_runner()
    runner.start(users, spawn_rate=max(1, users // 5))
    gevent.spawn_later(seconds, runner.quit)
    runner.greenlet.join()
    kinds: dict[str, list] = {"page": [], "api": [], "api POST /orders": []}
    for (name, _method), entry in env.stats.entries.items():
        kind = "api POST /orders" if name == "api POST /orders" else name.split(" ")[0]
        kinds.setdefault(kind, []).append(entry)
    total = env.stats.total
    out = {"requests": total.num_requests, "failures": total.num_failures,
           "p50": total.get_response_time_percentile(0.5), "p95": total.get_response_time_percentile(0.95),
           "rps": total.total_rps, "errors": {str(k): v.occurrences for k, v in env.stats.errors.items()},
           "kinds": {}}
    from locust.stats import StatsEntry

    for kind, entries in kinds.items():
        if not entries:
            continue
        agg = StatsEntry(env.stats, kind, "")
        for e in entries:
            agg.extend(e)
        out["kinds"][kind] = {"requests": agg.num_requests, "failures": agg.num_failures,
                              "p50": agg.get_response_time_percentile(0.5),
                              "p95": agg.get_response_time_percentile(0.95)}
    return out, ok_markers, failed_markers


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--users", type=int, default=50)
    ap.add_argument("--seconds", type=int, default=60)
    ap.add_argument("--workers", type=int, default=4)
    ap.add_argument("--port", type=int, default=8799)
    ap.add_argument("--prepare", action="store_true", help="migrate and load the demo first")
    ap.add_argument("--child", choices=["setup", "verify"])
    ap.add_argument("--markers")
    args = ap.parse_args()
    if args.child == "setup":
        return child_setup()
    if args.child == "verify":
        return child_verify(args.markers)
    env = _server_env()  # the same SECRET_KEY for the sessions made here and the server that reads them
    engine = "PostgreSQL" if os.environ.get("DATABASE_URL", "").startswith("postgres") else "SQLite"
    if args.prepare:
        subprocess.run([PY, "-m", "liantong.cli", "migrate", "--noinput", "-v0"], env=env, check=True, cwd=ROOT)
        subprocess.run([PY, "-m", "liantong.cli", "demo"], env=env, check=True, cwd=ROOT, stdout=subprocess.DEVNULL)
    setup = json.loads(subprocess.run([PY, __file__, "--child", "setup"], env=env, check=True, cwd=ROOT,
                                      capture_output=True, text=True).stdout.strip().splitlines()[-1])
    server = start_server(args.port, args.workers)
    try:
        stats, ok, failed = run_locust(f"http://127.0.0.1:{args.port}", setup, args.users, args.seconds)
    finally:
        server.terminate()
        server.wait(30)
    print(f"\nload: {engine}, gunicorn {args.workers} workers, {args.users} users, {args.seconds} s, "
          f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    print(f"{'kind':<18}{'requests':>9}{'errors':>8}{'p50 ms':>8}{'p95 ms':>8}")
    for kind, k in stats["kinds"].items():
        print(f"{kind:<18}{k['requests']:>9}{k['failures']:>8}{k['p50']:>8.0f}{k['p95']:>8.0f}")
    print(f"{'all':<18}{stats['requests']:>9}{stats['failures']:>8}{stats['p50']:>8.0f}{stats['p95']:>8.0f}"
          f"   ({stats['rps']:.1f} requests/s)")
    for error, n in stats["errors"].items():
        print(f"  error ×{n}: {error[:160]}")
    markers = Path(f"/tmp/liantong-load-{os.getpid()}.json")
    markers.write_text(json.dumps({"ok": ok, "failed": failed}))
    verify = subprocess.run([PY, __file__, "--child", "verify", "--markers", str(markers)], env=env, cwd=ROOT)
    markers.unlink()
    sys.exit(1 if stats["failures"] or verify.returncode else 0)


if __name__ == "__main__":
    main()
