"""The JSON API: one NinjaAPI at /api/v1/, assembling each app's router (NetBox style).

Auth: the Django session (browser) or ``Authorization: Bearer <token>`` (``liantong token``).
Every handler reads through the scoping layer; out-of-scope objects answer 404.
"""

from django.http import Http404
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, ValidationError
from ninja.security import HttpBearer, django_auth


class BearerToken(HttpBearer):
    def authenticate(self, request, token):
        from liantong.accounts.models import ApiToken

        user = ApiToken.authenticate(token)
        if user is not None:
            request.user = user
        return user


api = NinjaAPI(
    title="链通 Liantong API",
    version="1",
    description="产业链党建平台接口。认证：会话 Cookie 或 `Authorization: Bearer <令牌>`（`liantong token 用户名` 生成）。",
    auth=[BearerToken(), django_auth],
    urls_namespace="api",
)


@api.exception_handler(Http404)
def _not_found(request, exc):
    return api.create_response(request, {"detail": "未找到该记录，或您无权访问"}, status=404)


@api.exception_handler(AuthenticationError)
def _unauth(request, exc):
    return api.create_response(request, {"detail": "未登录或令牌无效"}, status=401)


@api.exception_handler(ValidationError)
def _invalid(request, exc):
    return api.create_response(request, {"detail": "请求数据有误", "errors": exc.errors}, status=422)


def _add_routers() -> None:
    from liantong.core.api import router as core_router
    from liantong.matching.api import router as matching_router
    from liantong.orgs.api import router as orgs_router
    from liantong.resources.api import router as resources_router
    from liantong.services.api import router as services_router

    for router in (core_router, orgs_router, services_router, resources_router, matching_router):
        api.add_router("", router)


_add_routers()
