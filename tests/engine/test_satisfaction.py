"""Survey figures: mean, distribution, response rate."""

import pytest

from tremplin.engine.satisfaction import response_rate, summarise_scale


def test_mean_and_distribution() -> None:
    summary = summarise_scale([5, 4, 4, 2])
    assert summary.count == 4
    assert summary.mean == 3.8  # 15 / 4 = 3.75, one decimal
    assert summary.distribution == (0, 1, 0, 2, 1)


def test_no_answers_has_no_mean() -> None:
    summary = summarise_scale([])
    assert (summary.count, summary.mean, summary.distribution) == (0, None, (0, 0, 0, 0, 0))


@pytest.mark.parametrize("score", [0, 6, -1])
def test_scores_off_the_scale_are_an_error(score: int) -> None:
    with pytest.raises(ValueError, match="1–5"):
        summarise_scale([3, score])


def test_response_rate() -> None:
    assert response_rate(3, 4) == 0.75
    assert response_rate(0, 0) is None
    with pytest.raises(ValueError):
        response_rate(5, 4)
