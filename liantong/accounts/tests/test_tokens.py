"""API tokens: named, shown once, stored as a hash, expiring, revocable, revoked by a password change."""

import datetime
import hashlib
import io

import pytest
from django.core.management import call_command
from django.utils import timezone

from liantong.accounts import services
from liantong.accounts.models import ApiToken
from liantong.core.models import AuditLog

PASSWORD = "Newpass-2026!"


def _api(client, key):
    return client.get("/api/v1/zones", HTTP_AUTHORIZATION=f"Bearer {key}")


def test_a_token_made_on_the_page_is_shown_once_and_only_its_hash_is_stored(personas, client_for):
    c = client_for(personas["firm_a"])
    resp = c.post("/accounts/tokens/", {"name": "同步脚本", "days": "30"})
    assert resp.status_code == 200
    key = resp.context["new_key"]
    assert key in resp.content.decode()
    tok = ApiToken.objects.get(user=personas["firm_a"], name="同步脚本")
    assert tok.key_hash == hashlib.sha256(key.encode()).hexdigest()
    assert key not in str(ApiToken.objects.filter(pk=tok.pk).values().get())  # no column holds the key
    assert abs((tok.expires_at - timezone.now()) - datetime.timedelta(days=30)) < datetime.timedelta(minutes=1)
    again = c.get("/accounts/tokens/").content.decode()
    assert key not in again and "同步脚本" in again
    assert AuditLog.objects.filter(object_type="accounts.apitoken", object_id=str(tok.pk), action="create").exists()
    assert _api(c, key).status_code == 200


def test_the_token_form_says_what_is_wrong_in_chinese(personas, client_for):
    resp = client_for(personas["firm_a"]).post("/accounts/tokens/", {"name": "", "days": "999"})
    assert resp.status_code == 400
    errors = resp.context["form"].errors
    assert "必填" in errors["name"][0]
    assert "365" in errors["days"][0] and "确保" in errors["days"][0]
    assert not ApiToken.objects.filter(user=personas["firm_a"]).exists()


def test_an_expired_token_answers_401_in_chinese(personas, client):
    tok, key = services.issue_token(personas["firm_a"], actor=None, name="旧令牌", days=1)
    assert _api(client, key).status_code == 200
    ApiToken.objects.filter(pk=tok.pk).update(expires_at=timezone.now() - datetime.timedelta(seconds=1))
    resp = _api(client, key)
    assert resp.status_code == 401
    assert resp.json()["detail"] == "令牌已过期，请重新生成"


def test_a_revoked_token_answers_401_and_the_revocation_is_audited(personas, client, client_for):
    tok, key = services.issue_token(personas["firm_a"], actor=None, name="要吊销的")
    resp = client_for(personas["firm_a"]).post(f"/accounts/tokens/{tok.pk}/revoke/")
    assert resp.status_code == 302
    resp = _api(client, key)
    assert resp.status_code == 401 and resp.json()["detail"] == "令牌已吊销，请重新生成"
    row = AuditLog.objects.filter(object_type="accounts.apitoken", object_id=str(tok.pk), action="update").get()
    assert row.actor == personas["firm_a"] and "revoked_at" in row.changes


def test_an_unknown_token_still_answers_the_general_401(client, personas):
    resp = _api(client, "lt_not-a-token")
    assert resp.status_code == 401 and resp.json()["detail"] == "未登录或令牌无效"


def test_changing_ones_password_revokes_ones_tokens(personas, client, client_for, settings):
    user = personas["firm_a"]
    user.set_password(settings.DEMO_PASSWORD)
    user.save()
    _, key1 = services.issue_token(user, actor=None, name="一")
    _, key2 = services.issue_token(user, actor=None, name="二")
    _, other = services.issue_token(personas["firm_b"], actor=None, name="别人的")
    resp = client_for(user).post("/accounts/profile/", {
        "old_password": settings.DEMO_PASSWORD, "new_password1": PASSWORD, "new_password2": PASSWORD})
    assert resp.status_code == 302
    assert [_api(client, k).status_code for k in (key1, key2)] == [401, 401]
    assert _api(client, other).status_code == 200
    assert not ApiToken.objects.filter(user=user, revoked_at__isnull=True).exists()


def test_a_password_reset_by_the_zone_admin_revokes_the_users_tokens(personas, client, client_for):
    target = personas["firm_b"]
    _, key = services.issue_token(target, actor=None, name="脚本")
    resp = client_for(personas["zone_staff"]).post(f"/accounts/users/{target.pk}/password/",
                                                   {"password1": PASSWORD, "password2": PASSWORD})
    assert resp.status_code == 302
    assert _api(client, key).status_code == 401
    target.refresh_from_db()
    assert target.check_password(PASSWORD)


def test_a_deactivated_users_token_answers_401(personas, client):
    target = personas["firm_b"]
    _, key = services.issue_token(target, actor=None, name="脚本")
    services.set_active(target, False, actor=personas["zone_staff"])
    resp = _api(client, key)
    assert resp.status_code == 401


def test_a_zone_admin_sees_the_zones_tokens_and_a_firm_only_its_own(personas, client_for):
    mine, _ = services.issue_token(personas["firm_a"], actor=None, name="甲的令牌")
    theirs, _ = services.issue_token(personas["firm_b"], actor=None, name="乙的令牌")
    far, _ = services.issue_token(personas["by_zone"], actor=None, name="白银的令牌")
    zone_page = client_for(personas["zone_staff"]).get("/accounts/tokens/").content.decode()
    assert "甲的令牌" in zone_page and "乙的令牌" in zone_page and "白银的令牌" not in zone_page
    firm = client_for(personas["firm_a"])
    firm_page = firm.get("/accounts/tokens/").content.decode()
    assert "甲的令牌" in firm_page and "乙的令牌" not in firm_page
    assert firm.post(f"/accounts/tokens/{theirs.pk}/revoke/").status_code == 404
    assert client_for(personas["zone_staff"]).post(f"/accounts/tokens/{far.pk}/revoke/").status_code == 404
    far.refresh_from_db()
    theirs.refresh_from_db()
    assert far.revoked_at is None and theirs.revoked_at is None
    assert client_for(personas["zone_staff"]).post(f"/accounts/tokens/{theirs.pk}/revoke/").status_code == 302
    theirs.refresh_from_db()
    assert theirs.revoked_at is not None


def test_nobody_issues_a_token_for_someone_else(personas):
    with pytest.raises(services.Forbidden):
        services.issue_token(personas["firm_b"], actor=personas["zone_staff"], name="代发")


def test_the_cli_prints_a_working_token(personas, client):
    out = io.StringIO()
    call_command("token", "by_zone", "--name", "导出", "--days", "7", stdout=out, stderr=io.StringIO())
    key = out.getvalue().strip()
    resp = _api(client, key)
    assert resp.status_code == 200 and [z["name"] for z in resp.json()] == ["白银高新区"]
    tok = ApiToken.objects.get(key_hash=ApiToken.hash(key))
    assert tok.name == "导出" and tok.user == personas["by_zone"]
    assert AuditLog.objects.filter(object_type="accounts.apitoken", object_id=str(tok.pk), action="create").exists()
