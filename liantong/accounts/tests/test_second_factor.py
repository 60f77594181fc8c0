"""The second factor (accounts/otp.py): with LIANTONG_TOTP on (production's default), a staff account enrols
an authenticator at its first login, gets single-use recovery codes, and from then on confirms a code after
its password; a firm's contact is not asked; the zone administrator resets it; every step is audited."""

import re

import pytest
from django.conf import settings as django_settings
from django.test import Client
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from liantong.accounts import services
from liantong.core.models import AuditLog


@pytest.fixture
def totp_on(settings):
    settings.LIANTONG_TOTP = True
    return settings


def _login(username) -> Client:
    c = Client()
    resp = c.post("/accounts/login/", {"username": username, "password": django_settings.DEMO_PASSWORD})
    assert resp.status_code == 302, username
    return c


def _code(device, drift=0) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits, drift=drift):06d}"


def _enrol(c) -> list[str]:
    page = c.get("/accounts/otp/setup/")
    assert page.status_code == 200 and "data:image/svg+xml" in page.content.decode()
    device = TOTPDevice.objects.get(user__username=page.context["user"].username, confirmed=False)
    resp = c.post("/accounts/otp/setup/", {"token": _code(device), "next": "/"})
    assert resp.status_code == 200
    return re.findall(r"<li>([a-z0-9]+)</li>", resp.content.decode())


def test_a_staff_account_enrols_at_first_login_and_then_reaches_its_pages(totp_on, personas):
    c = _login("zj_zone")
    resp = c.get("/orgs/member/")
    assert resp.status_code == 302 and resp["Location"].startswith("/accounts/otp/setup/")
    assert c.get("/api/v1/members").status_code == 401  # the API too, on the session
    codes = _enrol(c)
    assert len(codes) == 10
    assert c.get("/orgs/member/").status_code == 200
    assert AuditLog.objects.filter(object_repr="zj_zone 的第二因素", changes__detail="绑定动态验证码，生成恢复码").exists()


def test_the_next_login_asks_the_code_and_refuses_a_wrong_one(totp_on, personas):
    _enrol(_login("zj_zone"))
    c = _login("zj_zone")
    assert c.get("/")["Location"].startswith("/accounts/otp/verify/")
    resp = c.post("/accounts/otp/verify/", {"token": "000000"})
    assert "验证码不正确" in resp.content.decode()
    assert c.get("/").status_code == 302
    device = TOTPDevice.objects.get(user__username="zj_zone", confirmed=True)
    device.throttle_reset()
    # the enrolment used this time step's code: a code is never accepted twice, so the next step's
    assert c.post("/accounts/otp/verify/", {"token": _code(device, drift=1), "next": "/"}).status_code == 302
    assert c.get("/").status_code == 200


def test_a_recovery_code_works_once(totp_on, personas):
    codes = _enrol(_login("zj_zone"))
    c = _login("zj_zone")
    assert c.post("/accounts/otp/verify/", {"token": codes[0], "next": "/"}).status_code == 302
    assert c.get("/").status_code == 200
    again = _login("zj_zone")
    again.post("/accounts/otp/verify/", {"token": codes[0]})
    assert again.get("/").status_code == 302
    assert AuditLog.objects.filter(object_repr="zj_zone 用恢复码登录").count() == 1


def test_a_firms_contact_is_not_asked(totp_on, personas):
    assert _login("zj_firm").get("/").status_code == 200


def test_the_zone_admin_resets_a_users_second_factor_audited(totp_on, personas, client_for):
    _enrol(_login("zj_chain"))
    admin = Client()
    admin.force_login(personas["zone_staff"])
    session = admin.session
    session["otp_device_id"] = None
    session.save()
    services.reset_second_factor(personas["chain_staff"], actor=personas["zone_staff"])
    assert not TOTPDevice.objects.filter(user=personas["chain_staff"]).exists()
    assert AuditLog.objects.filter(actor=personas["zone_staff"], object_repr="zj_chain 的第二因素").exists()
    c = _login("zj_chain")
    assert c.get("/")["Location"].startswith("/accounts/otp/setup/")
    # another zone's administrator cannot
    with pytest.raises(services.OutOfScope):
        services.reset_second_factor(personas["chain_staff"], actor=personas["by_zone"])


def test_off_by_default_in_development_and_tests():
    assert django_settings.LIANTONG_TOTP is False
