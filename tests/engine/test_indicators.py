"""The funnel engine: counts, rates and consistency, on plain facts."""

import pytest

from tremplin.engine.indicators import CandidacyFacts, funnels


def facts(group, accepted, enrolled, completed, employed):
    return CandidacyFacts(
        group=group, accepted=accepted, enrolled=enrolled, completed=completed, employed_6m=employed
    )


def test_funnel_counts_and_rates():
    rows = [
        facts("A", True, True, True, True),
        facts("A", True, True, True, False),
        facts("A", True, True, False, False),
        facts("A", False, False, False, False),
        facts("B", True, False, False, False),
    ]
    per_group, total = funnels(rows, total_label="Site")
    assert [f.group for f in per_group] == ["A", "B"]
    assert [s.count for s in per_group[0].stages] == [4, 3, 3, 2, 1]
    assert [s.count for s in total.stages] == [5, 4, 3, 2, 1]
    assert total.stages[0].rate_from_previous is None
    assert total.stages[1].rate_from_previous == 0.8
    assert total.stages[4].rate_from_previous == 0.5
    assert total.stages[4].rate_from_start == 0.2
    assert total.count("employed_6m") == 1


def test_empty_funnel_has_no_rates():
    per_group, total = funnels([], total_label="Site")
    assert per_group == []
    assert all(s.count == 0 and s.rate_from_start is None for s in total.stages)


def test_inconsistent_facts_are_rejected():
    with pytest.raises(ValueError, match="inconsistent"):
        funnels([facts("A", False, True, False, False)], total_label="Site")
