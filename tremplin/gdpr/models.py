"""Retention requirements of funders and programmes, retention notices, anonymisations done."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .enums import AnonymisationReason, NoticeStatus, RetentionKind, RetentionYears


class RetentionRequirement(models.Model):
    """How long a funder's or a programme's training records must be kept (3, 6 or 10 years).

    Kept in this app rather than on ``CohortFunding`` or ``Programme`` so the requirement is
    stated once per funder (e.g. FSE+: 10 years) whatever the number of conventions.
    """

    funder = models.OneToOneField(
        "organisations.Organisation",
        verbose_name=_("financeur"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="retention_requirement",
    )
    programme = models.OneToOneField(
        "programmes.Programme",
        verbose_name=_("parcours"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="retention_requirement",
    )
    years = models.PositiveSmallIntegerField(_("durée"), choices=RetentionYears.choices)
    basis = models.CharField(_("fondement"), max_length=200, blank=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("durée de conservation exigée")
        verbose_name_plural = _("durées de conservation exigées")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(funder__isnull=True, programme__isnull=False)
                | models.Q(funder__isnull=False, programme__isnull=True),
                name="retention_requirement_one_subject",
            ),
            models.CheckConstraint(
                condition=models.Q(years__in=[3, 6, 10]), name="retention_requirement_years"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.funder or self.programme}: {self.years}"


class RetentionNotice(models.Model):
    """A person whose data will be anonymised on ``due_on``, announced 30 days before."""

    person = models.ForeignKey(
        "people.Person",
        verbose_name=_("personne"),
        on_delete=models.CASCADE,
        related_name="retention_notices",
    )
    kind = models.CharField(_("règle"), max_length=20, choices=RetentionKind.choices)
    due_on = models.DateField(_("anonymisation le"))
    status = models.CharField(
        _("état"), max_length=20, choices=NoticeStatus.choices, default=NoticeStatus.PENDING
    )
    created_at = models.DateTimeField(_("annoncée le"))
    closed_at = models.DateTimeField(_("close le"), null=True, blank=True)

    class Meta:
        ordering = ["due_on", "id"]
        verbose_name = _("annonce d'anonymisation")
        verbose_name_plural = _("annonces d'anonymisation")
        constraints = [
            models.UniqueConstraint(
                fields=["person"],
                condition=models.Q(status="pending"),
                name="retention_notice_one_pending",
            )
        ]
        indexes = [models.Index(fields=["status", "due_on"], name="retention_notice_due")]

    def __str__(self) -> str:
        return f"{self.person_id} {self.due_on}"


class Anonymisation(models.Model):
    """A person anonymised: when, by whom (nobody for the daily job), why. No personal value."""

    person = models.OneToOneField(
        "people.Person",
        verbose_name=_("personne"),
        on_delete=models.PROTECT,
        related_name="anonymisation",
    )
    at = models.DateTimeField(_("date"))
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("par"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    reason = models.CharField(_("motif"), max_length=20, choices=AnonymisationReason.choices)
    rows_deleted = models.PositiveIntegerField(_("lignes supprimées"), default=0)
    files_deleted = models.PositiveIntegerField(_("fichiers supprimés"), default=0)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("anonymisation")
        verbose_name_plural = _("anonymisations")

    def __str__(self) -> str:
        return f"{self.person_id} {self.at:%Y-%m-%d}"
