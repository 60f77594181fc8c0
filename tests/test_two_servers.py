"""Two app servers against one PostgreSQL and one Redis see the same state (issue 12, item 10).

Two gunicorn processes (one worker each) serve a copy of the demo database (``tests/dbtemplate.py``) with the
shared cache in a Redis of the test's own (``redis-server`` on a free port, no persistence). Through the
HTTP interface only:

* **sessions**: a login on server A opens pages on server B; a logout on B ends the session on A;
* **dictionaries**: an administrator relabels a category on A; B's API shows the new label (each process
  keeps the dictionaries for at most two seconds, the shared copy lives in Redis);
* **the matching index**: B's engine is built (a match asked on B); a listing created on A is then among
  B's matches (the index version is bumped in the creating transaction; B applies the change on its next
  match).

Needs PostgreSQL (``DATABASE_URL``) and a ``redis-server`` binary; skipped otherwise.
"""

import os
import re
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

pytestmark = [pytest.mark.pg]

ROOT = Path(__file__).resolve().parents[1]
IS_PG = os.environ.get("DATABASE_URL", "").startswith("postgres")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait(port: int, proc: subprocess.Popen, seconds: float = 90) -> None:
    end = time.time() + seconds
    while time.time() < end:
        if proc.poll() is not None:
            raise RuntimeError(f"进程已退出（{proc.returncode}）")
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.2)
    raise RuntimeError(f"端口 {port} 未在 {seconds:.0f} 秒内就绪")


@pytest.fixture
def two_servers(demo_template, django_db_blocker):
    if not IS_PG:
        pytest.skip("needs PostgreSQL (DATABASE_URL=postgres://…)")
    if shutil.which("redis-server") is None:
        pytest.skip("needs redis-server")
    from django.db import connection

    from tests import dbtemplate

    name = f"two_servers_{os.getpid()}"
    with django_db_blocker.unblock():
        dbtemplate.copy(demo_template, connection, name)
    redis_port = _free_port()
    redis = subprocess.Popen(["redis-server", "--port", str(redis_port), "--bind", "127.0.0.1", "--save", "",
                              "--appendonly", "no"], stdout=subprocess.DEVNULL)
    settings_db = connection.settings_dict
    url = (f"postgres://{settings_db['USER']}:{settings_db.get('PASSWORD') or ''}@{settings_db['HOST'] or '127.0.0.1'}"
           f":{settings_db['PORT'] or 5432}/{name}")
    # production settings, but no second factor: the logins here are about shared state, not TOTP
    env = dict(os.environ, DATABASE_URL=url, REDIS_URL=f"redis://127.0.0.1:{redis_port}/0", DEBUG="0", LIANTONG_TOTP="0",
               DJANGO_SETTINGS_MODULE="liantong.settings", PYTHONPATH=str(ROOT))
    servers, ports = [], []
    try:
        _wait(redis_port, redis)
        for _ in range(2):
            port = _free_port()
            servers.append(subprocess.Popen(
                [sys.executable, "-m", "gunicorn", "liantong.wsgi:application", "--workers", "1", "--bind",
                 f"127.0.0.1:{port}", "--log-level", "warning"], env=env, cwd=ROOT))
            ports.append(port)
        for port, proc in zip(ports, servers):
            _wait(port, proc)
        yield [f"http://127.0.0.1:{p}" for p in ports]
    finally:
        for proc in [*servers, redis]:
            proc.terminate()
        for proc in [*servers, redis]:
            proc.wait(30)
        with django_db_blocker.unblock():
            dbtemplate.drop(connection, name)


def _login(base: str, username: str):
    import requests
    from django.conf import settings

    s = requests.Session()
    s.get(f"{base}/accounts/login/", timeout=60)
    r = s.post(f"{base}/accounts/login/", data={"username": username, "password": settings.DEMO_PASSWORD,
                                                "csrfmiddlewaretoken": s.cookies.get("csrftoken")},
               headers={"Referer": f"{base}/accounts/login/"}, allow_redirects=False, timeout=60)
    assert r.status_code == 302 and "/accounts/login/" not in r.headers["Location"], r.text[:300]
    return s


def _csrf_post(s, base: str, path: str, data: dict):
    return s.post(f"{base}{path}", data={**data, "csrfmiddlewaretoken": s.cookies.get("csrftoken")},
                  headers={"Referer": f"{base}{path}"}, allow_redirects=False, timeout=60)


def test_two_app_servers_share_sessions_dictionaries_and_the_matching_index(two_servers):
    import requests

    a, b = two_servers
    # sessions: logged in on A, the same cookie opens B's pages; logging out on B ends it on A too
    admin = _login(a, "admin")
    cookies = admin.cookies.get_dict()
    seen = requests.get(f"{b}/", cookies=cookies, allow_redirects=False, timeout=60)
    assert seen.status_code == 200, seen.headers.get("Location")
    other = _login(b, "zj_zone")
    assert requests.get(f"{a}/", cookies=other.cookies.get_dict(), allow_redirects=False, timeout=60).status_code == 200
    assert _csrf_post(other, b, "/accounts/logout/", {}).status_code in (200, 302)
    after = requests.get(f"{a}/", cookies=other.cookies.get_dict(), allow_redirects=False, timeout=60)
    assert after.status_code == 302 and "/accounts/login/" in after.headers["Location"]

    # dictionaries: relabel a category on A, B's API says the new label (after at most its 2-second local copy)
    page = admin.get(f"{a}/system/dicts/", timeout=60).text
    categories = requests.get(f"{b}/api/v1/order-categories", cookies=cookies, timeout=60).json()
    finance = next(c for c in categories if c["value"] == "finance")
    # the row's inputs name their form (form="di-<pk>"), which sits in the row's last cell
    form_id = re.search(r'<input form="(di-\d+)"[^>]*name="label" value="' + re.escape(finance["label"]) + '"',
                        page).group(1)
    item = re.search(r'id="' + form_id + r'" action="([^"]+)"', page).group(1)
    new_label = finance["label"] + "（双机）"
    r = _csrf_post(admin, a, item, {"label": new_label, "colour": "primary", "sort": "1", "active": "on",
                                    "value": "finance"})
    assert r.status_code == 302
    time.sleep(2.5)
    labels = {c["value"]: c["label"] for c in
              requests.get(f"{b}/api/v1/order-categories", cookies=cookies, timeout=60).json()}
    assert labels["finance"] == new_label

    # the matching index: B builds its engine, A adds a listing, B's next match finds it
    listings = requests.get(f"{b}/api/v1/listings", params={"kind": "demand", "page_size": 1}, cookies=cookies,
                            timeout=60).json()["items"]
    assert listings, "the demo has an open demand listing"
    demand = listings[0]
    assert requests.get(f"{b}/api/v1/listings/{demand['id']}/matches", cookies=cookies, timeout=120).status_code == 200
    firm = requests.get(f"{a}/api/v1/enterprises", params={"page_size": 50}, cookies=cookies, timeout=60).json()
    other_firm = next(f for f in firm["items"] if f["id"] != demand.get("enterprise_id"))
    created = requests.post(f"{a}/api/v1/listings", cookies=cookies, headers={"X-CSRFToken": admin.cookies["csrftoken"],
                                                                              "Referer": f"{a}/"},
                            json={"kind": "supply", "title": demand["title"], "chain": demand["chain_id"],
                                  "enterprise": other_firm["id"], "description": demand["title"],
                                  "keywords": []}, timeout=60)
    assert created.status_code in (200, 201), created.text[:300]
    new_id = created.json()["id"]
    matches = requests.get(f"{b}/api/v1/listings/{demand['id']}/matches", params={"limit": 50}, cookies=cookies,
                           timeout=120).json()
    ids = [m["listing"] for m in matches]
    assert new_id in ids
