"""Background task of the GDPR context: the daily retention job (scheduled by core.scheduler)."""

from django.tasks import task

from .services import apply_retention


@task()
def apply_retention_task() -> None:
    apply_retention()
