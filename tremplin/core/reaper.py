"""Tasks whose worker died: found, and failed visibly (their page says so) instead of lost.

A worker killed mid-task (SIGKILL, out of memory, power cut) leaves its ``DBTaskResult``
RUNNING and the ``TaskProgress`` its page polls RUNNING forever: nothing would ever tell the
user. The worker (``manage.py run_worker``) names itself ``host:pid:random``; at its start, and
at every scheduler tick, ``reap_lost_tasks`` looks at the running tasks: one whose worker ran on
this host and no longer exists is lost; so is one on another host (or with an unknown worker
id) whose progress record has not moved for ``TASK_STALE_AFTER`` seconds. The lost task is
marked failed, and so is its progress record with a message saying to start it again: it is
not re-run by itself, since a task may have had effects outside the database (mail sent).
"""

import datetime
import inspect
import os
import socket
from typing import Any

from django.conf import settings
from django.db import transaction
from django.dispatch import Signal
from django.utils import timezone
from django.utils.crypto import get_random_string
from django.utils.translation import gettext as _
from django_tasks_db.models import DBTaskResult

from .models import TaskProgress
from .progress import progress_fail

# Without a sign of life for this long, a task of another host's worker is taken as lost.
DEFAULT_STALE_AFTER = 6 * 3600
LOST = "tremplin.core.reaper.WorkerLost"
# Sent (``progress=``) inside the transaction that fails a lost task's progress record: the
# context whose object the task was working on marks it failed too (an import batch, say).
task_lost = Signal()


def new_worker_id() -> str:
    """``host:pid:random``: what lets the reaper tell a dead worker of this host from a live one."""
    return f"{socket.gethostname()}:{os.getpid()}:{get_random_string(8)}"


def _worker_gone(worker_id: str) -> bool:
    host, _sep, rest = worker_id.partition(":")
    pid = rest.partition(":")[0]
    if host != socket.gethostname() or not pid.isdigit():
        return False  # not ours to probe: only staleness can tell
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False  # alive, another user's
    return False


def _progress_of(result: DBTaskResult[Any, Any]) -> TaskProgress | None:
    """The progress record a task reports to: its ``progress_id`` argument, by convention."""
    try:
        parameters = list(inspect.signature(result.task.func).parameters)
    except Exception:  # a task whose code is gone cannot be inspected, only failed
        return None
    args, kwargs = result.args_kwargs.get("args", []), result.args_kwargs.get("kwargs", {})
    progress_id = kwargs.get("progress_id")
    if progress_id is None and parameters[:1] == ["progress_id"] and args:
        progress_id = args[0]
    if progress_id is None:
        return None
    return TaskProgress.objects.filter(pk=progress_id).first()


def _lost(
    result: DBTaskResult[Any, Any], progress: TaskProgress | None, now: datetime.datetime
) -> bool:
    if result.worker_ids and _worker_gone(result.worker_ids[-1]):
        return True
    stale_after = datetime.timedelta(
        seconds=getattr(settings, "TASK_STALE_AFTER", DEFAULT_STALE_AFTER)
    )
    heartbeat = max(
        d for d in (result.started_at, progress.updated_at if progress else None) if d is not None
    )
    return now - heartbeat > stale_after


def reap_lost_tasks(now: datetime.datetime | None = None) -> list[Any]:
    """Fail the running tasks whose worker is gone; their ids."""
    now = now or timezone.now()
    reaped = []
    for result in DBTaskResult.objects.filter(status="RUNNING", started_at__isnull=False):
        progress = _progress_of(result)
        if not _lost(result, progress, now):
            continue
        with transaction.atomic():
            # Under lock, and only if still running: a worker finishing it now wins.
            locked = (
                DBTaskResult.objects.select_for_update().filter(pk=result.pk, status="RUNNING")
            ).first()
            if locked is None:
                continue
            locked.status = "FAILED"
            locked.finished_at = now
            locked.exception_class_path = LOST
            locked.traceback = f"worker {locked.worker_ids[-1:] or '?'} lost mid-task"
            locked.save(
                update_fields=["status", "finished_at", "exception_class_path", "traceback"]
            )
            if progress is not None and progress.status in (
                TaskProgress.Status.QUEUED,
                TaskProgress.Status.RUNNING,
            ):
                message = _(
                    "La tâche a été interrompue : le serveur de tâches s'est arrêté pendant "
                    "son exécution. Rien n'a été perdu en silence ; relancez-la."
                )
                progress_fail(progress, message)
                task_lost.send(sender=TaskProgress, progress=progress, message=message)
        reaped.append(result.pk)
    return reaped
