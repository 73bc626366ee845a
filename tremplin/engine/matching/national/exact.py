"""The reference for the national batch: the same ranking without any blocking, and recall@k.

``exact_matches`` scores a sample of job seekers against every valid opening of the
country with the engine (``encode`` + ``top_openings``, no cell, no family): what the batch
would give if it looked at every pair. ``recall_at_k`` compares the batch's lists with it:
the share of the reference's matches the batch found (pooled over the sample), and how many
people got exactly the same list.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

from tremplin.engine.matching.national.job import Job, openings_of, plan_of
from tremplin.engine.matching.national.tables import (
    EXPERIENCE,
    JOB_SEEKER_FIELDS,
    MATCH_SCHEMA,
    learners_from_table,
)
from tremplin.engine.matching.scoring import encode, top_openings

__all__ = ["Recall", "exact_matches", "recall_at_k", "sample_rows"]


def sample_rows(job: Job, share: float, seed: int) -> np.ndarray:
    """A seeded sample of the job seekers the batch ranked (refused ones left out)."""
    placed = np.flatnonzero(plan_of(job).seeker_cell >= 0)
    size = max(1, round(share * placed.size))
    rng = np.random.default_rng(seed)
    return np.sort(rng.choice(placed, size=size, replace=False))


def exact_matches(job: Job, rows: np.ndarray, threads: int = 2) -> pa.Table:
    """The top k of the given job seekers' rows against every valid opening, unblocked."""
    settings = job.engine_settings()
    columns = list(JOB_SEEKER_FIELDS)
    if settings.experience_on and EXPERIENCE in pq.read_schema(job.job_seekers).names:
        columns.append(EXPERIENCE)
    table = pq.read_table(job.job_seekers, columns=columns).take(pa.array(rows))
    learners = learners_from_table(table, with_vectors=settings.experience_on)
    openings = openings_of(job, plan_of(job))
    ranking = top_openings(encode(learners, openings.items, settings), k=job.k, workers=threads)
    learner_rows, opening_columns, scores = ranking.pairs()
    rank = np.argwhere(ranking.indices >= 0)[:, 1]
    ids = np.array([learner.id for learner in learners], dtype=object)
    return pa.table(
        {
            "job_seeker_id": pa.array(ids[learner_rows], type=pa.string()),
            "rank": pa.array(rank + 1, type=pa.int16()),
            "opening_id": pa.array(openings.ids[opening_columns], type=pa.string()),
            "score": pa.array(scores, type=pa.float64()),
        },
        schema=MATCH_SCHEMA,
    )


@dataclass(frozen=True)
class Recall:
    """``recall``: found / expected pairs; ``same_lists``: people whose list is identical;
    ``max_score_gap``: the largest score difference on a pair both found."""

    people: int
    expected: int
    found: int
    same_lists: int
    max_score_gap: float

    @property
    def recall(self) -> float:
        return self.found / self.expected if self.expected else 1.0


def recall_at_k(batch: pa.Table, exact: pa.Table) -> Recall:
    """Compare the batch's matches with the reference's, for the people of ``exact``."""
    people = set(exact.column("job_seeker_id").to_pylist())
    mask = pa.array([person in people for person in batch.column("job_seeker_id").to_pylist()])
    batch = batch.filter(mask)

    def lists(table: pa.Table) -> dict[str, dict[str, float]]:
        result: dict[str, dict[str, float]] = {}
        ordered = table.sort_by([("job_seeker_id", "ascending"), ("rank", "ascending")])
        for person, opening, value in zip(
            ordered.column("job_seeker_id").to_pylist(),
            ordered.column("opening_id").to_pylist(),
            ordered.column("score").to_pylist(),
            strict=True,
        ):
            result.setdefault(person, {})[opening] = value
        return result

    expected, got = lists(exact), lists(batch)
    found = same = 0
    gap = 0.0
    for person, wanted in expected.items():
        mine = got.get(person, {})
        common = wanted.keys() & mine.keys()
        found += len(common)
        same += list(wanted) == list(mine)
        gap = max([gap, *(abs(wanted[o] - mine[o]) for o in common)])
    return Recall(
        people=len(people),
        expected=sum(len(wanted) for wanted in expected.values()),
        found=found,
        same_lists=same,
        max_score_gap=gap,
    )
