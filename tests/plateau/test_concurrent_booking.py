"""Two coordinators booking the same equipment for the same half-day at once: one wins.

Runs real concurrent transactions on PostgreSQL (marker ``postgres``): each thread has its own
connection. The first booking's transaction is held open; the second passes the service's
checks (it cannot see uncommitted rows), then waits on the unique index of
``booking_one_per_equipment_slot``; when the first commits, the index refuses it and the
service answers with the same message as a plain conflict.
"""

import threading

import pytest
from django.db import transaction

from tests import factories
from tests.concurrency import in_thread
from tests.plateau import builders
from tests.plateau.builders import MONDAY
from tremplin.accounts.enums import Role
from tremplin.plateau.models import Booking, Session
from tremplin.plateau.services import PlateauError, session_create

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_the_same_equipment_is_booked_once_under_concurrent_requests(world_pg):
    world = world_pg
    labs = builders.labs(world)
    splicer = builders.equipment(labs["fibre"], "FSP-DEMO-001")
    upcoming = world.upcoming
    upcoming.start_date = MONDAY
    upcoming.save(update_fields=["start_date"])
    other_coordinator = factories.user(
        Role.COORDINATOR, "coord2.marseille@example.org", world.network, world.site
    )
    other_trainer = builders.second_trainer(world)
    first_booked, release = threading.Event(), threading.Event()
    results: dict[str, object] = {}

    def hold_first():
        with transaction.atomic():
            session = session_create(
                by=world.user("coordinator"),
                cohort=world.running,
                date=MONDAY,
                half_day="am",
                trainer=world.user("trainer"),
                lab=labs["fibre"],
                equipment=[splicer],
            )
            first_booked.set()
            release.wait(timeout=10)
            return session

    def book_second():
        first_booked.wait(timeout=10)
        return session_create(
            by=other_coordinator,
            cohort=upcoming,
            date=MONDAY,
            half_day="am",
            trainer=other_trainer,
            lab=labs["datacenter"],
            equipment=[splicer],
        )

    t1 = in_thread(hold_first, results, "first")
    t2 = in_thread(book_second, results, "second")
    first_booked.wait(timeout=10)
    t2.join(timeout=1.0)
    assert t2.is_alive(), "the second booking must wait on the first one's uncommitted row"
    release.set()
    t1.join(timeout=10)
    t2.join(timeout=10)
    assert isinstance(results["first"], Session)
    refused = results["second"]
    assert isinstance(refused, PlateauError), refused
    assert refused.message == (
        "L'équipement Soudeuse fibre optique FSP-DEMO-001 est déjà réservé sur cette demi-journée."
    )
    assert Session.objects.count() == 1
    assert Booking.objects.count() == 1


def test_simultaneous_bookings_leave_exactly_one(world_pg):
    world = world_pg
    labs = builders.labs(world)
    splicer = builders.equipment(labs["fibre"], "FSP-DEMO-001")
    upcoming = world.upcoming
    upcoming.start_date = MONDAY
    upcoming.save(update_fields=["start_date"])
    other_coordinator = factories.user(
        Role.COORDINATOR, "coord2.marseille@example.org", world.network, world.site
    )
    plans = {
        "a": (world.user("coordinator"), world.running, world.user("trainer"), labs["fibre"]),
        "b": (other_coordinator, upcoming, builders.second_trainer(world), labs["datacenter"]),
    }
    start = threading.Barrier(2)
    results: dict[str, object] = {}

    def book(key):
        by, cohort, trainer, lab = plans[key]

        def run():
            start.wait(timeout=10)
            return session_create(
                by=by,
                cohort=cohort,
                date=MONDAY,
                half_day="am",
                trainer=trainer,
                lab=lab,
                equipment=[splicer],
            )

        return run

    threads = [in_thread(book(key), results, key) for key in plans]
    for thread in threads:
        thread.join(timeout=10)
    outcomes = sorted(type(result).__name__ for result in results.values())
    assert outcomes == ["PlateauError", "Session"], results
    assert Booking.objects.filter(equipment=splicer).count() == 1
