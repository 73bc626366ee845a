"""Employer sites, job openings and proposals of learners to openings."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from tremplin.organisations.models import Organisation
from tremplin.programmes.models import Competency

from .enums import ContractType, OpeningSource, OpeningStatus, ProposalStatus


class EmployerSite(models.Model):
    employer = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="employer_sites",
        limit_choices_to={"kind": "employer"},
    )
    name = models.CharField(_("nom"), max_length=200)
    commune = models.CharField(_("commune"), max_length=120)

    class Meta:
        ordering = ["employer", "name", "id"]
        verbose_name = _("établissement")
        constraints = [
            models.UniqueConstraint(fields=["employer", "name"], name="employer_site_unique_name")
        ]

    def __str__(self) -> str:
        return f"{self.employer} — {self.name}"


class Opening(models.Model):
    employer = models.ForeignKey(
        Organisation,
        verbose_name=_("employeur"),
        on_delete=models.PROTECT,
        related_name="openings",
        limit_choices_to={"kind": "employer"},
    )
    employer_site = models.ForeignKey(
        EmployerSite,
        verbose_name=_("établissement"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="openings",
    )
    title = models.CharField(_("intitulé du poste"), max_length=200)
    rome_code = models.CharField(_("code ROME"), max_length=5)
    contract_type = models.CharField(
        _("type de contrat"), max_length=30, choices=ContractType.choices
    )
    commune = models.CharField(_("commune"), max_length=120)
    positions = models.PositiveSmallIntegerField(_("nombre de postes"), default=1)
    description = models.TextField(_("description"), blank=True)
    required_competencies = models.ManyToManyField(
        Competency, verbose_name=_("compétences requises"), blank=True, related_name="openings"
    )
    desired_competencies = models.ManyToManyField(
        Competency,
        verbose_name=_("compétences souhaitées"),
        blank=True,
        related_name="openings_desiring",
    )
    status = models.CharField(
        _("statut"), max_length=10, choices=OpeningStatus.choices, default=OpeningStatus.OPEN
    )
    # Where the opening comes from; an imported one keeps the source's own id so that a
    # second import of the same offer updates it instead of adding a copy.
    source = models.CharField(
        _("origine"), max_length=20, choices=OpeningSource.choices, default=OpeningSource.MANUAL
    )
    external_id = models.CharField(_("identifiant à la source"), max_length=40, blank=True)
    commune_code = models.CharField(_("code INSEE de la commune"), max_length=5, blank=True)
    latitude = models.FloatField(_("latitude"), null=True, blank=True)
    longitude = models.FloatField(_("longitude"), null=True, blank=True)
    hours_label = models.CharField(_("durée du travail"), max_length=200, blank=True)
    published_on = models.DateField(_("publiée le"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "id"]
        verbose_name = _("offre")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(positions__gte=1), name="opening_positions_positive"
            ),
            models.UniqueConstraint(
                fields=["source", "external_id"],
                condition=~models.Q(external_id=""),
                name="opening_unique_external_id",
            ),
            # A point is both coordinates or neither: half a point would be scored as a
            # made-up place.
            models.CheckConstraint(
                condition=models.Q(latitude__isnull=True, longitude__isnull=True)
                | models.Q(latitude__isnull=False, longitude__isnull=False),
                name="opening_point_complete",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} — {self.employer}"


class Proposal(models.Model):
    """A coordinator puts a learner forward for an opening; the employer decides."""

    opening = models.ForeignKey(Opening, on_delete=models.PROTECT, related_name="proposals")
    enrolment = models.ForeignKey(
        "cohorts.Enrolment", on_delete=models.PROTECT, related_name="proposals"
    )
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(
        _("statut"), max_length=20, choices=ProposalStatus.choices, default=ProposalStatus.PROPOSED
    )
    note = models.TextField(_("mot du coordinateur"), blank=True)
    hired_contract_type = models.CharField(
        _("contrat signé"), max_length=30, choices=ContractType.choices, blank=True
    )
    hired_contract_months = models.PositiveSmallIntegerField(
        _("durée du contrat (mois)"), null=True, blank=True
    )
    hired_start_date = models.DateField(_("date d'embauche"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "id"]
        verbose_name = _("proposition")
        constraints = [
            models.UniqueConstraint(
                fields=["opening", "enrolment"], name="proposal_once_per_opening"
            ),
            models.CheckConstraint(
                condition=~models.Q(status="hired")
                | (models.Q(hired_start_date__isnull=False) & ~models.Q(hired_contract_type="")),
                name="proposal_hire_has_contract",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.enrolment} → {self.opening}"
