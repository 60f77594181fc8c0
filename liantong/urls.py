from django.contrib import admin
from django.urls import include, path, re_path

from liantong.api import api
from liantong.core import views

urlpatterns = [
    path("", include("liantong.core.urls")),
    path("accounts/", include("liantong.accounts.urls")),
    path("orgs/", include("liantong.orgs.urls")),
    path("services/", include("liantong.services.urls")),
    path("resources/", include("liantong.resources.urls")),
    path("matching/", include("liantong.matching.urls")),
    path("innovation/", include("liantong.innovation.urls")),
    path("insights/", include("liantong.insights.urls")),
    path("people/", include("liantong.people.urls")),
    path("api/v1/", api.urls),
    path("django-admin/", admin.site.urls),
]

# No route serves MEDIA_ROOT: uploaded files are downloaded only through /files/<uuid>/ (core.files),
# which checks the login and the owning record's scope.

# The product's Chinese error pages under every setting (docs/ui.md): the handlers when DEBUG is off, the
# middleware (core.middleware.ErrorPagesMiddleware) for a view's 404/403/400 and, for an address no route
# knows, this last pattern — so that DEBUG=1 never shows Django's technical page with the URL list.
urlpatterns.append(re_path(r"^(?P<path>.*)$", views.unmatched, name="unmatched"))

handler400 = "liantong.core.views.bad_request"
handler403 = "liantong.core.views.permission_denied"
handler404 = "liantong.core.views.not_found"
handler500 = "liantong.core.views.server_error"
