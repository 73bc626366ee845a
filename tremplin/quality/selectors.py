"""Reads on surveys: a cohort's results per survey kind, without names."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Count, Q, QuerySet

from tremplin.cohorts.models import Cohort
from tremplin.engine.satisfaction import ScaleSummary, response_rate, summarise_scale

from .enums import SurveyKind
from .models import SurveyAnswer, SurveyInvitation
from .questionnaires import CURRENT_VERSION, Question, questionnaire
from .services import survey_due_date


@dataclass(frozen=True)
class QuestionResult:
    question: Question
    summary: ScaleSummary


@dataclass
class SurveyResults:
    kind: str
    label: str
    due_on: object
    invited: int
    answered: int
    rate: float | None
    scales: list[QuestionResult] = field(default_factory=list)
    texts: list[tuple[Question, list[str]]] = field(default_factory=list)


def cohorts_with_survey_counts(cohorts: QuerySet[Cohort]) -> QuerySet[Cohort]:
    counts = {}
    for kind in SurveyKind.values:
        counts[f"{kind}_invited"] = Count(
            "enrolments__survey_invitations",
            filter=Q(enrolments__survey_invitations__kind=kind),
        )
        counts[f"{kind}_answered"] = Count(
            "enrolments__survey_invitations",
            filter=Q(
                enrolments__survey_invitations__kind=kind,
                enrolments__survey_invitations__answered_at__isnull=False,
            ),
        )
    return cohorts.annotate(**counts).order_by("-end_date", "id")


def survey_results(cohort: Cohort, kind: str, *, with_texts: bool) -> SurveyResults:
    """Figures of one survey of the cohort, in two queries; free text only if asked."""
    counts = SurveyInvitation.objects.filter(enrolment__cohort=cohort, kind=kind).aggregate(
        invited=Count("id"), answered=Count("id", filter=Q(answered_at__isnull=False))
    )
    answers = SurveyAnswer.objects.filter(
        invitation__enrolment__cohort=cohort, invitation__kind=kind
    ).order_by("id")
    scores: dict[str, list[int]] = {}
    texts: dict[str, list[str]] = {}
    for question, score, text in answers.values_list("question", "score", "text"):
        if score is not None:
            scores.setdefault(question, []).append(score)
        elif text:
            texts.setdefault(question, []).append(text)
    # Results are read against the current questionnaire; invitations of an older version
    # keep their codes, and a code keeps its meaning within a version.
    questions = questionnaire(kind, CURRENT_VERSION)
    return SurveyResults(
        kind=kind,
        label=str(SurveyKind(kind).label),
        due_on=survey_due_date(cohort, kind),
        invited=counts["invited"],
        answered=counts["answered"],
        rate=response_rate(counts["answered"], counts["invited"]),
        scales=[
            QuestionResult(q, summarise_scale(scores.get(q.code, [])))
            for q in questions
            if q.is_scale
        ],
        texts=[(q, texts.get(q.code, [])) for q in questions if not q.is_scale]
        if with_texts
        else [],
    )
