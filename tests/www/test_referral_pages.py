"""Referral and public application pages: validation in French, duplicates, who may refer."""

import datetime
from html import unescape

import pytest

from tests import factories
from tremplin.candidacies.models import Candidacy
from tremplin.core.models import AuditEntry
from tremplin.people.models import Person

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


# Likely duplicates: the referrer confirms before a new person is created.


def known_person(world, target=None, **overrides):
    """Samira Haddad, referred by the world's prescriber (France Travail) to ``target``
    (the upcoming Marseille cohort by default)."""
    values = {
        "first_name": "Samira",
        "last_name": "Haddad",
        "birth_date": datetime.date(1980, 5, 4),
        "email": "samira@example.org",
        "phone": "06 12 34 56 78",
    }
    return factories.referral(world, target, **(values | overrides)).person


def rows():
    return (
        list(Person.objects.order_by("pk").values()),
        list(Candidacy.objects.order_by("pk").values()),
        AuditEntry.objects.count(),
    )


def test_a_close_name_asks_the_referrer_before_creating_anyone(client_for, world):
    known = known_person(world, email="", phone="")
    before = rows()
    client = client_for("prescriber")
    response = client.post(
        "/orienter/",
        form_data(world, last_name="Hadad", email="", phone="", cohort=world.other_cohort.pk),
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "Cette personne est peut-être déjà connue" in html
    assert "Utiliser la fiche de Samira HADDAD" in html
    assert "Année de naissance : 1980 · Marseille" in html
    assert "nom et prénom à une ou deux lettres près" in html
    assert "Promo à venir (Nouvelle)" in html  # the known person's candidacy, the referrer's own
    assert f'id="person_choice_{known.pk}" value="{known.pk}"' in html
    assert rows() == before


def test_using_the_known_person_attaches_the_referral_to_them(client_for, world):
    known = known_person(world)
    client = client_for("prescriber")
    data = form_data(world, last_name="Hadad", cohort=world.other_cohort.pk)
    response = client.post("/orienter/", data | {"person_choice": str(known.pk)})
    candidacy = Candidacy.objects.get(cohort=world.other_cohort)
    assert response["Location"] == f"/candidatures/{candidacy.pk}/"
    assert candidacy.person == known
    assert Person.objects.count() == 1
    assert Person.objects.get().last_name == "Haddad"  # names never change through a referral


def test_another_person_gets_a_new_record(client_for, world):
    known = known_person(world)
    client = client_for("prescriber")
    data = form_data(world, first_name="Karim", last_name="Haddad", birth_date="1975-01-02")
    # Same email and phone as Samira (a family's shared mailbox): the referrer says it is not her.
    response = client.post("/orienter/", data)
    assert "même adresse électronique" in response.content.decode()
    assert "même numéro de téléphone" in response.content.decode()
    response = client.post("/orienter/", data | {"person_choice": "new"})
    assert response.status_code == 302
    assert Person.objects.count() == 2
    assert Candidacy.objects.get(person__first_name="Karim").person != known


def test_the_answer_is_required_and_checked(client_for, world):
    known_person(world)
    before = rows()
    client = client_for("prescriber")
    data = form_data(world, last_name="Hadad", cohort=world.other_cohort.pk)
    missing = unescape(client.post("/orienter/", data | {"person_choice": ""}).content.decode())
    assert "Indiquez s'il s'agit d'une personne déjà connue ou d'une autre personne." in missing
    # A browser sends no radio button at all when none is checked.
    unanswered = unescape(client.post("/orienter/", data | {"asked": "1"}).content.decode())
    assert "Indiquez s'il s'agit d'une personne déjà connue ou d'une autre personne." in unanswered
    forged = client.post("/orienter/", data | {"person_choice": "999999"}).content.decode()
    assert "Choisissez une des personnes proposées" in forged
    assert rows() == before


def test_the_same_identity_is_recognised_without_asking(client_for, world):
    known = known_person(world)
    response = client_for("coordinator").post(
        "/orienter/", form_data(world, first_name="SAMIRA", cohort=world.other_cohort.pk)
    )
    assert response.status_code == 302
    assert Candidacy.objects.get(cohort=world.other_cohort).person == known


def test_another_organisations_person_is_mentioned_never_named(client_for, world):
    known = known_person(world)  # referred by France Travail
    before = rows()
    client = client_for("outsider_prescriber")  # the Mission locale's advisor
    data = form_data(
        world, first_name="Samira", last_name="Hadad", birth_date="1980-05-04", phone=""
    )
    html = client.post("/orienter/", data).content.decode()
    assert "Une personne avec cette adresse électronique est déjà connue du programme." in html
    assert "Une personne née le même jour et au nom proche est déjà connue du programme." in html
    assert "HADDAD" not in html and "Promo à venir (" not in html
    assert f'id="person_choice_{known.pk}"' not in html
    # Picking them anyway by forging their id is refused: nothing is attached, nothing written.
    forged = client.post("/orienter/", data | {"person_choice": str(known.pk)}).content.decode()
    assert "Choisissez une des personnes proposées" in forged
    assert rows() == before
    # « Another person » creates a new record; the coordinator may merge them later.
    client.post("/orienter/", data | {"person_choice": "new"})
    assert Person.objects.count() == 2


def test_a_coordinator_is_shown_people_of_their_site_only(client_for, world):
    known_person(world)
    known_person(
        world, world.other_cohort, first_name="Awa", last_name="Diallo", email="awa@example.org"
    )
    data = form_data(
        world, first_name="Awa", last_name="Dialo", email="awa@example.org", phone="06 12 34 56 78"
    )
    html = client_for("coordinator").post("/orienter/", data).content.decode()
    assert "Utiliser la fiche de Samira HADDAD" in html  # same phone, on the site
    assert "DIALLO" not in html  # same email, only at Lyon
    assert "Une personne avec cette adresse électronique est déjà connue du programme." in html


def test_anonymous_applicants_never_see_likely_duplicates(client, world):
    known_person(world)
    html = client.post(
        "/candidater/", form_data(world, last_name="Hadad", cohort=world.other_cohort.pk)
    ).content.decode()
    assert "Merci, votre candidature est enregistrée" in html
    assert "HADDAD" not in html and "déjà connue" not in html
    # The applicant cannot attach themself to someone: a new record waits for a coordinator.
    assert Person.objects.count() == 2
