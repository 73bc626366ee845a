"""The accept gate: a valid diagnostic that meets the programme's rule, or a written override."""

import datetime

import pytest

from tests import factories
from tests.eligibility.helpers import ml_referral, snapshot, to_positioning
from tremplin.candidacies.services import CandidacyError, candidacy_transition
from tremplin.core.models import AuditEntry, TransitionLog
from tremplin.eligibility.models import Acceptance, EligibilityRule
from tremplin.eligibility.selectors import eligibility_of
from tremplin.eligibility.services import diagnostic_decide

pytestmark = pytest.mark.django_db
PARIS = datetime.timezone(datetime.timedelta(hours=1))


def accept(candidacy, world, role="coordinator", **extra):
    return candidacy_transition(
        candidacy=candidacy, transition="accept", by=world.user(role), **extra
    )


def refused(candidacy, world, message, **extra):
    """Accepting is refused with ``message`` and writes nothing."""
    before = snapshot()
    with pytest.raises(CandidacyError, match=message):
        accept(candidacy, world, **extra)
    assert snapshot() == before
    candidacy.refresh_from_db()
    assert candidacy.status == "positioning"


def test_without_any_diagnostic_accepting_is_refused(world):
    candidacy = factories.referral(world)
    to_positioning(candidacy, world)
    refused(
        candidacy,
        world,
        "Impossible d'accepter sans diagnostic d'éligibilité valable : Aucun diagnostic",
    )


def test_a_habilitated_diagnostic_that_meets_the_rule_opens_the_door(world):
    candidacy = factories.referral(world)
    diagnostic = factories.diagnostic(candidacy, world.user("prescriber"))
    to_positioning(candidacy, world)
    accept(candidacy, world)
    candidacy.refresh_from_db()
    assert candidacy.status == "accepted"
    acceptance = Acceptance.objects.get(candidacy=candidacy)
    assert acceptance.diagnostic == diagnostic and not acceptance.is_override
    assert AuditEntry.objects.filter(action="candidacy.accept.eligible").exists()


def test_it_also_opens_the_door_at_another_site(world):
    candidacy = factories.referral(world, target=world.other_cohort)
    factories.diagnostic(candidacy, world.user("prescriber"))
    to_positioning(candidacy, world, "outsider_coordinator")
    accept(candidacy, world, "outsider_coordinator")
    candidacy.refresh_from_db()
    assert candidacy.status == "accepted"


def test_a_mission_locale_diagnostic_counts_once_confirmed_and_only_at_that_site(world):
    candidacy = ml_referral(world)
    diagnostic = factories.diagnostic(candidacy, world.user("outsider_prescriber"))
    to_positioning(candidacy, world)
    refused(candidacy, world, "attend la confirmation du coordinateur du site")
    diagnostic_decide(diagnostic=diagnostic, transition="confirm", by=world.user("coordinator"))
    accept(candidacy, world)
    assert Acceptance.objects.get(candidacy=candidacy).diagnostic == diagnostic

    # The same person referred to Lyon: the Marseille confirmation does not reach there.
    lyon = ml_referral(
        world,
        target=world.other_cohort,
        first_name=candidacy.person.first_name,
        last_name=candidacy.person.last_name,
        birth_date=candidacy.person.birth_date,
    )
    assert lyon.person_id == candidacy.person_id
    to_positioning(lyon, world, "outsider_coordinator")
    with pytest.raises(CandidacyError, match="Aucun diagnostic"):
        accept(lyon, world, "outsider_coordinator")


def test_a_rejected_diagnostic_does_not_count(world):
    candidacy = ml_referral(world)
    diagnostic = factories.diagnostic(candidacy, world.user("outsider_prescriber"))
    diagnostic_decide(
        diagnostic=diagnostic,
        transition="reject",
        by=world.user("coordinator"),
        reason="proof_mismatch",
    )
    to_positioning(candidacy, world)
    refused(candidacy, world, "a été refusé")


def test_the_coordinators_own_diagnostic_counts_for_their_site_only(world):
    candidacy = factories.referral(world)
    factories.diagnostic(candidacy, world.user("coordinator"))
    to_positioning(candidacy, world)
    accept(candidacy, world)
    lyon = factories.referral(
        world,
        target=world.other_cohort,
        first_name=candidacy.person.first_name,
        last_name=candidacy.person.last_name,
        birth_date=candidacy.person.birth_date,
    )
    assert not eligibility_of(lyon).eligible


def test_a_rule_not_met_says_why(world):
    candidacy = factories.referral(world, receives_rsa=False, highest_diploma="bac")
    factories.diagnostic(candidacy, world.user("prescriber"), criteria=("rqth",))
    to_positioning(candidacy, world)
    refused(
        candidacy,
        world,
        "Il faut 1 critère\\(s\\) de niveau 1 ou 2 critère\\(s\\) de niveau 2 : "
        "0 de niveau 1 et 1 de niveau 2 retenus.",
    )


def test_registration_with_france_travail_is_required_by_the_rule(world):
    candidacy = factories.referral(world)
    factories.diagnostic(candidacy, world.user("prescriber"), registered=False)
    to_positioning(candidacy, world)
    refused(candidacy, world, "La personne doit être inscrite à France Travail.")
    rule = EligibilityRule.objects.get(programme=world.programme)
    rule.france_travail_required = False
    rule.save(update_fields=["france_travail_required"])
    accept(candidacy, world)


def test_age_is_taken_at_the_start_of_the_cohort(world):
    # 17 today, 17 on the first day of the cohort (in 30 days): too young for the rule.
    birth = datetime.date(2008, 12, 31)
    candidacy = factories.referral(world, birth_date=birth)
    factories.diagnostic(candidacy, world.user("prescriber"))
    to_positioning(candidacy, world)
    refused(candidacy, world, "La personne a 17 ans : le parcours demande 18 ans au moins.")


def test_an_expired_proof_or_diagnostic_closes_the_door_again(world, frozen_clock):
    candidacy = factories.referral(world)
    factories.diagnostic(candidacy, world.user("prescriber"), issued_days_ago=85)
    to_positioning(candidacy, world)
    # The CAF attestation was 85 days old; ten days later it is past its 90 days.
    frozen_clock.move_to(datetime.datetime(2026, 12, 10, 10, tzinfo=PARIS))
    refused(
        candidacy,
        world,
        "Le justificatif du critère « Bénéficiaire du RSA » n'est plus valable depuis le "
        "05/12/2026.",
    )
    other = factories.referral(world)
    factories.diagnostic(other, world.user("prescriber"), criteria=("low_qualification",))
    to_positioning(other, world)
    frozen_clock.move_to(datetime.datetime(2027, 6, 15, 10, tzinfo=PARIS))
    assert "Le diagnostic a expiré le 10/06/2027." in eligibility_of(other).reasons


def test_override_needs_ten_characters_and_is_recorded_everywhere(world):
    candidacy = factories.referral(world)
    to_positioning(candidacy, world)
    refused(
        candidacy,
        world,
        "Motivez la dérogation en 10 caractères au moins.",
        override_reason="  pas   assez ",
    )
    reason = "Orientée par l'assistante sociale, RSA en cours d'ouverture."
    accept(candidacy, world, comment="Entretien concluant.", override_reason=reason)
    candidacy.refresh_from_db()
    assert candidacy.status == "accepted"
    acceptance = Acceptance.objects.get(candidacy=candidacy)
    assert acceptance.is_override and acceptance.override_reason == reason
    assert acceptance.decided_by == world.user("coordinator")
    log = TransitionLog.objects.get(object_type="candidacy", to_state="accepted")
    assert log.comment == f"Entretien concluant.\nDérogation à la règle d'éligibilité : {reason}"
    entry = AuditEntry.objects.get(action="candidacy.accept.override")
    assert entry.details["override_reason"] == reason
    assert "Aucun diagnostic" in entry.details["missing"]


def test_an_override_is_ignored_when_a_diagnostic_suffices(world):
    candidacy = factories.referral(world)
    factories.diagnostic(candidacy, world.user("prescriber"))
    to_positioning(candidacy, world)
    accept(candidacy, world, override_reason="Inutile mais écrit quand même.")
    acceptance = Acceptance.objects.get(candidacy=candidacy)
    assert not acceptance.is_override and acceptance.override_reason == ""


def test_accepting_from_a_wrong_state_keeps_the_workflow_message(world):
    candidacy = factories.referral(world)
    with pytest.raises(Exception, match="impossible depuis l'état actuel"):
        accept(candidacy, world)
    assert not Acceptance.objects.exists()


def test_the_database_refuses_an_acceptance_without_basis(world):
    from django.db import IntegrityError, transaction
    from django.utils import timezone

    candidacy = factories.referral(world)
    for reason in ("", "court"):
        with pytest.raises(IntegrityError), transaction.atomic():
            Acceptance.objects.create(
                candidacy=candidacy,
                override_reason=reason,
                decided_by=world.user("coordinator"),
                decided_at=timezone.now(),
            )
