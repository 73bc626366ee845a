"""Referral and public application pages: validation in French, duplicates, who may refer."""

import pytest

from tests import factories
from tremplin.candidacies.models import Candidacy

pytestmark = pytest.mark.django_db


def form_data(world, **overrides):
    data = {
        "cohort": world.upcoming.pk,
        "first_name": "Samira",
        "last_name": "Haddad",
        "birth_date": "1980-05-04",
        "email": "samira@example.org",
        "phone": "06 12 34 56 78",
        "commune": "Marseille",
        "postal_code": "13013",
        "job_seeker_since": "2023-01-10",
        "receives_rsa": "on",
        "qpv_declared": "on",
        "highest_diploma": "cap_bep",
        "mobility": "public_transport",
        "consent_programme": "on",
        "consent_employers": "on",
        "motivation": "Envie de travailler sur la fibre.",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


@pytest.mark.parametrize("role", ["prescriber", "coordinator", "network_admin"])
def test_roles_who_refer(client_for, world, role):
    client = client_for(role)
    assert client.get("/orienter/").status_code == 200
    response = client.post("/orienter/", form_data(world))
    candidacy = Candidacy.objects.get()
    assert response["Location"] == f"/candidatures/{candidacy.pk}/"


@pytest.mark.parametrize("role", ["trainer", "employer", "funder", "learner"])
def test_roles_who_do_not_refer(client_for, world, role):
    client = client_for(role)
    assert client.get("/orienter/").status_code == 403
    assert client.post("/orienter/", form_data(world)).status_code == 403
    assert not Candidacy.objects.exists()


def test_invalid_fields_are_explained_in_french(client_for, world):
    response = client_for("prescriber").post(
        "/orienter/",
        form_data(
            world,
            postal_code="13",
            birth_date="2020-01-01",
            phone="abc",
            consent_programme=None,
            first_name="",
        ),
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "Le code postal compte cinq chiffres." in html
    assert "La date de naissance semble erronée" in html
    assert "Saisissez un numéro de téléphone valide" in html
    assert "Le consentement de la personne est nécessaire" in html
    assert "Ce champ est obligatoire." in html
    assert 'aria-invalid="true"' in html
    assert not Candidacy.objects.exists()


def test_a_started_cohort_is_not_offered(client_for, world):
    response = client_for("prescriber").post(
        "/orienter/", form_data(world, cohort=world.running.pk)
    )
    assert "Sélectionnez un choix valide" in response.content.decode()
    assert not Candidacy.objects.exists()


def test_duplicate_referral_links_the_existing_candidacy(client_for, world):
    client = client_for("prescriber")
    client.post("/orienter/", form_data(world))
    existing = Candidacy.objects.get()
    response = client.post("/orienter/", form_data(world, first_name="SAMIRA", last_name="haddad"))
    html = response.content.decode()
    assert "Cette personne est déjà orientée vers cette promotion." in html
    assert f'href="/candidatures/{existing.pk}/"' in html
    assert Candidacy.objects.count() == 1


def test_duplicate_from_another_prescriber_does_not_leak_the_link(client_for, world):
    client_for("prescriber").post("/orienter/", form_data(world))
    existing = Candidacy.objects.get()
    client = client_for("outsider_prescriber")
    html = client.post("/orienter/", form_data(world)).content.decode()
    assert "déjà orientée" in html
    assert f"/candidatures/{existing.pk}/" not in html


def test_public_application_without_login(client, world, frozen_clock):
    assert client.get("/candidater/").status_code == 200
    response = client.post("/candidater/", form_data(world))
    assert "Merci, votre candidature est enregistrée" in response.content.decode()
    candidacy = Candidacy.objects.get()
    assert candidacy.source == "public" and candidacy.referred_by is None
    # Applying twice gets the same answer, so the form tells nobody who already applied.
    again = client.post("/candidater/", form_data(world)).content.decode()
    assert "Merci, votre candidature est enregistrée" in again
    assert Candidacy.objects.count() == 1


def test_prescriber_follows_the_status_of_their_referrals(client_for, world):
    candidacy = factories.referral(world)
    factories.referral(world, target=world.other_cohort)
    client = client_for("prescriber")
    html = client.get("/candidatures/").content.decode()
    assert candidacy.person.full_name in html
    assert client.get(f"/candidatures/{candidacy.pk}/").status_code == 200
    assert (
        client_for("outsider_prescriber").get(f"/candidatures/{candidacy.pk}/").status_code == 404
    )
