"""The complaints log: creation and the handling state machine with its dates and log."""

import datetime
from typing import Any

import pytest

from tests import factories
from tremplin.core.models import AuditEntry, TransitionLog
from tremplin.core.workflow import TransitionNotAllowed
from tremplin.quality.models import Complaint
from tremplin.quality.services import ComplaintError, complaint_transition

TODAY = datetime.date(2026, 11, 30)


def test_a_complaint_goes_through_every_step_with_its_date(world: Any) -> None:
    complaint = factories.complaint(world)
    coordinator = world.user("coordinator")
    steps = [
        ("acknowledge", ""),
        ("analyse", "Pièce d'usure non remplacée ; le contrat de maintenance a expiré."),
        ("answer", "Fusionneuse de prêt installée, réparation commandée."),
        ("close", "Contrat de maintenance renouvelé, contrôle mensuel ajouté."),
    ]
    for transition, text in steps:
        complaint_transition(complaint=complaint, transition=transition, by=coordinator, text=text)
    complaint.refresh_from_db()
    assert complaint.status == "closed"
    assert complaint.acknowledged_on == complaint.analysed_on == TODAY
    assert complaint.answered_on == complaint.closed_on == TODAY
    assert complaint.action_taken.startswith("Contrat de maintenance")
    logs = TransitionLog.objects.filter(object_type="complaint", object_id=complaint.pk)
    assert [(log.from_state, log.to_state) for log in logs.order_by("id")] == [
        ("received", "acknowledged"),
        ("acknowledged", "analysed"),
        ("analysed", "answered"),
        ("answered", "closed"),
    ]
    assert AuditEntry.objects.filter(action="complaint.close").count() == 1


def test_a_step_cannot_be_skipped(world: Any) -> None:
    complaint = factories.complaint(world)
    with pytest.raises(TransitionNotAllowed, match="impossible depuis l'état actuel"):
        complaint_transition(
            complaint=complaint, transition="answer", by=world.user("coordinator"), text="Vu."
        )
    complaint.refresh_from_db()
    assert (complaint.status, complaint.answered_on, complaint.answer) == ("received", None, "")
    assert not TransitionLog.objects.filter(object_type="complaint").exists()


@pytest.mark.parametrize(
    ("transition", "text", "message"),
    [("bogus", "x", "Étape inconnue."), ("analyse", "  ", "Décrivez cette étape")],
)
def test_unknown_step_or_missing_text_is_refused(
    world: Any, transition: str, text: str, message: str
) -> None:
    complaint = factories.complaint(world)
    complaint_transition(
        complaint=complaint, transition="acknowledge", by=world.user("coordinator")
    )
    with pytest.raises(ComplaintError) as refused:
        complaint_transition(
            complaint=complaint, transition=transition, by=world.user("coordinator"), text=text
        )
    assert message in refused.value.message
    complaint.refresh_from_db()
    assert (complaint.status, complaint.analysed_on) == ("acknowledged", None)
    assert TransitionLog.objects.filter(object_type="complaint").count() == 1


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"received_on": TODAY + datetime.timedelta(days=1)}, "dans le futur"),
        ({"cohort": "other"}, "pas de ce site"),
        ({"subject": "   "}, "obligatoires"),
    ],
)
def test_bad_complaints_are_refused(world: Any, fields: dict[str, Any], message: str) -> None:
    if fields.get("cohort") == "other":
        fields = {"cohort": world.other_cohort}
    with pytest.raises(ComplaintError, match=message):
        factories.complaint(world, **fields)
    assert Complaint.objects.count() == 0


def test_the_database_refuses_a_closed_complaint_without_its_action(world: Any) -> None:
    from django.db import IntegrityError, transaction

    complaint = factories.complaint(world)
    with pytest.raises(IntegrityError), transaction.atomic():
        Complaint.objects.filter(pk=complaint.pk).update(status="closed")
