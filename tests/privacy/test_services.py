"""Sensitive data: encrypted at rest, read only by those who need it, every read logged."""

import datetime
from io import StringIO
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.db import connection

from tests import factories
from tremplin.core.models import AuditEntry
from tremplin.privacy.enums import ConsentPurpose, ReadPurpose
from tremplin.privacy.models import SensitiveProfile
from tremplin.privacy.services import (
    PrivacyError,
    consent_give,
    sensitive_profile_read,
    sensitive_profile_update,
)

VALUES = {
    "rqth": True,
    "rqth_valid_until": datetime.date(2029, 6, 30),
    "health_restrictions": "Pas de port de charges lourdes, lombalgie chronique",
    "benefits": ["aah", "rsa"],
    "housing": "shelter",
    "family_constraints": "Garde alternée de deux enfants scolarisés",
    "social_worker": "Assistante sociale du CCAS Marseille 13e",
    "notes": "Rendez-vous MDPH en janvier",
}
# Words that must never appear in clear in the database.
SECRETS = ["lombalgie", "Garde altern", "CCAS", "MDPH", "shelter", "aah", "2029-06-30"]


@pytest.fixture
def person(world: Any) -> Any:
    return factories.referral(world).person


@pytest.fixture
def consenting(world: Any, person: Any) -> Any:
    consent_give(by=world.user("coordinator"), person=person, purpose=ConsentPurpose.SENSITIVE)
    return person


def _entries(action: str) -> list[AuditEntry]:
    return list(AuditEntry.objects.filter(action=action).order_by("id"))


def test_nothing_sensitive_is_stored_in_clear(world: Any, consenting: Any) -> None:
    sensitive_profile_update(world.user("coordinator"), consenting, **VALUES)
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM privacy_sensitiveprofile")
        rows = cursor.fetchall()
        cursor.execute("SELECT details FROM core_auditentry")
        journal = " ".join(str(row) for row in cursor.fetchall())
    assert len(rows) == 1
    raw = " ".join(str(value) for value in rows[0])
    assert "fk1:" in raw
    for secret in SECRETS:
        assert secret not in raw, secret
        assert secret not in journal, secret
    # The negative control: the same words are there once decrypted.
    data = SensitiveProfile.objects.get().data
    assert data["health_restrictions"] == VALUES["health_restrictions"]
    assert data["benefits"] == ["rsa", "aah"]
    assert data["rqth_valid_until"] == datetime.date(2029, 6, 30)


def test_an_update_is_audited_with_the_field_names_only(world: Any, consenting: Any) -> None:
    coordinator = world.user("coordinator")
    sensitive_profile_update(coordinator, consenting, rqth=False, notes="Premier entretien")
    sensitive_profile_update(coordinator, consenting, rqth=False, notes="Deuxième entretien")
    sensitive_profile_update(coordinator, consenting, notes="Deuxième entretien")
    updates = _entries("sensitive.update")
    assert [e.details["fields"] for e in updates] == ["rqth,notes", "notes"]
    assert all(e.actor == coordinator and e.object_id == str(consenting.pk) for e in updates)
    assert "entretien" not in str([e.details for e in updates])


def test_every_read_is_logged(world: Any, consenting: Any) -> None:
    coordinator = world.user("coordinator")
    sensitive_profile_update(coordinator, consenting, **VALUES)
    for _ in range(3):
        data = sensitive_profile_read(coordinator, consenting, ReadPurpose.SUPPORT)
        assert data["housing"] == "shelter"
    reads = _entries("sensitive.read")
    assert len(reads) == 3
    assert {(e.actor_id, e.object_type, e.details["purpose"]) for e in reads} == {
        (coordinator.pk, "person", "support")
    }
    out = StringIO()
    call_command("verify_audit_chain", stdout=out)
    assert "intact" in out.getvalue()


def test_a_read_of_nothing_stored_is_logged_too(world: Any, person: Any) -> None:
    data = sensitive_profile_read(world.user("coordinator"), person, ReadPurpose.SUPPORT)
    assert data["rqth"] is None and data["benefits"] == []
    assert len(_entries("sensitive.read")) == 1


def test_a_read_must_say_why(world: Any, person: Any) -> None:
    with pytest.raises(PrivacyError):
        sensitive_profile_read(world.user("coordinator"), person, "  ")
    assert not _entries("sensitive.read")


@pytest.mark.parametrize(
    "role",
    [
        "network_admin",
        "trainer",
        "prescriber",
        "employer",
        "funder",
        "outsider_coordinator",
        "outsider_learner",
        "learner",
    ],
)
def test_who_may_not_read(world: Any, consenting: Any, role: str) -> None:
    # The learner account is not this person's: their own data only (next test).
    sensitive_profile_update(world.user("coordinator"), consenting, **VALUES)
    with pytest.raises(PermissionDenied):
        sensitive_profile_read(world.user(role), consenting, ReadPurpose.SUPPORT)
    assert not _entries("sensitive.read")


def test_the_learner_reads_their_own_data_logged_but_does_not_edit(
    world: Any, consenting: Any
) -> None:
    learner = world.user("learner")
    factories.link_account(consenting, learner)
    consenting.refresh_from_db()
    sensitive_profile_update(world.user("coordinator"), consenting, **VALUES)
    data = sensitive_profile_read(learner, consenting, ReadPurpose.OWN_DATA)
    assert data["social_worker"] == VALUES["social_worker"]
    [read] = _entries("sensitive.read")
    assert (read.actor, read.details["purpose"]) == (learner, "own_data")
    with pytest.raises(PermissionDenied):
        sensitive_profile_update(learner, consenting, notes="Je corrige")


def test_a_coordinator_of_any_site_where_the_person_has_a_candidacy_reads(
    world: Any, consenting: Any
) -> None:
    lyon = world.user("outsider_coordinator")
    with pytest.raises(PermissionDenied):
        sensitive_profile_read(lyon, consenting, ReadPurpose.SUPPORT)
    factories.referral(
        world,
        world.other_cohort,
        first_name=consenting.first_name,
        last_name=consenting.last_name,
        birth_date=consenting.birth_date,
    )
    assert sensitive_profile_read(lyon, consenting, ReadPurpose.SUPPORT)["rqth"] is None


def test_without_consent_nothing_is_written(world: Any, person: Any) -> None:
    with pytest.raises(PrivacyError, match="consenti"):
        sensitive_profile_update(world.user("coordinator"), person, **VALUES)
    assert not SensitiveProfile.objects.exists()
    assert not _entries("sensitive.update")


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"diagnostic": "dépression"}, "Champs inconnus"),
        ({"benefits": ["rsa", "loto"]}, "Allocations inconnues"),
        ({"rqth": "peut-être"}, "RQTH"),
        ({"rqth": False, "rqth_valid_until": datetime.date(2028, 1, 1)}, "que si la personne"),
        ({"rqth_valid_until": "2028-01-01"}, "pas une date"),
        ({"housing": "chateau"}, "logement inconnue"),
        ({"notes": "x" * 2001}, "2000 caractères"),
        ({"notes": "NIR 1 85 03 13 055 123"}, "sécurité sociale"),
    ],
)
def test_bad_input_writes_nothing(
    world: Any, consenting: Any, fields: dict[str, Any], message: str
) -> None:
    with pytest.raises(PrivacyError, match=message):
        sensitive_profile_update(world.user("coordinator"), consenting, **fields)
    assert not SensitiveProfile.objects.exists()
    assert not _entries("sensitive.update")


def test_gdpr_export_gives_the_values_with_french_labels(world: Any, consenting: Any) -> None:
    profile = sensitive_profile_update(world.user("coordinator"), consenting, **VALUES)
    assert SensitiveProfile.gdpr_erase == "delete"
    exported = profile.gdpr_export()
    assert exported["Reconnaissance de la qualité de travailleur handicapé (RQTH)"] == "oui"
    assert exported["RQTH valable jusqu'au"] == "30/06/2029"
    assert exported["Allocations et aides perçues"] == [
        "RSA (revenu de solidarité active)",
        "AAH (allocation aux adultes handicapés)",
    ]
    assert exported["Situation de logement"] == "Hébergement d'urgence, CHRS ou foyer"
    assert exported["Observations"] == "Rendez-vous MDPH en janvier"
    assert str(profile) == f"Données sensibles de la personne n° {consenting.pk}"


def test_the_profile_goes_with_its_person(world: Any, consenting: Any) -> None:
    sensitive_profile_update(world.user("coordinator"), consenting, **VALUES)
    # Candidacies protect their person: an erasure removes them first.
    consenting.candidacies.all().delete()
    consenting.delete()
    assert not SensitiveProfile.objects.exists()
