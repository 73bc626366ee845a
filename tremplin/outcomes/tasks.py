"""Background task of the outcomes context: the daily follow-up requests and reminders."""

from django.conf import settings
from django.tasks import task
from django.utils import translation

from .services import send_due_follow_ups


@task()
def send_due_follow_ups_task() -> None:
    # No request in the worker: emails in the site's language (French).
    with translation.override(settings.LANGUAGE_CODE):
        send_due_follow_ups()
