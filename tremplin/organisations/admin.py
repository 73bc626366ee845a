from django.contrib import admin

from .models import Organisation, Site


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ["name", "kind", "prescriber_kind", "is_habilitated"]
    list_filter = ["kind", "is_habilitated"]
    search_fields = ["name"]


@admin.register(Site)
class SiteAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ["name", "commune", "network", "yearly_target"]
