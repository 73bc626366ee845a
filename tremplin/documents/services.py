"""Writes of documents: generating a learner's certificat or attestation as a new version.

The PDF is rendered before anything is written (it takes a fraction of a second, and on SQLite
a write transaction blocks every other writer); the transaction then locks the enrolment, checks
that nobody issued the same version meanwhile, stores the file and the row. If anything fails
after the file is stored, the file is removed: no row without a file, no file without a row.
"""

import hashlib
from typing import Any

from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from tremplin.cohorts.models import Enrolment
from tremplin.core.audit import audit

from .enums import DocumentKind
from .models import LearnerDocument
from .pdf import document_pdf


class DocumentError(Exception):
    """A refused generation; ``message`` is translated into the active language, for the page."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def _next_version(enrolment: Enrolment, kind: str) -> int:
    last = LearnerDocument.objects.filter(enrolment=enrolment, kind=kind).aggregate(
        last=Max("version")
    )["last"]
    return (last or 0) + 1


def _check(enrolment: Enrolment, kind: Any) -> DocumentKind:
    try:
        checked = DocumentKind(kind)
    except ValueError:
        raise DocumentError(_("Choisissez le document à générer.")) from None
    start = enrolment.cohort.start_date
    if start > timezone.localdate():
        # Nothing has been done yet: a certificat would state zero hours, an attestation nothing.
        raise DocumentError(
            _("La formation de %(name)s commence le %(date)s : aucun document avant cette date.")
            % {"name": enrolment.person.full_name, "date": start.strftime("%d/%m/%Y")}
        )
    return checked


def document_generate(*, enrolment: Enrolment, kind: Any, by: Any) -> LearnerDocument:
    """Issue ``kind`` for ``enrolment`` as version n+1; the previous versions stay."""
    kind = _check(enrolment, kind)
    version = _next_version(enrolment, kind)
    now = timezone.now()
    content = document_pdf(kind, enrolment, version=version, by=by, at=timezone.localtime(now))
    document = LearnerDocument(
        enrolment=enrolment,
        kind=kind,
        version=version,
        sha256=hashlib.sha256(content).hexdigest(),
        size=len(content),
        generated_at=now,
        generated_by=by,
    )
    try:
        with transaction.atomic():
            Enrolment.objects.select_for_update().get(pk=enrolment.pk)
            if _next_version(enrolment, kind) != version:
                raise DocumentError(
                    _(
                        "Une autre version de ce document vient d'être générée pour %(name)s : "
                        "recommencez."
                    )
                    % {"name": enrolment.person.full_name}
                )
            try:
                document.file.save(f"{kind}.pdf", ContentFile(content), save=False)
            except OSError as error:
                raise DocumentError(
                    _("Le document n'a pas pu être enregistré : %(error)s")
                    % {"error": error.strerror or error}
                ) from error
            document.save()
            audit(
                actor=by,
                action="document_generate",
                obj=document,
                kind=kind,
                version=version,
                enrolment=enrolment.pk,
                sha256=document.sha256,
            )
    except BaseException:
        if document.file.name:
            document.file.storage.delete(document.file.name)
        raise
    return document
