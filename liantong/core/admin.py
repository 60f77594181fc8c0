"""The Django admin is for platform admins only (is_staff is given to platform admins alone)."""

from django.contrib import admin

from .models import AuditLog, DictItem, DictType, Zone


@admin.register(Zone)
class ZoneAdmin(admin.ModelAdmin):
    list_display = ["name", "short_name", "province", "city", "is_demo"]
    search_fields = ["name"]


class DictItemInline(admin.TabularInline):
    model = DictItem
    extra = 0


@admin.register(DictType)
class DictTypeAdmin(admin.ModelAdmin):
    list_display = ["code", "name"]
    inlines = [DictItemInline]


@admin.register(AuditLog)
class AuditLogAdmin(admin.ModelAdmin):
    """Read-only: the audit log is append-only."""

    list_display = ["at", "actor_name", "action", "object_type", "object_repr", "ip"]
    list_filter = ["action", "zone"]
    search_fields = ["actor_name", "object_repr"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
