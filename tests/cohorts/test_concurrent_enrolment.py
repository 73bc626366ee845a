"""Two coordinators enrolling at the same instant never exceed a cohort's capacity.

Runs real concurrent transactions on PostgreSQL (marker ``postgres``): each thread has its own
database connection. The first test is deterministic: it holds one enrolment's transaction
open and shows the second waits on the cohort lock, then finds the cohort full. Without the
lock, the second would count the seats before the first commits and overbook.
"""

import threading

import pytest
from django.db import transaction

from tests import factories
from tests.concurrency import in_thread
from tremplin.cohorts.models import Enrolment
from tremplin.cohorts.services import CohortFull, enrol

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_second_enrolment_waits_for_the_first_and_finds_the_cohort_full(world_pg):
    world = world_pg
    world.upcoming.capacity = 1
    world.upcoming.save(update_fields=["capacity"])
    first, second = factories.accepted(world), factories.accepted(world)
    coordinator = world.user("coordinator")
    other_coordinator = type(coordinator).objects.create_user(
        "coord2.marseille@example.org",
        "x",
        role="coordinator",
        site=world.site,
        organisation=world.network,
    )
    first_enrolled, release = threading.Event(), threading.Event()
    results: dict[str, object] = {}

    def hold_first():
        with transaction.atomic():
            enrolment = enrol(candidacy=first, by=coordinator)
            first_enrolled.set()
            release.wait(timeout=10)
            return enrolment

    def enrol_second():
        first_enrolled.wait(timeout=10)
        return enrol(candidacy=second, by=other_coordinator)

    t1 = in_thread(hold_first, results, "first")
    t2 = in_thread(enrol_second, results, "second")
    first_enrolled.wait(timeout=10)
    t2.join(timeout=1.0)
    assert t2.is_alive(), "the second enrolment must wait for the first transaction's lock"
    release.set()
    t1.join(timeout=10)
    t2.join(timeout=10)
    assert isinstance(results["first"], Enrolment)
    assert isinstance(results["second"], CohortFull)
    assert Enrolment.objects.count() == 1


def test_many_simultaneous_enrolments_fill_exactly_the_capacity(world_pg):
    world = world_pg
    world.upcoming.capacity = 3
    world.upcoming.save(update_fields=["capacity"])
    candidacies = [factories.accepted(world) for _ in range(6)]
    coordinator = world.user("coordinator")
    barrier = threading.Barrier(len(candidacies))
    results: dict[str, object] = {}

    def make(candidacy):
        def go():
            barrier.wait(timeout=10)
            return enrol(candidacy=candidacy, by=coordinator)

        return go

    threads = [in_thread(make(c), results, str(c.pk)) for c in candidacies]
    for thread in threads:
        thread.join(timeout=20)
    outcomes = list(results.values())
    assert sum(isinstance(o, Enrolment) for o in outcomes) == 3
    assert sum(isinstance(o, CohortFull) for o in outcomes) == 3
    assert Enrolment.objects.filter(cohort=world.upcoming).count() == 3
