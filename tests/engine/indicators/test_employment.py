"""Employment per milestone, « sortie dynamique » and retention, with unknowns and due dates."""

import datetime

import pytest
from dateutil.relativedelta import relativedelta

from tremplin.engine.indicators import (
    FollowUps,
    add_months,
    employment,
    employment_by_milestone,
    fixed_term_situation,
    positive_outcomes,
    retention,
)

EXIT = datetime.date(2025, 1, 31)
# 31 Jan + 6 months = 31 Jul; + 12 months = 31 Jan 2026.
AS_OF = datetime.date(2025, 9, 1)


def left(**situations):
    return FollowUps(exited_on=EXIT, situations=situations)


def test_follow_up_dates_clamp_to_the_end_of_a_short_month():
    assert add_months(EXIT, 1) == datetime.date(2025, 2, 28)
    assert add_months(datetime.date(2023, 8, 31), 6) == datetime.date(2024, 2, 29)
    assert add_months(datetime.date(2024, 11, 15), 3) == datetime.date(2025, 2, 15)
    # The same rule as the apps' relativedelta.
    for day in (datetime.date(2024, 1, 31), datetime.date(2024, 3, 30), EXIT):
        for months in (0, 3, 6, 12, 25):
            assert add_months(day, months) == day + relativedelta(months=months)


def test_employment_counts_unknowns_in_the_denominator():
    people = [
        left(exit="cdi", m3="cdi", m6="cdi"),
        left(exit="job_seeking", m3="cdd_short", m6="interim"),
        left(exit="training", m3="training", m6="apprenticeship"),
        left(exit="job_seeking", m6="unknown"),  # answered « inconnue »
        left(exit="inactive"),  # no follow-up at 6 months at all
    ]
    at_6 = employment(people, "m6", as_of=AS_OF)
    assert (at_6.rate.numerator, at_6.rate.denominator) == (3, 5)
    assert at_6.unknown == 2
    assert at_6.not_yet_due == 0
    assert (at_6.among_known.numerator, at_6.among_known.denominator) == (3, 3)
    assert at_6.among_known.value == 1.0
    assert (at_6.response.numerator, at_6.response.denominator) == (3, 5)
    at_exit = employment(people, "exit", as_of=AS_OF)
    assert at_exit.rate.value == 0.2
    assert at_exit.unknown == 0


def test_a_milestone_not_yet_due_is_left_out_even_if_answered_early():
    recent = FollowUps(exited_on=datetime.date(2025, 4, 1), situations={"m6": "cdi"})
    at_6 = employment([left(m6="job_seeking"), recent], "m6", as_of=AS_OF)
    assert at_6.not_yet_due == 1
    assert (at_6.rate.numerator, at_6.rate.denominator) == (0, 1)
    # Due on the very day: counted.
    on_the_day = employment([recent], "m6", as_of=datetime.date(2025, 10, 1))
    assert (on_the_day.rate.numerator, on_the_day.not_yet_due) == (1, 0)


def test_nothing_due_yet_is_no_data():
    at_12 = employment([left(m6="cdi")], "m12", as_of=AS_OF)
    assert at_12.rate.value is None
    assert at_12.among_known.value is None
    assert at_12.not_yet_due == 1
    assert employment([], "m3", as_of=AS_OF).rate.no_data


def test_unknown_milestone_or_situation_is_refused():
    with pytest.raises(ValueError, match="milestone"):
        employment([], "m24", as_of=AS_OF)
    with pytest.raises(ValueError, match="situation"):
        left(m6="freelance")
    with pytest.raises(ValueError, match="milestone"):
        left(m9="cdi")


def test_a_cdd_of_exactly_six_months_is_a_long_one():
    assert fixed_term_situation(6) == "cdd_long"
    assert fixed_term_situation(5) == "cdd_short"
    assert fixed_term_situation(18) == "cdd_long"
    with pytest.raises(ValueError, match="at least a month"):
        fixed_term_situation(0)


def test_sortie_dynamique_edge_cases():
    people = [
        left(exit="cdi"),
        left(exit=fixed_term_situation(6)),  # CDD of exactly 6 months: positive
        left(exit=fixed_term_situation(5)),  # 5 months: not
        left(exit="apprenticeship"),  # a work contract of 6 months or more, qualifying
        left(exit="interim"),  # length not recorded: undetermined
        left(exit="training"),  # qualifying or not, not recorded: undetermined
        left(exit="job_seeking"),
        left(exit="unknown"),
        left(),  # no exit follow-up
    ]
    result = positive_outcomes(people, as_of=AS_OF)
    assert (result.rate.numerator, result.rate.denominator) == (3, 9)
    assert result.undetermined == 2
    assert (result.upper_bound.numerator, result.upper_bound.denominator) == (5, 9)
    assert result.outcome.unknown == 2
    assert result.outcome.milestone == "exit"


def test_sortie_dynamique_at_another_milestone_and_with_no_data():
    at_6 = positive_outcomes([left(exit="job_seeking", m6="cdi")], "m6", as_of=AS_OF)
    assert at_6.rate.value == 1.0
    empty = positive_outcomes([], as_of=AS_OF)
    assert empty.rate.value is None
    assert empty.upper_bound.value is None


def test_retention_follows_those_in_work_at_six_months():
    later = datetime.date(2026, 3, 1)
    people = [
        left(m6="cdi", m12="cdi"),
        left(m6="cdd_short", m12="interim"),  # another job still counts
        left(m6="interim", m12="job_seeking"),
        left(m6="cdi"),  # 12-month follow-up due, missing: unknown, not retained
        left(m6="job_seeking", m12="cdi"),  # not in work at 6 months: outside
        left(m12="cdi"),  # 6-month situation unknown: outside
    ]
    result = retention(people, as_of=later)
    assert result.employed_at_6_months == 4
    assert result.unknown == 1
    assert result.not_yet_due == 0
    assert (result.rate.numerator, result.rate.denominator) == (2, 4)


def test_retention_before_twelve_months_is_not_due():
    result = retention([left(m6="cdi", m12="cdi")], as_of=AS_OF)
    assert result.employed_at_6_months == 1
    assert result.not_yet_due == 1
    assert result.rate.value is None
    assert retention([], as_of=AS_OF).rate.no_data


def test_employment_at_every_milestone():
    people = [left(exit="job_seeking", m3="cdd_short", m6="cdi"), left(exit="cdi", m3="cdi")]
    rates = employment_by_milestone(iter(people), as_of=AS_OF)
    assert [r.milestone for r in rates] == ["exit", "m3", "m6", "m12"]
    assert [(r.rate.numerator, r.rate.denominator) for r in rates] == [
        (1, 2),
        (2, 2),
        (1, 2),
        (0, 0),
    ]
    assert [r.unknown for r in rates] == [0, 0, 1, 0]
    assert rates[-1].not_yet_due == 2
