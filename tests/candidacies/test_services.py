"""Referral and selection services: what they write, what they refuse, what they tell."""

import datetime

import pytest
from django.core import mail

from tests import factories
from tremplin.candidacies.enums import CandidacyStatus
from tremplin.candidacies.models import Candidacy
from tremplin.candidacies.services import (
    CandidacyError,
    DuplicateCandidacy,
    candidacy_create,
    candidacy_transition,
)
from tremplin.candidacies.workflow import candidacy_workflow
from tremplin.core.models import AuditEntry, TransitionLog
from tremplin.core.workflow import TransitionNotAllowed
from tremplin.people.models import Person

pytestmark = pytest.mark.django_db


def test_referral_creates_person_candidacy_and_audit(world):
    candidacy = factories.referral(world, first_name="Samira", last_name="Haddad")
    assert candidacy.status == CandidacyStatus.NEW
    assert candidacy.prescriber_organisation == world.france_travail
    assert candidacy.referred_by == world.user("prescriber")
    assert Person.objects.get().full_name == "Samira HADDAD"
    assert AuditEntry.objects.filter(
        action="candidacy.create", object_id=str(candidacy.pk)
    ).exists()


def test_same_person_twice_to_same_cohort_is_refused_with_the_existing_one(world):
    first = factories.referral(
        world, first_name="Samira", last_name="Haddad", birth_date=datetime.date(1980, 5, 4)
    )
    with pytest.raises(DuplicateCandidacy) as raised:
        factories.referral(
            world, first_name="SAMIRA", last_name="haddad ", birth_date=datetime.date(1980, 5, 4)
        )
    assert raised.value.existing == first
    assert Candidacy.objects.count() == 1
    assert Person.objects.count() == 1


def test_same_person_may_apply_to_another_cohort(world):
    world.other_cohort.refresh_from_db()
    data = factories.person_data(
        first_name="Ali", last_name="Ben", birth_date=datetime.date(1990, 1, 1)
    )
    candidacy_create(cohort=world.upcoming, person_data=data, motivation="", by=None)
    candidacy_create(cohort=world.other_cohort, person_data=data, motivation="", by=None)
    assert Person.objects.count() == 1
    assert Candidacy.objects.count() == 2


def test_public_application_has_no_prescriber(world):
    candidacy = candidacy_create(
        cohort=world.upcoming,
        person_data=factories.person_data(),
        motivation="Reconversion",
        by=None,
    )
    assert candidacy.source == "public"
    assert candidacy.prescriber_organisation is None


def test_referral_to_a_started_cohort_is_refused(world):
    with pytest.raises(CandidacyError, match="déjà commencé"):
        factories.referral(world, target=world.running)
    assert not Candidacy.objects.exists()


def test_referral_needs_consent(world):
    with pytest.raises(CandidacyError, match="consentement"):
        factories.referral(world, consent_programme=False)
    assert not Person.objects.exists()


def test_selection_path_logs_each_step_with_actor(world, django_capture_on_commit_callbacks):
    candidacy = factories.referral(world)
    factories.diagnostic(candidacy, world.user("prescriber"))
    coordinator = world.user("coordinator")
    with django_capture_on_commit_callbacks(execute=True):
        for step in ("invite", "position", "accept"):
            candidacy_transition(candidacy=candidacy, transition=step, by=coordinator)
    candidacy.refresh_from_db()
    assert candidacy.status == CandidacyStatus.ACCEPTED
    logs = list(TransitionLog.objects.filter(object_type="candidacy", object_id=candidacy.pk))
    assert [(log.from_state, log.to_state) for log in logs] == [
        ("new", "invited"),
        ("invited", "positioning"),
        ("positioning", "accepted"),
    ]
    assert {log.actor for log in logs} == {coordinator}
    # The prescriber hears of each change.
    assert len(mail.outbox) == 3
    assert mail.outbox[-1].to == [world.user("prescriber").email]
    assert "Acceptée" in mail.outbox[-1].subject


def test_invalid_transition_is_refused_and_state_unchanged(world):
    candidacy = factories.referral(world)
    with pytest.raises(TransitionNotAllowed, match="impossible"):
        candidacy_transition(candidacy=candidacy, transition="accept", by=world.user("coordinator"))
    candidacy.refresh_from_db()
    assert candidacy.status == CandidacyStatus.NEW
    assert not TransitionLog.objects.exists()


def test_refusal_needs_a_reason_from_the_list(world):
    candidacy = factories.referral(world)
    coordinator = world.user("coordinator")
    with pytest.raises(TransitionNotAllowed, match="motif"):
        candidacy_transition(candidacy=candidacy, transition="refuse", by=coordinator)
    with pytest.raises(TransitionNotAllowed, match="motif"):
        candidacy_transition(
            candidacy=candidacy, transition="refuse", by=coordinator, reason="because"
        )
    candidacy_transition(
        candidacy=candidacy, transition="refuse", by=coordinator, reason="not_eligible"
    )
    candidacy.refresh_from_db()
    assert candidacy.status == CandidacyStatus.REFUSED
    (entry,) = candidacy_workflow.history(candidacy)
    assert entry["reason_label"] == "Critères d'éligibilité non remplis"


def test_enrol_transition_is_not_a_button(world):
    candidacy = factories.accepted(world)
    with pytest.raises(CandidacyError):
        candidacy_transition(candidacy=candidacy, transition="enrol", by=world.user("coordinator"))


def test_a_new_referral_refreshes_situation_but_never_gives_consent_back(world):
    first = factories.referral(
        world,
        first_name="Inès",
        last_name="Benali",
        birth_date=datetime.date(1998, 5, 4),
        consent_employers=False,
        receives_rsa=False,
    )
    candidacy_create(
        cohort=world.other_cohort,
        person_data=factories.person_data(
            first_name="Inès",
            last_name="BENALI",
            birth_date=datetime.date(1998, 5, 4),
            consent_employers=True,
            receives_rsa=True,
            email="nouvelle@example.org",
        ),
        motivation="",
        by=world.user("outsider_prescriber"),
    )
    person = Person.objects.get(pk=first.person_id)
    assert person.receives_rsa and person.email == "nouvelle@example.org"
    assert person.last_name == "Benali"
    assert not person.consent_employers
    assert AuditEntry.objects.filter(action="person.refresh", object_id=str(person.pk)).exists()


def test_a_new_referral_may_withdraw_consent(world):
    first = factories.referral(
        world,
        first_name="Inès",
        last_name="Benali",
        birth_date=datetime.date(1998, 5, 4),
        consent_employers=True,
    )
    factories.referral(
        world,
        target=world.other_cohort,
        first_name="Inès",
        last_name="Benali",
        birth_date=datetime.date(1998, 5, 4),
        consent_employers=False,
    )
    assert not Person.objects.get(pk=first.person_id).consent_employers


def test_an_anonymous_application_changes_nothing_about_a_known_person(world):
    first = factories.referral(
        world,
        first_name="Inès",
        last_name="Benali",
        birth_date=datetime.date(1998, 5, 4),
        consent_employers=False,
    )
    before = Person.objects.filter(pk=first.person_id).values().get()
    candidacy_create(
        cohort=world.other_cohort,
        person_data=factories.person_data(
            first_name="inès",
            last_name="BENALI",
            birth_date=datetime.date(1998, 5, 4),
            consent_employers=True,
            email="usurpateur@example.net",
        ),
        motivation="",
        by=None,
    )
    assert Person.objects.filter(pk=first.person_id).values().get() == before


def test_a_referrer_may_attach_the_referral_to_a_person_they_picked(world):
    first = factories.referral(
        world, first_name="Inès", last_name="Benali", email="ines@example.org"
    )
    second = candidacy_create(
        cohort=world.other_cohort,
        person_data=factories.person_data(first_name="Ines", last_name="Benali-Haddad"),
        motivation="",
        by=world.user("coordinator"),
        existing_person=first.person,
    )
    assert second.person == first.person
    assert Person.objects.count() == 1


def test_an_anonymous_applicant_cannot_pick_a_person(world):
    first = factories.referral(world)
    with pytest.raises(CandidacyError):
        candidacy_create(
            cohort=world.other_cohort,
            person_data=factories.person_data(),
            motivation="",
            by=None,
            existing_person=first.person,
        )
