"""The daily rollup (reports.rollup): whole-site figures read from the stored counts of settled
rows plus the rows it does not settle equal the per-person reference — right after the build,
after writes of every kind since, and days later when more milestones have fallen due."""

import datetime
import json
import random

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.models import Q
from django.utils import timezone

from tests.reports.test_fast_indicators import (
    assert_fast_equals_reference,
    build_random_world,
    filters_of,
)
from tremplin.candidacies.models import Candidacy
from tremplin.cohorts.models import Enrolment
from tremplin.core.scheduler import DAILY_JOBS
from tremplin.engine.indicators import vocabulary
from tremplin.organisations.models import Site
from tremplin.outcomes.models import FollowUp
from tremplin.people.models import Person
from tremplin.reports.counting import CANDIDACIES
from tremplin.reports.facts import rebuild_learner_facts
from tremplin.reports.models import FactsChanged, FactsRollup, FactsRollupState, RetractedFacts
from tremplin.reports.reference import network_indicators_reference
from tremplin.reports.rollup import build_rollup, read_counts
from tremplin.reports.selectors import (
    IndicatorFilters,
    network_comparison,
    network_indicators,
    site_indicators,
)

pytestmark = pytest.mark.django_db

D = datetime.date


def _write_a_little_of_everything(seed: int) -> None:
    """Writes after the build, through the ORM (the signals refresh the facts): new answers to
    milestones (a job found), exits, a person's attributes, a candidacy removed, a newcomer."""
    rng = random.Random(seed)
    coordinator_id = FollowUp.objects.values_list("recorded_by_id", flat=True).first()
    enrolments = list(Enrolment.objects.order_by("pk"))
    for enrolment in rng.sample(enrolments, min(8, len(enrolments))):
        FollowUp.objects.create(
            enrolment=enrolment,
            milestone=rng.choice(list(vocabulary.MILESTONE_MONTHS)),
            situation=rng.choice(["cdi", "interim", "job_seeking"]),
            recorded_on=timezone.localdate(),
            recorded_by_id=coordinator_id,
        )
    for enrolment in Enrolment.objects.filter(status="in_training").order_by("pk")[:2]:
        enrolment.status, enrolment.ended_on = "completed", timezone.localdate()
        enrolment.save()
    for person in Person.objects.order_by("-pk")[:3]:
        person.receives_rsa = not person.receives_rsa
        person.sex = "female"
        person.save()
    Candidacy.objects.filter(enrolment__isnull=True).order_by("pk").first().delete()
    newcomer = Person.objects.order_by("pk").first()
    Candidacy.objects.create(
        person=newcomer, cohort=Enrolment.objects.first().cohort, source="public", status="new"
    )


@pytest.mark.parametrize(("seed", "built_days_ago"), [(21, 0), (22, 45), (23, 200)])
def test_rollup_figures_equal_the_reference_before_and_after_writes(
    world, frozen_clock, seed, built_days_ago
):
    random_world = build_random_world(world, seed)
    today = timezone.localdate()
    # Built some days ago: milestones due since then are read live.
    assert build_rollup(as_of=today - datetime.timedelta(days=built_days_ago)) == 2
    assert FactsRollup.objects.exists()
    assert_fast_equals_reference(world, filters_of(world, random_world))

    _write_a_little_of_everything(seed)
    # Each rewritten candidacy is kept once as the rollup counted it, and read live.
    assert FactsChanged.objects.exists()
    assert RetractedFacts.objects.count() <= FactsChanged.objects.count()
    assert_fast_equals_reference(world, filters_of(world, random_world))

    # Later: more milestones due, the same rollup still read.
    frozen_clock.shift(datetime.timedelta(days=100))
    assert_fast_equals_reference(world, [IndicatorFilters()])
    assert FactsRollupState.objects.get().built_on < timezone.localdate()

    # The next build starts afresh.
    build_rollup()
    assert not FactsChanged.objects.exists() and not RetractedFacts.objects.exists()
    assert_fast_equals_reference(world, [IndicatorFilters()])


def test_the_figures_come_from_the_stored_counts(world):
    build_random_world(world, 31)
    build_rollup()
    before = site_indicators(world.site).referrals.referred
    # Not vacuous: a stored count, tampered with, shows; a filter (read live) does not.
    stored = FactsRollup.objects.get(site_id=world.site.pk, kind=CANDIDACIES)
    entries = json.loads(stored.counts)
    entries.append(["s", "new", 1000])
    stored.counts = json.dumps(entries)
    stored.save()
    assert site_indicators(world.site).referrals.referred == before + 1000
    live = site_indicators(world.site, IndicatorFilters(start_from=D(2000, 1, 1)))
    assert live.referrals.referred == before


def test_no_rollup_before_its_build_day(world):
    build_random_world(world, 32)
    build_rollup(as_of=timezone.localdate() + datetime.timedelta(days=1))
    today = timezone.localdate()
    assert read_counts(Q(site_id=world.site.pk), frozenset({CANDIDACIES}), today) is None
    assert_fast_equals_reference(world, [IndicatorFilters()])


def test_a_bulk_rebuild_drops_the_rollup(world):
    build_random_world(world, 33)
    build_rollup()
    rebuild_learner_facts()
    assert not FactsRollupState.objects.exists() and not FactsRollup.objects.exists()
    assert_fast_equals_reference(world, [IndicatorFilters()])


def test_the_comparison_equals_the_full_indicators(world):
    random_world = build_random_world(world, 34)
    sites = Site.objects.all()
    for built in (False, True):
        if built:
            build_rollup()
        for f in filters_of(world, random_world):
            full = dict(network_indicators(sites, f))
            for site, compared in network_comparison(sites, f):
                ind = full[site]
                assert compared.referrals == ind.referrals
                assert compared.completion == ind.completion
                assert compared.employment_6m == ind.employment_6m
                assert compared.positive_outcomes == ind.positive_outcomes


def test_the_build_is_a_daily_job_and_a_command(world):
    assert "build_facts_rollup" in {job.name for job in DAILY_JOBS}
    build_random_world(world, 35, people=10)
    call_command("build_facts_rollup")
    assert FactsRollupState.objects.get().built_on == timezone.localdate()
    reference = dict(network_indicators_reference(Site.objects.all(), IndicatorFilters()))
    for site, ind in network_indicators(Site.objects.all()):
        assert ind == reference[site]


@pytest.mark.postgres
@pytest.mark.parametrize("seed", [41])
def test_rollup_figures_equal_the_reference_on_postgresql(world, frozen_clock, seed):
    if connection.vendor != "postgresql":
        pytest.fail("PostgreSQL only: run with DATABASE_URL=postgres://…")
    random_world = build_random_world(world, seed, people=60)
    build_rollup(as_of=timezone.localdate() - datetime.timedelta(days=90))
    _write_a_little_of_everything(seed)
    assert_fast_equals_reference(world, filters_of(world, random_world))
    frozen_clock.shift(datetime.timedelta(days=200))
    assert_fast_equals_reference(world, [IndicatorFilters()])
