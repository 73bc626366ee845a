"""Admin of the GDPR context: the funders' and programmes' retention requirements; the
notices and anonymisations, read only (they are written by the retention job and services)."""

from typing import Any

from django.contrib import admin

from .models import Anonymisation, RetentionNotice, RetentionRequirement


@admin.register(RetentionRequirement)
class RetentionRequirementAdmin(admin.ModelAdmin[RetentionRequirement]):
    list_display = ("funder", "programme", "years", "basis")


class ReadOnly(admin.ModelAdmin[Any]):
    def has_add_permission(self, request: Any) -> bool:
        return False

    def has_change_permission(self, request: Any, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: Any, obj: Any = None) -> bool:
        return False


@admin.register(RetentionNotice)
class RetentionNoticeAdmin(ReadOnly):
    list_display = ("person_id", "kind", "due_on", "status")
    list_filter = ("status", "kind")


@admin.register(Anonymisation)
class AnonymisationAdmin(ReadOnly):
    list_display = ("person_id", "at", "reason", "rows_deleted", "files_deleted")
    list_filter = ("reason",)
