"""Starting a background task with a progress record, and reporting its progress."""

from collections.abc import Callable
from typing import Any

from django.db import transaction

from .models import TaskProgress


def progress_start(
    *, owner: Any, kind: str, label: str, enqueue: Callable[[int], Any]
) -> TaskProgress:
    """Create the progress record, then enqueue the task once the record is committed."""
    with transaction.atomic():
        progress = TaskProgress.objects.create(owner=owner, kind=kind, label=label)
        transaction.on_commit(lambda: enqueue(progress.pk))
    return progress


def progress_update(progress: TaskProgress, *, done: int, total: int, message: str = "") -> None:
    progress.status = TaskProgress.Status.RUNNING
    progress.done, progress.total, progress.message = done, total, message
    progress.save(update_fields=["status", "done", "total", "message", "updated_at"])


def progress_finish(
    progress: TaskProgress, *, result_name: str = "", result_content: str = "", message: str = ""
) -> None:
    progress.status = TaskProgress.Status.DONE
    progress.done = progress.total
    progress.message = message  # the last step's label would read as still in progress
    progress.result_name, progress.result_content = result_name, result_content
    progress.save(
        update_fields=["status", "done", "message", "result_name", "result_content", "updated_at"]
    )


def progress_fail(progress: TaskProgress, message: str) -> None:
    progress.status = TaskProgress.Status.FAILED
    progress.message = message[:300]
    progress.save(update_fields=["status", "message", "updated_at"])
