"""Figures: no data instead of 0 % or a division error, and the small-cell rule."""

import pytest

from tremplin.engine.indicators import Figure, figure, suppressed


def test_value_is_the_share_rounded_to_four_decimals():
    seven_of_twelve = figure(7, 12)
    assert (seven_of_twelve.numerator, seven_of_twelve.denominator) == (7, 12)
    assert seven_of_twelve.value == 0.5833
    assert seven_of_twelve.people == 12
    assert not seven_of_twelve.no_data


def test_empty_population_is_no_data_not_zero():
    empty = figure(0, 0)
    assert empty.value is None
    assert empty.no_data
    assert figure(0, 3).value == 0.0


@pytest.mark.parametrize(("numerator", "denominator"), [(-1, 3), (4, 3), (1, 0)])
def test_impossible_figures_are_refused(numerator, denominator):
    with pytest.raises(ValueError, match="numerator"):
        Figure(numerator, denominator)


@pytest.mark.parametrize(
    ("numerator", "denominator", "hidden"),
    [
        (0, 0, False),  # no data says nothing about anyone
        (1, 1, True),
        (0, 4, True),  # about 4 people, even with nobody counted
        (4, 4, True),
        (0, 5, False),  # the threshold: 5 people is shown
        (1, 12, False),  # outcomes: a low rate on enough people is shown
        (11, 12, False),
    ],
)
def test_small_cell_rule_on_the_population(numerator, denominator, hidden):
    assert suppressed(figure(numerator, denominator)) is hidden


@pytest.mark.parametrize(
    ("numerator", "denominator", "hidden"),
    [
        (0, 12, False),
        (1, 12, True),  # the one person on RSA
        (4, 12, True),
        (5, 12, False),
        (7, 12, False),
        (8, 12, True),  # the 4 who are not
        (11, 12, True),
        (12, 12, False),  # everyone: says no more than the cohort's criteria
    ],
)
def test_attribute_shares_also_protect_numerator_and_complement(numerator, denominator, hidden):
    assert suppressed(figure(numerator, denominator, describes_attribute=True)) is hidden


def test_minimum_is_a_parameter():
    assert suppressed(figure(3, 9), minimum=10)
    assert not suppressed(figure(3, 9), minimum=3)
    with pytest.raises(ValueError, match="minimum"):
        suppressed(figure(1, 2), minimum=0)


def test_a_bare_count_of_people_follows_the_same_rule():
    assert [suppressed(n) for n in (0, 1, 4, 5, 40)] == [False, True, True, False, False]
