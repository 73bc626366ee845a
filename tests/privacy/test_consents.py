"""Consents recorded with their text's version, from the referral on, and withdrawn."""

import importlib
from typing import Any

import pytest
from django.apps import apps
from django.core.exceptions import PermissionDenied

from tests import factories
from tremplin.candidacies.services import candidacy_create
from tremplin.core.models import AuditEntry
from tremplin.privacy.consent_texts import CURRENT, UNKNOWN_VERSION, current_text
from tremplin.privacy.enums import ConsentPurpose
from tremplin.privacy.models import ConsentRecord, SensitiveProfile
from tremplin.privacy.services import (
    PrivacyError,
    consent_give,
    consent_withdraw,
    sensitive_profile_update,
)

EMPLOYERS = ConsentPurpose.EMPLOYERS
SENSITIVE = ConsentPurpose.SENSITIVE


def _records(person: Any, purpose: str) -> list[ConsentRecord]:
    return list(ConsentRecord.objects.filter(person=person, purpose=purpose).order_by("id"))


def test_a_referral_records_the_consents_with_the_current_texts(world: Any) -> None:
    person = factories.referral(world).person
    prescriber = world.user("prescriber")
    records = {r.purpose: r for r in ConsentRecord.objects.filter(person=person)}
    assert set(records) == {"programme", "employers"}
    for purpose, record in records.items():
        text = current_text(purpose)
        assert (record.text_version, record.text_sha256) == (text.version, text.sha256)
        assert record.text_version == CURRENT[purpose] == "2026-12"
        assert record.given_by == prescriber and record.active
    assert len(records["employers"].text_sha256) == 64


def test_a_public_application_is_consented_by_the_person_themself(world: Any) -> None:
    candidacy = candidacy_create(
        cohort=world.upcoming,
        person_data=factories.person_data(consent_employers=False),
        motivation="",
        by=None,
    )
    [record] = ConsentRecord.objects.filter(person=candidacy.person)
    assert (record.purpose, record.given_by) == ("programme", None)


def test_a_new_referral_without_consent_to_employers_withdraws_it(world: Any) -> None:
    person = factories.referral(world).person
    factories.referral(
        world,
        world.other_cohort,
        first_name=person.first_name,
        last_name=person.last_name,
        birth_date=person.birth_date,
        consent_employers=False,
    )
    person.refresh_from_db()
    assert not person.consent_employers
    [record] = _records(person, EMPLOYERS)
    assert record.withdrawn_at is not None and record.withdrawn_by == world.user("prescriber")
    assert _records(person, "programme")[0].active


def test_the_learner_withdraws_and_gives_back_their_consent_to_employers(world: Any) -> None:
    person = factories.referral(world).person
    learner = world.user("learner")
    factories.link_account(person, learner)
    person.refresh_from_db()
    assert consent_withdraw(by=learner, person=person, purpose=EMPLOYERS) == 1
    person.refresh_from_db()
    assert not person.consent_employers
    [record] = _records(person, EMPLOYERS)
    # The person acted themself: no professional is named.
    assert record.withdrawn_at is not None and record.withdrawn_by is None
    with pytest.raises(PrivacyError, match="Aucun consentement en cours"):
        consent_withdraw(by=learner, person=person, purpose=EMPLOYERS)

    again = consent_give(by=learner, person=person, purpose=EMPLOYERS)
    person.refresh_from_db()
    assert person.consent_employers
    assert _records(person, EMPLOYERS) == [record, again]
    assert again.active and again.given_by is None and again.text_version == "2026-12"
    with pytest.raises(PrivacyError, match="déjà donné"):
        consent_give(by=learner, person=person, purpose=EMPLOYERS)
    actions = list(
        AuditEntry.objects.filter(action__startswith="consent.")
        .order_by("id")
        .values_list("action", "details")
    )
    assert [(a, d["purpose"]) for a, d in actions] == [
        ("consent.withdraw", "employers"),
        ("consent.give", "employers"),
    ]


def test_withdrawing_the_sensitive_consent_erases_the_data(world: Any) -> None:
    person = factories.referral(world).person
    coordinator = world.user("coordinator")
    record = consent_give(by=coordinator, person=person, purpose=SENSITIVE)
    assert record.given_by == coordinator
    sensitive_profile_update(coordinator, person, rqth=True)
    consent_withdraw(by=coordinator, person=person, purpose=SENSITIVE)
    assert not SensitiveProfile.objects.filter(person=person).exists()
    assert AuditEntry.objects.filter(action="sensitive.delete", object_id=str(person.pk)).exists()
    with pytest.raises(PrivacyError, match="consenti"):
        sensitive_profile_update(coordinator, person, rqth=True)


def test_the_programme_consent_is_not_withdrawn_here(world: Any) -> None:
    person = factories.referral(world).person
    with pytest.raises(PrivacyError, match="effacement"):
        consent_withdraw(by=world.user("coordinator"), person=person, purpose="programme")
    with pytest.raises(PrivacyError, match="orientation"):
        consent_give(by=world.user("coordinator"), person=person, purpose="programme")
    assert _records(person, "programme")[0].active


@pytest.mark.parametrize("role", ["network_admin", "prescriber", "trainer", "outsider_learner"])
def test_others_cannot_touch_consents(world: Any, role: str) -> None:
    person = factories.referral(world).person
    with pytest.raises(PermissionDenied):
        consent_withdraw(by=world.user(role), person=person, purpose=EMPLOYERS)
    assert _records(person, EMPLOYERS)[0].active


def test_existing_consents_get_a_record_of_unknown_text(world: Any) -> None:
    person = factories.referral(world).person
    ConsentRecord.objects.all().delete()
    migration = importlib.import_module("tremplin.privacy.migrations.0002_existing_consents")
    migration.forwards(apps, None)
    records = {r.purpose: r for r in ConsentRecord.objects.filter(person=person)}
    assert set(records) == {"programme", "employers"}
    assert {(r.text_version, r.text_sha256, r.given_by) for r in records.values()} == {
        (UNKNOWN_VERSION, "", None)
    }
    assert records["programme"].text == ""
