"""The kinds of documents issued to a learner."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class DocumentKind(models.TextChoices):
    # Article R.6332-26 du Code du travail: what the funder pays on (hours actually attended).
    CERTIFICAT = "certificat", _("Certificat de réalisation")
    # Article L.6353-1: objectives, nature, duration and results of the assessment.
    ATTESTATION = "attestation", _("Attestation de fin de formation")
