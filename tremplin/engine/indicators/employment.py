"""Situation after exit: employment at each milestone, « sortie dynamique », retention.

Fed with one ``FollowUps`` per learner who has left the programme: the exit date and the
situation recorded at each milestone (exit, +3, +6, +12 months). Computed on a given day
(``as_of``): a milestone whose date has not come yet is « not yet due » and left out of every
denominator; a milestone that is due with no follow-up, or with « situation inconnue », is
« unknown » and counts in the denominator but never in the numerator (prudent, like the WIOA
rates where a person not found counts as not employed). Definitions: docs/indicators.md.
"""

from __future__ import annotations

import calendar
import datetime
from collections import Counter
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

from .figures import Figure
from .vocabulary import (
    EMPLOYED_SITUATIONS,
    MILESTONE_MONTHS,
    POSITIVE_OUTCOME_SITUATIONS,
    SITUATIONS,
    UNDETERMINED_OUTCOME_SITUATIONS,
    UNKNOWN_SITUATION,
)

__all__ = [
    "FollowUps",
    "MilestoneRate",
    "PositiveOutcomes",
    "Retention",
    "add_months",
    "employment",
    "employment_by_milestone",
    "employment_from_counts",
    "fixed_term_situation",
    "milestone_counts",
    "positive_outcomes",
    "positive_outcomes_from_counts",
    "retention",
    "retention_from_counts",
]


def add_months(day: datetime.date, months: int) -> datetime.date:
    """The same day ``months`` later, or the month's last day when it is shorter (31 Aug + 6
    months is 28 or 29 Feb), the rule the follow-up schedule uses."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    last_day = calendar.monthrange(year, month)[1]
    return day.replace(year=year, month=month, day=min(day.day, last_day))


def fixed_term_situation(months: int) -> str:
    """The situation of a CDD lasting ``months``: 6 months exactly is already « 6 mois ou plus »."""
    if months < 1:
        raise ValueError(f"a fixed-term contract lasts at least a month, not {months}")
    return "cdd_long" if months >= 6 else "cdd_short"


@dataclass(frozen=True, slots=True)
class FollowUps:
    """One learner who has left: exit date and the situation recorded per milestone.

    A milestone missing from ``situations`` has no follow-up yet.
    """

    exited_on: datetime.date
    situations: Mapping[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for milestone, situation in self.situations.items():
            if milestone not in MILESTONE_MONTHS:
                raise ValueError(f"unknown milestone: {milestone!r}")
            if situation not in SITUATIONS:
                raise ValueError(f"unknown situation: {situation!r}")
        # Frozen all the way down: the facts cannot change under a computation.
        object.__setattr__(self, "situations", MappingProxyType(dict(self.situations)))

    def due_on(self, milestone: str) -> datetime.date:
        return add_months(self.exited_on, MILESTONE_MONTHS[milestone])

    def is_due(self, milestone: str, as_of: datetime.date) -> bool:
        return self.due_on(milestone) <= as_of

    def situation(self, milestone: str) -> str:
        """The recorded situation, « unknown » when there is no follow-up."""
        return self.situations.get(milestone, UNKNOWN_SITUATION)


@dataclass(frozen=True, slots=True)
class MilestoneRate:
    """One milestone: who counts, who is unknown, who is not due yet."""

    milestone: str
    not_yet_due: int
    unknown: int
    # Numerator out of everyone due (unknowns included): the headline figure.
    rate: Figure
    # The same numerator out of the situations known: shown beside it, never instead.
    among_known: Figure

    @property
    def due(self) -> int:
        return self.rate.denominator

    @property
    def response(self) -> Figure:
        """Situations known out of those due: how much the figure rests on."""
        return Figure(self.due - self.unknown, self.due)


# People per (due at ``as_of``, situation at the milestone — « unknown » when not recorded):
# what a milestone's figures need, from facts or from a GROUP BY in the database.
MilestoneCounts = Mapping[tuple[bool, str], int]


def milestone_counts(
    people: Iterable[FollowUps], milestone: str, *, as_of: datetime.date
) -> Counter[tuple[bool, str]]:
    """How many people are (due or not, in each situation) at ``milestone`` on ``as_of``."""
    if milestone not in MILESTONE_MONTHS:
        raise ValueError(f"unknown milestone: {milestone!r}")
    return Counter((p.is_due(milestone, as_of), p.situation(milestone)) for p in people)


def _check_counts(counts: MilestoneCounts) -> None:
    for (_due, situation), count in counts.items():
        if situation not in SITUATIONS:
            raise ValueError(f"unknown situation: {situation!r}")
        if count < 0:
            raise ValueError(f"negative count of {situation!r}: {count}")


def _rate_from_counts(
    milestone: str, counts: MilestoneCounts, counted: Collection[str]
) -> MilestoneRate:
    if milestone not in MILESTONE_MONTHS:
        raise ValueError(f"unknown milestone: {milestone!r}")
    _check_counts(counts)
    not_yet_due = sum(n for (due, _s), n in counts.items() if not due)
    due = sum(n for (is_due, _s), n in counts.items() if is_due)
    unknown = sum(n for (is_due, s), n in counts.items() if is_due and s == UNKNOWN_SITUATION)
    hits = sum(n for (is_due, s), n in counts.items() if is_due and s in counted)
    return MilestoneRate(
        milestone=milestone,
        not_yet_due=not_yet_due,
        unknown=unknown,
        rate=Figure(hits, due),
        among_known=Figure(hits, due - unknown),
    )


def employment_from_counts(milestone: str, counts: MilestoneCounts) -> MilestoneRate:
    """``employment`` from the people per (due, situation) at ``milestone``."""
    return _rate_from_counts(milestone, counts, EMPLOYED_SITUATIONS)


def employment(
    people: Iterable[FollowUps], milestone: str, *, as_of: datetime.date
) -> MilestoneRate:
    """In paid work (any contract) at ``milestone``, among learners for whom it is due."""
    return employment_from_counts(milestone, milestone_counts(people, milestone, as_of=as_of))


def employment_by_milestone(
    people: Iterable[FollowUps], *, as_of: datetime.date
) -> tuple[MilestoneRate, ...]:
    """Employment at exit, 3, 6 and 12 months, in that order."""
    everyone = list(people)
    return tuple(employment(everyone, milestone, as_of=as_of) for milestone in MILESTONE_MONTHS)


@dataclass(frozen=True, slots=True)
class PositiveOutcomes:
    """« Sortie dynamique » at one milestone, with what the follow-up cannot decide."""

    outcome: MilestoneRate
    # Due and in interim or training: length / qualifying nature not recorded.
    undetermined: int

    @property
    def rate(self) -> Figure:
        return self.outcome.rate

    @property
    def upper_bound(self) -> Figure:
        """The rate if every undetermined situation turned out positive."""
        return Figure(self.rate.numerator + self.undetermined, self.rate.denominator)


def positive_outcomes(
    people: Iterable[FollowUps], milestone: str = "exit", *, as_of: datetime.date
) -> PositiveOutcomes:
    """« Sortie dynamique » at ``milestone`` (at exit unless told), among those due."""
    return positive_outcomes_from_counts(
        milestone_counts(people, milestone, as_of=as_of), milestone
    )


def positive_outcomes_from_counts(
    counts: MilestoneCounts, milestone: str = "exit"
) -> PositiveOutcomes:
    """``positive_outcomes`` from the people per (due, situation) at ``milestone``."""
    outcome = _rate_from_counts(milestone, counts, POSITIVE_OUTCOME_SITUATIONS)
    undetermined = sum(
        n for (due, s), n in counts.items() if due and s in UNDETERMINED_OUTCOME_SITUATIONS
    )
    return PositiveOutcomes(outcome=outcome, undetermined=undetermined)


@dataclass(frozen=True, slots=True)
class Retention:
    """Still in work at 12 months among those in work at 6 months."""

    employed_at_6_months: int
    # Employed at 6 months, 12-month follow-up not due yet.
    not_yet_due: int
    # Employed at 6 months, 12-month follow-up due but unknown.
    unknown: int
    rate: Figure


def retention(people: Iterable[FollowUps], *, as_of: datetime.date) -> Retention:
    employed_at_6 = [
        p for p in people if p.is_due("m6", as_of) and p.situation("m6") in EMPLOYED_SITUATIONS
    ]
    return retention_from_counts(milestone_counts(employed_at_6, "m12", as_of=as_of))


def retention_from_counts(employed_at_6: MilestoneCounts) -> Retention:
    """``retention`` from the people due and in work at 6 months, per (due, situation) at 12
    months."""
    at_12 = employment_from_counts("m12", employed_at_6)
    return Retention(
        employed_at_6_months=sum(employed_at_6.values()),
        not_yet_due=at_12.not_yet_due,
        unknown=at_12.unknown,
        rate=at_12.rate,
    )
