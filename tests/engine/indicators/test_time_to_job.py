"""Kaplan–Meier time to first job, checked against a textbook example and by hand."""

import datetime

import pytest

from tremplin.engine.indicators import JobSearch, kaplan_meier, time_to_first_job

# Freireich et al. (1963), 6-MP arm: weeks of remission, "+" censored. The classic example of
# Gehan (1965) and of Kleinbaum & Klein, « Survival Analysis », chapter 2.
SIX_MP = [6, 6, 6, "6+", 7, "9+", 10, "10+", "11+", 13, 16, "17+", "19+", "20+", 22, 23,
          "25+", "32+", "32+", "34+", "35+"]  # fmt: skip


def observations(values):
    return [(int(str(v).rstrip("+")), not str(v).endswith("+")) for v in values]


def test_textbook_example():
    curve = kaplan_meier(observations(SIX_MP))
    assert (curve.people, curve.events, curve.censored) == (21, 9, 12)
    table = [(s.time, s.at_risk, s.events, round(s.survival, 3)) for s in curve.steps]
    assert table == [
        (6, 21, 3, 0.857),
        (7, 17, 1, 0.807),
        (10, 15, 1, 0.753),
        (13, 12, 1, 0.690),
        (16, 11, 1, 0.627),
        (22, 7, 1, 0.538),
        (23, 6, 1, 0.448),
    ]
    assert curve.median == 23
    assert curve.steps[0].censored == 1  # the 6+ is at risk at 6
    assert curve.survival_at(5) == 1.0
    assert round(curve.survival_at(21), 3) == 0.627
    assert round(curve.steps[-1].hired_share, 3) == 0.552


def test_small_case_by_hand_with_an_exact_half():
    # Times 1, 2+, 3, 3, 4+, 5: S(1) = 5/6; at 3, 4 at risk, 2 hired: 5/6 × 2/4 = 5/12;
    # at 5, 1 at risk: 0. Median 3, the first time S ≤ 0.5.
    curve = kaplan_meier([(1, True), (2, False), (3, True), (3, True), (4, False), (5, True)])
    assert [(s.time, s.at_risk, s.events) for s in curve.steps] == [(1, 6, 1), (3, 4, 2), (5, 1, 1)]
    assert [s.survival for s in curve.steps] == [pytest.approx(5 / 6), pytest.approx(5 / 12), 0.0]
    assert curve.median == 3
    # An exact half is the median (1 − 1/2 after one of two).
    assert kaplan_meier([(4, True), (9, False)]).median == 4


def test_median_not_reached_when_fewer_than_half_are_hired():
    curve = kaplan_meier([(10, True), (20, False), (30, False)])
    assert curve.median is None
    assert curve.steps[0].survival == pytest.approx(2 / 3)


def test_all_censored_and_empty_have_no_steps():
    assert kaplan_meier([(5, False), (8, False)]).steps == ()
    empty = kaplan_meier([])
    assert (empty.people, empty.steps, empty.median) == (0, (), None)


def test_negative_time_is_refused():
    with pytest.raises(ValueError, match="negative"):
        kaplan_meier([(-1, True)])


def test_days_from_exit_with_censoring_at_the_last_known_date():
    exit_day = datetime.date(2025, 1, 31)
    people = [
        # Hired before leaving (a drop-out for a job): time 0.
        JobSearch(exit_day, datetime.date(2025, 1, 20), exit_day),
        JobSearch(exit_day, datetime.date(2025, 3, 2), datetime.date(2025, 3, 2)),  # 30 days
        # Still looking at the 3-month follow-up: censored at 90 days.
        JobSearch(exit_day, None, datetime.date(2025, 5, 1)),
        # Never heard of since exit: censored at 0, at risk at 0 only.
        JobSearch(exit_day, None, exit_day),
    ]
    assert [p.days for p in people] == [0, 30, 90, 0]
    curve = time_to_first_job(people)
    assert [(s.time, s.at_risk, s.events, s.censored) for s in curve.steps] == [
        (0, 4, 1, 1),
        (30, 2, 1, 0),
    ]
    assert curve.steps[-1].survival == pytest.approx(3 / 4 * 1 / 2)
    assert curve.median == 30


def test_last_known_before_exit_is_refused():
    with pytest.raises(ValueError, match="before exit"):
        JobSearch(datetime.date(2025, 1, 31), None, datetime.date(2025, 1, 1))
