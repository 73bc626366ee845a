"""Openings, proposals and follow-up pages."""

import datetime

import pytest

from tests import factories
from tremplin.employers.models import Opening, Proposal
from tremplin.outcomes.models import FollowUp

pytestmark = pytest.mark.django_db


def opening_form(world, **overrides):
    factories.communes_loaded(["13"])  # the opening is placed with the communes table
    data = {
        "employer": world.employer.pk,
        "title": "Technicien datacenter",
        "rome_code": "I1403",
        "contract_type": "cdi",
        "commune": "Marseille",
        "postal_code": "13001",
        "working_time": "full",
        "positions": "3",
    }
    data.update(overrides)
    return data


def test_employer_publishes_an_opening(client_for, world):
    response = client_for("employer").post("/offres/nouvelle/", opening_form(world))
    opening = Opening.objects.get()
    assert response["Location"] == f"/offres/{opening.pk}/"
    assert opening.employer == world.employer


def test_employer_cannot_pick_another_employer(client_for, world):
    html = (
        client_for("employer")
        .post("/offres/nouvelle/", opening_form(world, employer=world.other_employer.pk))
        .content.decode()
    )
    assert "Sélectionnez un choix valide" in html
    assert not Opening.objects.exists()


def test_opening_offers_only_consenting_learners(client_for, world):
    consenting = factories.enrolled(world, target=world.running)
    refusing = factories.enrolled(world, target=world.running, consent_employers=False)
    opening = factories.opening(world)
    html = client_for("coordinator").get(f"/offres/{opening.pk}/").content.decode()
    assert consenting.candidacy.person.full_name in html
    # The ranking lists the one who refused among those left out, with the reason, and
    # offers no « Proposer » button for them.
    assert f'name="enrolment" value="{refusing.pk}"' not in html
    assert "n&#x27;a pas consenti" in html


def test_employer_hires_through_the_page(client_for, world):
    enrolment = factories.enrolled(world, target=world.running)
    opening = factories.opening(world)
    client_for("coordinator").post(f"/offres/{opening.pk}/proposer/", {"enrolment": enrolment.pk})
    proposal = Proposal.objects.get()
    client = client_for("employer")
    client.post(f"/propositions/{proposal.pk}/decision/", {"transition": "interview"})
    response = client.post(
        f"/propositions/{proposal.pk}/decision/",
        {
            "transition": "hire",
            "contract_type": "cdd",
            "contract_months": "12",
            "start_date": "2027-01-04",
            "weekly_hours": "35",
        },
        follow=True,
    )
    assert "Embauche en CDD de 12 mois à partir du 04/01/2027." in response.content.decode()
    proposal.refresh_from_db()
    assert proposal.hired_start_date == datetime.date(2027, 1, 4)


def test_follow_up_form_requires_employer_for_a_job(client_for, world):
    enrolment = factories.enrolled(world, target=world.past)
    client = client_for("coordinator")
    client.post(
        f"/parcours/{enrolment.pk}/sortie/", {"transition": "complete", "ended_on": "2026-05-29"}
    )
    url = f"/parcours/{enrolment.pk}/suivi/m6/"
    html = client.post(url, {"situation": "cdi", "recorded_on": "2026-11-30"}).content.decode()
    assert "Indiquez l&#x27;employeur pour une situation d&#x27;emploi." in html
    assert not FollowUp.objects.exists()
    response = client.post(
        url, {"situation": "cdi", "employer_name": "Free Pro", "recorded_on": "2026-11-30"}
    )
    assert response["Location"] == f"/parcours/{enrolment.pk}/"
    assert FollowUp.objects.get().situation == "cdi"


def test_follow_ups_due_are_listed(client_for, world):
    enrolment = factories.enrolled(world, target=world.past)
    client = client_for("coordinator")
    client.post(
        f"/parcours/{enrolment.pk}/sortie/", {"transition": "complete", "ended_on": "2026-05-29"}
    )
    html = client.get("/suivis/").content.decode()
    assert enrolment.candidacy.person.full_name in html
    assert "(en retard)" in html  # the exit and 3-month points are past
