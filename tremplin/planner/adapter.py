"""The database seen by the engine: a site's plateau and a cohort to plan, as a ``Problem``.

What goes in, for the site of the cohort:

- labs of a known kind, with their workstations;
- in-service equipment, counted by type (an item under repair or retired is not there);
- the site's active trainers, with their ``TrainerProfile`` (modules of this programme they
  teach, half-days a week) and their ``TrainerUnavailability`` in the horizon;
- the calendar: from tomorrow (or the cohort's start) to the cohort's end, weekdays without
  French public holidays and the site's closures;
- the cohort: its learners in training (or its capacity before anyone is enrolled), its start
  (± a week when it has not started), the programme's modules, each needing one unit of every
  equipment type it lists (no better source yet), and their prerequisites;
- sessions the re-planning keeps (see ``kept_sessions``): those before the horizon reduce what
  is left to plan of their module; those inside it are fixed;
- the other cohorts' sessions on the site in the horizon, as ``busy``: their lab, trainer and
  equipment are taken.

Ids given to the engine are the primary keys as strings. A run stores the problem in the CLI's
input format (``engine.timetable.io.problem_to_json``); the commit compares it with the problem
of the moment.
"""

from __future__ import annotations

import datetime
import math
from collections import Counter, defaultdict
from typing import Any

from django.db.models import Count, Q, QuerySet

from tremplin.accounts.enums import Role
from tremplin.accounts.models import User
from tremplin.cohorts.enums import EnrolmentStatus
from tremplin.cohorts.models import Cohort
from tremplin.engine.timetable.model import (
    Calendar,
    CohortSpec,
    FixedSession,
    LabSpec,
    ModuleSpec,
    Plan,
    PlannedSession,
    Problem,
    TrainerSpec,
)
from tremplin.organisations.models import Site
from tremplin.plateau.enums import EquipmentStatus
from tremplin.plateau.models import Equipment, Lab, Session, SiteClosure
from tremplin.plateau.services import public_holiday
from tremplin.programmes.models import Module

from .models import TrainerProfile, TrainerUnavailability

HALF_DAY_HOURS = 3.5
# How late a cohort that has not started yet may begin, when its own start is taken.
START_SLACK = datetime.timedelta(days=7)
# The code given to a kept session without a module: it still holds its half-day.
FREE_SESSION = "SEANCE-{pk}"


def working_days(site: Site, start: datetime.date, end: datetime.date) -> list[datetime.date]:
    """Weekdays from ``start`` to ``end`` that are neither public holidays nor closures."""
    closures = list(
        SiteClosure.objects.filter(site=site, start__lte=end, end__gte=start).values_list(
            "start", "end"
        )
    )
    days = []
    day = start
    while day <= end:
        closed = any(first <= day <= last for first, last in closures)
        if day.weekday() < 5 and not closed and public_holiday(day) is None:
            days.append(day)
        day += datetime.timedelta(days=1)
    return days


def labs_of(site: Site) -> tuple[LabSpec, ...]:
    # A lab without a kind cannot take any module (plateau.services refuses it).
    labs = Lab.objects.filter(site=site).exclude(kind="").order_by("pk")
    return tuple(LabSpec(str(lab.pk), lab.kind, lab.workstations) for lab in labs)


def equipment_of(site: Site) -> dict[str, int]:
    rows = (
        Equipment.objects.filter(lab__site=site, status=EquipmentStatus.IN_SERVICE)
        .values("type")
        .annotate(count=Count("id"))
        .order_by("type")
    )
    return {row["type"]: row["count"] for row in rows}


def site_trainers(site: Site) -> QuerySet[User]:
    return User.objects.filter(role=Role.TRAINER, site=site, is_active=True).order_by("pk")


def trainers_of(site: Site, programme_id: int, days: list[datetime.date]) -> dict[str, TrainerSpec]:
    trainers = list(site_trainers(site))
    profiles = {
        p.trainer_id: p
        for p in TrainerProfile.objects.filter(trainer__in=trainers).prefetch_related("modules")
    }
    off: dict[int, set[tuple[datetime.date, str]]] = defaultdict(set)
    if days:
        for row in TrainerUnavailability.objects.filter(
            trainer__in=trainers, date__range=(days[0], days[-1])
        ):
            off[row.trainer_id].add((row.date, row.half_day))
    specs = {}
    for trainer in trainers:
        profile = profiles.get(trainer.pk)
        codes = (
            frozenset(m.code for m in profile.modules.all() if m.programme_id == programme_id)
            if profile is not None
            else frozenset()
        )
        specs[str(trainer.pk)] = TrainerSpec(
            id=str(trainer.pk),
            modules=codes,
            unavailable=frozenset(off[trainer.pk]),
            max_half_days_per_week=profile.max_half_days_per_week if profile else 8,
        )
    return specs


def kept_sessions(cohort: Cohort, horizon_start: datetime.date) -> QuerySet[Session]:
    """Sessions re-planning keeps: before the horizon (already held), locked by hand, or
    with an attendance sheet (signatures vouch for them, and the sheet protects the row)."""
    return cohort.sessions.filter(
        Q(date__lt=horizon_start) | Q(locked=True) | Q(attendance_sheet__isnull=False)
    ).distinct()


def replaced_sessions(cohort: Cohort, horizon_start: datetime.date) -> QuerySet[Session]:
    """The sessions a committed re-planning deletes: every other one of the cohort."""
    kept = kept_sessions(cohort, horizon_start).values("pk")
    return cohort.sessions.exclude(pk__in=kept)


def horizon_start(cohort: Cohort, today: datetime.date) -> datetime.date:
    """Planning starts tomorrow at the earliest: today's half-days are under way."""
    return max(cohort.start_date, today + datetime.timedelta(days=1))


def _equipment_held(session: Session) -> tuple[tuple[str, int], ...]:
    counts = Counter(item.type for item in session.equipment.all())
    return tuple(sorted(counts.items()))


def module_spec(module: Module, hours: float, prerequisites: tuple[str, ...]) -> ModuleSpec:
    return ModuleSpec(
        code=module.code,
        title=module.title,
        hours=hours,
        lab_kind=module.lab_kind,
        # One unit of each type per session: the plan files say which types, not how many.
        equipment={kind: 1 for kind in module.equipment_types},
        prerequisites=prerequisites,
    )


def cohort_size(cohort: Cohort) -> int:
    """Learners in training; before anyone is enrolled, the seats the cohort opens."""
    headcount = cohort.enrolments.filter(status=EnrolmentStatus.IN_TRAINING).count()
    return headcount or cohort.capacity


def cohort_problem(cohort: Cohort, *, today: datetime.date) -> Problem:
    """The problem of planning ``cohort`` from tomorrow to its end date (see the module doc)."""
    site = cohort.site
    start = horizon_start(cohort, today)
    days = working_days(site, start, cohort.end_date)
    trainers = trainers_of(site, cohort.programme_id, days)
    labs = labs_of(site)

    kept = list(
        kept_sessions(cohort, start)
        .select_related("module")
        .prefetch_related("equipment")
        .order_by("date", "half_day", "pk")
    )
    held_before = Counter(s.module_id for s in kept if s.date < start and s.module_id)
    modules = list(
        Module.objects.filter(programme_id=cohort.programme_id)
        .prefetch_related("prerequisites")
        .order_by("position", "pk")
    )
    remaining: dict[int, int] = {}
    for module in modules:
        needed = max(1, math.ceil(module.hours / HALF_DAY_HOURS - 1e-9))
        remaining[module.pk] = max(0, needed - held_before[module.pk])
    planned_codes = {m.code for m in modules if remaining[m.pk] > 0}
    specs = [
        module_spec(
            module,
            remaining[module.pk] * HALF_DAY_HOURS,
            # A prerequisite already taught in full is met: it is not planned again.
            tuple(p.code for p in module.prerequisites.all() if p.code in planned_codes),
        )
        for module in modules
        if remaining[module.pk] > 0
    ]
    fixed = []
    extra_codes: dict[str, set[str]] = defaultdict(set)
    for session in kept:
        if session.date < start:
            continue
        code = session.module.code if session.module is not None else ""
        if not code or code not in planned_codes:
            # A half-day without a module (or of a module already complete) is its own
            # one-session module, so the cohort stays in it.
            code = FREE_SESSION.format(pk=session.pk)
            specs.append(
                ModuleSpec(
                    code=code,
                    title=session.subject,
                    hours=HALF_DAY_HOURS,
                    lab_kind=session.lab.kind or "classroom",
                )
            )
        # Whoever teaches a kept session teaches its module, profile or not.
        extra_codes[str(session.trainer_id)].add(code)
        fixed.append(
            FixedSession(
                cohort=str(cohort.pk),
                module=code,
                day=session.date,
                half_day=session.half_day,
                lab=str(session.lab_id),
                trainer=str(session.trainer_id),
                equipment=_equipment_held(session),
            )
        )
    for trainer_id, codes in extra_codes.items():
        if trainer_id in trainers:
            known = trainers[trainer_id]
            trainers[trainer_id] = TrainerSpec(
                known.id, known.modules | codes, known.unavailable, known.max_half_days_per_week
            )

    if cohort.start_date >= start:
        earliest, latest = cohort.start_date, cohort.start_date + START_SLACK
    else:  # under way: it goes on from tomorrow
        earliest, latest = start, start + START_SLACK
    spec = CohortSpec(
        id=str(cohort.pk),
        size=cohort_size(cohort),
        earliest_start=earliest,
        latest_start=min(latest, cohort.end_date),
        modules=tuple(specs),
        fixed=tuple(fixed),
    )
    return Problem(
        labs=labs,
        equipment=equipment_of(site),
        trainers=tuple(trainers.values()),
        cohorts=(spec,),
        calendar=Calendar(days=tuple(days), half_day_hours=HALF_DAY_HOURS),
        busy=busy_of(site, exclude=cohort, days=days),
    )


def busy_of(
    site: Site, *, exclude: Cohort | None, days: list[datetime.date]
) -> tuple[FixedSession, ...]:
    """The sessions of the site's other cohorts in the horizon: lab, trainer, equipment."""
    if not days:
        return ()
    sessions = (
        Session.objects.filter(cohort__site=site, date__range=(days[0], days[-1]))
        .select_related("module")
        .prefetch_related("equipment")
        .order_by("date", "half_day", "pk")
    )
    if exclude is not None:
        sessions = sessions.exclude(cohort=exclude)
    return tuple(
        FixedSession(
            cohort=str(s.cohort_id),
            module=s.module.code if s.module is not None else FREE_SESSION.format(pk=s.pk),
            day=s.date,
            half_day=s.half_day,
            lab=str(s.lab_id),
            trainer=str(s.trainer_id),
            equipment=_equipment_held(s),
        )
        for s in sessions
    )


# Plain JSON for PlanRun.result (the problem is stored in the CLI's input format,
# ``engine.timetable.io.problem_to_json``, so a run's input can be replayed with
# ``manage.py plan``).


def plan_data(plan: Plan) -> dict[str, Any]:
    return {
        "status": plan.status,
        "sessions": [
            {
                "cohort": s.cohort,
                "module": s.module,
                "day": s.day.isoformat(),
                "half_day": s.half_day,
                "lab": s.lab,
                "trainer": s.trainer,
                "group": s.group,
                "equipment": [list(e) for e in s.equipment],
            }
            for s in sorted(plan.sessions, key=lambda s: (s.day, s.half_day, s.cohort, s.group))
        ],
        "objective": plan.objective,
        "bound": plan.bound,
        "gap": plan.gap,
        "wall_time": plan.wall_time,
        "explanation": list(plan.explanation),
        "cohort_starts": {k: v.isoformat() for k, v in plan.cohort_starts.items()},
        "cohort_ends": {k: v.isoformat() for k, v in plan.cohort_ends.items()},
    }


def planned_sessions(data: dict[str, Any]) -> list[PlannedSession]:
    """The sessions of a stored ``plan_data``."""
    return [
        PlannedSession(
            cohort=s["cohort"],
            module=s["module"],
            day=datetime.date.fromisoformat(s["day"]),
            half_day=s["half_day"],
            lab=s["lab"],
            trainer=s["trainer"],
            group=s["group"],
            equipment=tuple((kind, int(units)) for kind, units in s["equipment"]),
        )
        for s in data.get("sessions", [])
    ]
