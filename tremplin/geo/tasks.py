"""Background tasks of the geography: locating a person, importing an uploaded QPV file."""

import logging

from django.conf import settings
from django.tasks import task
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from tremplin.core.models import TaskProgress
from tremplin.core.progress import progress_fail, progress_finish, progress_update
from tremplin.people.models import Person

from .services import GeoError, person_locate, qpv_import
from .uploads import delete_upload, upload_path

logger = logging.getLogger(__name__)


@task()
def locate_person(person_id: int) -> None:
    """Geocode a person's address and find their commune and priority neighbourhood.

    Queued on commit after a referral; a person deleted meanwhile is simply skipped.
    """
    person = Person.objects.filter(pk=person_id).first()
    if person is None:
        return
    person_locate(person=person)


@task()
def locate_people(person_ids: list[int]) -> None:
    """``locate_person`` for a batch (a bulk referral): one task, people located one by one."""
    for person in Person.objects.filter(pk__in=person_ids).order_by("pk").iterator():
        person_locate(person=person)


@task()
def import_qpv_upload(progress_id: int, upload_name: str, source_name: str) -> None:
    # The worker has no request: messages are in the site's language (see reports.tasks).
    with translation.override(settings.LANGUAGE_CODE):
        _import_qpv_upload(progress_id, upload_name, source_name)


def _import_qpv_upload(progress_id: int, upload_name: str, source_name: str) -> None:
    progress = TaskProgress.objects.select_related("owner").get(pk=progress_id)
    path = upload_path(upload_name)
    if path is None:
        progress_fail(
            progress, _("Le fichier à importer n'est plus disponible : déposez-le à nouveau.")
        )
        return
    try:
        progress_update(progress, done=0, total=1, message=_("Vérification des contours"))
        batch = qpv_import(
            content=path.read_bytes(),
            source_name=source_name,
            by=progress.owner,
            on_progress=lambda done, total: progress_update(
                progress, done=done, total=total, message=_("Enregistrement des quartiers")
            ),
        )
    except GeoError as error:
        progress_fail(progress, error.message)
        return
    except Exception as error:  # the page must show the failure rather than spin forever
        progress_fail(progress, _("Échec de l'import : %(error)s") % {"error": error})
        raise
    finally:
        delete_upload(upload_name)
    progress_finish(
        progress,
        message=ngettext(
            "%(count)d quartier prioritaire importé",
            "%(count)d quartiers prioritaires importés",
            batch.neighbourhood_count,
        )
        % {"count": batch.neighbourhood_count},
    )
