"""Cohort services: enrolment under capacity, end of training, competency assessments."""

import datetime

import pytest
from django.core import mail

from tests import factories
from tremplin.candidacies.enums import CandidacyStatus
from tremplin.cohorts.enums import EnrolmentStatus
from tremplin.cohorts.models import CompetencyAssessment, Enrolment
from tremplin.cohorts.services import (
    CohortError,
    CohortFull,
    cohort_create,
    competencies_of,
    competency_assess,
    enrol,
    enrolment_end,
)
from tremplin.core.workflow import TransitionNotAllowed
from tremplin.programmes.models import Certification, Competency, CompetencyBlock

pytestmark = pytest.mark.django_db


def test_cohort_defaults_to_four_months_and_twelve_places(world):
    cohort = cohort_create(
        by=world.user("coordinator"),
        programme=world.programme,
        site=world.site,
        name="Promo test",
        start_date=datetime.date(2027, 3, 1),
    )
    assert cohort.end_date == datetime.date(2027, 7, 1)
    assert cohort.capacity == 12


def test_a_cohort_runs_only_a_programme_of_its_sites_network(world):
    from tremplin.cohorts.models import Cohort
    from tremplin.organisations.enums import OrganisationKind
    from tremplin.programmes.models import Programme

    other_network = factories.org(OrganisationKind.NETWORK, "Autre réseau")
    foreign = Programme.objects.create(network=other_network, name="Programme d'un autre réseau")
    with pytest.raises(CohortError, match="n'appartient pas au réseau"):
        cohort_create(
            by=world.user("coordinator"),
            programme=foreign,
            site=world.site,
            name="Promo forgée",
            start_date=datetime.date(2027, 3, 1),
        )
    assert not Cohort.objects.filter(name="Promo forgée").exists()


def test_enrol_accepted_candidacy(world, django_capture_on_commit_callbacks):
    candidacy = factories.accepted(world)
    with django_capture_on_commit_callbacks(execute=True):
        enrolment = enrol(candidacy=candidacy, by=world.user("coordinator"))
    (message,) = mail.outbox
    assert message.to == [world.user("prescriber").email]
    assert "Entrée en formation" in message.subject
    candidacy.refresh_from_db()
    assert candidacy.status == CandidacyStatus.ENROLLED
    assert enrolment.status == EnrolmentStatus.IN_TRAINING


def test_enrol_refuses_non_accepted_candidacy(world):
    candidacy = factories.referral(world)
    with pytest.raises(CohortError, match="acceptée"):
        enrol(candidacy=candidacy, by=world.user("coordinator"))
    assert not Enrolment.objects.exists()


def test_capacity_is_never_exceeded(world):
    world.upcoming.capacity = 1
    world.upcoming.save(update_fields=["capacity"])
    first, second = factories.accepted(world), factories.accepted(world)
    enrol(candidacy=first, by=world.user("coordinator"))
    with pytest.raises(CohortFull, match="complète"):
        enrol(candidacy=second, by=world.user("coordinator"))
    second.refresh_from_db()
    assert second.status == CandidacyStatus.ACCEPTED
    assert Enrolment.objects.count() == 1


def test_end_of_training(world):
    enrolment = factories.enrolled(world, target=world.past)
    enrolment_end(
        enrolment=enrolment,
        outcome="complete",
        by=world.user("coordinator"),
        on_date=world.past.end_date,
    )
    enrolment.refresh_from_db()
    assert enrolment.status == EnrolmentStatus.COMPLETED
    assert enrolment.ended_on == world.past.end_date


def test_end_date_cannot_be_in_the_future(world):
    enrolment = factories.enrolled(world, target=world.running)
    with pytest.raises(CohortError, match="futur"):
        enrolment_end(
            enrolment=enrolment,
            outcome="complete",
            by=world.user("coordinator"),
            on_date=world.running.end_date,
        )
    enrolment.refresh_from_db()
    assert enrolment.status == EnrolmentStatus.IN_TRAINING


def test_drop_out_needs_reason_and_cannot_happen_twice(world):
    enrolment = factories.enrolled(world, target=world.running)
    coordinator = world.user("coordinator")
    with pytest.raises(TransitionNotAllowed):
        enrolment_end(
            enrolment=enrolment,
            outcome="drop_out",
            by=coordinator,
            on_date=datetime.date(2026, 11, 1),
        )
    enrolment_end(
        enrolment=enrolment,
        outcome="drop_out",
        by=coordinator,
        on_date=datetime.date(2026, 11, 1),
        reason="health",
    )
    with pytest.raises(TransitionNotAllowed, match="impossible"):
        enrolment_end(
            enrolment=enrolment,
            outcome="complete",
            by=coordinator,
            on_date=datetime.date(2026, 11, 2),
        )
    enrolment.refresh_from_db()
    assert (enrolment.status, enrolment.end_reason) == (EnrolmentStatus.DROPPED_OUT, "health")


def test_assessment_records_and_updates_one_row(world):
    enrolment = factories.enrolled(world, target=world.running)
    competency = competencies_of(enrolment).first()
    trainer = world.user("trainer")
    today = datetime.date(2026, 11, 30)
    competency_assess(
        enrolment=enrolment,
        competency=competency,
        level="in_progress",
        evidence="",
        on_date=today,
        by=trainer,
    )
    competency_assess(
        enrolment=enrolment,
        competency=competency,
        level="acquired",
        evidence="Épissure réussie, perte 0,05 dB",
        on_date=today,
        by=trainer,
    )
    (assessment,) = CompetencyAssessment.objects.all()
    assert assessment.level == "acquired"
    assert assessment.assessed_by == trainer


def test_acquired_needs_evidence(world):
    enrolment = factories.enrolled(world, target=world.running)
    competency = competencies_of(enrolment).first()
    with pytest.raises(CohortError, match="preuve"):
        competency_assess(
            enrolment=enrolment,
            competency=competency,
            level="acquired",
            evidence="  ",
            on_date=datetime.date(2026, 11, 30),
            by=world.user("trainer"),
        )
    assert not CompetencyAssessment.objects.exists()


def test_competency_outside_the_programme_is_refused(world):
    enrolment = factories.enrolled(world, target=world.running)
    foreign = Competency.objects.create(
        block=CompetencyBlock.objects.create(
            certification=Certification.objects.create(code="autre", version="1", title="Autre"),
            code="B1",
            title="Bloc",
        ),
        code="B1.1",
        title="Hors parcours",
    )
    with pytest.raises(CohortError, match="parcours"):
        competency_assess(
            enrolment=enrolment,
            competency=foreign,
            level="in_progress",
            evidence="",
            on_date=datetime.date(2026, 11, 30),
            by=world.user("trainer"),
        )
