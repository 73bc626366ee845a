"""The site funnel, referred → employed at 6 months, computed from plain facts per candidacy.

Definitions (docs/indicators.md):
- referred: every candidacy;
- accepted: candidacies that reached « acceptée » (accepted now, or enrolled since);
- enrolled: candidacies with an enrolment;
- completed: enrolments that ended as « parcours terminé »;
- employed at 6 months: enrolments whose 6-month follow-up records paid work.
Each rate is relative to the previous stage, and to « referred » for the overall rate.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

STAGES: tuple[tuple[str, str], ...] = (
    ("referred", "Orientés"),
    ("accepted", "Acceptés"),
    ("enrolled", "Entrés en formation"),
    ("completed", "Parcours terminé"),
    ("employed_6m", "En emploi à 6 mois"),
)


@dataclass(frozen=True, slots=True)
class CandidacyFacts:
    """What the funnel needs to know about one candidacy, nothing personal."""

    group: str
    accepted: bool
    enrolled: bool
    completed: bool
    employed_6m: bool


@dataclass(frozen=True, slots=True)
class FunnelStage:
    key: str
    label: str
    count: int
    rate_from_previous: float | None
    rate_from_start: float | None


@dataclass(frozen=True, slots=True)
class Funnel:
    group: str
    stages: tuple[FunnelStage, ...]

    def count(self, key: str) -> int:
        for stage in self.stages:
            if stage.key == key:
                return stage.count
        raise KeyError(key)


def _rate(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None


def _funnel(group: str, facts: list[CandidacyFacts]) -> Funnel:
    counts = {
        "referred": len(facts),
        "accepted": sum(f.accepted for f in facts),
        "enrolled": sum(f.enrolled for f in facts),
        "completed": sum(f.completed for f in facts),
        "employed_6m": sum(f.employed_6m for f in facts),
    }
    stages = []
    previous: int | None = None
    for key, label in STAGES:
        count = counts[key]
        stages.append(
            FunnelStage(
                key=key,
                label=label,
                count=count,
                rate_from_previous=None if previous is None else _rate(count, previous),
                rate_from_start=_rate(count, counts["referred"]),
            )
        )
        previous = count
    return Funnel(group=group, stages=tuple(stages))


def check_consistent(fact: CandidacyFacts) -> None:
    """Each stage implies the previous one; anything else is a data error upstream."""
    chain = (fact.accepted, fact.enrolled, fact.completed, fact.employed_6m)
    for earlier, later in zip(chain, chain[1:], strict=False):
        if later and not earlier:
            raise ValueError(f"inconsistent funnel facts: {fact!r}")


def funnels(facts: Iterable[CandidacyFacts], *, total_label: str) -> tuple[list[Funnel], Funnel]:
    """One funnel per group (e.g. cohort) in first-seen order, and the total over all groups."""
    by_group: dict[str, list[CandidacyFacts]] = {}
    everything: list[CandidacyFacts] = []
    for fact in facts:
        check_consistent(fact)
        by_group.setdefault(fact.group, []).append(fact)
        everything.append(fact)
    return [_funnel(g, fs) for g, fs in by_group.items()], _funnel(total_label, everything)
