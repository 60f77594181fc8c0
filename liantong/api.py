"""The JSON API: one NinjaAPI at /api/v1/, assembling each app's router (NetBox style).

Auth: the Django session (browser) or ``Authorization: Bearer <token>`` (``liantong token``).
Every handler reads through the scoping layer; out-of-scope objects answer 404.
"""

from django.http import Http404
from ninja import NinjaAPI, Swagger
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.parser import Parser
from ninja.security import HttpBearer, django_auth

from liantong.accounts.models import ApiToken, TokenRefused
from liantong.core.lists import BadParameter
from liantong.core.services import ServiceError


class BearerToken(HttpBearer):
    def authenticate(self, request, token):
        try:
            user = ApiToken.authenticate(token)
        except TokenRefused as exc:
            request._token_refused = exc.detail  # said in the 401 once no other method authenticates
            return None
        if user is not None:
            request.user = user
        return user


class _NulInBody(ValueError):
    def __init__(self, loc: tuple):
        super().__init__(loc)
        self.loc = loc


def _nul_at(value, loc: tuple = ()) -> tuple | None:
    """Where a NUL character sits in a parsed body or query (PostgreSQL's text refuses it), or None."""
    if isinstance(value, str):
        return loc if "\x00" in value else None
    items = value.items() if isinstance(value, dict) else enumerate(value) if isinstance(value, list) else ()
    for key, item in items:
        if isinstance(key, str) and "\x00" in key:
            return (*loc, key)
        found = _nul_at(item, (*loc, key))
        if found is not None:
            return found
    return None


def _nul_error(loc: tuple) -> dict:
    return {"type": "string_nul", "loc": loc, "msg": "NUL"}


class _EdgeParser(Parser):
    """JSON bodies and query strings as django-ninja reads them, refusing a NUL character anywhere at the
    edge (422 in Chinese) before a lookup or a write sends it to the database."""

    def parse_body(self, request):
        data = super().parse_body(request)
        loc = _nul_at(data)
        if loc is not None:
            raise _NulInBody(("body", *loc))  # django-ninja wraps it in an HttpError (handled below)
        return data

    def parse_querydict(self, data, list_fields, request):
        parsed = super().parse_querydict(data, list_fields, request)
        loc = _nul_at(parsed)
        if loc is not None:
            raise ValidationError([_nul_error(("query", *loc))])
        return parsed


api = NinjaAPI(
    title="链通 Liantong API",
    version="1",
    description="产业链党建平台接口。认证：会话 Cookie 或 `Authorization: Bearer <令牌>`（`liantong token 用户名` 生成）。",
    auth=[BearerToken(), django_auth],
    urls_namespace="api",
    # served from django-ninja's own static files ("ninja" in INSTALLED_APPS), never a CDN; no validator badge
    # (it would call validator.swagger.io): an intranet has no internet
    docs=Swagger(settings={"validatorUrl": None}),
    parser=_EdgeParser(),
)


@api.exception_handler(Http404)
def _not_found(request, exc):
    return api.create_response(request, {"detail": "未找到该记录，或您无权访问"}, status=404)


@api.exception_handler(AuthenticationError)
def _unauth(request, exc):
    detail = getattr(request, "_token_refused", None) or "未登录或令牌无效"
    return api.create_response(request, {"detail": detail}, status=401)


# pydantic's error types, said in Chinese ({…} filled from the error's ctx)
_ERROR_TEXT = {
    "missing": "必填", "string_type": "应为文本", "int_parsing": "应为整数", "int_type": "应为整数",
    "int_from_float": "应为整数", "float_parsing": "应为数字", "float_type": "应为数字",
    "decimal_parsing": "应为数字", "decimal_type": "应为数字", "bool_parsing": "应为 true 或 false",
    "bool_type": "应为 true 或 false", "date_parsing": "应为日期（YYYY-MM-DD）", "date_type": "应为日期（YYYY-MM-DD）",
    "date_from_datetime_parsing": "应为日期（YYYY-MM-DD）", "datetime_parsing": "应为日期时间（YYYY-MM-DDTHH:MM）",
    "datetime_type": "应为日期时间（YYYY-MM-DDTHH:MM）", "string_too_long": "过长（最多 {max_length} 个字符）",
    "string_too_short": "过短（至少 {min_length} 个字符）", "too_long": "项数过多（最多 {max_length} 项）",
    "too_short": "项数不足（至少 {min_length} 项）", "greater_than_equal": "不能小于 {ge}",
    "less_than_equal": "不能大于 {le}", "greater_than": "应大于 {gt}", "less_than": "应小于 {lt}",
    "enum": "取值无效，可选 {expected}", "literal_error": "取值无效，可选 {expected}", "list_type": "应为列表",
    "dict_type": "应为对象", "model_type": "应为对象", "model_attributes_type": "应为对象",
    "json_invalid": "不是有效的 JSON", "extra_forbidden": "不支持该字段", "uuid_parsing": "应为 UUID",
    "decimal_max_digits": "数字位数过多", "decimal_max_places": "小数位数过多", "value_error": "取值无效",
    "string_nul": "不能包含空字符（\\0）",
}
_WRAPPERS = {"body", "data", "payload", "query", "path", "filters"}


def _field_path(loc) -> str:
    parts = [str(p) for p in loc]
    while len(parts) > 1 and parts[0] in _WRAPPERS:
        parts.pop(0)
    return ".".join(parts)


def _chinese(error: dict) -> str:
    text = _ERROR_TEXT.get(error.get("type", ""), "格式有误")
    try:
        return text.format(**(error.get("ctx") or {}))
    except (KeyError, IndexError, ValueError):
        return text.split("（")[0]


@api.exception_handler(ValidationError)
def _invalid(request, exc):
    errors = [{"field": _field_path(e.get("loc", ())), "type": e.get("type"), "msg": _chinese(e),
               "loc": list(e.get("loc", ()))} for e in exc.errors]
    detail = "请求数据有误：" + "；".join(f"{e['field']} {e['msg']}" for e in errors[:5])
    return api.create_response(request, {"detail": detail, "errors": errors}, status=422)


@api.exception_handler(BadParameter)
def _bad_parameter(request, exc):
    """A list's query parameter that passed the schema but not its listing (``core.lists``): a dictionary
    value that is not the dictionary's, a sort that is no column …; the same 422 as the schema's."""
    error = {"field": exc.name, "type": "value_error", "msg": exc.problem, "loc": ["query", exc.name]}
    return api.create_response(request, {"detail": f"请求数据有误：{exc.message}", "errors": [error]}, status=422)


@api.exception_handler(ServiceError)
def _refused(request, exc):
    """A service's refusal that an endpoint did not answer itself: its status (400/403/409), in Chinese."""
    return api.create_response(request, exc.body(), status=exc.status)


@api.exception_handler(HttpError)
def _http_error(request, exc):
    if isinstance(exc.__cause__, _NulInBody):
        return _invalid(request, ValidationError([_nul_error(exc.__cause__.loc)]))
    message = str(exc)
    if message.startswith("Cannot parse request body"):  # django-ninja's own words for a body it cannot read
        message = "请求体不是有效的 JSON"
    return api.create_response(request, {"detail": message}, status=exc.status_code)


def _add_routers() -> None:
    from liantong.core.api import router as core_router
    from liantong.innovation.api import router as innovation_router
    from liantong.insights.api import router as insights_router
    from liantong.matching.api import router as matching_router
    from liantong.orgs.api import router as orgs_router
    from liantong.people.api import router as people_router
    from liantong.resources.api import router as resources_router
    from liantong.services.api import router as services_router

    for router in (core_router, orgs_router, services_router, resources_router, matching_router,
                   innovation_router, people_router, insights_router):
        api.add_router("", router)


_add_routers()
