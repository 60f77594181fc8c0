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
    path("innovation/", include("liantong.innovation.urls")),
    path("insights/", include("liantong.insights.urls")),
    path("people/", include("liantong.people.urls")),
    path("api/v1/", api.urls),
    path("django-admin/", admin.site.urls),
]

# No route serves MEDIA_ROOT: uploaded files are downloaded only through /files/<uuid>/ (core.files),
# which checks the login and the owning record's scope.

handler404 = "liantong.core.views.not_found"
handler500 = "liantong.core.views.server_error"
