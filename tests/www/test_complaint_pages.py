"""Complaint pages: the log with filters, creation, the detail page and its steps."""

from typing import Any

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from tests import factories
from tremplin.core.models import TransitionLog
from tremplin.quality.models import Complaint

NEW = {
    "site": "",
    "received_on": "2026-11-28",
    "channel": "phone",
    "complainant_kind": "employer",
    "complainant": "Free Pro",
    "cohort": "",
    "subject": "Stagiaire sans EPI en immersion",
    "description": "Le stagiaire est arrivé sans chaussures de sécurité.",
}


def test_coordinator_logs_a_complaint(client_for: Any, world: Any) -> None:
    client = client_for("coordinator")
    assert client.get(reverse("complaint_create")).status_code == 200
    response = client.post(reverse("complaint_create"), NEW | {"site": world.site.pk})
    complaint = Complaint.objects.get()
    assert response["Location"] == reverse("complaint_detail", args=[complaint.pk])
    assert (complaint.site, complaint.complainant, complaint.status) == (
        world.site,
        "Free Pro",
        "received",
    )
    page = client.get(response["Location"]).content.decode()
    assert "Accuser réception" in page and "Stagiaire sans EPI" in page


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"site": "other"}, "Sélectionnez un choix valide"),
        ({"received_on": "2026-12-25"}, "dans le futur"),
        ({"cohort": "lyon"}, "Sélectionnez un choix valide"),
        ({"subject": ""}, "Ce champ est obligatoire"),
    ],
)
def test_bad_complaint_forms_write_nothing(
    client_for: Any, world: Any, change: dict[str, str], message: str
) -> None:
    data = NEW | {"site": world.site.pk} | change
    if change.get("site") == "other":
        data["site"] = world.other_site.pk  # a coordinator of Marseille forging Lyon
    if change.get("cohort") == "lyon":
        data["cohort"] = world.other_cohort.pk
    response = client_for("coordinator").post(reverse("complaint_create"), data)
    assert response.status_code == 200
    assert message in response.content.decode().replace("&#x27;", "'")
    assert Complaint.objects.count() == 0


def test_list_filters_by_state_and_site(client_for: Any, world: Any) -> None:
    factories.complaint(world, subject="Salle trop froide")
    acknowledged = factories.complaint(world, subject="Retard de paiement de la rémunération")
    from tremplin.quality.services import complaint_transition

    complaint_transition(
        complaint=acknowledged, transition="acknowledge", by=world.user("coordinator")
    )
    factories.complaint(world, site=world.other_site, cohort=None, subject="Parking à Lyon")
    admin = client_for("network_admin")
    everything = admin.get(reverse("complaint_list")).content.decode()
    assert all(s in everything for s in ("Salle trop froide", "Retard de paiement", "Parking"))
    only = admin.get(reverse("complaint_list"), {"status": "acknowledged"}).content.decode()
    assert "Retard de paiement" in only and "Salle trop froide" not in only
    lyon = admin.get(reverse("complaint_list"), {"site": world.other_site.pk}).content.decode()
    assert "Parking" in lyon and "Salle trop froide" not in lyon
    coordinator = client_for("coordinator").get(reverse("complaint_list")).content.decode()
    assert "Parking" not in coordinator


def test_steps_from_the_detail_page(client_for: Any, world: Any) -> None:
    complaint = factories.complaint(world)
    client = client_for("coordinator")
    url = reverse("complaint_step", args=[complaint.pk])
    client.post(url, {"transition": "acknowledge"})
    refused = client.post(url, {"transition": "analyse", "text": ""})
    assert "Décrivez cette étape" in str(list(get_messages(refused.wsgi_request))[-1])
    client.post(url, {"transition": "analyse", "text": "Maintenance non planifiée."})
    complaint.refresh_from_db()
    assert (complaint.status, complaint.analysis) == ("analysed", "Maintenance non planifiée.")
    page = client.get(reverse("complaint_detail", args=[complaint.pk])).content.decode()
    assert "Maintenance non planifiée." in page and "Enregistrer la réponse" in page


@pytest.mark.parametrize(
    ("role", "status"),
    [("trainer", 403), ("funder", 403), ("learner", 403), ("outsider_coordinator", 404)],
)
def test_forged_step_posts_change_nothing(
    client_for: Any, world: Any, role: str, status: int
) -> None:
    complaint = factories.complaint(world)
    response = client_for(role).post(
        reverse("complaint_step", args=[complaint.pk]), {"transition": "acknowledge"}
    )
    assert response.status_code == status
    complaint.refresh_from_db()
    assert complaint.status == "received"
    assert not TransitionLog.objects.filter(object_type="complaint").exists()


def test_skipping_a_step_by_post_is_refused(client_for: Any, world: Any) -> None:
    complaint = factories.complaint(world)
    response = client_for("coordinator").post(
        reverse("complaint_step", args=[complaint.pk]), {"transition": "close", "text": "Fait."}
    )
    assert "impossible depuis l'état actuel" in str(list(get_messages(response.wsgi_request))[0])
    complaint.refresh_from_db()
    assert (complaint.status, complaint.closed_on) == ("received", None)
