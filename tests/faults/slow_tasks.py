"""A slow background task with a progress record, for the worker-killed fault tests."""

import time

from django.tasks import task

from tremplin.core.models import TaskProgress
from tremplin.core.progress import progress_finish, progress_update


@task()
def slow_task(progress_id: int, seconds: float) -> None:
    progress = TaskProgress.objects.get(pk=progress_id)
    progress_update(progress, done=1, total=10, message="Première étape")
    time.sleep(seconds)
    progress_finish(progress, message="Terminé")
