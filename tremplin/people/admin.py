from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from .models import Person, PersonMerge

admin.site.register(Person)


@admin.register(PersonMerge)
class PersonMergeAdmin(admin.ModelAdmin[PersonMerge]):
    """Read only: merges are made and undone through the services, which keep the log true."""

    list_display = ("at", "__str__", "by", "network", "undone_at")
    list_filter = ("network",)
    date_hierarchy = "at"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
