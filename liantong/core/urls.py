from django.urls import path

from . import files, views

app_name = "core"
urlpatterns = [
    path("", views.home, name="home"),
    path("files/<uuid:key>/", files.download, name="file"),
    path("system/dicts/", views.dict_list, name="dict_list"),
    path("system/dicts/items/<int:pk>/", views.dict_item_save, name="dict_item_save"),
    path("system/holidays/", views.holidays, name="holidays"),
    path("system/login-log/", views.login_log, name="login_log"),
    path("system/operation-log/", views.operation_log, name="operation_log"),
]
