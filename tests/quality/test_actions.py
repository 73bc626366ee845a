"""Improvement actions: their origin, owner and due date, and their lifecycle."""

import datetime
from typing import Any

import pytest
from django.db import IntegrityError, transaction

from tests import factories
from tremplin.core.models import TransitionLog
from tremplin.core.workflow import TransitionNotAllowed
from tremplin.quality.models import ImprovementAction
from tremplin.quality.services import ActionError, action_create, action_transition

TODAY = datetime.date(2026, 11, 30)


def test_action_from_a_complaint_is_of_its_site_and_goes_to_done(world: Any) -> None:
    complaint = factories.complaint(world)
    action = factories.improvement_action(world, complaint, owner=world.user("trainer"))
    assert (action.site, action.complaint, action.status) == (world.site, complaint, "planned")
    action_transition(action=action, transition="start", by=world.user("coordinator"))
    action_transition(
        action=action,
        transition="finish",
        by=world.user("coordinator"),
        outcome="Contrat signé le 28/11, plus aucune panne.",
    )
    action.refresh_from_db()
    assert (action.status, action.done_on) == ("done", TODAY)
    assert TransitionLog.objects.filter(object_type="improvement_action").count() == 2


def test_action_from_survey_results(world: Any) -> None:
    action = factories.improvement_action(world, cohort=world.past, survey_kind="cold")
    assert (action.site, action.cohort, action.survey_kind) == (world.site, world.past, "cold")


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({}, "d'une seule"),  # no origin
        ({"with_complaint": True, "cohort": "past", "survey_kind": "hot"}, "d'une seule"),
        ({"cohort": "past", "survey_kind": "tiede"}, "Choisissez l'enquête"),
        ({"with_complaint": True, "description": " "}, "Décrivez l'action"),
        ({"with_complaint": True, "due_on": TODAY - datetime.timedelta(days=1)}, "déjà passée"),
        ({"with_complaint": True, "owner": "outsider_coordinator"}, "équipe du site"),
        ({"with_complaint": True, "owner": "prescriber"}, "équipe du site"),
    ],
)
def test_bad_actions_are_refused(world: Any, fields: dict[str, Any], message: str) -> None:
    fields = dict(fields)
    if fields.pop("with_complaint", False):
        fields["complaint"] = factories.complaint(world)
    if fields.get("cohort") == "past":
        fields["cohort"] = world.past
    if isinstance(fields.get("owner"), str):
        fields["owner"] = world.user(fields["owner"])
    values = {
        "description": "Refaire la signalétique du labo.",
        "owner": world.user("coordinator"),
        "due_on": TODAY,
    }
    with pytest.raises(ActionError, match=message):
        action_create(by=world.user("coordinator"), **(values | fields))
    assert ImprovementAction.objects.count() == 0


def test_finishing_needs_an_outcome_and_done_is_final(world: Any) -> None:
    action = factories.improvement_action(world, factories.complaint(world))
    with pytest.raises(ActionError, match="résultat"):
        action_transition(action=action, transition="finish", by=world.user("coordinator"))
    action.refresh_from_db()
    assert (action.status, action.done_on) == ("planned", None)
    action_transition(
        action=action, transition="finish", by=world.user("coordinator"), outcome="Fait."
    )
    with pytest.raises(TransitionNotAllowed):
        action_transition(action=action, transition="start", by=world.user("coordinator"))
    action.refresh_from_db()
    assert action.status == "done"


def test_the_database_keeps_one_origin(world: Any) -> None:
    action = factories.improvement_action(world, factories.complaint(world))
    with pytest.raises(IntegrityError), transaction.atomic():
        ImprovementAction.objects.filter(pk=action.pk).update(cohort=world.past)
