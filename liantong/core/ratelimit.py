"""Rate limits (docs/security.md), counted in the cache (Redis when several app servers share it):

* the API: ``API_RATE_LIMIT`` requests per minute per caller (its token, else its session's user, else its
  address);
* bad tokens: after ``TOKEN_FAILURE_LIMIT`` refused bearer tokens in a minute from one address, that address
  gets 429 for the rest of the minute (guessing keys is pointless anyway — 256 bits — but it is noise);
* logins: ``LOGIN_RATE_LIMIT`` login attempts per minute from one address (django-axes separately locks a
  username after 5 failures).

Over the limit the answer is 429 in Chinese with ``Retry-After``: JSON ``{"detail": …}`` for the API, a short
page otherwise."""

from __future__ import annotations

import hashlib
import time

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse, JsonResponse

from .middleware import client_ip


def _window(key: str, window: int) -> tuple[str, int]:
    now = int(time.time())
    start = now - now % window
    return f"rl:{key}:{start}", start + window - now


def count(key: str, window: int = 60) -> tuple[int, int]:
    """Add one to ``key``'s count in the current window: (count, seconds left in the window)."""
    k, left = _window(key, window)
    if cache.add(k, 1, window + 1):
        return 1, left
    try:
        return cache.incr(k), left
    except ValueError:  # expired between add and incr
        cache.add(k, 1, window + 1)
        return 1, left


def peek(key: str, window: int = 60) -> tuple[int, int]:
    k, left = _window(key, window)
    return int(cache.get(k) or 0), left


def too_many(request, wait: int) -> HttpResponse:
    text = f"请求过于频繁，请 {wait} 秒后再试"
    if request.path.startswith("/api/"):
        resp = JsonResponse({"detail": text}, status=429, json_dumps_params={"ensure_ascii": False})
    else:
        resp = HttpResponse(f'<!doctype html><html lang="zh-CN"><meta charset="utf-8"><title>请求过于频繁</title>'
                            f"<p>{text}。</p></html>", status=429, content_type="text/html; charset=utf-8")
    resp["Retry-After"] = str(max(wait, 1))
    return resp


def _caller(request) -> str:
    auth = request.META.get("HTTP_AUTHORIZATION", "")
    if auth.lower().startswith("bearer "):
        return "t:" + hashlib.sha256(auth[7:].strip().encode()).hexdigest()[:24]
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return f"u:{user.pk}"
    return f"ip:{client_ip(request)}"


class RateLimitMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not settings.RATE_LIMITS:
            return self.get_response(request)
        ip = client_ip(request)
        is_api = request.path.startswith("/api/")
        if is_api:
            failures, left = peek(f"badtoken:{ip}")
            if failures >= settings.TOKEN_FAILURE_LIMIT:
                return too_many(request, left)
            n, left = count(f"api:{_caller(request)}")
            if n > settings.API_RATE_LIMIT:
                return too_many(request, left)
        elif request.method == "POST" and request.path == settings.LOGIN_PATH:
            n, left = count(f"login:{ip}")
            if n > settings.LOGIN_RATE_LIMIT:
                return too_many(request, left)
        response = self.get_response(request)
        if is_api and response.status_code == 401 and request.META.get("HTTP_AUTHORIZATION"):
            count(f"badtoken:{ip}")
        return response
