from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from .models import ApiToken, Role, User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ["username", "display_name", "unit_kind", "zone", "is_active", "is_demo"]
    list_filter = ["unit_kind", "zone", "roles", "is_active"]
    fieldsets = BaseUserAdmin.fieldsets + (
        ("单位与角色", {"fields": ("display_name", "unit_kind", "zone", "chain", "department", "enterprise",
                              "institution", "party_org", "phone", "roles", "is_demo")}),
    )
    autocomplete_fields = ["chain", "department", "enterprise", "institution", "party_org"]


@admin.register(Role)
class RoleAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "data_scope"]


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    """Read-only: tokens are issued and revoked through accounts.services (系统管理 → API 令牌, ``liantong token``)."""

    list_display = ["user", "name", "prefix", "created_at", "expires_at", "last_used_at", "revoked_at"]
    readonly_fields = ["user", "name", "key_hash", "prefix", "created_at", "expires_at", "last_used_at", "revoked_at"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
