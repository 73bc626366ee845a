"""Practical evaluations: criteria, result, evidence; a passed one makes the competency acquired."""

import datetime

import pytest

from tests import factories
from tremplin.assessments.models import EvaluationCriterion, PracticalEvaluation
from tremplin.assessments.services import AssessmentError, evaluation_record
from tremplin.cohorts.models import CompetencyAssessment
from tremplin.cohorts.services import competency_assess
from tremplin.core.models import AuditEntry
from tremplin.programmes.enums import CompetencyLevel
from tremplin.programmes.models import Certification, Competency, CompetencyBlock

pytestmark = pytest.mark.django_db

CRITERIA = [
    ("Préparer la fibre : dénuder, nettoyer et cliver", True),
    ("Réaliser et mesurer une soudure, perte < 0,3 dB", True),
]


def _splice(enrolment):
    return Competency.objects.get(
        code="BC02.2",
        block__certification__code="irtfo",
        block__certification__tracks__programme=enrolment.cohort.programme,
    )


def _record(world, enrolment, **change):
    args = {
        "enrolment": enrolment,
        "competency": _splice(enrolment),
        "title": "Épissure par fusion et mesure",
        "held_on": datetime.date(2026, 11, 25),
        "criteria": CRITERIA,
        "passed": True,
        "evidence": "Trois soudures : 0,05 / 0,08 / 0,12 dB au réflectomètre.",
        "by": world.user("trainer"),
    }
    return evaluation_record(**(args | change))


def test_a_passed_evaluation_makes_the_competency_acquired(world):
    enrolment = factories.enrolled(world, world.running)
    evaluation = _record(world, enrolment)
    assert [(c.position, c.label, c.met) for c in evaluation.criteria.all()] == [
        (0, CRITERIA[0][0], True),
        (1, CRITERIA[1][0], True),
    ]
    assessment = CompetencyAssessment.objects.get(enrolment=enrolment)
    assert assessment.competency == _splice(enrolment)
    assert assessment.level == CompetencyLevel.ACQUIRED
    assert assessment.evidence == evaluation.evidence
    assert assessment.assessed_by == world.user("trainer")
    assert AuditEntry.objects.filter(action="evaluation.record").count() == 1
    assert AuditEntry.objects.filter(action="competency.assess").count() == 1


def test_a_not_yet_evaluation_leaves_the_current_level(world):
    enrolment = factories.enrolled(world, world.running)
    competency_assess(
        enrolment=enrolment,
        competency=_splice(enrolment),
        level=CompetencyLevel.IN_PROGRESS,
        evidence="",
        on_date=datetime.date(2026, 11, 1),
        by=world.user("trainer"),
    )
    evaluation = _record(
        world,
        enrolment,
        criteria=[
            (CRITERIA[0][0], True),
            ("Réaliser et mesurer une soudure, perte < 0,3 dB", False),
        ],
        passed=False,
        evidence="Perte 0,45 dB : à refaire.",
    )
    assert not evaluation.passed
    assert list(evaluation.criteria.values_list("met", flat=True)) == [True, False]
    level = CompetencyAssessment.objects.get(enrolment=enrolment).level
    assert level == CompetencyLevel.IN_PROGRESS


def _outside_competency():
    return Competency.objects.create(
        block=CompetencyBlock.objects.create(
            certification=Certification.objects.create(code="autre", version="1", title="Autre"),
            code="B1",
            title="Bloc",
        ),
        code="B1.1",
        title="Hors parcours",
    )


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"held_on": datetime.date(2026, 12, 1)}, "ne peut pas être dans le futur"),
        ({"title": " "}, "Donnez un intitulé"),
        ({"criteria": []}, "au moins un critère"),
        ({"criteria": [("  ", True)]}, "au moins un critère"),
        ({"criteria": [CRITERIA[0], CRITERIA[0]]}, "figure deux fois"),
        ({"criteria": [CRITERIA[0], (CRITERIA[1][0], False)]}, "tous ses critères atteints"),
        ({"evidence": " "}, "Décrivez la preuve"),
        ({"competency": "outside"}, "n'appartient pas au parcours"),
    ],
)
def test_bad_input_is_refused_and_nothing_is_written(world, change, message):
    enrolment = factories.enrolled(world, world.running)
    if change.get("competency") == "outside":
        change = {"competency": _outside_competency()}
    audits = AuditEntry.objects.count()
    with pytest.raises(AssessmentError, match=message):
        _record(world, enrolment, **change)
    assert not PracticalEvaluation.objects.exists()
    assert not EvaluationCriterion.objects.exists()
    assert not CompetencyAssessment.objects.exists()
    assert AuditEntry.objects.count() == audits
