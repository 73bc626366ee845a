"""Referrals, acceptance, enrolment, completion and drop-out with reasons."""

import pytest

from tremplin.engine.indicators import Candidacy, Enrolment, completion, referrals


def statuses(*values):
    return [Candidacy(v) for v in values]


def test_acceptance_is_out_of_the_answered_candidacies():
    result = referrals(
        statuses(
            "new", "invited", "positioning", "waitlisted",  # pending
            "accepted", "enrolled", "enrolled",  # accepted
            "refused",
            "withdrawn",
        )
    )  # fmt: skip
    assert result.referred == 9
    assert result.pending == 4
    assert result.withdrawn == 1
    assert (result.acceptance.numerator, result.acceptance.denominator) == (3, 4)
    assert result.acceptance.value == 0.75
    assert (result.enrolment.numerator, result.enrolment.denominator) == (2, 3)
    assert result.enrolled == 2


def test_no_candidacy_is_no_data():
    result = referrals([])
    assert result.referred == 0
    assert result.acceptance.value is None
    assert result.enrolment.value is None


def test_only_pending_candidacies_have_no_acceptance_rate_yet():
    result = referrals(statuses("new", "waitlisted"))
    assert result.acceptance.no_data
    assert result.pending == 2


def test_unknown_status_is_refused():
    with pytest.raises(ValueError, match="candidacy status"):
        Candidacy("hired")


def test_completion_and_drop_out_among_ended_enrolments():
    result = completion(
        [
            Enrolment("completed"),
            Enrolment("completed"),
            Enrolment("completed"),
            Enrolment("dropped_out", "found_job"),
            Enrolment("dropped_out", "health"),
            Enrolment("dropped_out", "found_job"),
            Enrolment("dropped_out"),
            Enrolment("excluded", "absences"),
            Enrolment("in_training"),
            Enrolment("in_training"),
        ]
    )
    assert (result.enrolled, result.in_training) == (10, 2)
    assert (result.completed.numerator, result.completed.denominator) == (3, 8)
    assert result.dropped_out.value == 0.5
    assert result.excluded.value == 0.125
    assert result.drop_out_reasons == (("found_job", 2), ("", 1), ("health", 1))
    assert result.exclusion_reasons == (("absences", 1),)


def test_a_cohort_still_in_training_has_no_completion_rate():
    result = completion([Enrolment("in_training")] * 3)
    assert result.completed.value is None
    assert result.dropped_out.value is None
    assert result.drop_out_reasons == ()


def test_completion_of_nobody_is_no_data():
    result = completion([])
    assert result.enrolled == 0
    assert result.completed.no_data


def test_only_an_early_end_has_a_reason():
    with pytest.raises(ValueError, match="reason"):
        Enrolment("completed", "health")
