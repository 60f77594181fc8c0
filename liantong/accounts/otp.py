"""The second factor (TOTP, django-otp) for staff and administrators (docs/security.md).

``LIANTONG_TOTP`` (on by default when ``DEBUG`` is off; ``make run``'s demo and the tests turn it off) makes
every staff account (accounts/policy.py ``is_staff_account``) confirm a code from an authenticator app after
the password: the first time it enrols (a QR code, then one code to confirm) and receives ten single-use
recovery codes. A zone administrator resets a user's second factor (lost phone): the user enrols again at
the next login. Enrolment, use of a recovery code, failures and resets are audited."""

from __future__ import annotations

import django_otp
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from liantong.core import audit

from .policy import is_staff_account

RECOVERY_CODES = 10
EXEMPT = ("/accounts/otp/", "/accounts/logout/", "/accounts/login/", "/static/")


def required(user) -> bool:
    return bool(settings.LIANTONG_TOTP and user.is_authenticated and is_staff_account(user))


def enrolled(user) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


class SecondFactorMiddleware:
    """After ``OTPMiddleware``: a staff session without a verified second factor reaches only the enrolment
    and verification pages (the API answers 401 in Chinese). Bearer tokens are issued to verified sessions
    and are not asked again."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (user is not None and required(user) and not request.path.startswith(EXEMPT)
                and not user.is_verified()
                and not request.META.get("HTTP_AUTHORIZATION", "").lower().startswith("bearer ")):
            if request.path.startswith("/api/"):
                return JsonResponse({"detail": "请先在网页上完成第二因素验证（动态验证码）"}, status=401,
                                    json_dumps_params={"ensure_ascii": False})
            target = "accounts:otp_verify" if enrolled(user) else "accounts:otp_setup"
            return redirect(f"{_url(target)}?next={request.get_full_path()}")
        return self.get_response(request)


def _url(name: str) -> str:
    from django.urls import reverse

    return reverse(name)


def _next(request) -> str:
    nxt = request.POST.get("next") or request.GET.get("next") or "/"
    return nxt if url_has_allowed_host_and_scheme(nxt, allowed_hosts={request.get_host()}) else "/"


@transaction.atomic
def new_recovery_codes(user) -> list[str]:
    device, _ = StaticDevice.objects.get_or_create(user=user, name="恢复码")
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODES)]
    StaticToken.objects.bulk_create([StaticToken(device=device, token=c) for c in codes])
    return codes


@login_required
def setup(request):
    user = request.user
    if enrolled(user) and not user.is_verified():
        return redirect("accounts:otp_verify")
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="动态验证码", confirmed=False)
    if request.method == "POST":
        if device.verify_token((request.POST.get("token") or "").strip()):
            with transaction.atomic():
                TOTPDevice.objects.filter(user=user, confirmed=True).exclude(pk=device.pk).delete()
                device.confirmed = True
                device.save(update_fields=["confirmed"])
                codes = new_recovery_codes(user)
                audit.record(user, audit.AuditAction.UPDATE, user, object_repr=f"{user.username} 的第二因素",
                             changes={"detail": "绑定动态验证码，生成恢复码"}, zone=user.zone_id)
            django_otp.login(request, device)
            return render(request, "accounts/otp_codes.html", {"codes": codes, "next": _next(request),
                                                               "title": "恢复码"})
        messages.error(request, "验证码不正确：请核对手机上的时间，输入当前显示的 6 位数字")
    import segno

    qr = segno.make(device.config_url, error="m").svg_data_uri(scale=4)
    return render(request, "accounts/otp_setup.html", {"qr": qr, "secret": _base32(device), "next": _next(request),
                                                       "title": "绑定动态验证码"})


def _base32(device) -> str:
    import base64

    return base64.b32encode(device.bin_key).decode().rstrip("=")


@login_required
def verify(request):
    user = request.user
    if not enrolled(user):
        return redirect("accounts:otp_setup")
    if request.method == "POST":
        token = (request.POST.get("token") or "").strip().replace(" ", "")
        device = django_otp.match_token(user, token) if token else None
        if device is not None:
            django_otp.login(request, device)
            if isinstance(device, StaticDevice):
                left = StaticToken.objects.filter(device=device).count()
                audit.record(user, audit.AuditAction.LOGIN, user, object_repr=f"{user.username} 用恢复码登录",
                             changes={"detail": f"使用一个恢复码，剩余 {left} 个"}, zone=user.zone_id)
            return redirect(_next(request))
        audit.record(user, audit.AuditAction.LOGIN_FAILED, user, object_repr=f"{user.username} 的动态验证码错误",
                     zone=user.zone_id)
        messages.error(request, "验证码不正确（或尝试过于频繁，请稍候再试）")
    return render(request, "accounts/otp_verify.html", {"next": _next(request), "title": "动态验证码"})


@login_required
@require_POST
def regenerate_codes(request):
    if not request.user.is_verified():
        return redirect("accounts:otp_verify")
    codes = new_recovery_codes(request.user)
    audit.record(request.user, audit.AuditAction.UPDATE, request.user, object_repr=f"{request.user.username} 的恢复码",
                 changes={"detail": "重新生成恢复码"}, zone=request.user.zone_id)
    return render(request, "accounts/otp_codes.html", {"codes": codes, "next": "/accounts/profile/",
                                                       "title": "恢复码"})


@login_required
@require_POST
def admin_reset(request, pk):
    from django.core.exceptions import PermissionDenied

    from . import services

    target = services.get_user_for(request.user, pk)
    try:
        services.reset_second_factor(target, actor=request.user)
    except PermissionDenied as exc:
        messages.error(request, str(exc) or "无权执行此操作")
    else:
        messages.success(request, f"已重置 {target.username} 的第二因素：其下次登录时重新绑定")
    return redirect("accounts:user_detail", pk=target.pk)
