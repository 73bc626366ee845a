"""Employer sites, job openings and proposals of learners to openings."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from tremplin.organisations.models import Organisation
from tremplin.programmes.models import Competency

from .enums import (
    ContractType,
    OpeningSource,
    OpeningStatus,
    ProposalStatus,
    WorkingTime,
    WorkingTimeWish,
)


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
    working_time = models.CharField(
        _("temps de travail"), max_length=4, choices=WorkingTime.choices, default=WorkingTime.FULL
    )
    starts_on = models.DateField(_("prise de poste souhaitée"), null=True, blank=True)
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
    hired_weekly_hours = models.DecimalField(
        _("heures par semaine"), max_digits=4, decimal_places=1, null=True, blank=True
    )
    # The employer opened the proposal: from then on it counts as answered for the
    # thirty-day flag only once they take a decision.
    seen_at = models.DateTimeField(_("vue par l'employeur le"), null=True, blank=True)
    # Immersion (PMSMP, période de mise en situation en milieu professionnel): its dates,
    # the tutor at the employer's, and the agreement (convention) signed by the three
    # parties: the employer, the learner and the prescriber (the site's coordinator).
    immersion_start = models.DateField(_("début de l'immersion"), null=True, blank=True)
    immersion_end = models.DateField(_("fin de l'immersion"), null=True, blank=True)
    immersion_tutor = models.CharField(_("tuteur ou tutrice"), max_length=200, blank=True)
    agreement_employer_at = models.DateTimeField(
        _("convention signée par l'employeur le"), null=True, blank=True
    )
    agreement_employer_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    agreement_learner_at = models.DateTimeField(
        _("convention signée par l'apprenant le"), null=True, blank=True
    )
    agreement_learner_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    agreement_prescriber_at = models.DateTimeField(
        _("convention signée par le prescripteur le"), null=True, blank=True
    )
    agreement_prescriber_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
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
                | (
                    models.Q(hired_start_date__isnull=False, hired_weekly_hours__isnull=False)
                    & ~models.Q(hired_contract_type="")
                ),
                name="proposal_hire_has_contract",
            ),
            models.CheckConstraint(
                condition=models.Q(immersion_start__isnull=True)
                | models.Q(
                    immersion_end__isnull=False, immersion_end__gte=models.F("immersion_start")
                ),
                name="proposal_immersion_dates",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.enrolment} → {self.opening}"

    @property
    def agreement_signed(self) -> bool:
        """The immersion agreement carries the three parties' signatures."""
        return None not in (
            self.agreement_employer_at,
            self.agreement_learner_at,
            self.agreement_prescriber_at,
        )


class JobSearch(models.Model):
    """What a learner looks for after their training; the matching reads it.

    Absent, the defaults apply: 30 km, any contract, any working time, available at the
    cohort's end.
    """

    DEFAULT_MAX_KM = 30

    enrolment = models.OneToOneField(
        "cohorts.Enrolment", on_delete=models.CASCADE, related_name="job_search"
    )
    max_km = models.PositiveSmallIntegerField(
        _("distance maximale domicile-travail (km)"), default=DEFAULT_MAX_KM
    )
    # Contract types (ContractType values) the learner accepts; empty means any.
    contracts = models.JSONField(_("contrats recherchés"), default=list, blank=True)
    working_time = models.CharField(
        _("temps de travail recherché"),
        max_length=4,
        choices=WorkingTimeWish.choices,
        default=WorkingTimeWish.ANY,
    )
    available_from = models.DateField(_("disponible à partir du"), null=True, blank=True)
    # Past jobs and experience in the learner's words; the optional semantic term of the
    # matching compares it with the offers' text (docs/matching.md).
    experience = models.TextField(_("expérience professionnelle passée"), blank=True)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("recherche d'emploi")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(max_km__gte=1, max_km__lte=300), name="job_search_max_km_range"
            )
        ]

    def __str__(self) -> str:
        return f"{self.enrolment} — {self.max_km} km"


class MatchRun(models.Model):
    """One optimal placement of a cohort's learners over the open positions.

    ``locked`` and ``forbidden`` are the coordinator's pairs ``[enrolment_id, opening_id]``
    the run obeyed. ``result`` is filled by the task: one entry per learner (their opening
    or none, the score and its explanation, the best alternative) and ``refused`` lists the
    learners and openings left out with the reason (no location, no consent…). Proposing
    the run creates the proposals, once.
    """

    cohort = models.ForeignKey(
        "cohorts.Cohort",
        verbose_name=_("promotion"),
        on_delete=models.CASCADE,
        related_name="match_runs",
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("demandé par"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("demandé le"), auto_now_add=True)
    progress = models.ForeignKey(
        "core.TaskProgress", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    locked = models.JSONField(_("couples imposés"), default=list, blank=True)
    forbidden = models.JSONField(_("couples interdits"), default=list, blank=True)
    result = models.JSONField(_("résultat"), default=dict, blank=True)
    total = models.FloatField(_("score total"), null=True, blank=True)
    wall_time = models.FloatField(_("durée (s)"), null=True, blank=True)
    proposed_at = models.DateTimeField(_("proposé le"), null=True, blank=True)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("proposé par"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("placement optimal")
        verbose_name_plural = _("placements optimaux")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(proposed_at__isnull=True, proposed_by__isnull=True)
                | models.Q(proposed_at__isnull=False, proposed_by__isnull=False),
                name="matchrun_proposed_with_whom",
            )
        ]

    def __str__(self) -> str:
        return f"{self.cohort} — {self.created_at:%d/%m/%Y %H:%M}"
