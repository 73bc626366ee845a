"""Cohorts (promotions), the learners enrolled in them and their competency assessments."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from tremplin.organisations.enums import OrganisationKind
from tremplin.organisations.models import Organisation, Site
from tremplin.programmes.enums import CompetencyLevel
from tremplin.programmes.models import Certification, Competency, CompetencyBlock, Programme

from .enums import EnrolmentStatus


class Cohort(models.Model):
    programme = models.ForeignKey(
        Programme, verbose_name=_("parcours"), on_delete=models.PROTECT, related_name="cohorts"
    )
    site = models.ForeignKey(
        Site, verbose_name=_("site"), on_delete=models.PROTECT, related_name="cohorts"
    )
    name = models.CharField(_("nom"), max_length=120)
    start_date = models.DateField(_("date de début"))
    end_date = models.DateField(_("date de fin"))
    capacity = models.PositiveSmallIntegerField(_("capacité"), default=12)
    trainers = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("formateurs"),
        blank=True,
        related_name="taught_cohorts",
        limit_choices_to={"role": "trainer"},
    )

    class Meta:
        ordering = ["-start_date", "id"]
        verbose_name = _("promotion")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_date__gt=models.F("start_date")),
                name="cohort_ends_after_start",
            ),
            models.CheckConstraint(
                condition=models.Q(capacity__gte=1), name="cohort_capacity_positive"
            ),
            models.UniqueConstraint(fields=["site", "name"], name="cohort_unique_name_per_site"),
        ]

    def __str__(self) -> str:
        return f"{self.name} — {self.site}"


class CohortFunding(models.Model):
    """One funder's share of a cohort's budget. A cohort's budget is the sum of its fundings
    (cost indicators, docs/indicators.md); a funder's dashboards and reports cover the cohorts
    it funds, and only those (issue 7 §3)."""

    cohort = models.ForeignKey(
        Cohort, verbose_name=_("promotion"), on_delete=models.CASCADE, related_name="fundings"
    )
    funder = models.ForeignKey(
        Organisation,
        verbose_name=_("financeur"),
        on_delete=models.PROTECT,
        related_name="fundings",
        limit_choices_to={"kind": OrganisationKind.FUNDER},
    )
    amount = models.DecimalField(_("montant (€)"), max_digits=12, decimal_places=2)
    reference = models.CharField(_("référence de la convention"), max_length=100, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["cohort", "funder__name", "id"]
        verbose_name = _("financement")
        constraints = [
            models.UniqueConstraint(fields=["cohort", "funder"], name="funding_one_per_funder"),
            models.CheckConstraint(
                condition=models.Q(amount__gte=0), name="funding_amount_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.funder} — {self.cohort.name} : {self.amount} €"


class Enrolment(models.Model):
    cohort = models.ForeignKey(Cohort, on_delete=models.PROTECT, related_name="enrolments")
    candidacy = models.OneToOneField(
        "candidacies.Candidacy", on_delete=models.PROTECT, related_name="enrolment"
    )
    status = models.CharField(
        _("statut"),
        max_length=20,
        choices=EnrolmentStatus.choices,
        default=EnrolmentStatus.IN_TRAINING,
    )
    enrolled_at = models.DateTimeField(_("date d'entrée"), auto_now_add=True)
    ended_on = models.DateField(_("date de sortie"), null=True, blank=True)
    end_reason = models.CharField(_("motif de sortie"), max_length=30, blank=True)

    class Meta:
        ordering = ["cohort", "candidacy__person__last_name", "id"]
        verbose_name = _("inscription")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status="in_training", ended_on__isnull=True)
                | (~models.Q(status="in_training") & models.Q(ended_on__isnull=False)),
                name="enrolment_ended_iff_not_in_training",
            )
        ]

    def __str__(self) -> str:
        return f"{self.candidacy.person} — {self.cohort.name}"

    @property
    def person(self):  # type: ignore[no-untyped-def]
        return self.candidacy.person


class CompetencyAssessment(models.Model):
    """A trainer's current judgement of one learner on one competency."""

    enrolment = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="assessments")
    competency = models.ForeignKey(Competency, on_delete=models.PROTECT, related_name="assessments")
    level = models.CharField(
        _("niveau"),
        max_length=20,
        choices=CompetencyLevel.choices,
        default=CompetencyLevel.NOT_ASSESSED,
    )
    assessed_on = models.DateField(_("date d'évaluation"))
    evidence = models.TextField(_("preuve / observation"), blank=True)
    assessed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["enrolment", "competency", "id"]
        verbose_name = _("évaluation de compétence")
        constraints = [
            models.UniqueConstraint(
                fields=["enrolment", "competency"], name="assessment_one_per_competency"
            )
        ]

    def __str__(self) -> str:
        return f"{self.enrolment} — {self.competency.code}: {self.get_level_display()}"


class JuryResult(models.Model):
    """What the certification jury decided for one learner: the certification sat, the blocks
    it validated, and whether the whole certification was obtained (every block validated).
    Corrections replace the result and are audited; indicators read the current one
    (« Blocs de compétences et certification », docs/indicators.md)."""

    enrolment = models.OneToOneField(
        Enrolment, on_delete=models.CASCADE, related_name="jury_result"
    )
    certification = models.ForeignKey(
        Certification, verbose_name=_("certification"), on_delete=models.PROTECT
    )
    validated_blocks = models.ManyToManyField(
        CompetencyBlock, verbose_name=_("blocs validés"), blank=True, related_name="+"
    )
    certified = models.BooleanField(_("certification obtenue"), default=False)
    decided_on = models.DateField(_("date du jury"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["enrolment"]
        verbose_name = _("résultat du jury")

    def __str__(self) -> str:
        return f"{self.enrolment} — {self.certification}"
