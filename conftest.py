"""Shared test set-up: the demo is loaded once per test database, and named personas act in it.

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

Tests that need ``transactional_db`` (live servers, concurrency) must build their own data: the
flush at their end empties the tables.
"""

import pytest


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        from liantong.core import demo
        from liantong.core.models import Zone

        if not Zone.objects.filter(name="白银高新区").exists() or not _demo_complete():
            demo.run(log=lambda s: None)
        else:  # a reused test database loaded by an older demo: every demo user gets the demo password
            from liantong.accounts.demo import set_demo_passwords

            set_demo_passwords()


def _demo_complete() -> bool:
    from liantong.accounts.models import User

    return User.objects.filter(username="by_zone").exists()


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


@pytest.fixture(autouse=True)
def _fresh_cache():
    """The cache (dictionaries, …) is not rolled back with the database: clear it around each test."""
    from django.core.cache import cache

    from liantong.core import dicts

    cache.clear()
    dicts.invalidate()
    yield
    cache.clear()
    dicts.invalidate()
