"""The accounts strand's home panel: for those who manage users (the platform administrator, a zone's
administrators), the users they manage and those disabled — each the count of the list it links to."""

from django.urls import reverse

from liantong.core.home import list_figure, rows_panel

from . import services


def panel(request):
    from . import views

    user = request.user
    if not user.has_perm_code(services.USERS_PERM) or not (user.is_platform_admin or user.unit_kind == "zone"):
        return None
    rows = [list_figure(request, "用户", views.UserList, "accounts:user_list"),
            list_figure(request, "已停用", views.UserList, "accounts:user_list", "secondary", active="false")]
    return rows_panel("users", "用户管理", rows, action=("新增用户", reverse("accounts:user_create")))
