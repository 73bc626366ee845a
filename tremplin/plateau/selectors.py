"""Reads on the plateau: how many hours of each module a cohort's sessions already plan."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Count

from tremplin.cohorts.models import Cohort
from tremplin.programmes.models import Module

from .services import half_day_hours


@dataclass(frozen=True)
class ModulePlanning:
    module: Module
    planned_hours: float

    @property
    def remaining_hours(self) -> float:
        return max(self.module.hours - self.planned_hours, 0.0)

    @property
    def complete(self) -> bool:
        return self.planned_hours >= self.module.hours


def _length_in_hours(start: datetime.time, end: datetime.time) -> float:
    today = datetime.date.today()
    length = datetime.datetime.combine(today, end) - datetime.datetime.combine(today, start)
    return length.total_seconds() / 3600


def cohort_module_planning(cohort: Cohort) -> list[ModulePlanning]:
    """Every module of the cohort's programme, with the hours its sessions plan (2 queries)."""
    lengths = {value: _length_in_hours(*hours) for value, hours in half_day_hours().items()}
    planned: dict[int, float] = {}
    counts = (
        cohort.sessions.filter(module__isnull=False)
        .values("module_id", "half_day")
        .annotate(count=Count("id"))
        .order_by()
    )
    for row in counts:
        hours = row["count"] * lengths[row["half_day"]]
        planned[row["module_id"]] = planned.get(row["module_id"], 0.0) + hours
    modules = Module.objects.filter(programme_id=cohort.programme_id).order_by("position", "id")
    return [ModulePlanning(module, planned.get(module.pk, 0.0)) for module in modules]
