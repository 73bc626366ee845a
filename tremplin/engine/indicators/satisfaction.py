"""Learner satisfaction for the indicators: the survey summary of engine/satisfaction.py, plus
the share satisfied and the response rate as figures. Definitions: docs/indicators.md."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from tremplin.engine.satisfaction import ScaleSummary, summarise_scale

from .figures import Figure

__all__ = ["SATISFIED_SCORES", "Satisfaction", "satisfaction", "satisfaction_from_counts"]

# « Satisfait » or « très satisfait » on the 1–5 scale.
SATISFIED_SCORES = frozenset({4, 5})


@dataclass(frozen=True, slots=True)
class Satisfaction:
    summary: ScaleSummary  # mean (None with no answer) and distribution
    satisfied: Figure  # answers of 4 or 5 out of the answers
    response: Figure  # answers out of learners asked

    @property
    def people(self) -> int:
        """Who answered: the population the satisfaction figures are about."""
        return self.summary.count


def satisfaction(scores: Iterable[int], *, invited: int) -> Satisfaction:
    """From the overall-satisfaction answers (one per learner) and how many were asked."""
    answers = list(scores)
    summary = summarise_scale(answers)
    if summary.count > invited:
        raise ValueError(f"{summary.count} answers from {invited} learners asked")
    return Satisfaction(
        summary=summary,
        satisfied=Figure(sum(score in SATISFIED_SCORES for score in answers), summary.count),
        response=Figure(summary.count, invited),
    )


def satisfaction_from_counts(scores: Mapping[int, int], *, invited: int) -> Satisfaction:
    """``satisfaction`` from the number of respondents per score (a GROUP BY)."""
    for score, count in scores.items():
        if count < 0:
            raise ValueError(f"negative count of score {score!r}: {count}")
    return satisfaction(
        (score for score, count in sorted(scores.items()) for _ in range(count)), invited=invited
    )
