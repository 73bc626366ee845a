"""The capacity study of a site, on the Django side: what the engine's ``capacity`` reads
(the plateau over a calendar year, and a cohort like the site's to repeat) and its answer
turned into plain JSON for the page (``PlanRun.result``).

The cohort repeated is the programme of the site's latest cohort with all its modules, and
that cohort's seats (12 when the site has none yet). The sessions already booked on the site
in the year are load, as for a cohort's planning.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.utils.translation import gettext as _

from tremplin.cohorts.models import Cohort
from tremplin.engine.timetable.capacity import CapacityAnswer, binding_resources
from tremplin.engine.timetable.model import Calendar, CohortSpec, Problem
from tremplin.organisations.models import Site
from tremplin.plateau.enums import LabKind
from tremplin.programmes.models import Module, Programme

from .adapter import (
    HALF_DAY_HOURS,
    busy_of,
    equipment_of,
    labs_of,
    module_spec,
    site_trainers,
    trainers_of,
    working_days,
)

DEFAULT_SIZE = 12
MONTHS = (
    "janv.",
    "févr.",
    "mars",
    "avr.",
    "mai",
    "juin",
    "juil.",
    "août",
    "sept.",
    "oct.",
    "nov.",
    "déc.",
)


class CapacityInputError(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def _programme(site: Site) -> tuple[Programme | None, int]:
    latest = Cohort.objects.filter(site=site).order_by("-start_date", "-pk").first()
    if latest is not None:
        return latest.programme, latest.capacity
    programme = (
        Programme.objects.filter(network_id=site.network_id, modules__isnull=False)
        .distinct()
        .order_by("pk")
        .first()
    )
    return programme, DEFAULT_SIZE


def capacity_inputs(site: Site, year: int) -> tuple[Problem, CohortSpec]:
    """The plateau over ``year`` and the cohort to repeat (database reads only)."""
    programme, size = _programme(site)
    modules = (
        list(
            Module.objects.filter(programme=programme)
            .prefetch_related("prerequisites")
            .order_by("position", "pk")
        )
        if programme is not None
        else []
    )
    if not modules:
        raise CapacityInputError(
            _("Aucun parcours avec des modules pour ce site : la capacité ne se calcule pas.")
        )
    start, end = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    days = working_days(site, start, end)
    assert programme is not None
    template = CohortSpec(
        id="P",
        size=size,
        earliest_start=start,
        latest_start=start,
        modules=tuple(
            module_spec(m, float(m.hours), tuple(p.code for p in m.prerequisites.all()))
            for m in modules
        ),
    )
    base = Problem(
        labs=labs_of(site),
        equipment=equipment_of(site),
        trainers=tuple(trainers_of(site, programme.pk, days).values()),
        cohorts=(),
        calendar=Calendar(days=tuple(days), half_day_hours=HALF_DAY_HOURS),
        busy=busy_of(site, exclude=None, days=days),
    )
    return base, template


def trainer_names(site: Site) -> dict[str, str]:
    return {str(u.pk): u.get_full_name() or u.email for u in site_trainers(site)}


def _named(text: str, names: dict[str, str]) -> str:
    # The engine names a trainer by the id it was given (a primary key): people read names.
    for trainer_id, name in names.items():
        text = text.replace(f"que {trainer_id})", f"que {name})")
    return text


def capacity_data(answer: CapacityAnswer, names: dict[str, str] | None = None) -> dict[str, Any]:
    """The answer as plain JSON for the page: figures, sentences, occupation by lab kind."""
    names = names or {}
    kinds = sorted({kind for month in answer.occupation.values() for kind in month})
    labels = dict(LabKind.choices)
    months = []
    for month, uses in sorted(answer.occupation.items()):
        year, number = month.split("-")
        values = []
        for kind in kinds:
            use = uses.get(kind)
            values.append(round(100 * use.used / use.available) if use and use.available else 0)
        months.append(
            {"month": month, "label": f"{MONTHS[int(number) - 1]} {year}", "values": values}
        )
    return {
        "status": "done",
        "overlapping": {"cohorts": answer.cohorts, "learners": answer.learners},
        "sequential": {
            "cohorts": answer.sequential_cohorts,
            "learners": answer.sequential_learners,
        },
        "starts": [day.isoformat() for day in answer.starts],
        "summary": answer.summary,
        "binding": " ".join(answer.binding),
        "one_more": [_named(unit.sentence, names) for unit in answer.extra_units],
        "binding_resources": [_named(u.label, names) for u in binding_resources(answer)],
        "planner": answer.planner,
        "occupation": {
            "labs": [{"id": kind, "name": str(labels.get(kind, kind))} for kind in kinds],
            "months": months,
        },
    }
