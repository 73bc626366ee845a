"""Cost per learner and per positive outcome, from each cohort's budget.

A cohort whose budget is not recorded (None) makes every cost it takes part in unavailable:
an unknown budget is not a zero budget, and a total over the cohorts whose budget is known
would divide part of the spending by all of the people. Definitions: docs/indicators.md,
« Coûts ».
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

__all__ = ["CohortBudget", "Cost", "Costs", "cost_per", "costs", "costs_from_totals"]

_CENT = Decimal("0.01")


@dataclass(frozen=True, slots=True)
class CohortBudget:
    """One cohort: its total budget in euros (None when not recorded), the learners who
    entered it and its positive outcomes (« sorties dynamiques », see employment.py)."""

    budget: Decimal | None
    learners: int
    positive_outcomes: int

    def __post_init__(self) -> None:
        if self.budget is not None and self.budget < 0:
            raise ValueError(f"negative budget: {self!r}")
        if not 0 <= self.positive_outcomes <= self.learners:
            raise ValueError(f"positive outcomes out of range: {self!r}")


@dataclass(frozen=True, slots=True)
class Cost:
    """``budget`` divided among ``people``; ``value`` None when either is missing."""

    budget: Decimal | None
    people: int
    value: Decimal | None


def cost_per(budget: Decimal | None, people: int) -> Cost:
    if people < 0:
        raise ValueError(f"negative count: {people}")
    if budget is None or people == 0:
        return Cost(budget, people, None)
    return Cost(budget, people, (budget / people).quantize(_CENT, rounding=ROUND_HALF_UP))


@dataclass(frozen=True, slots=True)
class Costs:
    per_learner: Cost
    per_positive_outcome: Cost
    # Cohorts with no budget recorded; any makes both costs unavailable.
    cohorts_without_budget: int


def costs(cohorts: Iterable[CohortBudget]) -> Costs:
    budget = Decimal(0)
    learners = outcomes = without_budget = 0
    for cohort in cohorts:
        learners += cohort.learners
        outcomes += cohort.positive_outcomes
        if cohort.budget is None:
            without_budget += 1
        else:
            budget += cohort.budget
    return costs_from_totals(
        budget=budget, learners=learners, positive_outcomes=outcomes, without_budget=without_budget
    )


def costs_from_totals(
    *, budget: Decimal, learners: int, positive_outcomes: int, without_budget: int
) -> Costs:
    """``costs`` from the totals over the cohorts: the budgets recorded (summed), learners,
    positive outcomes, and how many cohorts have no budget (any makes both costs unavailable)."""
    if budget < 0 or learners < 0 or without_budget < 0 or not 0 <= positive_outcomes <= learners:
        raise ValueError(
            f"inconsistent totals: {budget}, {learners}, {positive_outcomes}, {without_budget}"
        )
    total: Decimal | None = None if without_budget else budget
    outcomes = positive_outcomes
    return Costs(
        per_learner=cost_per(total, learners),
        per_positive_outcome=cost_per(total, outcomes),
        cohorts_without_budget=without_budget,
    )
