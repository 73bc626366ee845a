"""Background task of the documents context: one kind of document for a whole cohort."""

from typing import Any

from django.conf import settings
from django.tasks import task
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from tremplin.accounts.models import User
from tremplin.cohorts.models import Cohort
from tremplin.core.models import TaskProgress
from tremplin.core.progress import progress_fail, progress_finish, progress_update

from .enums import DocumentKind
from .selectors import enrolments_due
from .services import DocumentError, document_generate


@task()
def generate_cohort_documents(progress_id: int, cohort_id: int, kind: str, by_id: int) -> None:
    # No request in the worker: progress messages in the site's language (the PDFs are French
    # anyway, see pdf.py).
    with translation.override(settings.LANGUAGE_CODE):
        _generate_cohort_documents(progress_id, cohort_id, kind, by_id)


def _generate_cohort_documents(progress_id: int, cohort_id: int, kind: str, by_id: int) -> None:
    progress = TaskProgress.objects.get(pk=progress_id)
    try:
        cohort_generate(
            cohort=Cohort.objects.select_related("site__network", "programme").get(pk=cohort_id),
            kind=DocumentKind(kind),
            by=User.objects.get(pk=by_id),
            progress=progress,
        )
    except Exception as error:  # the page must show the failure rather than spin forever
        progress_fail(progress, _("Échec de la génération : %(error)s") % {"error": error})
        raise


def cohort_generate(*, cohort: Cohort, kind: DocumentKind, by: Any, progress: Any) -> list[Any]:
    """One new version of ``kind`` per learner, the progress updated after each; a learner
    refused (``DocumentError``) is named in the final message, the others still get theirs."""
    enrolments = enrolments_due(cohort)
    total = len(enrolments)
    made, refused = [], []
    progress_update(progress, done=0, total=total, message=_("Préparation"))
    for done, enrolment in enumerate(enrolments, start=1):
        try:
            made.append(document_generate(enrolment=enrolment, kind=kind, by=by))
        except DocumentError as error:
            refused.append(error.message)
        progress_update(progress, done=done, total=total, message=enrolment.person.full_name)
    message = ngettext("%(count)d document généré", "%(count)d documents générés", len(made)) % {
        "count": len(made)
    }
    if refused:
        message = f"{message}. {' '.join(refused)}"
    progress_finish(progress, message=message[:300])
    return made
