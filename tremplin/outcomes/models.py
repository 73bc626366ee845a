"""Follow-ups: the answers about a learner's situation at each milestone, and the requests
emailed to former learners.

A ``FollowUp`` is one answer, never updated: a later answer adds a row. The *current*
situation at a milestone is its answer with the latest ``recorded_on`` (the day the situation
was known), ties going to the later entry (``id``): ``Meta.ordering`` ends on that row, and
``selectors.current_follow_ups`` picks it in SQL.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .enums import (
    EMPLOYED_SITUATIONS,
    WEEKLY_HOURS_MAX,
    WEEKLY_HOURS_MIN,
    FollowUpSource,
    Milestone,
    Situation,
    WageBand,
)


class FollowUpRequest(models.Model):
    """The email asking a former learner for their situation at a milestone; one per milestone.

    The link it carries is signed (``services.follow_up_token``) and answers once
    (``answered_at``); ``reminder_sent_at`` records the one email to the site's staff when
    nobody answered within ``services.REMINDER_AFTER``.
    """

    enrolment = models.ForeignKey(
        "cohorts.Enrolment", on_delete=models.CASCADE, related_name="follow_up_requests"
    )
    milestone = models.CharField(_("échéance"), max_length=5, choices=Milestone.choices)
    due_on = models.DateField(_("prévu le"))
    sent_to = models.EmailField(_("envoyé à"))
    sent_at = models.DateTimeField(_("envoyé le"))
    answered_at = models.DateTimeField(_("répondu le"), null=True, blank=True)
    reminder_sent_at = models.DateTimeField(_("relance envoyée le"), null=True, blank=True)

    class Meta:
        ordering = ["enrolment", "due_on", "id"]
        verbose_name = _("demande de suivi")
        constraints = [
            models.UniqueConstraint(
                fields=["enrolment", "milestone"], name="follow_up_request_once_per_milestone"
            ),
            models.CheckConstraint(
                condition=models.Q(milestone__in=Milestone.values),
                name="follow_up_request_milestone_known",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.enrolment} — {self.get_milestone_display()}"


class FollowUp(models.Model):
    enrolment = models.ForeignKey(
        "cohorts.Enrolment", on_delete=models.CASCADE, related_name="follow_ups"
    )
    milestone = models.CharField(_("échéance"), max_length=5, choices=Milestone.choices)
    situation = models.CharField(_("situation"), max_length=20, choices=Situation.choices)
    employer_name = models.CharField(_("employeur"), max_length=200, blank=True)
    weekly_hours = models.PositiveSmallIntegerField(_("heures par semaine"), null=True, blank=True)
    wage_band = models.CharField(
        _("salaire mensuel net"), max_length=12, choices=WageBand.choices, blank=True
    )
    recorded_on = models.DateField(_("date du point"))
    note = models.TextField(_("observations"), blank=True)
    source = models.CharField(
        _("réponse de"),
        max_length=12,
        choices=FollowUpSource.choices,
        default=FollowUpSource.COORDINATOR,
    )
    request = models.ForeignKey(
        FollowUpRequest,
        verbose_name=_("demande"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="answers",
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Vide quand la personne a répondu elle-même."),
    )
    answered_at = models.DateTimeField(_("saisi le"), default=timezone.now)

    class Meta:
        # The last row of a milestone is its current answer (see the module docstring).
        ordering = ["enrolment", "milestone", "recorded_on", "id"]
        verbose_name = _("suivi")
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(source=FollowUpSource.LEARNER)
                    & models.Q(request__isnull=False, recorded_by__isnull=True)
                )
                | (
                    models.Q(source=FollowUpSource.COORDINATOR)
                    & models.Q(request__isnull=True, recorded_by__isnull=False)
                ),
                name="follow_up_source_consistent",
            ),
            models.CheckConstraint(
                condition=models.Q(weekly_hours__isnull=True)
                | models.Q(weekly_hours__gte=WEEKLY_HOURS_MIN, weekly_hours__lte=WEEKLY_HOURS_MAX),
                name="follow_up_weekly_hours_range",
            ),
            # Work details only with work: a contradictory answer cannot be stored.
            models.CheckConstraint(
                condition=models.Q(situation__in=sorted(s.value for s in EMPLOYED_SITUATIONS))
                | models.Q(employer_name="", weekly_hours__isnull=True, wage_band=""),
                name="follow_up_work_details_only_when_employed",
            ),
        ]
        indexes = [
            models.Index(fields=["enrolment", "milestone", "recorded_on"], name="follow_up_current")
        ]

    def __str__(self) -> str:
        return f"{self.enrolment} — {self.get_milestone_display()}: {self.get_situation_display()}"
