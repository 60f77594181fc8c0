"""Every demo user logs in with the demo password, and ``liantong demo --users`` lists them all.

The demo's orders reach seven 镇江 departments and a dozen firms; if only the README's personas could log in,
an order with an assisting department, or one sent to 财政金融局, could never be finished in the browser."""

import io

import pytest
from django.conf import settings
from django.contrib.auth.hashers import check_password
from django.core.management import call_command

from liantong.accounts.demo import set_demo_passwords
from liantong.accounts.models import User
from liantong.core import demo
from liantong.services.models import Assignment

pytestmark = pytest.mark.django_db


def test_every_demo_user_shares_one_hash_of_the_demo_password():
    hashes = dict(User.objects.filter(is_demo=True).values_list("username", "password"))
    assert len(hashes) > len(demo.DEMO_LOGINS)  # departments and firms beyond the README's personas
    assert len(set(hashes.values())) == 1, "every demo user has the same (one) hash"
    assert check_password(settings.DEMO_PASSWORD, next(iter(hashes.values())))


def test_a_demo_user_of_every_unit_kind_logs_in_through_the_login_page(demo_login):
    sample = {}
    for u in User.objects.filter(is_demo=True).exclude(username__in=[n for n, _ in demo.DEMO_LOGINS]).order_by("id"):
        sample.setdefault(u.unit_kind, u)
    assert {"department", "enterprise"} <= set(sample)
    for u in sample.values():
        assert check_password(settings.DEMO_PASSWORD, u.password)
        c = demo_login(u.username)
        assert c.get("/").wsgi_request.user == u


def test_every_department_a_demo_order_reaches_has_a_demo_login(demo_login):
    reached = set(Assignment.objects.filter(order__is_demo=True).values_list("department_id", flat=True))
    assert len(reached) > 1
    with_login = set(User.objects.filter(is_demo=True, department_id__in=reached)
                     .exclude(password__startswith="!").values_list("department_id", flat=True))
    assert with_login == reached


def test_running_the_demo_password_step_again_changes_nothing():
    before = dict(User.objects.filter(is_demo=True).values_list("username", "password"))
    assert set_demo_passwords() == 0
    assert dict(User.objects.filter(is_demo=True).values_list("username", "password")) == before


def test_demo_users_lists_every_demo_account_with_its_role_and_unit():
    out = io.StringIO()
    call_command("demo", users=True, stdout=out)
    text = out.getvalue()
    users = User.objects.filter(is_demo=True).select_related("department", "enterprise").prefetch_related("roles")
    lines = {line.split("\t")[0]: line for line in text.splitlines() if "\t" in line}
    for u in users:
        assert u.username in lines, u.username
        assert all(r.name in lines[u.username] for r in u.roles.all())
        if u.department_id:
            assert u.department.name in lines[u.username]
        if u.enterprise_id:
            assert u.enterprise.name in lines[u.username]
    assert settings.DEMO_PASSWORD in text
