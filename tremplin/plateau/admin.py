"""The Django admin of the platform, for network admins; the pages go through services."""

from typing import Any

from django.contrib import admin

from .models import Booking, CalendarFeed, Equipment, Lab, Session, SiteClosure

admin.site.register(Lab)


@admin.register(Equipment)
class EquipmentAdmin(admin.ModelAdmin[Equipment]):
    list_display = ["serial_number", "type", "lab", "donor", "donated_on", "status"]
    list_filter = ["type", "status"]
    # The status moves through the maintenance workflow (plateau.services), never by hand.
    readonly_fields = ["status"]


@admin.register(Session)
class SessionAdmin(admin.ModelAdmin[Session]):
    list_display = ["date", "half_day", "cohort", "lab", "trainer", "module", "title", "locked"]


admin.site.register(Booking)
admin.site.register(SiteClosure)


@admin.register(CalendarFeed)
class CalendarFeedAdmin(admin.ModelAdmin[CalendarFeed]):
    """Read-only: links are created and revoked on the calendar pages (audited there)."""

    list_display = ["kind", "cohort", "trainer", "created_by", "created_at", "revoked_at"]
    list_filter = ["kind"]
    # The secret stays out of the admin: it is shown to the link's managers only.
    exclude = ["token", "token_hash"]

    def has_add_permission(self, request: Any) -> bool:
        return False

    def has_change_permission(self, request: Any, obj: Any = None) -> bool:
        return False
