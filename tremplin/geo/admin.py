from django.contrib import admin

from .models import Commune, PriorityNeighbourhood, QpvImport


@admin.register(Commune)
class CommuneAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ["insee_code", "name", "kind", "department", "population"]
    list_filter = ["kind"]
    search_fields = ["insee_code", "name", "postal_codes__postal_code"]
    ordering = ["insee_code"]


@admin.register(QpvImport)
class QpvImportAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ["imported_at", "source_name", "neighbourhood_count", "is_current"]
    ordering = ["-imported_at", "-id"]

    # Imports go through the upload page or `manage.py import_qpv`, which check every outline.
    def has_add_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False


@admin.register(PriorityNeighbourhood)
class PriorityNeighbourhoodAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ["code", "name", "commune_codes", "batch"]
    search_fields = ["code", "name", "commune_codes"]
    list_select_related = ["batch"]
    ordering = ["code", "id"]
    exclude = ["geometry_wkb"]

    def has_add_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False
