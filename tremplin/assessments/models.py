"""Assessments of learners: entry positioning (Qualiopi indicator 8), practical evaluations.

The current level of each competency stays in ``cohorts.CompetencyAssessment``.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from tremplin.cohorts.models import Enrolment
from tremplin.programmes.models import Competency

from .enums import PositioningDecision, PositioningMethod
from .photos import photo_upload_to


class EntryPositioning(models.Model):
    """How a learner's starting point was assessed, and what was decided for their path."""

    enrolment = models.OneToOneField(
        Enrolment,
        verbose_name=_("inscription"),
        on_delete=models.PROTECT,
        related_name="entry_positioning",
    )
    method = models.CharField(_("modalité"), max_length=20, choices=PositioningMethod.choices)
    held_on = models.DateField(_("date du positionnement"))
    score = models.PositiveSmallIntegerField(_("score (sur 100)"), null=True, blank=True)
    result = models.TextField(_("résultat"))
    decision = models.CharField(_("décision"), max_length=20, choices=PositioningDecision.choices)
    decision_note = models.TextField(_("précisions sur la décision"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("auteur"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("enregistré le"), auto_now_add=True)

    class Meta:
        ordering = ["enrolment", "id"]
        verbose_name = _("positionnement à l'entrée")
        verbose_name_plural = _("positionnements à l'entrée")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(score__isnull=True) | models.Q(score__lte=100),
                name="positioning_score_at_most_100",
            ),
            models.CheckConstraint(
                condition=models.Q(method__in=PositioningMethod.values),
                name="positioning_method_known",
            ),
            models.CheckConstraint(
                condition=models.Q(decision__in=PositioningDecision.values),
                name="positioning_decision_known",
            ),
            models.CheckConstraint(
                condition=~models.Q(result=""), name="positioning_result_required"
            ),
            models.CheckConstraint(
                condition=models.Q(decision=PositioningDecision.STANDARD)
                | ~models.Q(decision_note=""),
                name="positioning_note_unless_standard",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.enrolment} — {self.get_decision_display()}"


class PracticalEvaluation(models.Model):
    """A practical evaluation of one competency on the plateau, criterion by criterion."""

    enrolment = models.ForeignKey(
        Enrolment,
        verbose_name=_("inscription"),
        on_delete=models.PROTECT,
        related_name="practical_evaluations",
    )
    competency = models.ForeignKey(
        Competency,
        verbose_name=_("compétence"),
        on_delete=models.PROTECT,
        related_name="practical_evaluations",
    )
    title = models.CharField(_("intitulé"), max_length=200)
    held_on = models.DateField(_("date de l'évaluation"))
    passed = models.BooleanField(_("réussie"))
    evidence = models.TextField(_("preuve / observation"), blank=True)
    photo = models.FileField(
        _("photo"), upload_to=photo_upload_to, max_length=200, blank=True, default=""
    )
    assessed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("évaluateur"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("enregistrée le"), auto_now_add=True)

    class Meta:
        ordering = ["enrolment", "-held_on", "-id"]
        verbose_name = _("évaluation pratique")
        verbose_name_plural = _("évaluations pratiques")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(passed=False) | ~models.Q(evidence=""),
                name="evaluation_passed_has_evidence",
            ),
            models.CheckConstraint(condition=~models.Q(title=""), name="evaluation_title_required"),
        ]

    def __str__(self) -> str:
        return f"{self.enrolment} — {self.competency.code} {self.title}"


class EvaluationCriterion(models.Model):
    evaluation = models.ForeignKey(
        PracticalEvaluation, on_delete=models.CASCADE, related_name="criteria"
    )
    position = models.PositiveSmallIntegerField()
    label = models.CharField(_("critère"), max_length=300)
    met = models.BooleanField(_("atteint"))

    class Meta:
        ordering = ["evaluation", "position", "id"]
        verbose_name = _("critère d'évaluation")
        constraints = [
            models.UniqueConstraint(
                fields=["evaluation", "position"], name="criterion_unique_position"
            ),
            models.UniqueConstraint(fields=["evaluation", "label"], name="criterion_unique_label"),
        ]

    def __str__(self) -> str:
        return self.label
