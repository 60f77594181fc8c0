"""The password policy and the end of sessions (docs/security.md): no username inside the password, no
published or leaked password (the README's demo password among them), no reuse of the last ones, a forced
change after an administrator chose the password, expiry for staff; sessions end on logout, on a password
change and on disabling the account, and so do API tokens on the last two."""

import datetime

import pytest
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import timezone

from liantong.accounts import services
from liantong.accounts.models import ApiToken, Role, UnitKind, User

GOOD = "Kx7#mPq2-vZ"


@pytest.fixture
def new_user(personas):
    firm = personas["firm_a"]
    roles = {r.code: r for r in Role.objects.all()}
    return services.create_user(actor=personas["zone_staff"], username="zj_policy", password=GOOD,
                                unit_kind=UnitKind.ENTERPRISE, roles=[roles["enterprise"]], zone=firm.zone,
                                enterprise=firm.enterprise)


def _refused(password, user) -> str:
    with pytest.raises(ValidationError) as exc:
        validate_password(password, user)
    return "；".join(exc.value.messages)


def test_a_password_containing_the_username_is_refused(new_user):
    assert "用户名" in _refused("Zj_Policy#2026x", new_user)


@pytest.mark.parametrize("password", [settings.DEMO_PASSWORD, "P@ssw0rd", "Admin@123", "1qaz@WSX"])
def test_a_published_or_leaked_password_is_refused(new_user, password):
    assert "泄露" in _refused(password, new_user)


def test_the_last_passwords_may_not_be_reused(new_user):
    services.change_password(new_user, "Second#Pass9", actor=new_user)
    assert "最近" in _refused(GOOD, new_user)
    assert "最近" in _refused("Second#Pass9", new_user)
    validate_password("Third#Pass99", new_user)


def test_an_account_an_administrator_made_must_change_its_password_at_first_login(new_user):
    c = Client()
    assert c.post("/accounts/login/", {"username": "zj_policy", "password": GOOD}).status_code == 302
    resp = c.get("/")
    assert resp.status_code == 302 and resp["Location"] == "/accounts/profile/"
    resp = c.post("/accounts/profile/", {"old_password": GOOD, "new_password1": "Mine#Own2026x",
                                         "new_password2": "Mine#Own2026x"})
    assert resp.status_code == 302
    assert c.get("/").status_code == 200
    new_user.refresh_from_db()
    assert not new_user.must_change_password


def test_a_password_reset_by_the_zone_admin_must_be_changed_too(new_user, personas):
    services.change_password(new_user, "Mine#Own2026x", actor=new_user)
    services.reset_password(new_user, "Reset#By2026x", actor=personas["zone_staff"])
    new_user.refresh_from_db()
    assert new_user.must_change_password


def test_a_staff_password_expires(personas, settings):
    settings.PASSWORD_MAX_AGE_DAYS = 90
    staff = personas["zone_staff"]
    User.objects.filter(pk=staff.pk).update(password_changed_at=timezone.now() - datetime.timedelta(days=91))
    c = Client()
    c.force_login(User.objects.get(pk=staff.pk))
    assert c.get("/")["Location"] == "/accounts/profile/"
    # a firm's contact is not staff: no expiry
    firm = personas["firm_a"]
    User.objects.filter(pk=firm.pk).update(password_changed_at=timezone.now() - datetime.timedelta(days=400))
    c.force_login(User.objects.get(pk=firm.pk))
    assert c.get("/").status_code == 200


def test_logout_ends_the_session(new_user):
    User.objects.filter(pk=new_user.pk).update(must_change_password=False)
    c = Client()
    c.post("/accounts/login/", {"username": "zj_policy", "password": GOOD})
    cookie = c.cookies[settings.SESSION_COOKIE_NAME].value
    assert c.get("/").status_code == 200
    c.post("/accounts/logout/")
    stolen = Client()
    stolen.cookies[settings.SESSION_COOKIE_NAME] = cookie
    assert stolen.get("/").status_code == 302  # the old cookie opens nothing


def _session_and_token(user):
    c = Client()
    c.force_login(user)
    tok, key = services.issue_token(user, actor=None, name="脚本")
    return c, key


def _still_in(c, key) -> tuple[int, int]:
    return c.get("/").status_code, Client().get("/api/v1/members", HTTP_AUTHORIZATION=f"Bearer {key}").status_code


def test_a_password_change_ends_other_sessions_and_tokens(personas):
    user = personas["firm_a"]
    c, key = _session_and_token(user)
    assert _still_in(c, key) == (200, 200)
    services.change_password(user, "Changed#Pw2026", actor=user)
    assert _still_in(c, key) == (302, 401)


def test_disabling_an_account_ends_its_sessions_and_tokens(personas):
    user = personas["firm_a"]
    c, key = _session_and_token(user)
    services.set_active(user, False, actor=personas["zone_staff"])
    assert _still_in(c, key) == (302, 401)
    assert ApiToken.objects.filter(user=user, revoked_at__isnull=True).count() == 0
