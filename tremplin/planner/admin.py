"""The Django admin of the planner: trainers' teaching profiles and half-days off; runs read
only (they are written by the planning task and committed from the pages)."""

from typing import Any

from django.contrib import admin

from .models import PlanRun, TrainerProfile, TrainerUnavailability


@admin.register(TrainerProfile)
class TrainerProfileAdmin(admin.ModelAdmin[TrainerProfile]):
    list_display = ["trainer", "max_half_days_per_week"]
    filter_horizontal = ["modules"]


@admin.register(TrainerUnavailability)
class TrainerUnavailabilityAdmin(admin.ModelAdmin[TrainerUnavailability]):
    list_display = ["trainer", "date", "half_day", "reason"]
    list_filter = ["half_day"]
    date_hierarchy = "date"


@admin.register(PlanRun)
class PlanRunAdmin(admin.ModelAdmin[PlanRun]):
    list_display = ["kind", "site", "cohort", "year", "plan_status", "created_at", "committed_at"]
    list_filter = ["kind", "plan_status"]
    exclude = ["problem", "result"]

    def has_add_permission(self, request: Any) -> bool:
        return False

    def has_change_permission(self, request: Any, obj: Any = None) -> bool:
        return False
