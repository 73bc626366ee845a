"""The progress matrix and readiness per block, read from the learners' current levels."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests import factories
from tremplin.assessments.enums import ReadinessState
from tremplin.assessments.selectors import enrolment_readiness, progress_matrix
from tremplin.cohorts.services import competencies_of, competency_assess
from tremplin.engine.readiness import Readiness
from tremplin.programmes.enums import CompetencyLevel

pytestmark = pytest.mark.django_db


def _assess(world, enrolment, competency, level):
    competency_assess(
        enrolment=enrolment,
        competency=competency,
        level=level,
        evidence="Soudure mesurée au réflectomètre : 0,12 dB.",
        on_date=datetime.date(2026, 11, 20),
        by=world.user("trainer"),
    )


def _first_block(enrolment):
    competencies = list(
        competencies_of(enrolment).order_by(
            "block__certification__title", "block__position", "block_id", "position", "id"
        )
    )
    block_id = competencies[0].block_id
    return [c for c in competencies if c.block_id == block_id]


def test_matrix_has_a_row_per_learner_and_a_column_per_competency_of_the_programme(world):
    inès = factories.enrolled(world, world.running, first_name="Inès", last_name="Benali")
    karim = factories.enrolled(world, world.running, first_name="Karim", last_name="Ouali")
    factories.enrolled(world, world.upcoming, first_name="Léa", last_name="Autre")
    first, second = _first_block(inès)[:2]
    _assess(world, inès, first, CompetencyLevel.ACQUIRED)
    _assess(world, inès, second, CompetencyLevel.IN_PROGRESS)
    _assess(world, karim, first, CompetencyLevel.ACQUIRED)

    matrix = progress_matrix(world.running)

    assert [r.enrolment for r in matrix.rows] == [inès, karim]
    assert len(matrix.competencies) == competencies_of(inès).count()
    assert sum(len(b.competencies) for b in matrix.blocks) == len(matrix.competencies)
    assert matrix.competencies[0] == first
    assert [c.level for c in matrix.rows[0].cells[:3]] == [
        CompetencyLevel.ACQUIRED,
        CompetencyLevel.IN_PROGRESS,
        CompetencyLevel.NOT_ASSESSED,
    ]
    assert [r.acquired for r in matrix.rows] == [1, 1]
    assert matrix.acquired_per_competency[:2] == [2, 0]
    assert sum(matrix.acquired_per_competency) == 2


def test_matrix_takes_three_queries_whatever_the_number_of_learners(world):
    for i in range(5):
        enrolment = factories.enrolled(world, world.running, first_name=f"L{i}", last_name="Test")
        _assess(world, enrolment, _first_block(enrolment)[0], CompetencyLevel.ACQUIRED)
    cohort = type(world.running).objects.get(pk=world.running.pk)
    with CaptureQueriesContext(connection) as queries:
        matrix = progress_matrix(cohort)
        names = [r.enrolment.candidacy.person.full_name for r in matrix.rows]
        codes = [(b.block.certification.title, b.block.code) for b in matrix.blocks]
    assert len(queries) == 3
    assert len(names) == 5 and codes


def test_readiness_per_block_ready_almost_and_not_yet(world):
    enrolment = factories.enrolled(world, world.running)
    block = _first_block(enrolment)
    for competency in block[:-1]:
        _assess(world, enrolment, competency, CompetencyLevel.ACQUIRED)
    _assess(world, enrolment, block[-1], CompetencyLevel.IN_PROGRESS)

    verdicts = enrolment_readiness(enrolment)
    first = verdicts[0]
    assert first.block == block[0].block
    assert first.state == ReadinessState.ALMOST
    assert (first.acquired, first.required) == (len(block) - 1, len(block))
    assert first.in_progress == [block[-1]]
    assert first.not_started == []
    assert {v.state for v in verdicts[1:]} == {ReadinessState.NOT_YET}

    _assess(world, enrolment, block[-1], CompetencyLevel.ACQUIRED)
    assert enrolment_readiness(enrolment)[0].state == ReadinessState.READY


def test_readiness_states_match_the_engine():
    assert sorted(ReadinessState.values) == sorted(r.value for r in Readiness)
