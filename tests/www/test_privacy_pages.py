"""« Situation et santé » and « Consentements » pages: who sees them, each view logged, bad
input refused with a French message and nothing written."""

import datetime
from typing import Any

import pytest
from django.urls import reverse

from tests import factories
from tests.auth import log_in
from tremplin.core.models import AuditEntry
from tremplin.privacy.enums import ConsentPurpose
from tremplin.privacy.models import ConsentRecord, SensitiveProfile
from tremplin.privacy.services import consent_give, sensitive_profile_update

FORM = {
    "rqth": "yes",
    "rqth_valid_until": "2029-06-30",
    "health_restrictions": "Éviter le travail en hauteur",
    "benefits": ["rsa", "prime_activite"],
    "housing": "hosted",
    "family_constraints": "Deux enfants, crèche jusqu'à 18 h",
    "social_worker": "",
    "notes": "",
    "consent": "on",
}


@pytest.fixture
def person(world: Any) -> Any:
    person = factories.referral(world).person
    factories.link_account(person, world.user("learner"))
    person.refresh_from_db()
    return person


def _page(person: Any) -> str:
    return reverse("person_sensitive", args=[person.pk])


def _reads() -> int:
    return AuditEntry.objects.filter(action="sensitive.read").count()


def _stored(world: Any, person: Any) -> None:
    coordinator = world.user("coordinator")
    consent_give(by=coordinator, person=person, purpose=ConsentPurpose.SENSITIVE)
    sensitive_profile_update(
        coordinator, person, rqth=True, health_restrictions="Éviter le travail en hauteur"
    )


def test_the_coordinator_sees_the_data_and_each_view_is_logged(
    client: Any, world: Any, person: Any
) -> None:
    _stored(world, person)
    log_in(client, world.user("coordinator"))
    for n in (1, 2):
        page = client.get(_page(person))
        assert page.status_code == 200
        assert "Éviter le travail en hauteur" in page.content.decode()
        assert _reads() == n
    # The person's page links to it for the coordinator.
    detail = client.get(reverse("person_detail", args=[person.pk])).content.decode()
    assert _page(person) in detail
    assert reverse("person_consents", args=[person.pk]) in detail


def test_the_coordinator_records_consent_and_data_in_one_form(
    client: Any, world: Any, person: Any
) -> None:
    log_in(client, world.user("coordinator"))
    first = client.get(_page(person)).content.decode()
    assert "Texte de consentement (version 2026-12)" in first
    response = client.post(_page(person), FORM)
    assert response.status_code == 302
    data = SensitiveProfile.objects.get(person=person).data
    assert data["rqth_valid_until"] == datetime.date(2029, 6, 30)
    assert data["benefits"] == ["rsa", "prime_activite"]
    assert data["housing"] == "hosted"
    [record] = ConsentRecord.objects.filter(person=person, purpose="sensitive")
    assert (record.text_version, record.given_by) == ("2026-12", world.user("coordinator"))
    # Consent given: the next form no longer asks for it.
    page = client.get(_page(person)).content.decode()
    assert "Texte de consentement" not in page
    assert "Hébergé·e par la famille ou des proches" in page


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"consent": ""}, "Sans le consentement de la personne"),
        ({"rqth": "no"}, "ne se saisit que si la personne a une RQTH"),
        ({"rqth_valid_until": "30 février"}, "Saisissez une date valide"),
        ({"benefits": ["rsa", "loto"]}, "Sélectionnez un choix valide"),
        ({"notes": "Son numéro : 2 85 03 13 055 123"}, "Ne saisissez pas de numéro de sécurité"),
    ],
)
def test_bad_input_is_refused_and_nothing_is_written(
    client: Any, world: Any, person: Any, change: dict[str, Any], message: str
) -> None:
    log_in(client, world.user("coordinator"))
    response = client.post(_page(person), FORM | change)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not SensitiveProfile.objects.exists()
    assert not ConsentRecord.objects.filter(purpose="sensitive").exists()
    # The refused form shows what was typed; it read nothing.
    assert _reads() == 0


def test_the_learner_reads_their_own_data_but_has_no_form(
    client: Any, world: Any, person: Any
) -> None:
    _stored(world, person)
    log_in(client, world.user("learner"))
    home = client.get(reverse("learner_home")).content.decode()
    assert _page(person) in home
    page = client.get(_page(person))
    assert page.status_code == 200
    assert "Éviter le travail en hauteur" in page.content.decode()
    assert 'name="rqth"' not in page.content.decode()
    [read] = AuditEntry.objects.filter(action="sensitive.read")
    assert read.details["purpose"] == "own_data"
    assert client.post(_page(person), FORM).status_code == 403
    assert SensitiveProfile.objects.get().data["benefits"] == []


@pytest.mark.parametrize(
    ("role", "status"),
    [("network_admin", 403), ("trainer", 403), ("prescriber", 403), ("outsider_coordinator", 404)],
)
def test_others_are_refused_and_nothing_is_read(
    client: Any, world: Any, person: Any, role: str, status: int
) -> None:
    _stored(world, person)
    log_in(client, world.user(role))
    assert client.get(_page(person)).status_code == status
    assert client.post(_page(person), FORM).status_code == status
    assert _reads() == 0
    if role == "network_admin":
        # Head office sees the person, not the links to their sensitive data.
        detail = client.get(reverse("person_detail", args=[person.pk])).content.decode()
        assert person.full_name in detail
        assert _page(person) not in detail


def test_consents_page_lists_versions_and_withdraws(client: Any, world: Any, person: Any) -> None:
    log_in(client, world.user("coordinator"))
    consents = reverse("person_consents", args=[person.pk])
    page = client.get(consents).content.decode()
    assert page.count("2026-12") >= 2
    assert "Retirer ce consentement" in page
    response = client.post(reverse("consent_withdraw", args=[person.pk]), {"purpose": "employers"})
    assert response.status_code == 302
    person.refresh_from_db()
    assert not person.consent_employers
    record = ConsentRecord.objects.get(person=person, purpose="employers")
    assert record.withdrawn_by == world.user("coordinator")
    # A forged purpose is refused with a message, nothing changes.
    refused = client.post(
        reverse("consent_withdraw", args=[person.pk]), {"purpose": "programme"}, follow=True
    )
    assert "Retrait non enregistré" in refused.content.decode()
    assert ConsentRecord.objects.get(person=person, purpose="programme").active


def test_the_learner_gives_consent_to_employers_back_themself(
    client: Any, world: Any, person: Any
) -> None:
    factories.withdraw_employer_consent(person)
    ConsentRecord.objects.filter(purpose="employers").delete()
    log_in(client, world.user("learner"))
    consents = reverse("person_consents", args=[person.pk])
    assert "ai lu ce texte et j" in client.get(consents).content.decode()
    client.post(consents, {"purpose": "employers"})
    person.refresh_from_db()
    assert person.consent_employers
    record = ConsentRecord.objects.get(person=person, purpose="employers")
    assert record.given_by is None and record.text_version == "2026-12"
    page = client.get(consents).content.decode()
    assert "la personne elle-même" in page
