from django.contrib import admin

from .models import EntryPositioning, EvaluationCriterion, PracticalEvaluation


@admin.register(EntryPositioning)
class EntryPositioningAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ["enrolment", "method", "held_on", "decision", "recorded_by"]
    list_select_related = ["enrolment__candidacy__person", "enrolment__cohort", "recorded_by"]
    readonly_fields = ["recorded_at"]


class EvaluationCriterionInline(admin.TabularInline):  # type: ignore[type-arg]
    model = EvaluationCriterion
    extra = 0


@admin.register(PracticalEvaluation)
class PracticalEvaluationAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ["enrolment", "competency", "title", "held_on", "passed", "assessed_by"]
    list_select_related = [
        "enrolment__candidacy__person",
        "enrolment__cohort",
        "competency__block",
        "assessed_by",
    ]
    readonly_fields = ["recorded_at"]
    inlines = [EvaluationCriterionInline]
