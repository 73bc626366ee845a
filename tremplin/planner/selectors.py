"""Reads of the planner: a run's proposed sessions as week calendars, its figures, the
latest capacity study of a site."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from tremplin.accounts.models import User
from tremplin.organisations.models import Site
from tremplin.plateau.enums import HalfDay
from tremplin.plateau.models import Lab
from tremplin.plateau.services import half_day_hours
from tremplin.programmes.models import Module

from .adapter import planned_sessions
from .models import PlanRun


@dataclass(frozen=True)
class ProposedSession:
    code: str
    title: str
    lab: str
    trainer: str
    group: int
    kept: bool


@dataclass
class PreviewWeek:
    monday: datetime.date
    days: list[datetime.date]
    rows: list[dict[str, Any]] = field(default_factory=list)
    count: int = 0


def preview_weeks(run: PlanRun) -> list[PreviewWeek]:
    """The run's sessions of its cohort, week by week, Monday to Friday × morning/afternoon."""
    if run.cohort is None:
        return []
    sessions = [s for s in planned_sessions(run.result) if s.cohort == str(run.cohort_id)]
    kept_slots = {
        (f["day"], f["half_day"])
        for c in run.problem.get("cohorts", [])
        for f in c.get("fixed", [])
    }
    labs = {str(lab.pk): lab.name for lab in Lab.objects.filter(site_id=run.site_id)}
    trainers = {
        str(u.pk): u.get_full_name() or u.email
        for u in User.objects.filter(pk__in={int(s.trainer) for s in sessions})
    }
    modules = {m.code: m.title for m in Module.objects.filter(programme_id=run.cohort.programme_id)}
    cells: dict[tuple[datetime.date, str], list[ProposedSession]] = {}
    for s in sessions:
        cells.setdefault((s.day, s.half_day), []).append(
            ProposedSession(
                code=s.module if s.module in modules else "",
                # A kept half-day without a module carries a made-up code (adapter.FREE_SESSION).
                title=modules.get(s.module) or _("Séance conservée"),
                lab=labs.get(s.lab, s.lab),
                trainer=trainers.get(s.trainer, s.trainer),
                group=s.group,
                kept=(s.day.isoformat(), s.half_day) in kept_slots,
            )
        )
    mondays = sorted({day - datetime.timedelta(days=day.weekday()) for day, _half in cells})
    hours = half_day_hours()
    weeks = []
    for monday in mondays:
        days = [monday + datetime.timedelta(days=n) for n in range(5)]
        week = PreviewWeek(monday=monday, days=days)
        for value, label in HalfDay.choices:
            row = [cells.get((day, value), []) for day in days]
            week.count += sum(len(c) for c in row)
            week.rows.append({"label": label, "hours": hours[value], "cells": row})
        weeks.append(week)
    return weeks


def latest_capacity(site: Site) -> PlanRun | None:
    return (
        PlanRun.objects.filter(site=site, kind=PlanRun.Kind.CAPACITY)
        .select_related("progress", "requested_by")
        .first()
    )
