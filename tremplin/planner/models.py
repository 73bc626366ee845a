"""What the planner needs beyond the plateau, and the runs it keeps.

- ``TrainerProfile``: the modules a trainer can teach and how many half-days a week they teach
  at most (the engine's ``TrainerSpec``); a trainer without a profile teaches nothing to the
  planner.
- ``TrainerUnavailability``: a trainer's half-days off (leave, another mission).
- ``PlanRun``: one planning of a cohort or one capacity study of a site, with the engine's
  input and answer as JSON, so a preview survives page reloads and is committed later.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tremplin.plateau.enums import HalfDay


class TrainerProfile(models.Model):
    trainer = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("formateur"),
        on_delete=models.CASCADE,
        related_name="trainer_profile",
    )
    modules = models.ManyToManyField(
        "programmes.Module",
        verbose_name=_("modules enseignés"),
        related_name="trainer_profiles",
        blank=True,
    )
    # 8 half-days: 28 h of face-to-face teaching out of 35, the rest for preparation.
    max_half_days_per_week = models.PositiveSmallIntegerField(
        _("demi-journées par semaine au plus"), default=8
    )

    class Meta:
        verbose_name = _("profil de formateur")
        verbose_name_plural = _("profils de formateurs")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(max_half_days_per_week__gte=1, max_half_days_per_week__lte=10),
                name="trainer_profile_half_days_in_week",
            )
        ]

    def __str__(self) -> str:
        return str(self.trainer)


class TrainerUnavailability(models.Model):
    trainer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("formateur"),
        on_delete=models.CASCADE,
        related_name="unavailabilities",
    )
    date = models.DateField(_("date"))
    half_day = models.CharField(_("demi-journée"), max_length=2, choices=HalfDay.choices)
    reason = models.CharField(_("motif"), max_length=200, blank=True)

    class Meta:
        ordering = ["trainer", "date", "half_day", "id"]
        verbose_name = _("indisponibilité de formateur")
        verbose_name_plural = _("indisponibilités de formateurs")
        constraints = [
            models.UniqueConstraint(
                fields=["trainer", "date", "half_day"], name="unavailability_one_per_slot"
            ),
            models.CheckConstraint(
                condition=models.Q(half_day__in=HalfDay.values), name="unavailability_half_day"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.trainer} — {self.date} {self.get_half_day_display()}"


class PlanRun(models.Model):
    """A planning (kind ``cohort``) or a capacity study (kind ``capacity``) of a site.

    ``problem`` is the engine's input as read from the database when the run started: the
    commit rebuilds it and refuses if it changed (someone planned, an item broke…).
    ``result`` is the engine's answer; ``plan_status`` the engine's verdict (optimal,
    feasible, infeasible, unknown, invalid), blank while the task runs.
    """

    class Kind(models.TextChoices):
        COHORT = "cohort", _("Planning d'une promotion")
        CAPACITY = "capacity", _("Capacité du plateau")

    kind = models.CharField(_("type"), max_length=10, choices=Kind.choices)
    site = models.ForeignKey(
        "organisations.Site", verbose_name=_("site"), on_delete=models.CASCADE, related_name="+"
    )
    cohort = models.ForeignKey(
        "cohorts.Cohort",
        verbose_name=_("promotion"),
        on_delete=models.CASCADE,
        related_name="plan_runs",
        null=True,
        blank=True,
    )
    year = models.PositiveSmallIntegerField(_("année"), null=True, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("demandé par"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("demandé le"), default=timezone.now)
    progress = models.ForeignKey(
        "core.TaskProgress", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    problem = models.JSONField(_("données du problème"), default=dict, blank=True)
    result = models.JSONField(_("résultat"), default=dict, blank=True)
    plan_status = models.CharField(_("verdict"), max_length=12, blank=True)
    objective = models.FloatField(_("objectif"), null=True, blank=True)
    bound = models.FloatField(_("borne"), null=True, blank=True)
    gap = models.FloatField(_("écart à la borne"), null=True, blank=True)
    wall_time = models.FloatField(_("durée (s)"), null=True, blank=True)
    explanation = models.JSONField(_("explication"), default=list, blank=True)
    committed_at = models.DateTimeField(_("validé le"), null=True, blank=True)
    committed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("validé par"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("calcul de planification")
        verbose_name_plural = _("calculs de planification")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind="cohort", cohort__isnull=False)
                | models.Q(kind="capacity", year__isnull=False),
                name="planrun_subject_matches_kind",
            ),
            models.CheckConstraint(
                condition=models.Q(committed_at__isnull=True, committed_by__isnull=True)
                | models.Q(committed_at__isnull=False, committed_by__isnull=False),
                name="planrun_committed_with_whom",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} — {self.site} ({self.created_at:%d/%m/%Y %H:%M})"

    @property
    def found(self) -> bool:
        return self.plan_status in ("optimal", "feasible")
