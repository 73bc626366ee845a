"""Reads for assessments: a cohort's progress matrix and each learner's readiness per block.

The matrix is built from three queries whatever the cohort's size: the competencies of the
programme (with their blocks), the learners, and every current level of the cohort's learners
(``cohorts.CompetencyAssessment``, one row per learner and competency). Readiness is computed
by the pure ``engine.readiness`` from those levels.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from tremplin.cohorts.models import Cohort, CompetencyAssessment, Enrolment
from tremplin.engine import readiness as engine
from tremplin.programmes.enums import CompetencyLevel
from tremplin.programmes.models import Competency, CompetencyBlock

from .enums import ReadinessState
from .evaluation_grids import Grid, available_grids
from .models import PracticalEvaluation

# A block is « almost » ready with at most this many competencies still to acquire.
ALMOST_WITHIN = 1


@dataclass(frozen=True)
class Cell:
    competency: Competency
    level: str

    @property
    def acquired(self) -> bool:
        return self.level == CompetencyLevel.ACQUIRED

    @property
    def in_progress(self) -> bool:
        return self.level == CompetencyLevel.IN_PROGRESS


@dataclass(frozen=True)
class BlockVerdict:
    block: CompetencyBlock
    state: ReadinessState
    acquired: int
    required: int
    in_progress: list[Competency]
    not_started: list[Competency]


@dataclass(frozen=True)
class Row:
    enrolment: Enrolment
    cells: list[Cell]
    readiness: list[BlockVerdict]

    @property
    def acquired(self) -> int:
        return sum(cell.acquired for cell in self.cells)


@dataclass(frozen=True)
class BlockColumns:
    block: CompetencyBlock
    competencies: list[Competency]


@dataclass(frozen=True)
class Matrix:
    blocks: list[BlockColumns]
    competencies: list[Competency]
    rows: list[Row]
    acquired_per_competency: list[int]


def _competencies(programme_id: int) -> list[Competency]:
    return list(
        Competency.objects.filter(block__certification__tracks__programme_id=programme_id)
        .select_related("block__certification")
        .distinct()
        .order_by("block__certification__title", "block__position", "block_id", "position", "id")
    )


def _blocks(competencies: list[Competency]) -> list[BlockColumns]:
    blocks: list[BlockColumns] = []
    for competency in competencies:
        if not blocks or blocks[-1].block.pk != competency.block_id:
            blocks.append(BlockColumns(competency.block, []))
        blocks[-1].competencies.append(competency)
    return blocks


def _readiness(blocks: list[BlockColumns], levels: dict[str, str]) -> list[BlockVerdict]:
    by_key = {str(c.pk): c for b in blocks for c in b.competencies}
    verdicts = engine.readiness(
        [engine.Block(str(b.block.pk), tuple(str(c.pk) for c in b.competencies)) for b in blocks],
        levels,
        almost_within=ALMOST_WITHIN,
    )
    return [
        BlockVerdict(
            block=b.block,
            state=ReadinessState(v.state.value),
            acquired=v.acquired,
            required=v.required,
            in_progress=[by_key[k] for k in v.in_progress],
            not_started=[by_key[k] for k in v.not_started],
        )
        for b, v in zip(blocks, verdicts, strict=True)
    ]


def _levels(enrolment_ids: list[int]) -> dict[int, dict[str, str]]:
    levels: dict[int, dict[str, str]] = {}
    rows = CompetencyAssessment.objects.filter(enrolment_id__in=enrolment_ids).values_list(
        "enrolment_id", "competency_id", "level"
    )
    for enrolment_id, competency_id, level in rows:
        levels.setdefault(enrolment_id, {})[str(competency_id)] = level
    return levels


def progress_matrix(cohort: Cohort) -> Matrix:
    """Learners × competencies of ``cohort``, with counts and readiness per block."""
    competencies = _competencies(cohort.programme_id)
    blocks = _blocks(competencies)
    enrolments = list(
        Enrolment.objects.filter(cohort=cohort)
        .select_related("candidacy__person")
        .order_by("candidacy__person__last_name", "candidacy__person__first_name", "id")
    )
    levels = _levels([e.pk for e in enrolments])
    rows = []
    for enrolment in enrolments:
        mine = levels.get(enrolment.pk, {})
        cells = [Cell(c, mine.get(str(c.pk), CompetencyLevel.NOT_ASSESSED)) for c in competencies]
        rows.append(Row(enrolment, cells, _readiness(blocks, mine)))
    acquired_per_competency = [
        sum(row.cells[i].acquired for row in rows) for i in range(len(competencies))
    ]
    return Matrix(blocks, competencies, rows, acquired_per_competency)


def enrolment_readiness(enrolment: Enrolment) -> list[BlockVerdict]:
    """One learner's readiness per block of the programme (two queries)."""
    blocks = _blocks(_competencies(enrolment.cohort.programme_id))
    return _readiness(blocks, _levels([enrolment.pk]).get(enrolment.pk, {}))


def evaluations_of(enrolment: Enrolment) -> list[PracticalEvaluation]:
    """A learner's practical evaluations, latest first, with criteria (two queries)."""
    return list(
        PracticalEvaluation.objects.filter(enrolment=enrolment)
        .select_related("competency__block", "assessed_by")
        .prefetch_related("criteria")
        .order_by("-held_on", "-id")
    )


@dataclass(frozen=True)
class GridChoice:
    competency: Competency
    grid: Grid


def grids_for(competencies: Any) -> list[GridChoice]:
    """The shipped evaluation grids of these competencies, to copy into the form."""
    files = available_grids()
    choices = []
    for competency in competencies:
        certification = competency.block.certification
        grid_file = files.get((certification.code, certification.version))
        if grid_file is not None:
            choices += [
                GridChoice(competency, g) for g in grid_file.for_competency(competency.code)
            ]
    return choices
