"""A worker killed during a background task: the task is failed and its page says so, never
left running forever (tremplin/core/reaper.py, manage.py run_worker)."""

import datetime
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.db import connection
from django.test import override_settings
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from tests.auth import log_in
from tests.faults.slow_tasks import slow_task
from tremplin.core.models import AuditEntry, TaskProgress
from tremplin.core.reaper import LOST, reap_lost_tasks

ROOT = Path(__file__).resolve().parents[2]
DB_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
INTERRUPTED = "La tâche a été interrompue : le serveur de tâches s&#x27;est arrêté"


def _running(world, worker_id: str, started: datetime.datetime | None = None):
    """A slow task claimed by ``worker_id`` and reporting progress, as a worker leaves it."""
    progress = TaskProgress.objects.create(
        owner=world.user("coordinator"), kind="slow", label="Tâche lente"
    )
    with override_settings(TASKS=DB_TASKS):
        result = DBTaskResult.objects.get(pk=slow_task.enqueue(progress.pk, 30).id)
    result.claim(worker_id)
    if started:
        DBTaskResult.objects.filter(pk=result.pk).update(started_at=started)
        TaskProgress.objects.filter(pk=progress.pk).update(
            status=TaskProgress.Status.RUNNING, updated_at=started
        )
    else:
        TaskProgress.objects.filter(pk=progress.pk).update(status=TaskProgress.Status.RUNNING)
    return result, progress


def _dead_pid() -> int:
    child = subprocess.Popen(["true"])
    child.wait()
    return child.pid


@pytest.mark.django_db
def test_a_task_of_a_dead_worker_of_this_host_is_failed_with_a_message(world):
    host = socket.gethostname()
    lost, lost_progress = _running(world, f"{host}:{_dead_pid()}:abc")
    alive, alive_progress = _running(world, f"{host}:{os.getpid()}:abc")
    assert reap_lost_tasks() == [lost.pk]
    lost.refresh_from_db()
    lost_progress.refresh_from_db()
    alive.refresh_from_db()
    alive_progress.refresh_from_db()
    assert (lost.status, lost.exception_class_path) == ("FAILED", LOST)
    assert lost_progress.status == TaskProgress.Status.FAILED
    assert lost_progress.message.startswith("La tâche a été interrompue")
    assert alive.status == "RUNNING" and alive_progress.status == TaskProgress.Status.RUNNING
    assert reap_lost_tasks() == []  # once


@pytest.mark.django_db
def test_an_import_whose_worker_died_goes_back_to_failed_and_can_be_restarted(world):
    from tests import factories
    from tremplin.intake.enums import ImportStatus
    from tremplin.intake.models import ImportBatch

    lost, progress = _running(world, f"{socket.gethostname()}:{_dead_pid()}:abc")
    batch = factories.import_batch(world)
    ImportBatch.objects.filter(pk=batch.pk).update(status=ImportStatus.IMPORTING, progress=progress)
    other = factories.import_batch(world)  # another batch, still in preview: untouched

    assert reap_lost_tasks() == [lost.pk]

    batch.refresh_from_db()
    other.refresh_from_db()
    assert batch.status == ImportStatus.FAILED
    assert batch.message.startswith("La tâche a été interrompue")
    assert batch.can_be_confirmed  # the coordinator starts it again from its page
    assert other.status == ImportStatus.PREVIEW
    assert AuditEntry.objects.filter(action="import.fail", object_id=str(batch.pk)).exists()


@pytest.mark.django_db
def test_a_task_of_another_host_is_failed_only_once_it_has_gone_quiet(world, settings):
    settings.TASK_STALE_AFTER = 3600
    now = timezone.now()
    quiet, _ = _running(world, "autre-machine:123:abc", started=now - datetime.timedelta(hours=2))
    recent, _ = _running(
        world, "autre-machine:124:abc", started=now - datetime.timedelta(minutes=5)
    )
    assert reap_lost_tasks(now) == [quiet.pk]
    recent.refresh_from_db()
    assert recent.status == "RUNNING"


def _worker(env: dict[str, str]) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "manage.py", "run_worker", "--no-startup-delay", "--interval", "0.2"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )


def _wait_for(predicate, seconds: float, what: str) -> None:
    deadline = time.monotonic() + seconds
    while not predicate():
        if time.monotonic() > deadline:
            pytest.fail(f"timed out waiting for {what}")
        time.sleep(0.2)


def _status(progress: TaskProgress) -> str:
    progress.refresh_from_db()
    return progress.status


@pytest.mark.postgres
def test_a_worker_killed_mid_task_leaves_it_failed_and_visible(world_pg, client):
    """End to end: a real worker process, SIGKILLed in the middle of a task; the next worker
    to start fails it, and the task's page shows why."""
    world = world_pg
    sd = connection.settings_dict
    url = f"postgres://{sd['USER']}:{sd['PASSWORD'] or ''}@{sd['HOST']}:{sd['PORT']}/{sd['NAME']}"
    env = {**os.environ, "DATABASE_URL": url, "DEBUG": "0"}
    env.pop("TASKS_BACKEND", None)
    owner = world.user("coordinator")
    progress = TaskProgress.objects.create(owner=owner, kind="slow", label="Tâche lente")
    with override_settings(TASKS=DB_TASKS):
        task_id = slow_task.enqueue(progress.pk, 120).id

    worker = _worker(env)
    try:
        _wait_for(lambda: _status(progress) == TaskProgress.Status.RUNNING, 60, "the task to start")
    finally:
        worker.send_signal(signal.SIGKILL)
        worker.communicate(timeout=10)
    result = DBTaskResult.objects.get(pk=task_id)
    # What a crash leaves: the task running for ever, its page spinning, unless reaped.
    assert result.status == "RUNNING" and _status(progress) == TaskProgress.Status.RUNNING
    assert result.worker_ids[-1].startswith(f"{socket.gethostname()}:{worker.pid}:")

    restarted = _worker(env)
    try:
        _wait_for(lambda: _status(progress) == TaskProgress.Status.FAILED, 60, "the reaper")
    finally:
        restarted.send_signal(signal.SIGTERM)
        _out, err = restarted.communicate(timeout=30)
    result.refresh_from_db()
    assert (result.status, result.exception_class_path) == ("FAILED", LOST)
    assert f"Tâche {task_id} interrompue" in err.decode()
    html = log_in(client, owner).get(f"/taches/{progress.pk}/").content.decode()
    assert "Échec" in html and INTERRUPTED in html
