from django.contrib import admin

from . import models


@admin.register(models.Chain)
class ChainAdmin(admin.ModelAdmin):
    list_display = ["name", "zone"]
    search_fields = ["name"]


@admin.register(models.Enterprise)
class EnterpriseAdmin(admin.ModelAdmin):
    list_display = ["name", "credit_code", "zone"]
    search_fields = ["name", "credit_code"]
    list_filter = ["zone"]


@admin.register(models.Department)
class DepartmentAdmin(admin.ModelAdmin):
    list_display = ["name", "zone"]
    search_fields = ["name"]


@admin.register(models.Institution)
class InstitutionAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "zone"]
    search_fields = ["name"]


@admin.register(models.PartyOrg)
class PartyOrgAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "zone", "path"]
    search_fields = ["name"]
    list_filter = ["zone", "kind"]
    readonly_fields = ["path", "depth"]
