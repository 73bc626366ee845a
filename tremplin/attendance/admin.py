"""The Django admin of attendance, read-only: sheets are written through the services only."""

from typing import Any

from django.contrib import admin

from .models import AbsenceAlert, AttendanceCorrection, AttendanceEntry, AttendanceSheet


class ReadOnlyAdmin(admin.ModelAdmin[Any]):
    def has_add_permission(self, request: Any) -> bool:
        return False

    def has_change_permission(self, request: Any, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: Any, obj: Any = None) -> bool:
        return False


for model in (AttendanceSheet, AttendanceEntry, AttendanceCorrection, AbsenceAlert):
    admin.site.register(model, ReadOnlyAdmin)
