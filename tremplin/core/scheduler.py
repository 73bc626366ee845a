"""Daily jobs, enqueued on time for the task worker (``manage.py run_scheduler``).

Follow-up requests must go out the day they fall due (issue 7 §1), and the dashboards' rollup
be rebuilt every night (reports/rollup.py), without anyone thinking of it: the scheduler
enqueues each daily job once its hour has come, at most once a day. A ``ScheduledRun`` row
per job and day, unique in the database, is the proof it ran; a second scheduler, or the same
one restarted, finds the row and enqueues nothing. A job missed while nothing ran (server down
at 7:00) is enqueued as soon as the scheduler is back the same day; the jobs themselves catch
up on earlier days (send_due_follow_ups sends whatever is due).
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils import timezone

from .models import ScheduledRun


@dataclass(frozen=True)
class DailyJob:
    name: str
    hour: int  # local time from which the day's run is due
    enqueue: Callable[[], object]


def _send_due_follow_ups() -> object:
    from tremplin.outcomes.tasks import send_due_follow_ups_task

    return send_due_follow_ups_task.enqueue()


def _build_facts_rollup() -> object:
    from tremplin.reports.tasks import build_facts_rollup_task

    return build_facts_rollup_task.enqueue()


def _apply_retention() -> object:
    from tremplin.gdpr.tasks import apply_retention_task

    return apply_retention_task.enqueue()


# The rollup at night, when a few seconds of writes waiting for it bother nobody.
DAILY_JOBS = (
    DailyJob("build_facts_rollup", 2, _build_facts_rollup),
    DailyJob("send_due_follow_ups", 7, _send_due_follow_ups),
    # After the rollup (2 h): anonymising keeps the facts, but never during their rebuild.
    DailyJob("apply_retention", 3, _apply_retention),
)


def run_due_jobs(
    now: datetime.datetime | None = None, jobs: tuple[DailyJob, ...] = DAILY_JOBS
) -> list[str]:
    """Enqueue each job whose hour has come and which has not run today; their names."""
    local = timezone.localtime(now or timezone.now())
    enqueued: list[str] = []
    for job in jobs:
        if local.hour < job.hour:
            continue
        try:
            with transaction.atomic():
                ScheduledRun.objects.create(job=job.name, day=local.date())
                transaction.on_commit(job.enqueue)
        except IntegrityError:
            continue  # already enqueued today
        enqueued.append(job.name)
    return enqueued
