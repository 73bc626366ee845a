"""The engine's plain strings stay equal to the apps' enums they mirror."""

from tremplin.candidacies.enums import CandidacyStatus
from tremplin.cohorts.enums import EnrolmentStatus
from tremplin.engine.indicators import vocabulary
from tremplin.outcomes.enums import (
    EMPLOYED_SITUATIONS,
    LASTING_EMPLOYMENT_SITUATIONS,
    MILESTONE_MONTHS,
    Situation,
)
from tremplin.people.enums import Diploma


def test_values_mirror_the_enums():
    assert tuple(Situation.values) == vocabulary.SITUATIONS
    assert vocabulary.UNKNOWN_SITUATION == Situation.UNKNOWN
    assert {str(k): v for k, v in MILESTONE_MONTHS.items()} == vocabulary.MILESTONE_MONTHS
    assert tuple(CandidacyStatus.values) == vocabulary.CANDIDACY_STATUSES
    assert tuple(EnrolmentStatus.values) == vocabulary.ENROLMENT_STATUSES
    assert tuple(Diploma.values) == vocabulary.DIPLOMAS


def test_situation_sets_agree_with_the_outcomes_app():
    assert {str(s) for s in EMPLOYED_SITUATIONS} == vocabulary.EMPLOYED_SITUATIONS
    assert {str(s) for s in LASTING_EMPLOYMENT_SITUATIONS} == vocabulary.POSITIVE_OUTCOME_SITUATIONS
    # Every situation is decided: positive, undetermined, or neither — never two at once.
    assert not vocabulary.POSITIVE_OUTCOME_SITUATIONS & vocabulary.UNDETERMINED_OUTCOME_SITUATIONS
