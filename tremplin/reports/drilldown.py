"""Drill-down from a dashboard figure to the people behind it (issue 7 §3), for the roles that
may see names (the site's coordinators, network admins; never funders).

Each person's row of ``LearnerFacts`` is counted alone, the way ``reports.counting``
counts a site's rows in SQL, and the same engine turns those counts into indicators: a person
is in a figure's denominator (numerator) when their own figure has a denominator (numerator)
of 1. The definitions stay in the engine; a test checks that the people listed add up to the
dashboard's figures.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Q
from django.utils import timezone

from tremplin.engine.indicators import Figure
from tremplin.engine.indicators import vocabulary as engine_vocabulary
from tremplin.organisations.models import Site
from tremplin.outcomes.enums import EMPLOYED_SITUATIONS
from tremplin.people.models import Person

from .counting import MILESTONES, SiteCounts
from .models import LearnerFacts
from .selectors import (
    IndicatorFilters,
    SiteIndicators,
    _facts,
    _indicators,
)


def _employment(index: int) -> Callable[[SiteIndicators], Figure]:
    def pick(ind: SiteIndicators) -> Figure:
        return ind.employment[index].rate

    return pick


# The dashboard rows one can open, and where each one's figure sits in SiteIndicators.
DRILLABLE: dict[str, Callable[[SiteIndicators], Figure]] = {
    "acceptance": lambda ind: ind.referrals.acceptance,
    "enrolment": lambda ind: ind.referrals.enrolment,
    "completed": lambda ind: ind.completion.completed,
    "dropped_out": lambda ind: ind.completion.dropped_out,
    "excluded": lambda ind: ind.completion.excluded,
    **{f"employment_{m}": _employment(i) for i, m in enumerate(MILESTONES)},
    "positive_outcomes": lambda ind: ind.positive_outcomes.rate,
    "retention": lambda ind: ind.retention.rate,
    "satisfied": lambda ind: ind.satisfaction.satisfied,
    "survey_response": lambda ind: ind.satisfaction.response,
}


def row_counts(row: LearnerFacts, as_of: datetime.date) -> SiteCounts:
    """One person's counts, keyed as ``reports.counting`` keys a site's."""
    counts = SiteCounts()
    counts.statuses[row.candidacy_status] += 1
    if row.enrolment_status:
        counts.enrolments[(row.enrolment_status, row.end_reason)] += 1
    if row.surveyed:
        counts.surveyed += 1
    if row.satisfaction is not None:
        counts.scores[row.satisfaction] += 1
    if row.ended_on is not None:
        employed_6 = bool(
            row.due_m6 and row.due_m6 <= as_of and row.situation_m6 in EMPLOYED_SITUATIONS
        )
        for milestone in MILESTONES:
            due_on = getattr(row, f"due_{milestone}")
            situation = getattr(row, f"situation_{milestone}")
            key = (
                due_on is not None and due_on <= as_of,
                situation or engine_vocabulary.UNKNOWN_SITUATION,
            )
            counts.milestones[milestone][key] += 1
            if milestone == "m12" and employed_6:
                counts.employed_at_6[key] += 1
        assert row.job_days is not None  # set on every row that has left
        counts.job_search[(row.job_days, row.hired)] += 1
    return counts


@dataclass(frozen=True)
class PersonLine:
    person: Person
    cohort_name: str
    in_numerator: bool


@dataclass(frozen=True)
class DrillDown:
    key: str
    figure: Figure  # the sum of the people's own figures: the dashboard's figure
    people: list[PersonLine]  # those in the denominator, by name


def drill_down(site: Site, key: str, filters: IndicatorFilters | None = None) -> DrillDown:
    """The people in ``key``'s denominator at ``site``, and whether each is in its numerator,
    in 3 queries (the facts, their people, their cohorts' names)."""
    pick = DRILLABLE[key]
    as_of = timezone.localdate()
    rows = list(_facts(Q(site_id=site.pk), filters or IndicatorFilters()).select_related("cohort"))
    people = Person.objects.in_bulk([row.person_id for row in rows])
    lines: list[PersonLine] = []
    numerator = denominator = 0
    for row in rows:
        own = pick(_indicators(row_counts(row, as_of), as_of=as_of))
        if not own.denominator:
            continue
        denominator += 1
        numerator += own.numerator
        lines.append(PersonLine(people[row.person_id], row.cohort.name, bool(own.numerator)))
    lines.sort(key=lambda line: (line.person.last_name, line.person.first_name, line.person.pk))
    return DrillDown(key, Figure(numerator, denominator), lines)
