"""Background task of bulk referrals: a large file's import, with its progress."""

import contextlib

from django.conf import settings
from django.tasks import task
from django.utils import translation

from tremplin.core.models import TaskProgress

from .models import ImportBatch
from .services import IntakeError, import_batch_run


@task()
def import_batch_task(progress_id: int, batch_id: int) -> None:
    # The worker has no request, hence no language: messages are in the site's language.
    with translation.override(settings.LANGUAGE_CODE):
        progress = TaskProgress.objects.get(pk=progress_id)
        batch = ImportBatch.objects.select_related("owner", "cohort").get(pk=batch_id)
        # A refusal is recorded on the batch and its progress: the task itself is done.
        with contextlib.suppress(IntakeError):
            import_batch_run(batch=batch, by=batch.owner, progress=progress)
