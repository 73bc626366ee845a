"""A person put forward for a cohort, and where they stand in selection."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from tremplin.organisations.models import Organisation
from tremplin.people.models import Person

from .enums import CandidacySource, CandidacyStatus


class Candidacy(models.Model):
    person = models.ForeignKey(
        Person, verbose_name=_("personne"), on_delete=models.PROTECT, related_name="candidacies"
    )
    cohort = models.ForeignKey(
        "cohorts.Cohort",
        verbose_name=_("promotion"),
        on_delete=models.PROTECT,
        related_name="candidacies",
    )
    source = models.CharField(_("origine"), max_length=20, choices=CandidacySource.choices)
    prescriber_organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("prescripteur"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="referrals",
    )
    referred_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("orienté·e par"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="referrals",
    )
    motivation = models.TextField(_("motivation et projet"), blank=True)
    status = models.CharField(
        _("statut"), max_length=20, choices=CandidacyStatus.choices, default=CandidacyStatus.NEW
    )
    created_at = models.DateTimeField(_("date de la candidature"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        # The lists and the home page read the newest few of tens of thousands: an index in
        # that order lets PostgreSQL stop after a page instead of sorting them all.
        indexes = [models.Index(fields=["-created_at", "-id"], name="candidacy_newest_first")]
        verbose_name = _("candidature")
        constraints = [
            models.UniqueConstraint(fields=["person", "cohort"], name="candidacy_once_per_cohort"),
            models.CheckConstraint(
                condition=models.Q(source="public")
                | models.Q(prescriber_organisation__isnull=False),
                name="candidacy_referral_has_prescriber",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} → {self.cohort}"
