"""The national batch: plan, shuffle, rank each partition, on one machine or on Dask.

Three steps, each a plain function of the ``Job`` (paths and settings, picklable) so that
the same code runs in this process or as Dask tasks on any number of workers:

1. ``make_plan``: read the light columns (place, reach, competencies) of every job seeker
   and opening, refuse the rows the engine could not score (French reason, kept in
   ``refused.parquet``), build the blocks (``blocking``) and pack the cells into partitions;
   written to ``plan.npz``.
2. ``shuffle_row_group``: one task per row group of the job seekers' file, which sends each
   row to its partition's folder (``shuffle/p00042/g00007.parquet``): afterwards a partition
   is read from its own small files, not from the whole input again.
3. ``rank_partition``: one task per partition. It reads its people, its blocks' openings,
   encodes them once (``scoring.encode``), scores each block cell × family with the engine
   (``Encoded.take`` then ``top_openings``: the scoring is the placement engine's, unchanged),
   keeps each person's best ``k`` over their families, and writes
   ``matches.partial/part-….parquet``; once every partition is done, that folder replaces
   ``matches/`` (a reader never sees half a run) and the shuffled copy is deleted.

``run_local`` runs the steps here (partitions on ``threads`` threads: numpy releases the GIL
in its loops); ``run_dask`` submits them to a ``distributed.Client`` (a local cluster in the
tests and the benchmark, a real one in production: docs/scale.md). Both produce the same files,
row for row. Paths must be readable by every worker: a shared file system on a cluster.
"""

from __future__ import annotations

import json
import shutil
import threading
import time
from collections.abc import Callable, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from tremplin.engine.matching.model import (
    CONTRACTS,
    DECLARED_MOBILITIES,
    HOURS,
    MatchingInputError,
    Opening,
    Settings,
    mobility_from_declared,
)
from tremplin.engine.matching.national import blocking
from tremplin.engine.matching.national.tables import (
    EXPERIENCE,
    JOB_SEEKER_FIELDS,
    MATCH_SCHEMA,
    OFFER,
    OPENING_FIELDS,
    learners_from_table,
    openings_from_table,
    read_parquet,
)
from tremplin.engine.matching.scoring import encode, top_openings

__all__ = [
    "Job",
    "OpeningsTable",
    "Plan",
    "Summary",
    "make_plan",
    "openings_of",
    "plan_of",
    "rank_partition",
    "read_matches",
    "run_dask",
    "run_local",
    "shuffle_row_group",
]

Ints = npt.NDArray[np.int64]
_ROW = "_row"


@dataclass(frozen=True)
class Job:
    """What to rank and how: input files, the working folder, k and the engine's settings.

    ``settings`` holds ``Settings``' arguments as plain values (the engine's frozen mappings
    do not pickle, and a job travels to the workers). ``cell_km`` and ``partition_size``
    shape the blocking (``blocking``): they change the work, never the result.
    """

    job_seekers: Path
    openings: Path
    work: Path
    k: int = 20
    settings: Mapping[str, Any] = field(default_factory=dict)
    cell_km: float = 20.0
    partition_size: int = 50_000

    def engine_settings(self) -> Settings:
        return Settings(**self.settings)

    @property
    def matches(self) -> Path:
        """The last complete run's matches."""
        return self.work / "matches"

    @property
    def pending(self) -> Path:
        """The running job's matches, moved to ``matches`` once every partition is done."""
        return self.work / "matches.partial"


@dataclass
class Summary:
    """What a run did, for the report and the benchmark (times in seconds)."""

    job_seekers: int = 0
    refused_job_seekers: int = 0
    openings: int = 0
    refused_openings: int = 0
    partitions: int = 0
    blocks: int = 0
    pairs_scored: int = 0
    matches: int = 0
    times: dict[str, float] = field(default_factory=dict)

    def to_json(self) -> str:
        return json.dumps(asdict(self), indent=2)


# --- Per-process caches: a worker reads the plan and the openings once per job. --------

_cache: dict[tuple[str, ...], Any] = {}
_cache_lock = threading.Lock()


def _cached(path: Path, kind: str, load: Callable[[], Any]) -> Any:
    stat = path.stat()
    key = (kind, str(path.resolve()), str(stat.st_mtime_ns), str(stat.st_size))
    with _cache_lock:
        if key not in _cache:
            # Keep one job's entries: a worker that moves on to another job frees the last.
            for old in [old for old in _cache if old[0] == kind]:
                del _cache[old]
            _cache[key] = load()
        return _cache[key]


# --- 1. The plan --------------------------------------------------------------------------


def _refusals(table: pa.Table, checks: list[tuple[pa.ChunkedArray, str]]) -> list[str | None]:
    """The first failed check's reason per row, ``None`` when all pass."""
    reasons: list[str | None] = [None] * table.num_rows
    for failed, reason in checks:
        for row in np.flatnonzero(failed.to_numpy(zero_copy_only=False)).tolist():
            if reasons[row] is None:
                reasons[row] = reason
    return reasons


def _not_in(column: pa.ChunkedArray, allowed: tuple[str, ...]) -> pa.ChunkedArray:
    return pc.invert(pc.fill_null(pc.is_in(column, value_set=pa.array(allowed)), False))


def _lists_not_in(column: pa.ChunkedArray, allowed: tuple[str, ...]) -> pa.ChunkedArray:
    """Rows whose list holds a value outside ``allowed``."""
    flat = pc.list_flatten(column)
    parents = pc.list_parent_indices(column).to_numpy()
    bad = np.zeros(len(column), dtype=bool)
    wrong = _not_in(flat, allowed).to_numpy(zero_copy_only=False)
    bad[parents[wrong]] = True
    return pa.chunked_array([pa.array(bad)])


def _repeated(column: pa.ChunkedArray) -> pa.ChunkedArray:
    """Rows whose identifier an earlier row already has (the first one is kept)."""
    ids = pc.fill_null(column, "").to_numpy(zero_copy_only=False)
    _, first = np.unique(ids, return_index=True)
    repeated = np.ones(len(ids), dtype=bool)
    repeated[first] = False
    return pa.chunked_array([pa.array(repeated)])


def _identified(table: pa.Table) -> list[tuple[pa.ChunkedArray, str]]:
    return [
        (pc.is_null(table.column("id")), "identifiant manquant"),
        (_repeated(table.column("id")), "identifiant en double (la première ligne est gardée)"),
    ]


def _located(table: pa.Table) -> list[tuple[pa.ChunkedArray, str]]:
    latitude, longitude = table.column("latitude"), table.column("longitude")
    return [
        (
            pc.or_(pc.is_null(latitude), pc.is_null(longitude)),
            "commune non localisée (pas de coordonnées)",
        ),
        (
            pc.fill_null(
                pc.or_(pc.greater(pc.abs(latitude), 90), pc.greater(pc.abs(longitude), 180)),
                False,
            ),
            "coordonnées hors limites",
        ),
    ]


def _seeker_checks(table: pa.Table) -> list[tuple[pa.ChunkedArray, str]]:
    return [
        *_identified(table),
        *_located(table),
        (
            _not_in(table.column("mobility"), DECLARED_MOBILITIES),
            "mobilité inconnue (car, two_wheeler, public_transport, limited)",
        ),
        (_not_in(table.column("hours"), HOURS), "temps de travail inconnu (full, part, any)"),
        (
            pc.fill_null(pc.less_equal(table.column("max_km"), 0), True),
            "distance maximale absente ou nulle",
        ),
        (pc.is_null(table.column("available_from")), "date de disponibilité manquante"),
        (_lists_not_in(table.column("contracts"), CONTRACTS), "type de contrat inconnu"),
    ]


def _opening_checks(table: pa.Table) -> list[tuple[pa.ChunkedArray, str]]:
    return [
        *_identified(table),
        *_located(table),
        (_not_in(table.column("contract"), CONTRACTS), "type de contrat inconnu"),
        (_not_in(table.column("hours"), HOURS), "temps de travail inconnu (full, part, any)"),
        (pc.fill_null(pc.less(table.column("positions"), 1), True), "aucun poste"),
    ]


def make_plan(job: Job) -> Summary:
    """Check the inputs, block, partition; write ``plan.npz`` and ``refused.parquet``."""
    started = time.perf_counter()
    settings = job.engine_settings()
    if settings.beyond_reach != "exclude":
        raise MatchingInputError(
            "Le rapprochement national demande beyond_reach = « exclude » : sans limite de "
            "distance, chaque personne serait comparée à toutes les offres du pays."
        )
    if job.k < 1:
        raise MatchingInputError("k doit valoir au moins 1.")
    seekers = read_parquet(
        job.job_seekers,
        JOB_SEEKER_FIELDS,
        "les demandeurs d'emploi",
        [
            "id",
            "latitude",
            "longitude",
            "mobility",
            "has_driving_licence",
            "max_km",
            "hours",
            "available_from",
            "contracts",
            "competencies",
        ],
    )
    openings = read_parquet(
        job.openings,
        OPENING_FIELDS,
        "les offres",
        ["id", "latitude", "longitude", "contract", "hours", "positions", "required"],
    )
    seeker_reasons = _refusals(seekers, _seeker_checks(seekers))
    opening_reasons = _refusals(openings, _opening_checks(openings))
    job.work.mkdir(parents=True, exist_ok=True)
    refused = [
        ("demandeur", identifier, reason)
        for identifier, reason in zip(seekers.column("id").to_pylist(), seeker_reasons, strict=True)
        if reason is not None
    ] + [
        ("offre", identifier, reason)
        for identifier, reason in zip(
            openings.column("id").to_pylist(), opening_reasons, strict=True
        )
        if reason is not None
    ]
    pq.write_table(
        pa.table(
            {
                "kind": [row[0] for row in refused],
                "id": [row[1] for row in refused],
                "reason": [row[2] for row in refused],
            },
            schema=pa.schema([("kind", pa.string()), ("id", pa.string()), ("reason", pa.string())]),
        ),
        job.work / "refused.parquet",
    )
    seeker_ok = np.array([reason is None for reason in seeker_reasons], dtype=bool)
    opening_ok = np.array([reason is None for reason in opening_reasons], dtype=bool)

    required = openings.column("required").to_pylist()
    if settings.missing_required == "exclude":
        family_of, opening_family = blocking.families(
            [codes or () for codes, ok in zip(required, opening_ok, strict=True) if ok]
        )
    else:
        # A penalty instead of an exclusion: anyone may match any opening, skills do not block.
        family_of, opening_family = {}, np.zeros(int(opening_ok.sum()), dtype=np.int64)
    kept = seekers.filter(pa.array(seeker_ok))
    competencies = kept.column("competencies").to_pylist()
    seeker_families = [
        {family_of[code] for code in codes or () if code in family_of} for codes in competencies
    ]
    mobilities = [
        mobility_from_declared(mobility, bool(licence))
        for mobility, licence in zip(
            kept.column("mobility").to_pylist(),
            kept.column("has_driving_licence").to_pylist(),
            strict=True,
        )
    ]
    reach = kept.column("max_km").to_numpy() * np.array(
        [settings.reach[mobility] for mobility in mobilities]
    )
    valid_openings = openings.filter(pa.array(opening_ok))
    blocks = blocking.geographic_blocks(
        seeker_latitude=kept.column("latitude").to_numpy(),
        seeker_longitude=kept.column("longitude").to_numpy(),
        seeker_reach_km=reach,
        seeker_families=seeker_families,
        opening_latitude=valid_openings.column("latitude").to_numpy(),
        opening_longitude=valid_openings.column("longitude").to_numpy(),
        opening_family=opening_family,
        cell_km=job.cell_km,
    )
    cell_partition = blocking.partition_cells(blocks, job.partition_size)
    seeker_cell = np.full(seekers.num_rows, -1, dtype=np.int64)
    seeker_cell[seeker_ok] = blocks.seeker_cell
    codes = sorted(family_of)
    np.savez(
        job.work / "plan.npz",
        seeker_cell=seeker_cell,
        cell_partition=cell_partition,
        opening_rows=np.flatnonzero(opening_ok),
        block_cell=blocks.block_cell,
        block_family=blocks.block_family,
        offsets=blocks.offsets,
        candidates=blocks.candidates,
        codes=np.array(codes, dtype=str),
        code_family=np.array([family_of[code] for code in codes], dtype=np.int64),
    )
    return Summary(
        job_seekers=int(seeker_ok.sum()),
        refused_job_seekers=int((~seeker_ok).sum()),
        openings=int(opening_ok.sum()),
        refused_openings=int((~opening_ok).sum()),
        partitions=int(cell_partition.max(initial=-1)) + 1,
        blocks=int(blocks.block_cell.size),
        times={"plan": time.perf_counter() - started},
    )


@dataclass(frozen=True)
class Plan:
    """``plan.npz`` read back: cells, partitions, blocks, and the competency families."""

    seeker_cell: Ints
    cell_partition: Ints
    opening_rows: Ints
    block_cell: Ints
    block_family: Ints
    offsets: Ints
    candidates: Ints
    family_of: dict[str, int]


def plan_of(job: Job) -> Plan:
    """The job's plan, read once per process."""
    path = job.work / "plan.npz"

    def load() -> Plan:
        with np.load(path) as data:
            arrays = {name: data[name] for name in data.files}
        return Plan(
            seeker_cell=arrays["seeker_cell"],
            cell_partition=arrays["cell_partition"],
            opening_rows=arrays["opening_rows"],
            block_cell=arrays["block_cell"],
            block_family=arrays["block_family"],
            offsets=arrays["offsets"],
            candidates=arrays["candidates"],
            family_of=dict(
                zip(arrays["codes"].tolist(), arrays["code_family"].tolist(), strict=True)
            ),
        )

    plan: Plan = _cached(path, "plan", load)
    return plan


# --- 2. The shuffle ---------------------------------------------------------------------


def _partition_folder(job: Job, partition: int) -> Path:
    return job.work / "shuffle" / f"p{partition:05d}"


def row_groups(job: Job) -> int:
    """Row groups of the job seekers' file: one shuffle task each."""
    return int(pq.ParquetFile(job.job_seekers).num_row_groups)


def shuffle_row_group(job: Job, group: int) -> int:
    """Send the placed rows of one row group to their partitions' folders; rows sent."""
    plan = plan_of(job)
    file = pq.ParquetFile(job.job_seekers)
    first = sum(file.metadata.row_group(g).num_rows for g in range(group))
    columns = list(JOB_SEEKER_FIELDS)
    if job.engine_settings().experience_on and EXPERIENCE in file.schema_arrow.names:
        columns.append(EXPERIENCE)
    table = file.read_row_group(group, columns=columns)
    rows = np.arange(first, first + table.num_rows, dtype=np.int64)
    cells = plan.seeker_cell[rows]
    placed = cells >= 0
    partitions = np.full(rows.size, -1, dtype=np.int64)
    partitions[placed] = plan.cell_partition[cells[placed]]
    table = table.append_column(_ROW, pa.array(rows))
    sent = 0
    for partition in np.unique(partitions[placed]).tolist():
        mask = partitions == partition
        folder = _partition_folder(job, partition)
        folder.mkdir(parents=True, exist_ok=True)
        pq.write_table(table.filter(pa.array(mask)), folder / f"g{group:05d}.parquet")
        sent += int(mask.sum())
    return sent


# --- 3. Ranking a partition ---------------------------------------------------------------


@dataclass(frozen=True)
class OpeningsTable:
    """The valid openings as the engine's items (index = position among valid ones)."""

    items: list[Opening]
    ids: npt.NDArray[np.object_]


def openings_of(job: Job, plan: Plan) -> OpeningsTable:
    """The job's valid openings, read once per process (their vectors if the term is on)."""
    with_vectors = job.engine_settings().experience_on

    def load() -> OpeningsTable:
        columns = list(OPENING_FIELDS)
        if with_vectors and OFFER in pq.read_schema(job.openings).names:
            columns.append(OFFER)
        table = pq.read_table(job.openings, columns=columns).take(pa.array(plan.opening_rows))
        items = openings_from_table(table, with_vectors=with_vectors)
        return OpeningsTable(items=items, ids=np.array([item.id for item in items], dtype=object))

    openings: OpeningsTable = _cached(job.openings, f"openings-{with_vectors}", load)
    return openings


def _best(
    rows: Ints, columns: Ints, scores: npt.NDArray[np.float64], k: int
) -> tuple[Ints, Ints, npt.NDArray[np.float64], Ints]:
    """Each row's best k pairs: score descending, then the lower opening (the engine's order)."""
    order = np.lexsort((columns, -scores, rows))
    rows, columns, scores = rows[order], columns[order], scores[order]
    starts = np.flatnonzero(np.r_[True, rows[1:] != rows[:-1]]) if rows.size else rows
    rank = np.arange(rows.size) - np.repeat(starts, np.diff(np.r_[starts, rows.size]))
    keep = rank < k
    return rows[keep], columns[keep], scores[keep], rank[keep]


def rank_partition(job: Job, partition: int) -> dict[str, float]:
    """Rank one partition's people; write ``matches.partial/part-NNNNN.parquet``; its figures."""
    started = time.perf_counter()
    plan = plan_of(job)
    settings = job.engine_settings()
    openings = openings_of(job, plan)
    folder = _partition_folder(job, partition)
    pieces = sorted(folder.glob("*.parquet")) if folder.exists() else []
    job.pending.mkdir(parents=True, exist_ok=True)
    target = job.pending / f"part-{partition:05d}.parquet"
    if not pieces:
        pq.write_table(MATCH_SCHEMA.empty_table(), target)
        return {"people": 0, "pairs": 0, "seconds": time.perf_counter() - started}
    table = pa.concat_tables(pq.read_table(piece) for piece in pieces)
    # People in cell order, then in file order: blocks are runs of rows, results stable.
    global_rows = table.column(_ROW).to_numpy()
    cells = plan.seeker_cell[global_rows]
    order = np.lexsort((global_rows, cells))
    table, cells = table.take(pa.array(order)), cells[order]
    learners = learners_from_table(table, with_vectors=settings.experience_on)

    in_partition = np.isin(plan.block_cell, cells)
    block_ids = np.flatnonzero(in_partition)
    wanted = [plan.candidates[plan.offsets[b] : plan.offsets[b + 1]] for b in block_ids]
    candidates = np.unique(np.concatenate(wanted)) if wanted else np.zeros(0, dtype=np.int64)
    encoded = encode(learners, [openings.items[i] for i in candidates.tolist()], settings)

    # Which families each person holds: the blocks they join besides "requires nothing".
    held: dict[int, set[int]] = {}
    for row, learner in enumerate(learners):
        for family in {plan.family_of.get(code, -1) for code in learner.competencies}:
            if family > 0:
                held.setdefault(family, set()).add(row)
    # Rows are sorted by cell: each cell is one run of rows.
    present, first, sizes = np.unique(cells, return_index=True, return_counts=True)
    cell_rows = {
        int(cell): np.arange(start, start + size)
        for cell, start, size in zip(present.tolist(), first.tolist(), sizes.tolist(), strict=True)
    }
    found_rows: list[Ints] = []
    found_openings: list[Ints] = []
    found_scores: list[npt.NDArray[np.float64]] = []
    pairs = 0
    for block, block_openings in zip(block_ids.tolist(), wanted, strict=True):
        rows = cell_rows[int(plan.block_cell[block])]
        family = int(plan.block_family[block])
        if family != blocking.NO_REQUIREMENT:
            members = held.get(family, set())
            rows = rows[np.fromiter((row in members for row in rows.tolist()), bool, rows.size)]
        if rows.size == 0:
            continue
        columns = np.searchsorted(candidates, block_openings)
        ranking = top_openings(encoded.take(rows, columns), k=job.k)
        block_rows, block_columns, scores = ranking.pairs()
        found_rows.append(rows[block_rows])
        found_openings.append(block_openings[block_columns])
        found_scores.append(scores)
        pairs += rows.size * columns.size
    if found_rows:
        best_rows, best_openings, best_scores, rank = _best(
            np.concatenate(found_rows),
            np.concatenate(found_openings),
            np.concatenate(found_scores),
            job.k,
        )
    else:
        best_rows = best_openings = rank = np.zeros(0, dtype=np.int64)
        best_scores = np.zeros(0)
    ids = table.column("id").to_numpy(zero_copy_only=False)
    result = pa.table(
        {
            "job_seeker_id": pa.array(ids[best_rows], type=pa.string()),
            "rank": pa.array(rank + 1, type=pa.int16()),
            "opening_id": pa.array(openings.ids[best_openings], type=pa.string()),
            "score": pa.array(best_scores, type=pa.float64()),
        },
        schema=MATCH_SCHEMA,
    )
    pq.write_table(result, target)
    return {
        "people": float(table.num_rows),
        "pairs": float(pairs),
        "matches": float(result.num_rows),
        "seconds": time.perf_counter() - started,
    }


# --- Running ------------------------------------------------------------------------------


def _clean(job: Job) -> None:
    for folder in (job.work / "shuffle", job.pending):
        shutil.rmtree(folder, ignore_errors=True)


def _finish(job: Job, summary: Summary, figures: list[dict[str, float]], started: float) -> Summary:
    # The previous matches stay readable until this run's are all written; the shuffled
    # copy of the input (as large as the input) goes.
    shutil.rmtree(job.matches, ignore_errors=True)
    job.pending.mkdir(parents=True, exist_ok=True)  # no partition at all: no one to rank
    job.pending.rename(job.matches)
    shutil.rmtree(job.work / "shuffle", ignore_errors=True)
    summary.pairs_scored = int(sum(f.get("pairs", 0) for f in figures))
    summary.matches = int(sum(f.get("matches", 0) for f in figures))
    summary.times["total"] = time.perf_counter() - started
    return summary


def run_local(job: Job, threads: int = 2) -> Summary:
    """The whole batch in this process; partitions on ``threads`` threads.

    A refused input stops it before anything is written; the matches of a previous run in
    the same folder are replaced only once this run's are complete.
    """
    started = time.perf_counter()
    summary = make_plan(job)
    _clean(job)
    step = time.perf_counter()
    with ThreadPoolExecutor(max_workers=threads) as pool:
        list(pool.map(lambda group: shuffle_row_group(job, group), range(row_groups(job))))
        summary.times["shuffle"] = time.perf_counter() - step
        step = time.perf_counter()
        figures = list(pool.map(lambda p: rank_partition(job, p), range(summary.partitions)))
    summary.times["rank"] = time.perf_counter() - step
    return _finish(job, summary, figures, started)


def run_dask(job: Job, client: Any) -> Summary:
    """The whole batch as tasks of a ``distributed.Client``: plan, shuffle, rank."""
    started = time.perf_counter()
    summary: Summary = client.submit(make_plan, job, pure=False).result()
    _clean(job)
    step = time.perf_counter()
    groups = row_groups(job)
    shuffled = client.map(shuffle_row_group, [job] * groups, range(groups), pure=False)
    client.gather(shuffled)
    summary.times["shuffle"] = time.perf_counter() - step
    step = time.perf_counter()
    ranked = client.map(
        rank_partition, [job] * summary.partitions, range(summary.partitions), pure=False
    )
    figures: list[dict[str, float]] = client.gather(ranked)
    summary.times["rank"] = time.perf_counter() - step
    return _finish(job, summary, figures, started)


def read_matches(job: Job) -> pa.Table:
    """Every match of the last run, sorted by job seeker then rank."""
    parts = sorted(job.matches.glob("part-*.parquet"))
    if not parts:
        return MATCH_SCHEMA.empty_table()
    table = pa.concat_tables(pq.read_table(part) for part in parts)
    return table.sort_by([("job_seeker_id", "ascending"), ("rank", "ascending")])
