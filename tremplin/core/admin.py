from django.contrib import admin

from .models import AuditEntry, TransitionLog


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ["at", "actor", "action", "object_type", "object_id"]
    list_filter = ["action"]

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False  # the audit log is append-only

    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return False  # entries are written by the services, chained (core/audit_chain.py)

    def has_delete_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False  # a removed entry would break the chain


@admin.register(TransitionLog)
class TransitionLogAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ["at", "actor", "object_type", "object_id", "from_state", "to_state", "reason"]

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False
