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
