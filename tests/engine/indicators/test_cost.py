"""Cost per learner and per positive outcome: an unknown budget is not a zero budget."""

from decimal import Decimal

import pytest

from tremplin.engine.indicators import CohortBudget, cost_per, costs, suppressed


def test_cost_per_learner_and_per_positive_outcome():
    result = costs(
        [
            CohortBudget(Decimal("84000"), learners=12, positive_outcomes=7),
            CohortBudget(Decimal("70000.50"), learners=10, positive_outcomes=5),
        ]
    )
    assert result.per_learner.budget == Decimal("154000.50")
    assert result.per_learner.people == 22
    assert result.per_learner.value == Decimal("7000.02")  # 7000.0227…
    assert result.per_positive_outcome.value == Decimal("12833.38")  # 12833.375, half up
    assert result.cohorts_without_budget == 0


def test_a_cohort_without_budget_makes_the_costs_unavailable():
    result = costs(
        [
            CohortBudget(Decimal("84000"), learners=12, positive_outcomes=7),
            CohortBudget(None, learners=10, positive_outcomes=5),
        ]
    )
    assert result.per_learner.value is None
    assert result.per_learner.budget is None
    assert result.per_positive_outcome.value is None
    assert result.cohorts_without_budget == 1


def test_no_learner_or_no_positive_outcome_is_no_data_not_zero():
    result = costs([CohortBudget(Decimal("50000"), learners=4, positive_outcomes=0)])
    assert result.per_learner.value == Decimal("12500.00")
    assert result.per_positive_outcome.value is None
    assert costs([]).per_learner.value is None
    assert cost_per(Decimal("0"), 3).value == Decimal("0.00")  # a real zero budget is shown


def test_small_cell_rule_applies_to_the_people_divided_among():
    assert suppressed(cost_per(Decimal("50000"), 4))
    assert not suppressed(cost_per(Decimal("50000"), 5))


@pytest.mark.parametrize(
    ("budget", "learners", "outcomes"), [(Decimal("-1"), 1, 0), (Decimal("1"), 2, 3)]
)
def test_impossible_cohorts_are_refused(budget, learners, outcomes):
    with pytest.raises(ValueError, match="out of range|negative"):
        CohortBudget(budget, learners=learners, positive_outcomes=outcomes)
