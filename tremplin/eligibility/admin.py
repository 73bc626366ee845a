"""Django admin (network admins): the catalogue read-only, programmes' rules editable, audited."""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from tremplin.core.audit import audit

from .models import (
    Acceptance,
    CriteriaCatalogue,
    Criterion,
    Diagnostic,
    DiagnosticCriterion,
    EligibilityRule,
    Proof,
)


class ReadOnlyAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """Rows written by the loader or the services: the admin shows them, never edits them."""

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(CriteriaCatalogue)
class CriteriaCatalogueAdmin(ReadOnlyAdmin):
    list_display = ("version", "title", "installed_at")


@admin.register(Criterion)
class CriterionAdmin(ReadOnlyAdmin):
    list_display = ("code", "label", "level", "proof_validity_days", "derived_fact", "catalogue")
    list_filter = ("catalogue", "level")


@admin.register(EligibilityRule)
class EligibilityRuleAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = (
        "programme",
        "level1_needed",
        "level2_needed",
        "france_travail_required",
        "min_age",
        "max_age",
        "updated_at",
    )

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        audit(
            actor=request.user,
            action="eligibility_rule.change" if change else "eligibility_rule.create",
            obj=obj,
            **{name: form.cleaned_data.get(name) for name in form.changed_data},
        )


@admin.register(Diagnostic)
class DiagnosticAdmin(ReadOnlyAdmin):
    list_display = ("person", "author_organisation", "author_kind", "status", "made_at")
    list_filter = ("status", "author_kind")


admin.site.register(DiagnosticCriterion, ReadOnlyAdmin)
admin.site.register(Proof, ReadOnlyAdmin)
admin.site.register(Acceptance, ReadOnlyAdmin)
