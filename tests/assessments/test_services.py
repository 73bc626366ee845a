"""Entry positioning: recorded once per enrolment, with a decision and its author."""

import datetime

import pytest
from django.db import IntegrityError, transaction

from tests import factories
from tremplin.assessments.enums import PositioningDecision, PositioningMethod
from tremplin.assessments.models import EntryPositioning
from tremplin.assessments.services import AssessmentError, positioning_record
from tremplin.cohorts.services import enrolment_end
from tremplin.core.models import AuditEntry

pytestmark = pytest.mark.django_db

GOOD = {
    "method": PositioningMethod.TEST,
    "held_on": datetime.date(2026, 9, 25),
    "score": 62,
    "result": "Bases en électricité, lecture de plan à travailler.",
    "decision": PositioningDecision.PREREQUISITES,
    "decision_note": "Module de prérequis « lecture de plans » la première semaine.",
}


def test_positioning_is_recorded_with_its_author_and_audited(world):
    enrolment = factories.enrolled(world, world.running)
    positioning = positioning_record(enrolment=enrolment, by=world.user("trainer"), **GOOD)
    positioning.refresh_from_db()
    assert positioning.enrolment == enrolment
    assert positioning.recorded_by == world.user("trainer")
    assert (positioning.score, positioning.decision) == (62, PositioningDecision.PREREQUISITES)
    assert AuditEntry.objects.filter(
        action="positioning.record", object_id=str(positioning.pk)
    ).exists()


def test_a_standard_path_after_an_interview_needs_no_score_nor_note(world):
    enrolment = factories.enrolled(world, world.running)
    positioning = positioning_record(
        enrolment=enrolment,
        by=world.user("coordinator"),
        **GOOD
        | {
            "method": PositioningMethod.INTERVIEW,
            "score": None,
            "decision": PositioningDecision.STANDARD,
            "decision_note": "",
        },
    )
    assert positioning.score is None


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"held_on": datetime.date(2026, 12, 1)}, "ne peut pas être dans le futur"),
        ({"score": 101}, "entre 0 et 100"),
        ({"score": -1}, "entre 0 et 100"),
        ({"result": "   "}, "Indiquez le résultat"),
        ({"decision_note": " "}, "Précisez la décision"),
        ({"method": "quiz"}, "Modalité de positionnement inconnue"),
        ({"decision": "exclude"}, "Décision inconnue"),
    ],
)
def test_bad_input_is_refused_with_a_french_message_and_nothing_written(world, change, message):
    enrolment = factories.enrolled(world, world.running)
    audits = AuditEntry.objects.count()
    with pytest.raises(AssessmentError, match=message):
        positioning_record(enrolment=enrolment, by=world.user("trainer"), **GOOD | change)
    assert not EntryPositioning.objects.exists()
    assert AuditEntry.objects.count() == audits


def test_a_second_positioning_is_refused(world):
    enrolment = factories.enrolled(world, world.running)
    positioning_record(enrolment=enrolment, by=world.user("trainer"), **GOOD)
    with pytest.raises(AssessmentError, match="déjà enregistré"):
        positioning_record(enrolment=enrolment, by=world.user("coordinator"), **GOOD)
    assert EntryPositioning.objects.count() == 1


def test_a_positioning_after_the_end_of_training_is_refused(world):
    enrolment = factories.enrolled(world, world.running)
    enrolment_end(
        enrolment=enrolment,
        outcome="complete",
        by=world.user("coordinator"),
        on_date=datetime.date(2026, 11, 20),
    )
    enrolment.refresh_from_db()
    with pytest.raises(AssessmentError, match="postérieur à la sortie"):
        positioning_record(
            enrolment=enrolment,
            by=world.user("coordinator"),
            **GOOD | {"held_on": datetime.date(2026, 11, 21)},
        )
    assert not EntryPositioning.objects.exists()


def test_the_database_refuses_a_non_standard_decision_without_a_note(world):
    enrolment = factories.enrolled(world, world.running)
    with pytest.raises(IntegrityError), transaction.atomic():
        EntryPositioning.objects.create(
            enrolment=enrolment, recorded_by=world.user("trainer"), **GOOD | {"decision_note": ""}
        )
    assert not EntryPositioning.objects.exists()
