from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from liantong.api import api

urlpatterns = [
    path("", include("liantong.core.urls")),
    path("accounts/", include("liantong.accounts.urls")),
    path("orgs/", include("liantong.orgs.urls")),
    path("services/", include("liantong.services.urls")),
    path("resources/", include("liantong.resources.urls")),
    path("matching/", include("liantong.matching.urls")),
    path("insights/", include("liantong.insights.urls")),
    path("api/v1/", api.urls),
    path("django-admin/", admin.site.urls),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

handler404 = "liantong.core.views.not_found"
handler500 = "liantong.core.views.server_error"
