from .audit import current_request_meta


def client_ip(request) -> str | None:
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    ip = forwarded.split(",")[0].strip() if forwarded else request.META.get("REMOTE_ADDR")
    return ip or None


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
