"""The Django admin of the platform, for network admins; the pages go through services."""

from django.contrib import admin

from .models import Booking, Equipment, Lab, Session, SiteClosure

admin.site.register(Lab)


@admin.register(Equipment)
class EquipmentAdmin(admin.ModelAdmin[Equipment]):
    list_display = ["serial_number", "type", "lab", "donor", "donated_on", "status"]
    list_filter = ["type", "status"]
    # The status moves through the maintenance workflow (plateau.services), never by hand.
    readonly_fields = ["status"]


@admin.register(Session)
class SessionAdmin(admin.ModelAdmin[Session]):
    list_display = ["date", "half_day", "cohort", "lab", "trainer", "title"]


admin.site.register(Booking)
admin.site.register(SiteClosure)
