"""The documents as PDF (WeasyPrint), from templates rendered in French, A4 portrait."""

from typing import Any

from django.template.loader import render_to_string
from django.utils import translation

from tremplin.cohorts.models import Enrolment

from .content import attestation_of, certificat_of
from .enums import DocumentKind

TEMPLATES = {
    DocumentKind.CERTIFICAT: "documents/certificat.html",
    DocumentKind.ATTESTATION: "documents/attestation.html",
}


def document_pdf(
    kind: DocumentKind, enrolment: Enrolment, *, version: int, by: Any, at: Any
) -> bytes:
    """The PDF of ``kind`` for ``enrolment``, signed by ``by`` at ``at`` as version ``version``."""
    from weasyprint import HTML

    facts = (
        certificat_of(enrolment) if kind == DocumentKind.CERTIFICAT else attestation_of(enrolment)
    )
    # A legal document is in French whatever the reader's language (the ministry's model).
    with translation.override("fr"):
        html = render_to_string(
            TEMPLATES[kind],
            {"doc": facts, "c": facts.common, "version": version, "signer": by, "signed_at": at},
        )
    content: bytes = HTML(string=html).write_pdf()
    return content
