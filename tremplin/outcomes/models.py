"""Follow-ups: one situation per learner per milestone."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .enums import Milestone, Situation


class FollowUp(models.Model):
    enrolment = models.ForeignKey(
        "cohorts.Enrolment", on_delete=models.CASCADE, related_name="follow_ups"
    )
    milestone = models.CharField(_("échéance"), max_length=5, choices=Milestone.choices)
    situation = models.CharField(_("situation"), max_length=20, choices=Situation.choices)
    employer_name = models.CharField(_("employeur"), max_length=200, blank=True)
    recorded_on = models.DateField(_("date du point"))
    note = models.TextField(_("observations"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["enrolment", "milestone", "id"]
        verbose_name = _("suivi")
        constraints = [
            models.UniqueConstraint(
                fields=["enrolment", "milestone"], name="follow_up_once_per_milestone"
            )
        ]

    def __str__(self) -> str:
        return f"{self.enrolment} — {self.get_milestone_display()}: {self.get_situation_display()}"
