"""Satisfaction survey figures: per-question mean and distribution, response rate.

Pure Python (no Django): the quality selectors hand in the scores, this computes the figures.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

SCALE = (1, 2, 3, 4, 5)


@dataclass(frozen=True)
class ScaleSummary:
    count: int
    mean: float | None  # None when nobody answered
    distribution: tuple[int, ...]  # how many gave 1, 2, 3, 4, 5


def summarise_scale(scores: Iterable[int]) -> ScaleSummary:
    """Mean (rounded to one decimal) and distribution of 1–5 scores; others are an error."""
    counts = dict.fromkeys(SCALE, 0)
    for score in scores:
        if score not in counts:
            raise ValueError(f"score out of the 1–5 scale: {score!r}")
        counts[score] += 1
    count = sum(counts.values())
    total = sum(value * n for value, n in counts.items())
    mean = round(total / count, 1) if count else None
    return ScaleSummary(count=count, mean=mean, distribution=tuple(counts[v] for v in SCALE))


def response_rate(answered: int, invited: int) -> float | None:
    """Share of invitations answered, or None before any invitation is sent."""
    if answered < 0 or invited < 0 or answered > invited:
        raise ValueError(f"answered {answered} of {invited} invited")
    return answered / invited if invited else None
