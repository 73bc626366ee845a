"""A learner's issued document: one row per version, the PDF kept in private storage."""

import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from tremplin.cohorts.models import Enrolment

from .enums import DocumentKind


def document_upload_to(instance: "LearnerDocument", filename: str) -> str:
    # A random name: the file never has a URL, and even a leaked path says nothing of whose it is.
    return f"documents/{secrets.token_hex(16)}.pdf"


class LearnerDocument(models.Model):
    enrolment = models.ForeignKey(
        Enrolment, on_delete=models.PROTECT, related_name="documents", verbose_name=_("inscription")
    )
    kind = models.CharField(_("type"), max_length=20, choices=DocumentKind.choices)
    version = models.PositiveSmallIntegerField(_("version"))
    file = models.FileField(_("fichier"), upload_to=document_upload_to, max_length=200)
    sha256 = models.CharField(_("empreinte SHA-256"), max_length=64)
    size = models.PositiveIntegerField(_("taille (octets)"))
    generated_at = models.DateTimeField(_("généré le"))
    generated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("généré par"),
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        ordering = ["enrolment", "kind", "-version"]
        verbose_name = _("document de l'apprenant")
        verbose_name_plural = _("documents des apprenants")
        constraints = [
            models.UniqueConstraint(
                fields=["enrolment", "kind", "version"], name="document_unique_version"
            ),
            models.CheckConstraint(
                condition=models.Q(version__gte=1), name="document_version_1_up"
            ),
            models.CheckConstraint(
                condition=~models.Q(sha256=""), name="document_sha256_not_empty"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} v{self.version} — {self.enrolment}"

    @property
    def filename(self) -> str:
        """The name offered on download: kind, learner and version, in plain ASCII."""
        from django.utils.text import slugify

        person = self.enrolment.person
        who = slugify(f"{person.last_name} {person.first_name}")
        return f"{self.kind}-{who}-v{self.version}.pdf"
