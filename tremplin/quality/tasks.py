"""Background tasks of the quality context: emailing a cohort's survey invitations."""

from django.conf import settings
from django.tasks import task
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from tremplin.core.models import TaskProgress
from tremplin.core.progress import progress_fail, progress_finish, progress_update

from .services import send_invitation_email


@task()
def deliver_survey_invitations(progress_id: int, invitation_ids: list[int]) -> None:
    # No request in the worker: emails and messages in the site's language (French).
    with translation.override(settings.LANGUAGE_CODE):
        _deliver(progress_id, invitation_ids)


def _deliver(progress_id: int, invitation_ids: list[int]) -> None:
    progress = TaskProgress.objects.get(pk=progress_id)
    total = len(invitation_ids)
    try:
        for done, invitation_id in enumerate(invitation_ids):
            progress_update(progress, done=done, total=total, message=_("Envoi des invitations"))
            send_invitation_email(invitation_id)
        progress_finish(
            progress,
            message=ngettext(
                "%(count)d invitation envoyée", "%(count)d invitations envoyées", total
            )
            % {"count": total},
        )
    except Exception as error:  # the page shows the failure; the worker logs the trace
        progress_fail(progress, _("Échec de l'envoi : %(error)s") % {"error": error})
        raise
