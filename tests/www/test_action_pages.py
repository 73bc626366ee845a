"""Improvement action pages: created from a complaint or survey results, listed, moved on."""

from typing import Any

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from tests import factories
from tremplin.quality.models import ImprovementAction


def form_data(world: Any, **changes: Any) -> dict[str, Any]:
    return {
        "description": "Ajouter une séance de révision OTDR avant l'évaluation.",
        "owner": world.user("trainer").pk,
        "due_on": "2026-12-15",
    } | changes


def test_create_from_a_complaint(client_for: Any, world: Any) -> None:
    complaint = factories.complaint(world)
    client = client_for("coordinator")
    detail = client.get(reverse("complaint_detail", args=[complaint.pk])).content.decode()
    url = reverse("action_from_complaint", args=[complaint.pk])
    assert url in detail
    response = client.post(url, form_data(world))
    action = ImprovementAction.objects.get()
    assert response["Location"] == reverse("action_detail", args=[action.pk])
    assert (action.complaint, action.owner) == (complaint, world.user("trainer"))
    assert (
        "Ajouter une séance de révision"
        in client.get(reverse("complaint_detail", args=[complaint.pk])).content.decode()
    )


def test_create_from_survey_results(client_for: Any, world: Any) -> None:
    client = client_for("network_admin")
    page = client.get(reverse("cohort_surveys", args=[world.past.pk])).content.decode()
    url = reverse("action_from_survey", args=[world.past.pk, "cold"])
    assert url in page
    client.post(url, form_data(world))
    action = ImprovementAction.objects.get()
    assert (action.cohort, action.survey_kind, action.site) == (world.past, "cold", world.site)
    page = client.get(reverse("cohort_surveys", args=[world.past.pk])).content.decode()
    assert "Ajouter une séance de révision" in page


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"owner": "lyon"}, "Sélectionnez un choix valide"),
        ({"due_on": "2026-11-01"}, "déjà passée"),
        ({"description": ""}, "Ce champ est obligatoire"),
    ],
)
def test_bad_action_forms_write_nothing(
    client_for: Any, world: Any, changes: dict[str, Any], message: str
) -> None:
    if changes.get("owner") == "lyon":
        changes = {"owner": world.user("outsider_coordinator").pk}
    complaint = factories.complaint(world)
    response = client_for("coordinator").post(
        reverse("action_from_complaint", args=[complaint.pk]), form_data(world, **changes)
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert ImprovementAction.objects.count() == 0


def test_unknown_survey_kind_is_not_found(client_for: Any, world: Any) -> None:
    url = reverse("action_from_survey", args=[world.past.pk, "tiede"])
    assert client_for("coordinator").get(url).status_code == 404


def test_list_filter_and_finish(client_for: Any, world: Any) -> None:
    planned = factories.improvement_action(world, factories.complaint(world), description="A1")
    other = factories.improvement_action(world, cohort=world.past, survey_kind="hot")
    client = client_for("coordinator")
    step = reverse("action_step", args=[planned.pk])
    refused = client.post(step, {"transition": "finish", "text": ""})
    assert "résultat" in str(list(get_messages(refused.wsgi_request))[-1])
    client.post(step, {"transition": "finish", "text": "Séance ajoutée au planning."})
    planned.refresh_from_db()
    assert planned.status == "done"
    done = client.get(reverse("action_list"), {"status": "done"}).content.decode()
    assert reverse("action_detail", args=[planned.pk]) in done
    assert reverse("action_detail", args=[other.pk]) not in done
    detail = client.get(reverse("action_detail", args=[planned.pk])).content.decode()
    assert "Séance ajoutée au planning." in detail


@pytest.mark.parametrize(
    ("role", "status"),
    [("trainer", 403), ("funder", 403), ("employer", 403), ("outsider_coordinator", 404)],
)
def test_forged_action_posts_write_nothing(
    client_for: Any, world: Any, role: str, status: int
) -> None:
    complaint = factories.complaint(world)
    action = factories.improvement_action(world, complaint)
    create = client_for(role).post(
        reverse("action_from_complaint", args=[complaint.pk]), form_data(world)
    )
    assert create.status_code == status
    step = client_for(role).post(reverse("action_step", args=[action.pk]), {"transition": "start"})
    assert step.status_code == status
    action.refresh_from_db()
    assert action.status == "planned"
    assert ImprovementAction.objects.count() == 1
