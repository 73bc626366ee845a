"""A rollup build and a write at the same moment, on PostgreSQL (marker ``postgres``).

A write holds the rollup's advisory lock shared until it commits; the build takes it
exclusively. So the build waits for a write in flight, then counts its rows, and no write's
old rows are both counted by the build and retracted against the previous one.
"""

import threading
from typing import Any

import pytest
from django.db import transaction
from django.utils import timezone

from tests.concurrency import in_thread
from tests.reports.test_fast_indicators import assert_fast_equals_reference, build_random_world
from tremplin.cohorts.models import Enrolment
from tremplin.outcomes.models import FollowUp
from tremplin.reports.models import FactsChanged, FactsRollupState
from tremplin.reports.rollup import build_rollup
from tremplin.reports.selectors import IndicatorFilters

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_a_build_waits_for_a_write_in_flight(world_pg: Any, frozen_clock: Any) -> None:
    build_random_world(world_pg, 51, people=20)
    build_rollup(as_of=timezone.localdate())
    enrolment = Enrolment.objects.exclude(ended_on=None).order_by("pk").first()
    written, release = threading.Event(), threading.Event()
    results: dict[str, Any] = {}

    def write_and_hold() -> Any:
        with transaction.atomic():
            answer = FollowUp.objects.create(
                enrolment=enrolment,
                milestone="exit",
                situation="cdi",
                recorded_on=timezone.localdate(),
                recorded_by=world_pg.user("coordinator"),
            )
            written.set()
            release.wait(timeout=10)
            return answer

    writer = in_thread(write_and_hold, results, "write")
    written.wait(timeout=10)
    builder = in_thread(build_rollup, results, "build")
    builder.join(timeout=1.0)
    assert builder.is_alive(), "the build must wait for the write's commit"
    release.set()
    writer.join(timeout=10)
    builder.join(timeout=30)
    assert isinstance(results["write"], FollowUp), results["write"]
    assert results["build"] == 2, results["build"]
    # The build came after the write: it counted the new rows, nothing is left to retract.
    assert not FactsChanged.objects.exists()
    assert FactsRollupState.objects.get().built_on == timezone.localdate()
    assert_fast_equals_reference(world_pg, [IndicatorFilters()])
