"""Satisfaction as indicators: share satisfied and response rate, reusing the survey summary."""

import pytest

from tremplin.engine.indicators import satisfaction, suppressed


def test_share_satisfied_and_response_rate():
    result = satisfaction([5, 4, 4, 3, 2, 5], invited=8)
    assert result.summary.mean == 3.8  # 23 / 6
    assert (result.satisfied.numerator, result.satisfied.denominator) == (4, 6)
    assert result.response.value == 0.75
    assert result.people == 6
    assert not suppressed(result)


def test_no_answer_is_no_data():
    result = satisfaction([], invited=12)
    assert result.summary.mean is None
    assert result.satisfied.value is None
    assert result.response.value == 0.0
    assert satisfaction([], invited=0).response.value is None


def test_few_answers_are_hidden():
    assert suppressed(satisfaction([5, 5, 4], invited=12))


def test_more_answers_than_learners_asked_is_refused():
    with pytest.raises(ValueError, match="answers from"):
        satisfaction([5, 4], invited=1)
