"""Browser tests: Playwright driving Debian's chromium against a real server.

The server is ``liantong runserver`` on its own copy of the suite's template database (the migrated demo,
built once per run: ``tests/dbtemplate.py``) — a SQLite file or, when the suite runs on PostgreSQL, a
PostgreSQL database — so neither migrating nor loading the demo is repeated, and the test database's
rollbacks and flushes never touch it. Chromium is Debian's (/usr/bin/chromium, installed by
``make test``); Playwright never downloads a browser.
"""

import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from tests import dbtemplate

CHROMIUM = "/usr/bin/chromium"
ROOT = Path(__file__).resolve().parents[2]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def live_url(demo_template, django_db_blocker):
    if not os.path.exists(CHROMIUM):
        pytest.fail("Debian chromium is missing: `make test` installs it (apt-get install -y chromium)")
    from django.db import connection

    tmp = tempfile.mkdtemp(prefix="liantong-browser-")
    env = dict(os.environ, DEBUG="1", AXES_ENABLED="0", LIANTONG_RATE_LIMITS="0", FAST_PASSWORD_HASHER="1",
               MEDIA_ROOT=os.path.join(tmp, "media"))
    if demo_template.vendor == "sqlite":
        copy = os.path.join(tmp, "db.sqlite3")
        env["SQLITE_PATH"] = copy
        env.pop("DATABASE_URL", None)
    else:
        copy = f"{connection.creation._get_test_db_name()}_live"
        env["DATABASE_URL"] = urlsplit(os.environ["DATABASE_URL"])._replace(path="/" + copy).geturl()
    with django_db_blocker.unblock():
        dbtemplate.copy(demo_template, connection, copy)
    port = _free_port()
    cli = [sys.executable, "-m", "liantong.cli"]
    server = subprocess.Popen([*cli, "runserver", f"127.0.0.1:{port}", "--noreload", "--insecure"], env=env,
                              cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    for _ in range(150):
        try:
            urllib.request.urlopen(url + "/accounts/login/", timeout=1)
            break
        except OSError:
            time.sleep(0.2)
    else:
        server.terminate()
        pytest.fail("the test server did not start")
    yield url
    server.terminate()
    server.wait(timeout=10)
    with django_db_blocker.unblock():
        dbtemplate.drop(connection, copy)


@pytest.fixture(scope="package")
def browser(live_url):
    # after the server's database copy: Playwright's sync API runs an event loop in this thread, and Django
    # refuses database calls (the PostgreSQL copy) while one runs — so the browser closes with the last
    # browser test of a run of them (package scope): under --dist loadgroup the browser group, the largest,
    # usually goes first, and the worker goes on with database tests
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, headless=True,
                              args=["--no-sandbox", "--disable-background-networking", "--disable-gpu",
                                    "--disable-component-update", "--disable-sync", "--no-first-run"])
        yield b
        b.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
    pg = context.new_page()
    pg.set_default_timeout(15000)
    yield pg
    context.close()


@pytest.fixture
def login(live_url):
    """``login(page, username)``: sign in through the real login form with the demo password."""

    def do(page, username, password=None):
        from django.conf import settings

        page.goto(live_url + "/accounts/login/")
        page.fill("#id_username", username)
        page.fill("#id_password", password or settings.DEMO_PASSWORD)
        page.click("button[type=submit]")
        page.wait_for_url(lambda u: "/accounts/login/" not in u)
        return page

    return do
