"""The retention rules as pure functions: due dates, the warning window, the winning rule."""

import datetime

from tremplin.gdpr.enums import RetentionKind
from tremplin.gdpr.retention import (
    DEFAULT_TRAINING_YEARS,
    RULES_BY_KIND,
    CandidacyFacts,
    add_years,
    candidacy_due,
    decide,
    person_due,
    training_years,
)

D = datetime.date


def test_add_years_moves_29_february_to_the_28th() -> None:
    assert add_years(D(2024, 2, 29), 2) == D(2026, 2, 28)
    assert add_years(D(2024, 2, 29), 4) == D(2028, 2, 29)
    assert add_years(D(2025, 6, 3), 10) == D(2035, 6, 3)


def test_a_candidacy_without_enrolment_is_due_two_years_after_its_last_activity() -> None:
    due = candidacy_due(CandidacyFacts(1, last_activity=D(2025, 3, 10), training_end=None))
    assert due.on == D(2027, 3, 10)
    assert due.kind == RetentionKind.CANDIDACY
    assert due.warn_from() == D(2027, 2, 8)  # 30 days before


def test_a_training_record_is_kept_for_the_longest_requirement() -> None:
    assert training_years([]) == DEFAULT_TRAINING_YEARS == 6
    assert training_years([3, 10]) == 10
    assert training_years([3]) == 3
    due = candidacy_due(
        CandidacyFacts(1, D(2025, 1, 1), training_end=D(2025, 9, 30), training_years=10)
    )
    assert (due.on, due.kind) == (D(2035, 9, 30), RetentionKind.TRAINING)
    assert RULES_BY_KIND[RetentionKind.TRAINING].years is None  # per funder or programme


def test_the_person_is_kept_while_any_rule_keeps_them() -> None:
    old_refusal = CandidacyFacts(1, D(2019, 5, 1), None)
    training = CandidacyFacts(2, D(2020, 1, 1), D(2020, 6, 30), 3)
    recent = CandidacyFacts(3, D(2024, 11, 2), None)
    assert person_due([old_refusal, training], D(2019, 1, 1)).on == D(2023, 6, 30)
    due = person_due([old_refusal, training, recent], D(2019, 1, 1))
    assert (due.on, due.kind) == (D(2026, 11, 2), RetentionKind.CANDIDACY)
    # No candidacy at all (a record left by a merge): two years after its creation.
    assert person_due([], D(2024, 4, 1)).on == D(2026, 4, 1)
    assert person_due([], D(2024, 4, 1)).kind == RetentionKind.CONTACT


def test_decide_warns_thirty_days_before_then_anonymises() -> None:
    due = candidacy_due(CandidacyFacts(1, D(2024, 12, 31), None))  # due 2026-12-31
    assert decide(due, D(2026, 11, 30)).action == "keep"
    assert decide(due, D(2026, 12, 1)).action == "warn"
    assert decide(due, D(2026, 12, 30)).action == "warn"
    assert decide(due, D(2026, 12, 31)).action == "anonymise"
