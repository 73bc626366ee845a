"""Time from exit to first job, as a Kaplan–Meier curve with right-censoring.

A learner who has found work contributes an event at the number of days between exit and the
first job (0 when hired before or on the day of exit). A learner not yet known to be employed
is censored at their last known date: we know they had no job for that long, not what came
after. The product-limit estimator keeps them in the « at risk » count up to that day, which a
plain average of the known delays would not. Definitions: docs/indicators.md.

Estimator (Kaplan and Meier, 1958): at each distinct event time t, with n people still at risk
(time ≥ t) and d of them hired at t, S(t) = S(previous) × (1 − d / n). S is the share still
without a job; 1 − S the share hired. People censored at t count as at risk at t (the usual
convention: a hire on the day comes before losing sight of someone that day).
"""

from __future__ import annotations

import datetime
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

__all__ = [
    "JobSearch",
    "Step",
    "SurvivalCurve",
    "kaplan_meier",
    "kaplan_meier_weighted",
    "time_to_first_job",
]


@dataclass(frozen=True, slots=True)
class JobSearch:
    """One learner who has left: first job date if known, else the last date they were known
    to be without a job (the latest follow-up, or the exit date when there is none)."""

    exited_on: datetime.date
    first_job_on: datetime.date | None
    last_known_on: datetime.date

    def __post_init__(self) -> None:
        if self.last_known_on < self.exited_on:
            raise ValueError(f"last known before exit: {self!r}")

    @property
    def days(self) -> int:
        """Days to the event (first job) or to censoring."""
        end = self.last_known_on if self.first_job_on is None else self.first_job_on
        return max(0, (end - self.exited_on).days)

    @property
    def hired(self) -> bool:
        return self.first_job_on is not None


@dataclass(frozen=True, slots=True)
class Step:
    """The curve at one event time."""

    time: int
    at_risk: int
    events: int
    censored: int  # censored at this time (they still count in ``at_risk``)
    survival: float  # share still without a job just after ``time``

    @property
    def hired_share(self) -> float:
        return 1 - self.survival


@dataclass(frozen=True, slots=True)
class SurvivalCurve:
    people: int
    events: int
    censored: int
    steps: tuple[Step, ...]
    # Smallest time at which the survival falls to 0.5 or below; None if it never does
    # (fewer than half known to be hired): the median is then « not reached », not a number.
    median: int | None

    def survival_at(self, time: int) -> float:
        """S(time): 1 before the first event, then the last step at or before ``time``."""
        survival = 1.0
        for step in self.steps:
            if step.time > time:
                break
            survival = step.survival
        return survival


def kaplan_meier(observations: Iterable[tuple[int, bool]]) -> SurvivalCurve:
    """The product-limit estimate from (time, event) pairs; event False means censored."""
    return kaplan_meier_weighted((time, event, 1) for time, event in observations)


def kaplan_meier_weighted(observations: Iterable[tuple[int, bool, int]]) -> SurvivalCurve:
    """The same estimate from (time, event, how many people) triples, e.g. a GROUP BY on
    (time, event): the curve depends on the counts only."""
    events_at: Counter[int] = Counter()
    censored_at: Counter[int] = Counter()
    for time, event, count in observations:
        if time < 0:
            raise ValueError(f"negative time: {time}")
        if count < 0:
            raise ValueError(f"negative count at {time}: {count}")
        if count:
            (events_at if event else censored_at)[time] += count
    people = events_at.total() + censored_at.total()
    at_risk = people
    survival = 1.0
    steps: list[Step] = []
    median: int | None = None
    for time in sorted(events_at.keys() | censored_at.keys()):
        events, censored = events_at[time], censored_at[time]
        if events:
            survival *= 1 - events / at_risk
            steps.append(Step(time, at_risk, events, censored, round(survival, 6)))
            # The tolerance keeps an exact 0.5 (e.g. 1 − 3/6) from missing by a rounding bit.
            if median is None and survival <= 0.5 + 1e-12:
                median = time
        at_risk -= events + censored
    return SurvivalCurve(
        people=people,
        events=events_at.total(),
        censored=censored_at.total(),
        steps=tuple(steps),
        median=median,
    )


def time_to_first_job(people: Iterable[JobSearch]) -> SurvivalCurve:
    """Days from exit to first job, with the not-yet-hired censored at their last known date."""
    return kaplan_meier((person.days, person.hired) for person in people)
