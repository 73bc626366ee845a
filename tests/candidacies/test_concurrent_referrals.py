"""Two referrals of the same person at the same instant make one candidacy, one by one or in bulk.

Runs real concurrent transactions on PostgreSQL (marker ``postgres``), each thread on its own
connection. One referral's transaction is held open; the other then waits on the database
(the unique identity key of a new person, or the lock on a known one) and, once the first
commits, ends with a ``DuplicateCandidacy`` for that person instead of an error.
"""

import datetime
import threading

import pytest
from django.db import transaction

from tests import factories
from tests.concurrency import in_thread
from tremplin.candidacies import services
from tremplin.candidacies.models import Candidacy
from tremplin.candidacies.services import (
    DuplicateCandidacy,
    candidacy_create,
    candidacy_create_many,
)
from tremplin.people.models import Person

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

BORN = datetime.date(1990, 6, 1)


@pytest.fixture
def fallbacks(monkeypatch):
    """How many times a referral fell back on the race's answer (a unique constraint refused)."""
    calls: list[int] = []
    check = services._referred_meanwhile

    def counted(cohort, referrals):
        calls.append(len(referrals))
        return check(cohort, referrals)

    monkeypatch.setattr(services, "_referred_meanwhile", counted)
    return calls


def ali(**overrides):
    values = {"first_name": "Ali", "last_name": "Ben", "birth_date": BORN}
    return factories.person_data(**(values | overrides))


def race(world, second):
    """Ali referred to the upcoming cohort in a transaction held open while ``second`` runs;
    both outcomes, once the first has committed."""
    prescriber = world.user("prescriber")
    written, release = threading.Event(), threading.Event()
    results: dict[str, object] = {}

    def hold_first():
        with transaction.atomic():
            candidacy = candidacy_create(
                cohort=world.upcoming, person_data=ali(), motivation="", by=prescriber
            )
            written.set()
            release.wait(timeout=10)
            return candidacy

    def run_second():
        written.wait(timeout=10)
        return second(world.user("coordinator"))

    first_thread = in_thread(hold_first, results, "first")
    second_thread = in_thread(run_second, results, "second")
    written.wait(timeout=10)
    second_thread.join(timeout=1.0)
    assert second_thread.is_alive(), f"the second must wait for the first: {results}"
    release.set()
    first_thread.join(timeout=10)
    second_thread.join(timeout=10)
    return results["first"], results["second"]


def test_the_same_new_person_referred_twice_at_once(world_pg, fallbacks):
    first, second = race(
        world_pg,
        lambda by: candidacy_create(
            cohort=world_pg.upcoming, person_data=ali(last_name="BEN"), motivation="", by=by
        ),
    )
    assert isinstance(first, Candidacy)
    assert isinstance(second, DuplicateCandidacy) and second.existing.pk == first.pk
    assert Person.objects.count() == 1 and Candidacy.objects.count() == 1
    assert fallbacks == [1]  # the new person's identity key: the constraint decided


def test_an_import_racing_a_referral_skips_just_that_person(world_pg, fallbacks):
    def import_three(by):
        people = [
            (factories.person_data(first_name="Nora", last_name="Nouvelle"), ""),
            (ali(email="autre@example.org"), ""),
            (factories.person_data(first_name="Noé", last_name="Nouveau"), ""),
        ]
        return candidacy_create_many(cohort=world_pg.upcoming, people=people, by=by)

    first, outcomes = race(world_pg, import_three)
    assert isinstance(outcomes, list), outcomes
    nora, duplicate, noe = outcomes
    assert isinstance(duplicate, DuplicateCandidacy) and duplicate.existing.pk == first.pk
    assert {nora.person.last_name, noe.person.last_name} == {"Nouvelle", "Nouveau"}
    assert Candidacy.objects.count() == 3 and Person.objects.count() == 3
    assert Person.objects.get(last_name="Ben").email != "autre@example.org"
    assert fallbacks == [3]  # refused once, written again whole


def test_an_import_waits_on_a_known_person_being_referred(world_pg, fallbacks):
    world = world_pg
    candidacy_create(
        cohort=world.other_cohort, person_data=ali(), motivation="", by=world.user("prescriber")
    )
    first, outcomes = race(
        world,
        lambda by: candidacy_create_many(cohort=world.upcoming, people=[(ali(), "")], by=by),
    )
    assert isinstance(outcomes, list), outcomes
    (duplicate,) = outcomes
    assert isinstance(duplicate, DuplicateCandidacy) and duplicate.existing.pk == first.pk
    assert Candidacy.objects.filter(cohort=world.upcoming).count() == 1
    assert fallbacks == []  # the lock made it wait, then it found the candidacy: no refusal
