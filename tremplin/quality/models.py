"""Satisfaction surveys (Qualiopi indicator 30): an invitation per learner and kind, answers.

Answers hang on the invitation (so a link is answered once and the response rate is exact);
pages never show who gave which answer.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from tremplin.cohorts.models import Enrolment

from .enums import ActionStatus, ComplainantKind, ComplaintChannel, ComplaintStatus, SurveyKind


class SurveyInvitation(models.Model):
    enrolment = models.ForeignKey(
        Enrolment, on_delete=models.PROTECT, related_name="survey_invitations"
    )
    kind = models.CharField(_("enquête"), max_length=10, choices=SurveyKind.choices)
    questionnaire = models.CharField(_("version du questionnaire"), max_length=10)
    sent_at = models.DateTimeField(_("envoyée le"))
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Vide quand l'envoi est automatique."),
    )
    answered_at = models.DateTimeField(_("répondue le"), null=True, blank=True)

    class Meta:
        ordering = ["enrolment", "kind", "id"]
        verbose_name = _("invitation à une enquête de satisfaction")
        constraints = [
            models.UniqueConstraint(
                fields=["enrolment", "kind"], name="survey_one_invitation_per_kind"
            ),
            models.CheckConstraint(
                condition=models.Q(kind__in=SurveyKind.values), name="survey_kind_known"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.enrolment} — {self.get_kind_display()}"


class SurveyAnswer(models.Model):
    invitation = models.ForeignKey(
        SurveyInvitation, on_delete=models.CASCADE, related_name="answers"
    )
    question = models.CharField(_("question"), max_length=40)
    score = models.PositiveSmallIntegerField(_("note"), null=True, blank=True)
    text = models.TextField(_("réponse libre"), blank=True)

    class Meta:
        ordering = ["invitation", "id"]
        verbose_name = _("réponse à une enquête")
        constraints = [
            models.UniqueConstraint(
                fields=["invitation", "question"], name="survey_answer_once_per_question"
            ),
            models.CheckConstraint(
                condition=models.Q(score__isnull=True) | models.Q(score__gte=1, score__lte=5),
                name="survey_score_1_to_5",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.invitation_id} {self.question}"


class Complaint(models.Model):
    """A complaint (réclamation, Qualiopi indicator 31) and the dates of each handling step."""

    site = models.ForeignKey(
        "organisations.Site", verbose_name=_("site"), on_delete=models.PROTECT, related_name="+"
    )
    cohort = models.ForeignKey(
        "cohorts.Cohort",
        verbose_name=_("promotion concernée"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="complaints",
    )
    received_on = models.DateField(_("reçue le"))
    channel = models.CharField(_("canal"), max_length=20, choices=ComplaintChannel.choices)
    complainant_kind = models.CharField(
        _("émise par"), max_length=20, choices=ComplainantKind.choices
    )
    complainant = models.CharField(_("nom ou organisation"), max_length=150, blank=True)
    subject = models.CharField(_("objet"), max_length=200)
    description = models.TextField(_("description"))
    status = models.CharField(
        _("état"), max_length=20, choices=ComplaintStatus.choices, default=ComplaintStatus.RECEIVED
    )
    acknowledged_on = models.DateField(_("accusé de réception le"), null=True, blank=True)
    analysed_on = models.DateField(_("analysée le"), null=True, blank=True)
    analysis = models.TextField(_("analyse"), blank=True)
    answered_on = models.DateField(_("réponse le"), null=True, blank=True)
    answer = models.TextField(_("réponse apportée"), blank=True)
    closed_on = models.DateField(_("close le"), null=True, blank=True)
    action_taken = models.TextField(_("action menée"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("saisie le"), auto_now_add=True)

    class Meta:
        ordering = ["-received_on", "-id"]
        verbose_name = _("réclamation")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=ComplaintStatus.values), name="complaint_status_known"
            ),
            # Each step past « reçue » has its date (and its text): the log is complete.
            models.CheckConstraint(
                condition=models.Q(status="received") | models.Q(acknowledged_on__isnull=False),
                name="complaint_acknowledged_dated",
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=["received", "acknowledged"])
                | (models.Q(analysed_on__isnull=False) & ~models.Q(analysis="")),
                name="complaint_analysed_dated",
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=["received", "acknowledged", "analysed"])
                | (models.Q(answered_on__isnull=False) & ~models.Q(answer="")),
                name="complaint_answered_dated",
            ),
            models.CheckConstraint(
                condition=~models.Q(status="closed")
                | (models.Q(closed_on__isnull=False) & ~models.Q(action_taken="")),
                name="complaint_closed_dated",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.received_on:%d/%m/%Y} — {self.subject}"


class ImprovementAction(models.Model):
    """An improvement action (Qualiopi indicator 32) and the feedback that caused it: a
    complaint, or a cohort's survey results (cohort + survey kind)."""

    site = models.ForeignKey(
        "organisations.Site", verbose_name=_("site"), on_delete=models.PROTECT, related_name="+"
    )
    complaint = models.ForeignKey(
        Complaint,
        verbose_name=_("réclamation à l'origine"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="actions",
    )
    cohort = models.ForeignKey(
        "cohorts.Cohort",
        verbose_name=_("promotion de l'enquête à l'origine"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="improvement_actions",
    )
    survey_kind = models.CharField(
        _("enquête à l'origine"), max_length=10, choices=SurveyKind.choices, blank=True
    )
    description = models.TextField(_("action"))
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("responsable"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    due_on = models.DateField(_("échéance"))
    status = models.CharField(
        _("état"), max_length=20, choices=ActionStatus.choices, default=ActionStatus.PLANNED
    )
    outcome = models.TextField(_("résultat"), blank=True)
    done_on = models.DateField(_("réalisée le"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("créée le"), auto_now_add=True)

    class Meta:
        ordering = ["due_on", "id"]
        verbose_name = _("action d'amélioration")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=ActionStatus.values), name="action_status_known"
            ),
            # Exactly one origin: a complaint, or a cohort's survey of a known kind.
            models.CheckConstraint(
                condition=(
                    models.Q(complaint__isnull=False, cohort__isnull=True, survey_kind="")
                    | models.Q(
                        complaint__isnull=True,
                        cohort__isnull=False,
                        survey_kind__in=["hot", "cold"],
                    )
                ),
                name="action_one_origin",
            ),
            models.CheckConstraint(
                condition=~models.Q(status="done")
                | (models.Q(done_on__isnull=False) & ~models.Q(outcome="")),
                name="action_done_has_outcome",
            ),
        ]

    def __str__(self) -> str:
        return self.description[:60]
