import ipaddress
import time

from django.conf import settings

from .audit import current_request_meta


def client_ip(request) -> str | None:
    """The client's address for the audit log. ``X-Forwarded-For`` is believed only when the site says it
    sits behind ``LIANTONG_TRUSTED_PROXIES`` reverse proxies (each appends the address it received from):
    then the address the outermost trusted proxy saw is the N-th from the right. Otherwise anyone could
    write any address into the log, and only the connection's own address counts."""
    proxies = getattr(settings, "TRUSTED_PROXIES", 0)
    ip = request.META.get("REMOTE_ADDR") or None
    if proxies > 0:
        hops = [h.strip() for h in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if h.strip()]
        if hops:
            ip = hops[-proxies] if len(hops) >= proxies else hops[0]
    try:
        return str(ipaddress.ip_address(ip)) if ip else None
    except ValueError:
        return None


class RequestContextMiddleware:
    """Makes the client's address and agent available to the audit log for this request."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = current_request_meta.set({"ip": client_ip(request), "ua": request.META.get("HTTP_USER_AGENT", "")})
        try:
            return self.get_response(request)
        finally:
            current_request_meta.reset(token)


class ErrorPagesMiddleware:
    """The product's error pages under every setting: a view's ``Http404`` (an unknown record, or one out
    of the user's scope), ``PermissionDenied`` and ``BadRequest``/``SuspiciousOperation`` answer the Chinese
    pages of ``core/error.html`` even with ``DEBUG=1``, where Django would show its technical pages (with
    the URL list). API errors are the API's own (django-ninja answers them before this runs)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        from django.core.exceptions import BadRequest, PermissionDenied, SuspiciousOperation
        from django.http import Http404

        from . import views

        if isinstance(exception, Http404):
            return views.not_found(request, exception)
        if isinstance(exception, PermissionDenied):
            return views.permission_denied(request, exception)
        if isinstance(exception, BadRequest | SuspiciousOperation):
            return views.bad_request(request, exception)
        return None


class NoStoreMiddleware:
    """``Cache-Control: no-store`` on every response the application builds (pages, API answers, exports,
    downloads): nearly all of them carry personal or internal data, and a shared computer's browser cache or
    a proxy must not keep a member's page. Static files are answered before this (WhiteNoise) and keep their
    long cache; a view that sets its own Cache-Control keeps it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if "Cache-Control" not in response:
            response["Cache-Control"] = "no-store, private"
        return response


def _now() -> float:
    return time.time()


class SessionRenewalMiddleware:
    """The idle timeout (``SESSION_COOKIE_AGE``, 30 minutes) renewed at most once every
    ``SESSION_RENEW_SECONDS``: a session that holds data is saved — its expiry pushed ``SESSION_COOKIE_AGE``
    from now — when its last renewal is that old, instead of on every request (``SESSION_SAVE_EVERY_REQUEST``
    wrote the session store once per request, a database write per page). A session therefore expires between
    ``SESSION_COOKIE_AGE - SESSION_RENEW_SECONDS`` and ``SESSION_COOKIE_AGE`` seconds after its last request:
    never later than before. Sits inside ``SessionMiddleware``, which saves what is marked modified."""

    KEY = "_renewed_at"

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        session = getattr(request, "session", None)
        if session is not None and not session.is_empty():
            now = int(_now())
            if session.modified or now - session.get(self.KEY, 0) >= settings.SESSION_RENEW_SECONDS:
                session[self.KEY] = now
        return response
