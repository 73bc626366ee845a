"""The daily scheduler: each job enqueued once a day from its hour, whoever runs it."""

import datetime
import io
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.core.management import call_command

from tests import factories
from tremplin.core.models import ScheduledRun
from tremplin.core.scheduler import DailyJob, run_due_jobs
from tremplin.outcomes.models import FollowUpRequest
from tremplin.reports.models import FactsRollupState

pytestmark = pytest.mark.django_db

PARIS = ZoneInfo("Europe/Paris")


def at(hour: int, day: int = 2) -> datetime.datetime:
    return datetime.datetime(2026, 12, day, hour, 5, tzinfo=PARIS)


@pytest.fixture
def calls():
    made: list[str] = []
    return made, (DailyJob("morning", 7, lambda: made.append("morning")),)


def test_a_job_waits_for_its_hour(calls, django_capture_on_commit_callbacks):
    made, jobs = calls
    with django_capture_on_commit_callbacks(execute=True):
        assert run_due_jobs(at(6), jobs) == []
    assert made == [] and not ScheduledRun.objects.exists()


def test_a_job_runs_once_a_day(calls, django_capture_on_commit_callbacks):
    made, jobs = calls
    with django_capture_on_commit_callbacks(execute=True):
        assert run_due_jobs(at(7), jobs) == ["morning"]
        assert run_due_jobs(at(15), jobs) == []  # same day: already enqueued
    assert made == ["morning"]
    with django_capture_on_commit_callbacks(execute=True):
        assert run_due_jobs(at(8, day=3), jobs) == ["morning"]  # next day
    assert made == ["morning", "morning"]
    assert list(ScheduledRun.objects.values_list("day", flat=True).order_by("day")) == [
        datetime.date(2026, 12, 2),
        datetime.date(2026, 12, 3),
    ]


def test_the_follow_up_job_sends_the_due_requests(world, django_capture_on_commit_callbacks):
    # The real job list; the tests' task backend runs the enqueued task at once. A learner
    # who left today is owed the exit follow-up request.
    factories.ended(world, first_name="Inès", last_name="Benali")
    mail.outbox.clear()
    out = io.StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("run_scheduler", "--once", stdout=out)
    assert "send_due_follow_ups" in out.getvalue()
    assert [m.to for m in mail.outbox if "/suivi/" in m.body]
    assert FollowUpRequest.objects.count() == 1
    # The night's job built the dashboards' rollup too.
    assert "build_facts_rollup" in out.getvalue()
    assert FactsRollupState.objects.get().built_on == datetime.date(2026, 11, 30)
    # And the retention job (tremplin/gdpr): nothing is due in a world made today.
    assert "apply_retention" in out.getvalue()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("run_scheduler", "--once", stdout=io.StringIO())
    assert ScheduledRun.objects.count() == 3 and FollowUpRequest.objects.count() == 1
