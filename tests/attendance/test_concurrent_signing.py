"""Two signatures of one sheet at the same moment, on PostgreSQL (marker ``postgres``).

Every attendance write locks the session's row first: the second signature waits for the
first one's commit, then sees its line. So a learner signing on the trainer's screen and on
their phone at once is recorded once, and a second learner's signature hashes a sheet that
already holds the first one's line.
"""

import threading
from typing import Any

import pytest
from django.db import transaction

from tests.attendance.builders import at, monday_morning
from tests.concurrency import in_thread
from tests.plateau.builders import MONDAY
from tremplin.attendance import services
from tremplin.attendance.models import AttendanceEntry
from tremplin.attendance.selectors import content_of, digest

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def run_race(world: Any, half: Any, first: int, second: int) -> dict[str, Any]:
    signed, release = threading.Event(), threading.Event()
    results: dict[str, Any] = {}
    trainer = world.user("trainer")

    def hold_first() -> Any:
        with transaction.atomic():
            entry = services.sign(
                session=half.session,
                enrolment=half.learners[first],
                by=trainer,
                method="trainer_screen",
                ip=None,
                device="écran",
            )
            signed.set()
            release.wait(timeout=10)
            return entry

    def sign_second() -> Any:
        signed.wait(timeout=10)
        return services.sign(
            session=half.session,
            enrolment=half.learners[second],
            by=trainer,
            method="trainer_screen",
            ip=None,
            device="écran",
        )

    t1 = in_thread(hold_first, results, "first")
    t2 = in_thread(sign_second, results, "second")
    signed.wait(timeout=10)
    t2.join(timeout=1.0)
    assert t2.is_alive(), "the second signature must wait for the first one's lock"
    release.set()
    t1.join(timeout=10)
    t2.join(timeout=10)
    return results


def test_the_same_learner_signing_twice_at_once_is_recorded_once(
    world_pg: Any, frozen_clock: Any
) -> None:
    half = monday_morning(world_pg)
    frozen_clock.move_to(at(MONDAY, 9, 0))
    results = run_race(world_pg, half, 0, 0)
    assert isinstance(results["first"], AttendanceEntry)
    assert isinstance(results["second"], services.AttendanceError), results["second"]
    assert "a déjà signé" in results["second"].message
    assert AttendanceEntry.objects.count() == 1


def test_a_signature_waiting_on_another_hashes_the_sheet_with_it(
    world_pg: Any, frozen_clock: Any
) -> None:
    half = monday_morning(world_pg)
    frozen_clock.move_to(at(MONDAY, 9, 0))
    results = run_race(world_pg, half, 0, 1)
    first, second = results["first"], results["second"]
    assert isinstance(second, AttendanceEntry), second
    both = list(AttendanceEntry.objects.order_by("pk"))
    assert second.sheet_hash == digest(content_of(second.sheet, both))
    assert first.sheet_hash == digest(content_of(first.sheet, both[:1]))
