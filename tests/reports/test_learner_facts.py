"""Every write path keeps reports.LearnerFacts current, in the writing transaction: after each
service, the rows equal a fresh rebuild and the aggregate figures equal the reference's."""

import datetime
from decimal import Decimal
from typing import Any

import pytest
from django.db import transaction
from django.utils import timezone

from tests import factories
from tests.reports.test_fast_indicators import assert_fast_equals_reference, facts_rows
from tremplin.candidacies.services import candidacy_create
from tremplin.cohorts.models import Cohort
from tremplin.cohorts.services import (
    cohort_funding_set,
    competency_assess,
    enrolment_end,
)
from tremplin.organisations.enums import OrganisationKind
from tremplin.outcomes.services import follow_up_record
from tremplin.people.models import Person
from tremplin.people.services import person_merge_undo
from tremplin.programmes.models import Competency, Track
from tremplin.quality.services import survey_answer, survey_send, survey_token
from tremplin.reports.facts import rebuild_learner_facts
from tremplin.reports.models import FactsChanged, LearnerFacts
from tremplin.reports.rollup import build_rollup
from tremplin.reports.selectors import IndicatorFilters

pytestmark = pytest.mark.django_db

D = datetime.date
HOT = {
    "objectifs": 5,
    "contenus": 4,
    "plateau": 3,
    "formateurs": 4,
    "organisation": 2,
    "recommandation": 5,
}


def assert_current(world: Any) -> None:
    kept = facts_rows()
    with transaction.atomic():
        rebuild_learner_facts()
        rebuilt = facts_rows()
        transaction.set_rollback(True)  # leave the rows the signals wrote
    assert kept == rebuilt
    track = Track.objects.filter(programme=world.programme).order_by("id").first()
    assert_fast_equals_reference(
        world,
        [
            IndicatorFilters(),
            IndicatorFilters(funder_id=world.funder.pk),
            IndicatorFilters(track_id=track.pk),
        ],
    )


@pytest.mark.parametrize("with_rollup", [False, True])
def test_every_service_keeps_the_facts_current(world, with_rollup):
    coordinator = world.user("coordinator")
    if with_rollup:
        # Built 100 days ago: whole-site figures then read it plus every row each service
        # rewrites since (reports/rollup.py).
        build_rollup(as_of=timezone.localdate() - datetime.timedelta(days=100))
    assert_current(world)

    # candidacies: referral (bulk_create inside), selection, enrolment.
    referred = factories.referral(world, first_name="Aïcha", last_name="Benali")
    assert LearnerFacts.objects.filter(pk=referred.pk).exists()
    assert_current(world)
    enrolments = [
        factories.enrolled(world, world.past, first_name=f"Appr{i}", last_name="Past")
        for i in range(3)
    ]
    assert_current(world)

    # cohorts: exits (one for a job), fundings (read live), competency assessments (track).
    enrolment_end(
        enrolment=enrolments[0], outcome="complete", by=coordinator, on_date=D(2026, 3, 31)
    )
    enrolment_end(
        enrolment=enrolments[1],
        outcome="drop_out",
        reason="found_job",
        by=coordinator,
        on_date=D(2026, 1, 15),
    )
    assert_current(world)
    cohort_funding_set(
        by=world.user("network_admin"),
        cohort=world.past,
        funder=world.funder,
        amount=Decimal("1234.56"),
    )
    track = Track.objects.filter(programme=world.programme).order_by("id").first()
    competency = Competency.objects.filter(block__certification=track.certification).first()
    competency_assess(
        enrolment=enrolments[0],
        competency=competency,
        level="acquired",
        evidence="Raccordement observé au labo fibre.",
        on_date=D(2026, 2, 1),
        by=world.user("trainer"),
    )
    assert_current(world)

    # outcomes: a follow-up, then a later answer to the same milestone (the history).
    for situation, day in (("job_seeking", D(2026, 9, 30)), ("cdi", D(2026, 10, 2))):
        follow_up_record(
            enrolment=enrolments[0],
            milestone="m6",
            situation=situation,
            employer_name="Fibre Sud" if situation == "cdi" else "",
            recorded_on=day,
            by=coordinator,
        )
        assert_current(world)

    # quality: the end-of-training survey sent (bulk_create inside), then answered.
    invitations = survey_send(cohort=world.past, kind="hot", by=coordinator)
    assert invitations
    assert_current(world)
    survey_answer(token=survey_token(invitations[0]), answers=HOT)
    assert_current(world)

    # people: a known person referred again with new facts (bulk_update inside), a merge and
    # its undo, an edit of the record.
    candidacy_create(
        cohort=world.other_cohort,
        person_data=factories.person_data(
            first_name="Aïcha",
            last_name="Benali",
            birth_date=referred.person.birth_date,
            receives_rsa=False,
            qpv_declared=False,
        ),
        motivation="",
        by=world.user("prescriber"),
    )
    assert_current(world)
    merge = factories.merged(world)
    assert_current(world)
    person_merge_undo(merge=merge, by=coordinator)
    assert_current(world)
    person = Person.objects.get(pk=enrolments[2].candidacy.person_id)
    person.sex = "female"
    person.save(update_fields=["sex"])
    assert_current(world)

    # A cohort moved: its start date decides the period and the age at entry.
    cohort = Cohort.objects.get(pk=world.past.pk)
    cohort.start_date = D(2025, 10, 1)
    cohort.save(update_fields=["start_date"])
    assert LearnerFacts.objects.filter(cohort=cohort, cohort_start=D(2025, 10, 1)).exists()
    assert_current(world)
    assert FactsChanged.objects.exists() == with_rollup


def test_a_write_that_fails_leaves_the_facts_as_they_were(world):
    enrolment = factories.enrolled(world, world.past, first_name="Lou", last_name="Rollback")
    before = facts_rows()
    with pytest.raises(RuntimeError), transaction.atomic():
        enrolment_end(
            enrolment=enrolment,
            outcome="complete",
            by=world.user("coordinator"),
            on_date=timezone.localdate(),
        )
        raise RuntimeError("the page fails after the service")
    assert facts_rows() == before


def test_funder_kind_is_irrelevant_to_the_facts(world):
    # Budgets are read from CohortFunding at query time: a new funding changes costs, and no
    # fact row.
    before = facts_rows()
    region = factories.org(OrganisationKind.FUNDER, "Région Sud", world.network)
    cohort_funding_set(
        by=world.user("network_admin"), cohort=world.running, funder=region, amount=Decimal("10")
    )
    assert facts_rows() == before
    assert_current(world)
