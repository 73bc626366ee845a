"""Programmes (parcours), tracks (filières), modules and competency frameworks (RNCP-like)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from tremplin.organisations.models import Organisation

# Only the platform's choices, no model: a module says which lab and equipment it needs.
from tremplin.plateau.enums import EquipmentType, LabKind

from .enums import TrackKind, TrainingObjective


class Certification(models.Model):
    """One version of a certification's framework: certification → blocks → competencies."""

    code = models.SlugField(_("code"), max_length=60)
    version = models.CharField(_("version"), max_length=20)
    title = models.CharField(_("intitulé"), max_length=250)
    rncp = models.CharField(_("fiche RNCP"), max_length=20, blank=True)
    level = models.CharField(_("niveau"), max_length=40, blank=True)
    source = models.CharField(_("source"), max_length=250, blank=True)
    # The « bilan pédagogique et financier » reads these (cadre F-3 and F-4); blank: not stated.
    objective = models.CharField(
        _("objectif de la formation"), max_length=20, choices=TrainingObjective.choices, blank=True
    )
    nsf_code = models.CharField(_("spécialité de formation (code NSF)"), max_length=3, blank=True)
    nsf_label = models.CharField(
        _("spécialité de formation (intitulé NSF)"), max_length=120, blank=True
    )

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


class Module(models.Model):
    """A teaching unit of a programme: planned as half-day sessions in a lab of its kind.

    ``track`` is blank for the common core every learner follows (safety, job search).
    ``equipment_types`` lists ``plateau.enums.EquipmentType`` values a session of the module
    books; a list in a JSON field rather than a through table because it is only ever read
    whole, checked against the choices by ``services.module_create``. Prerequisites are modules
    of the same programme, without cycles (checked by ``services.module_set_prerequisites``).
    """

    programme = models.ForeignKey(
        Programme, verbose_name=_("parcours"), on_delete=models.CASCADE, related_name="modules"
    )
    code = models.CharField(_("code"), max_length=30)
    title = models.CharField(_("intitulé"), max_length=200)
    track = models.CharField(_("filière"), max_length=20, choices=TrackKind.choices, blank=True)
    hours = models.PositiveSmallIntegerField(_("durée (heures)"))
    lab_kind = models.CharField(_("laboratoire requis"), max_length=20, choices=LabKind.choices)
    equipment_types = models.JSONField(_("équipements requis"), default=list, blank=True)
    prerequisites = models.ManyToManyField(
        "self",
        verbose_name=_("prérequis"),
        symmetrical=False,
        related_name="required_by",
        blank=True,
    )
    description = models.TextField(_("description"), blank=True)
    position = models.PositiveSmallIntegerField(_("ordre"), default=0)

    class Meta:
        ordering = ["programme", "position", "id"]
        verbose_name = _("module")
        constraints = [
            models.UniqueConstraint(fields=["programme", "code"], name="module_unique_code"),
            models.CheckConstraint(condition=models.Q(hours__gt=0), name="module_hours_positive"),
            models.CheckConstraint(condition=~models.Q(title=""), name="module_title_required"),
            models.CheckConstraint(
                condition=models.Q(lab_kind__in=LabKind.values), name="module_lab_kind_known"
            ),
            models.CheckConstraint(
                condition=models.Q(track__in=[*TrackKind.values, ""]), name="module_track_known"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} — {self.title}"

    @property
    def track_label(self) -> str:
        return self.get_track_display() if self.track else str(_("Tronc commun"))

    @property
    def equipment_labels(self) -> list[str]:
        labels = dict(EquipmentType.choices)
        return [str(labels.get(value, value)) for value in self.equipment_types]
