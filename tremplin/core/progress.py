"""Starting a background task with a progress record, and reporting its progress."""

import base64
from collections.abc import Callable
from pathlib import PurePosixPath
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


# ``TaskProgress.result_content`` is text. A binary result (a PDF report) is kept there
# base64-encoded, and its name's extension says so: no file to clean up, gone with its record.
BINARY_RESULT_TYPES = {".pdf": "application/pdf"}
TEXT_RESULT_TYPE = "text/csv; charset=utf-8"


def progress_finish(
    progress: TaskProgress,
    *,
    result_name: str = "",
    result_content: str | bytes = "",
    message: str = "",
) -> None:
    binary = PurePosixPath(result_name).suffix.lower() in BINARY_RESULT_TYPES
    if binary != isinstance(result_content, bytes):
        raise ValueError(f"{result_name!r}: bytes go with a binary type, text with the others")
    if isinstance(result_content, bytes):
        result_content = base64.b64encode(result_content).decode("ascii")
    progress.status = TaskProgress.Status.DONE
    progress.done = progress.total
    progress.message = message  # the last step's label would read as still in progress
    progress.result_name, progress.result_content = result_name, result_content
    progress.save(
        update_fields=["status", "done", "message", "result_name", "result_content", "updated_at"]
    )


def progress_result(progress: TaskProgress) -> tuple[bytes | str, str]:
    """The finished task's result as stored by ``progress_finish``, and its content type."""
    content_type = BINARY_RESULT_TYPES.get(PurePosixPath(progress.result_name).suffix.lower())
    if content_type:
        return base64.b64decode(progress.result_content), content_type
    return progress.result_content, TEXT_RESULT_TYPE


def progress_fail(progress: TaskProgress, message: str) -> None:
    progress.status = TaskProgress.Status.FAILED
    progress.message = message[:300]
    progress.save(update_fields=["status", "message", "updated_at"])
