"""Shared test set-up: the demo is built once into a template database, every test process works on a
copy of it, and named personas act in it (see docs/testing.md).

Personas (healthchecks alice/bob style), each with what it may see:
- ``admin``     platform admin: everything.
- ``zone_staff`` (zj_zone)  镇江's zone committee: all of 镇江, nothing of 平顶山 or 白银.
- ``chain_staff`` (zj_chain) 镇江's ship chain committee: that chain's firms, orgs and members.
- ``dept_staff`` (zj_dept)   a 镇江 department: public lists of 镇江 only; no party orgs or members.
- ``firm_a`` (zj_firm)      镇江船厂: its own firm, orgs and members; full personal data only in its branch.
- ``firm_b`` (zj_firm2)     another 镇江 chain firm: its own records only.
- ``uni`` (zj_uni)          江苏科技大学: its own records and public lists.
- ``by_zone``               白银's zone committee: all of 白银 only.
- ``nobody``                a logged-in user with no role: nothing.

Tests that need ``transactional_db`` (concurrency) must build their own data: the flush at their end
empties the tables of their process's copy (pytest-django runs them after every other database test).
"""

import os
import sys
import threading
import uuid

import pytest

from tests import dbtemplate
from tests.crawl import crawl


@pytest.hookimpl(tryfirst=True)  # before xdist reads the groups (its hook has no order of its own)
def pytest_collection_modifyitems(items):
    """Under ``--dist loadgroup`` the browser tests share one worker: one live server, one chromium.

    ``.ci/run`` runs the suite on SQLite, then on PostgreSQL with ``LIANTONG_ENGINE_FREE_RAN=1``: the tests
    marked ``engine_free`` (their outcome cannot depend on the database engine: lint, the import layers, the
    matching engine over plain documents, ``match-eval`` on its own SQLite file, axe over rendered pages)
    passed minutes earlier in the same run, so the second pass skips them and says why."""
    again = os.environ.get("LIANTONG_ENGINE_FREE_RAN") == "1"
    skip = pytest.mark.skip(reason="不依赖数据库引擎：本次 CI 的 SQLite 轮已运行")
    for item in items:
        if item.get_closest_marker("browser"):
            item.add_marker(pytest.mark.xdist_group("browser"))
        elif not item.get_closest_marker("xdist_group") and not _needs_database(item):
            # one unit, larger than any other group, so a worker takes it first and runs it while the
            # template is being built (every other test waits for the template)
            item.add_marker(pytest.mark.xdist_group("no-database"))
        if again and item.get_closest_marker("engine_free"):
            item.add_marker(skip)


def _needs_database(item) -> bool:
    """A test that waits for the template: it touches the database, or copies the template itself (the live
    server, the second app servers, the backup's empty target)."""
    return (item.get_closest_marker("django_db") is not None
            or not {"django_db_setup", "demo_template"}.isdisjoint(getattr(item, "fixturenames", ())))


def _xdist_controller(config) -> bool:
    return getattr(config, "workerinput", None) is None and bool(config.getoption("numprocesses", None))


@pytest.hookimpl(tryfirst=True)  # before pytest-xdist's controller reads --testrunuid (at session start)
def pytest_configure(config):
    """The xdist controller fixes the run's id, which it hands to its workers (``demo_template``)."""
    if _xdist_controller(config) and config.getoption("testrunuid", None) is None:
        config.option.testrunuid = uuid.uuid4().hex


@pytest.hookimpl(trylast=True)  # after pytest-django has blocked database access (its configure, trylast)
def pytest_sessionstart(session):
    """The xdist controller starts building the template while its workers start and collect (about 10 s)
    and while one of them runs the tests that need no database; the workers' ``demo_template`` then finds
    it built by this run or waits on its lock."""
    config = session.config
    if not _xdist_controller(config):
        return
    fresh = config.getvalue("create_db") or not config.getvalue("reuse_db")
    config.stash[_EARLY_BUILD] = threading.Thread(target=_build_early, args=(config, fresh), daemon=True,
                                                  name="template-build")
    config.stash[_EARLY_BUILD].start()


def pytest_unconfigure(config):
    build = config.stash.get(_EARLY_BUILD, None)
    if build is not None:
        build.join()


_EARLY_BUILD = pytest.StashKey[threading.Thread]()


def _build_early(config, fresh: bool) -> None:
    from django.db import connection
    from django.test.utils import setup_test_environment
    from pytest_django.plugin import blocking_manager_key

    try:
        setup_test_environment(debug=False)  # as the workers' django_test_environment does
        with config.stash[blocking_manager_key].unblock():
            dbtemplate.ensure(connection, config.option.testrunuid, fresh=fresh, load=_load_demo)
    except Exception as exc:  # the workers build it then, and report what fails
        print(f"\n提前构建模板数据库失败（各进程将自行构建）：{exc!r}", file=sys.stderr)
    finally:
        connection.close()


def _load_demo() -> None:
    from liantong.core import demo

    demo.run(log=lambda s: None)


@pytest.fixture(scope="session")
def demo_template(request, django_test_environment, django_db_blocker, django_db_createdb,
                  django_db_modify_db_settings) -> dbtemplate.Template:
    """The template database holding the migrated demo, built once per run (``--create-db``) or reused
    while its sources are unchanged (``--reuse-db``); shared by the xdist workers and the browser tests."""
    from django.db import connection

    workerinput = getattr(request.config, "workerinput", None)
    run = workerinput["testrunuid"] if workerinput else uuid.uuid4().hex
    fresh = django_db_createdb or not request.config.getvalue("reuse_db")
    with django_db_blocker.unblock():
        return dbtemplate.ensure(connection, run, fresh=fresh, load=_load_demo)


@pytest.fixture(scope="session")
def django_db_setup(demo_template, django_db_blocker):
    """This process's test database: a fresh copy of the template (``test_db.sqlite3[_gwN]`` or
    ``test_<NAME>[_gwN]``), dropped at the end."""
    from django.db import connection

    with django_db_blocker.unblock():
        original = connection.settings_dict["NAME"]
        target = connection.creation._get_test_db_name()
        dbtemplate.copy(demo_template, connection, target)
        dbtemplate.use(connection, target)
    yield
    with django_db_blocker.unblock():
        dbtemplate.use(connection, original)
        dbtemplate.drop(connection, target)


PERSONAS = {
    "admin": "admin",
    "zone_staff": "zj_zone",
    "chain_staff": "zj_chain",
    "dept_staff": "zj_dept",
    "firm_a": "zj_firm",
    "firm_b": "zj_firm2",
    "uni": "zj_uni",
    "by_zone": "by_zone",
}


@pytest.fixture
def personas(db):
    from liantong.accounts.models import UnitKind, User

    users = {key: User.objects.get(username=name) for key, name in PERSONAS.items()}
    nobody = User.objects.filter(username="nobody").first() or User.objects.create_user(
        "nobody", password=None, unit_kind=UnitKind.ENTERPRISE)
    users["nobody"] = nobody
    return users


@pytest.fixture
def client_for(client, db):
    """``client_for(user)``: a Django test client logged in as ``user`` (a fresh client each call)."""
    from django.test import Client

    def make(user):
        c = Client()
        c.force_login(user)
        return c

    return make


@pytest.fixture(scope="session")
def _crawls() -> dict[str, dict[str, int]]:
    return {}


@pytest.fixture
def crawled(personas, client_for, _crawls):
    """``crawled(persona) -> {url: status}``: the pages the persona reaches by links from ``/``
    (``tests/crawl.py``), crawled once per test process — every test starts from the same demo data —
    and shared by the tests that walk them (give those tests one ``xdist_group`` per persona)."""

    def get(persona: str) -> dict[str, int]:
        if persona not in _crawls:
            _crawls[persona] = crawl(client_for(personas[persona]))
        return dict(_crawls[persona])

    def found(persona: str, inspection: str) -> dict[str, list[str]]:
        """What an inspection of ``tests/crawl.py`` found on the persona's pages: ``{url: findings}``."""
        get(persona)
        return dict(_crawls[persona].found[inspection])

    get.found = found
    return get


@pytest.fixture(autouse=True)
def _fresh_cache():
    """The cache (dictionaries, …) is not rolled back with the database: clear it around each test."""
    from django.core.cache import cache

    from liantong.core import calendar, dicts

    cache.clear()
    dicts.invalidate()
    calendar.forget_arrangement()
    yield
    cache.clear()
    dicts.invalidate()
    calendar.forget_arrangement()


@pytest.fixture
def demo_login(db):
    """``demo_login(username)``: a client logged in through the login page with the demo password, as a
    person trying the demo would (fails with the username when the password does not work)."""
    from django.conf import settings
    from django.test import Client

    def log_in(username: str):
        c = Client()
        r = c.post("/accounts/login/", {"username": username, "password": settings.DEMO_PASSWORD})
        assert r.status_code == 302 and "/accounts/login/" not in r["Location"], f"{username} 无法用演示密码登录"
        return c

    return log_in
