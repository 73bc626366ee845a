"""Programmes (parcours), tracks (filières) and competency frameworks (RNCP-like)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from tremplin.organisations.models import Organisation

from .enums import TrackKind


class Certification(models.Model):
    """One version of a certification's framework: certification → blocks → competencies."""

    code = models.SlugField(_("code"), max_length=60)
    version = models.CharField(_("version"), max_length=20)
    title = models.CharField(_("intitulé"), max_length=250)
    rncp = models.CharField(_("fiche RNCP"), max_length=20, blank=True)
    level = models.CharField(_("niveau"), max_length=40, blank=True)
    source = models.CharField(_("source"), max_length=250, blank=True)

    class Meta:
        ordering = ["title", "version", "id"]
        verbose_name = _("certification")
        constraints = [
            models.UniqueConstraint(fields=["code", "version"], name="certification_unique_version")
        ]

    def __str__(self) -> str:
        return f"{self.title} (v{self.version})"


class CompetencyBlock(models.Model):
    certification = models.ForeignKey(
        Certification, on_delete=models.CASCADE, related_name="blocks"
    )
    code = models.CharField(_("code"), max_length=30)
    title = models.CharField(_("intitulé"), max_length=250)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["certification", "position", "id"]
        verbose_name = _("bloc de compétences")
        verbose_name_plural = _("blocs de compétences")
        constraints = [
            models.UniqueConstraint(fields=["certification", "code"], name="block_unique_code")
        ]

    def __str__(self) -> str:
        return f"{self.code} — {self.title}"


class Competency(models.Model):
    block = models.ForeignKey(
        CompetencyBlock, on_delete=models.CASCADE, related_name="competencies"
    )
    code = models.CharField(_("code"), max_length=30)
    title = models.CharField(_("intitulé"), max_length=300)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["block", "position", "id"]
        verbose_name = _("compétence")
        verbose_name_plural = _("compétences")
        constraints = [
            models.UniqueConstraint(fields=["block", "code"], name="competency_unique_code")
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"


class Programme(models.Model):
    network = models.ForeignKey(
        Organisation, verbose_name=_("réseau"), on_delete=models.PROTECT, related_name="programmes"
    )
    name = models.CharField(_("nom"), max_length=200, unique=True)
    description = models.TextField(_("description"), blank=True)
    duration_months = models.PositiveSmallIntegerField(_("durée (mois)"), default=4)

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("parcours")
        verbose_name_plural = _("parcours")

    def __str__(self) -> str:
        return self.name


class Track(models.Model):
    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="tracks")
    kind = models.CharField(_("filière"), max_length=20, choices=TrackKind.choices)
    certification = models.ForeignKey(
        Certification,
        verbose_name=_("certification"),
        on_delete=models.PROTECT,
        related_name="tracks",
    )

    class Meta:
        ordering = ["programme", "kind", "id"]
        verbose_name = _("filière")
        constraints = [
            models.UniqueConstraint(fields=["programme", "kind"], name="track_unique_kind")
        ]

    def __str__(self) -> str:
        return self.get_kind_display()
