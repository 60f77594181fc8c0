"""The password policy applied at each request (docs/security.md): a password an administrator chose (a new
account, a reset) is changed at the first login; a staff account's password expires after
``PASSWORD_MAX_AGE_DAYS``. Until then every page sends the user to 个人中心 to set a new one."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone

from .models import UnitKind

STAFF_KINDS = {UnitKind.PLATFORM, UnitKind.ZONE, UnitKind.CHAIN, UnitKind.DEPARTMENT}


def is_staff_account(user) -> bool:
    """Staff and administrators: the platform, zone committees, chain committees, departments."""
    return bool(user.is_superuser or user.unit_kind in STAFF_KINDS)


def expired(user, now=None) -> bool:
    days = settings.PASSWORD_MAX_AGE_DAYS
    if days <= 0 or not is_staff_account(user) or user.password_changed_at is None:
        return False
    return (now or timezone.now()) - user.password_changed_at > datetime.timedelta(days=days)


def why_change(user) -> str | None:
    if user.must_change_password:
        return "管理员为您设置了密码：请先修改为只有您自己知道的密码"
    if expired(user):
        return f"您的密码已使用超过 {settings.PASSWORD_MAX_AGE_DAYS} 天：请修改后继续"
    return None


EXEMPT = ("/accounts/profile/", "/accounts/logout/", "/accounts/login/", "/accounts/otp/", "/static/", "/api/")


class PasswordPolicyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and not request.path.startswith(EXEMPT):
            reason = why_change(user)
            if reason:
                messages.warning(request, reason)
                return redirect(reverse("accounts:profile"))
        return self.get_response(request)
