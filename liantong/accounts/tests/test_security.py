"""Passwords, lockout, idle timeout, the audit trail and personal-data masking."""

import pytest
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.utils import timezone

from liantong.core.models import AuditLog
from liantong.orgs.models import Member


@pytest.mark.parametrize("password", ["short1A!", "alllowercase1", "ALLUPPER123", "NoDigitsHere"])
def test_weak_passwords_are_refused_in_chinese(password, db):
    if password == "short1A!":
        validate_password(password)  # 8 characters with 4 classes is fine
        return
    with pytest.raises(ValidationError) as exc:
        validate_password(password)
    assert "至少" in " ".join(exc.value.messages)


def test_passwords_are_hashed_with_argon2_outside_the_test_run():
    import os
    import subprocess
    import sys

    env = {k: v for k, v in os.environ.items() if k != "FAST_PASSWORD_HASHER"}
    code = ("import django; django.setup(); from django.contrib.auth.hashers import make_password; "
            "print(make_password('Abcdefg1!'))")
    out = subprocess.run([sys.executable, "-c", code], env=dict(env, DJANGO_SETTINGS_MODULE="liantong.settings"),
                         capture_output=True, text=True, check=True).stdout
    assert out.startswith("argon2$argon2id$")


def test_five_failed_logins_lock_the_account_for_fifteen_minutes(client, personas):
    url = "/accounts/login/"
    for _ in range(5):
        resp = client.post(url, {"username": "zj_zone", "password": "wrong-Password1"})
    assert resp.status_code == 429
    assert "锁定 15 分钟" in resp.content.decode()
    resp = client.post(url, {"username": "zj_zone", "password": settings.DEMO_PASSWORD})
    assert resp.status_code == 429  # even the right password while locked
    assert AuditLog.objects.filter(action="login_failed", object_repr="zj_zone").count() >= 5
    assert settings.AXES_COOLOFF_TIME == 0.25


def test_a_successful_login_is_audited_with_the_address(client, personas):
    resp = client.post("/accounts/login/", {"username": "zj_chain", "password": settings.DEMO_PASSWORD},
                       REMOTE_ADDR="10.1.2.3")
    assert resp.status_code == 302
    log = AuditLog.objects.filter(action="login", actor=personas["chain_staff"]).latest("pk")
    assert log.ip == "10.1.2.3"


def test_sessions_expire_after_thirty_idle_minutes_renewed_at_most_once_a_minute(personas, client_for, monkeypatch):
    """A request renews the session (expiry 30 minutes on) when its last renewal is a minute old; the
    requests in between write nothing to the session store. So a session ends 29 to 30 idle minutes after
    its last request."""
    from django.contrib.sessions.models import Session
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from liantong.core import middleware

    assert settings.SESSION_COOKIE_AGE == 1800 and settings.SESSION_RENEW_SECONDS == 60
    client = client_for(personas["firm_a"])
    assert client.get("/").status_code == 200
    key = client.session.session_key

    def expiry():
        return Session.objects.get(session_key=key).expire_date

    first = expiry()
    assert abs((first - timezone.now()).total_seconds() - 1800) < 60
    with CaptureQueriesContext(connection) as ctx:
        assert client.get("/").status_code == 200
    assert not [q for q in ctx.captured_queries if q["sql"].startswith(("UPDATE", "INSERT")) and "django_session" in q["sql"]]
    assert expiry() == first

    start = middleware._now()
    monkeypatch.setattr(middleware, "_now", lambda: start + 61)
    assert client.get("/").status_code == 200
    assert expiry() > first  # renewed: 30 minutes from this request
    assert Session.objects.get(session_key=key).get_decoded()[middleware.SessionRenewalMiddleware.KEY] == int(start + 61)


def test_an_anonymous_visit_stores_no_session(client, db):
    from django.contrib.sessions.models import Session

    before = Session.objects.count()
    assert client.get("/accounts/login/").status_code == 200
    assert Session.objects.count() == before


def test_nobody_can_edit_or_delete_the_audit_log(personas):
    log = AuditLog.objects.latest("pk")
    with pytest.raises(PermissionError):
        log.save()
    with pytest.raises(PermissionError):
        log.delete()
    with pytest.raises(PermissionError):
        AuditLog.objects.filter(pk=log.pk).update(actor_name="x")
    with pytest.raises(PermissionError):
        AuditLog.objects.all().delete()


def test_only_admins_open_the_logs_and_the_django_admin(personas, client_for):
    for persona, expected in [("admin", 200), ("zone_staff", 200), ("firm_a", 404), ("dept_staff", 404)]:
        assert client_for(personas[persona]).get("/system/login-log/").status_code == expected
    assert client_for(personas["admin"]).get("/django-admin/").status_code == 200
    assert client_for(personas["zone_staff"]).get("/django-admin/").status_code == 302


def _branch_member():
    return Member.objects.filter(party_org__name="镇江船厂设计所党支部").first()


@pytest.mark.parametrize("persona, full", [
    ("firm_a", True),  # the branch's own secretary
    ("chain_staff", True), ("zone_staff", True), ("admin", True),  # organisation staff above it
])
def test_personal_data_is_shown_in_full_only_to_the_secretary_and_staff_above(personas, client_for, persona, full):
    m = _branch_member()
    body = client_for(personas[persona]).get(f"/orgs/member/{m.pk}/").content.decode()
    assert (m.id_masked in body) != full
    assert AuditLog.objects.filter(action="view_personal", object_id=str(m.pk), actor=personas[persona]).exists() == full


def test_a_member_of_another_branch_of_the_same_firm_is_masked_for_that_secretary(personas, client_for):
    m = Member.objects.filter(party_org__name="镇江船厂总装车间党支部").first()
    resp = client_for(personas["firm_a"]).get(f"/orgs/member/{m.pk}/")
    assert resp.status_code == 200  # the firm's own member: visible…
    body = resp.content.decode()
    assert m.id_masked in body and m.phone_masked in body  # …but masked: not this secretary's branch
    api = client_for(personas["firm_a"]).get(f"/api/v1/members/{m.pk}").json()
    assert api["id_number"] == m.id_masked and api["phone"] == m.phone_masked and "**" in api["birth_date"]


def test_a_user_changes_the_password_under_the_policy_and_it_is_audited(personas, client_for):
    from django.conf import settings

    user = personas["uni"]
    c = client_for(user)
    weak = c.post("/accounts/profile/", {"old_password": settings.DEMO_PASSWORD, "new_password1": "abcdefgh",
                                         "new_password2": "abcdefgh"})
    assert weak.status_code == 200 and "至少" in weak.content.decode()
    ok = c.post("/accounts/profile/", {"old_password": settings.DEMO_PASSWORD, "new_password1": "Xinmima#2026",
                                       "new_password2": "Xinmima#2026"})
    assert ok.status_code == 302
    user.refresh_from_db()
    assert user.check_password("Xinmima#2026")
    log = AuditLog.objects.filter(actor=user, action="update", object_type="accounts.user").latest("pk")
    assert log.changes == {"password": ["***", "***"]}


def test_a_zone_committee_reads_only_its_own_zone_in_the_audit_logs(personas, client_for):
    """The login and operation logs go through the scoping layer: 镇江's committee never sees 白银's rows
    or the platform's (no zone); the platform admin sees them all."""
    from liantong.core import audit
    from liantong.core.models import AuditAction, AuditLog, Zone

    baiyin = Zone.objects.get(name__startswith="白银")
    zhenjiang = Zone.objects.get(name__startswith="镇江")
    audit.record(personas["by_zone"], AuditAction.UPDATE, zone=baiyin, object_repr="白银机密事项")
    audit.record(personas["zone_staff"], AuditAction.UPDATE, zone=zhenjiang, object_repr="镇江本园事项")
    audit.record(personas["admin"], AuditAction.UPDATE, object_repr="平台级事项")
    assert AuditLog.objects.filter(object_repr="白银机密事项").exists()

    zj = client_for(personas["zone_staff"]).get("/system/operation-log/").content.decode()
    assert "镇江本园事项" in zj
    assert "白银机密事项" not in zj and "平台级事项" not in zj
    searched = client_for(personas["zone_staff"]).get("/system/operation-log/?q=白银").content.decode()
    assert "白银机密事项" not in searched
    admin = client_for(personas["admin"]).get("/system/operation-log/").content.decode()
    assert "白银机密事项" in admin and "平台级事项" in admin
