"""A seeded country of job seekers and openings, on the real communes table, as Parquet.

For the benchmark and the tests only: the people are fictional, drawn the way the
programmes' evaluation set draws them (``evaluation``: three tracks of 15 competencies,
40–95 % of one track held, the coordinators' mix of mobility, contracts and hours), but
placed in the communes of the whole country (``tremplin/geo/data/communes.csv.gz``, COG
2026, town-hall points): job seekers in proportion to population, openings in proportion
to population^1.25 (jobs gather in employment centres more than people do). Paris, Lyon and
Marseille count through their arrondissements, never twice.

The optional texts are not encoded (1 million texts would take the encoder hours here):
each vector is a topic — the job seeker's trade, another of the three trades, or one of ten
unrelated jobs; the opening's trade — plus Gaussian noise, made a unit vector, so that two
texts of one topic have a cosine of about 0.5 and of two topics about 0. The shares follow
the evaluation set's: 70 % of job seekers and 85 % of openings have a text.

Everything is drawn in batches with numpy from one seed: the same seed gives the same files.
"""

from __future__ import annotations

import csv
import datetime
import gzip
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.parquet as pq

from tremplin.engine.matching.evaluation import COMPETENCIES_PER_TRACK, TRACKS
from tremplin.engine.matching.model import CONTRACTS
from tremplin.engine.matching.national.tables import (
    EXPERIENCE,
    JOB_SEEKER_FIELDS,
    OFFER,
    OPENING_FIELDS,
    vector_type,
)

__all__ = ["COMMUNES_FILE", "Communes", "generate", "read_communes"]

# The communes reference table the geo app loads (a data file: no Django import).
COMMUNES_FILE = Path(__file__).resolve().parents[3] / "geo" / "data" / "communes.csv.gz"

DIMENSIONS = 512
ROW_GROUP = 50_000
START = datetime.date(2027, 6, 1)
_CODES = [f"{track}-C{n}" for track in TRACKS for n in range(1, COMPETENCIES_PER_TRACK + 1)]
_FIRST_NAMES = [
    "Camille",
    "Nadia",
    "Karim",
    "Sofiane",
    "Inès",
    "Yanis",
    "Léa",
    "Mehdi",
    "Sarah",
    "Julien",
    "Amina",
    "Thomas",
    "Fatou",
    "Lucas",
    "Samia",
    "Hugo",
    "Aïcha",
    "Kevin",
    "Manon",
    "Bilal",
    "Laura",
    "Rayan",
    "Chloé",
    "Moussa",
    "Emma",
    "Nicolas",
    "Leïla",
    "Maxime",
    "Océane",
    "Youssef",
    "Marine",
    "Anthony",
    "Kenza",
    "Romain",
    "Jessica",
    "Ibrahima",
    "Pauline",
    "Florian",
    "Mariam",
    "Dylan",
]
_LAST_NAMES = [
    "Martin",
    "Bernard",
    "Haddad",
    "Benali",
    "Moreau",
    "Diallo",
    "Petit",
    "Garcia",
    "Lefebvre",
    "Mansouri",
    "Roux",
    "Traoré",
    "Fournier",
    "Ferrand",
    "Mercier",
    "Boukhari",
    "Girard",
    "Nguyen",
    "Lambert",
    "Cissé",
    "Fontaine",
    "Rousseau",
    "Belkacem",
    "Vincent",
    "Muller",
    "Chevalier",
    "Ouedraogo",
    "Blanc",
    "Guerin",
    "Sow",
    "Henry",
    "Dasilva",
    "Perrin",
    "Kaci",
    "Morel",
]
_DIPLOMAS = ("none", "cap_bep", "bac", "bac2", "bac3")
_MOBILITIES = ("car", "public_transport", "two_wheeler", "limited")
_HOURS = ("full", "any", "part")


@dataclass(frozen=True)
class Communes:
    """The places people live and work in: one row per commune or arrondissement."""

    insee_code: npt.NDArray[np.str_]
    name: npt.NDArray[np.str_]
    department: npt.NDArray[np.str_]
    postal_code: npt.NDArray[np.str_]
    population: npt.NDArray[np.float64]
    latitude: npt.NDArray[np.float64]
    longitude: npt.NDArray[np.float64]


def read_communes(path: Path = COMMUNES_FILE) -> Communes:
    """The communes file, without the parents of arrondissements (counted through them)."""
    with gzip.open(path, "rt", encoding="utf-8", newline="") as file:
        rows = list(csv.DictReader(file))
    parents = {row["parent_insee"] for row in rows if row["parent_insee"]}
    # Communes without a population figure (a few uninhabited ones) or without a point
    # draw no one.
    rows = [
        row
        for row in rows
        if row["insee_code"] not in parents
        and int(row["population"] or 0) > 0
        and row["latitude"]
        and row["longitude"]
    ]
    return Communes(
        insee_code=np.array([row["insee_code"] for row in rows]),
        name=np.array([row["name"] for row in rows]),
        department=np.array([row["department"] for row in rows]),
        postal_code=np.array([row["postal_codes"].split()[0] for row in rows]),
        population=np.array([float(row["population"]) for row in rows]),
        latitude=np.array([float(row["latitude"]) for row in rows]),
        longitude=np.array([float(row["longitude"]) for row in rows]),
    )


def _string_lists(mask: npt.NDArray[np.bool_], labels: list[str]) -> pa.Array:
    """Each row's labels where ``mask`` is true, as a list<string> column."""
    rows, columns = np.nonzero(mask)
    offsets = np.zeros(mask.shape[0] + 1, dtype=np.int32)
    np.cumsum(np.bincount(rows, minlength=mask.shape[0]), out=offsets[1:])
    values = pa.array(labels).take(pa.array(columns))
    return pa.ListArray.from_arrays(pa.array(offsets), values)


def _pick(rng: np.random.Generator, size: int, weights: npt.ArrayLike) -> npt.NDArray[np.int64]:
    p = np.asarray(weights, dtype=np.float64)
    return rng.choice(p.size, size=size, p=p / p.sum())


def _topic_vectors(
    rng: np.random.Generator, topics: npt.NDArray[np.float32], chosen: npt.NDArray[np.int64]
) -> npt.NDArray[np.float32]:
    noise = rng.standard_normal((chosen.size, topics.shape[1]), dtype=np.float32)
    noise /= np.float32(np.sqrt(topics.shape[1]))
    vectors = topics[chosen] + noise
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    return vectors


def _vector_column(vectors: npt.NDArray[np.float32], present: npt.NDArray[np.bool_]) -> pa.Array:
    flat = pa.array(vectors.reshape(-1), type=pa.float32())
    mask = pa.array(~present)
    return pa.FixedSizeListArray.from_arrays(flat, vectors.shape[1], mask=mask)


def _dates(days: npt.NDArray[np.int64]) -> pa.Array:
    epoch = (START - datetime.date(1970, 1, 1)).days
    return pa.array(days + epoch, type=pa.int32()).cast(pa.date32())


def _held_competencies(
    rng: np.random.Generator, size: int
) -> tuple[npt.NDArray[np.bool_], npt.NDArray[np.int64]]:
    track = _pick(rng, size, (0.45, 0.30, 0.25))
    level = rng.uniform(0.40, 0.95, size)
    own = rng.random((size, COMPETENCIES_PER_TRACK)) < level[:, None]
    own[np.arange(size), rng.integers(0, COMPETENCIES_PER_TRACK, size)] = True
    held = np.zeros((size, len(_CODES)), dtype=bool)
    for t in range(len(TRACKS)):
        rows = track == t
        held[rows, t * COMPETENCIES_PER_TRACK : (t + 1) * COMPETENCIES_PER_TRACK] = own[rows]
    # 15 % also hold a few competencies of another track (an earlier job, a short course).
    other = (track + rng.integers(1, len(TRACKS), size)) % len(TRACKS)
    extra = (rng.random(size) < 0.15)[:, None] & (rng.random((size, COMPETENCIES_PER_TRACK)) < 0.2)
    for t in range(len(TRACKS)):
        rows = other == t
        block = held[rows, t * COMPETENCIES_PER_TRACK : (t + 1) * COMPETENCIES_PER_TRACK]
        held[rows, t * COMPETENCIES_PER_TRACK : (t + 1) * COMPETENCIES_PER_TRACK] = (
            block | extra[rows]
        )
    return held, track


def _job_seekers(
    rng: np.random.Generator,
    communes: Communes,
    size: int,
    first: int,
    topics: npt.NDArray[np.float32],
    with_texts: bool,
) -> pa.Table:
    place = _pick(rng, size, communes.population)
    held, track = _held_competencies(rng, size)
    mobility = _pick(rng, size, (0.40, 0.35, 0.10, 0.15))
    licence = (mobility == 0) | (rng.random(size) < 0.35)
    max_km = np.array([10.0, 15.0, 20.0, 30.0, 40.0, 50.0, 80.0])[
        _pick(rng, size, (0.08, 0.12, 0.20, 0.28, 0.15, 0.12, 0.05))
    ]
    contract_sets = np.array(
        [
            [False] * 5,
            [True, False, False, False, False],
            [True, True, False, False, False],
            [False, True, True, False, False],
            [True, True, False, True, True],
        ]
    )
    contracts = contract_sets[_pick(rng, size, (0.50, 0.20, 0.15, 0.10, 0.05))]
    age_days = rng.integers(18 * 365, 60 * 365, size)
    columns: dict[str, pa.Array] = {
        "id": pa.array([f"DE{first + row:08d}" for row in range(size)]),
        "last_name": pa.array(np.array(_LAST_NAMES)[rng.integers(0, len(_LAST_NAMES), size)]),
        "first_name": pa.array(np.array(_FIRST_NAMES)[rng.integers(0, len(_FIRST_NAMES), size)]),
        "birth_date": _dates(-age_days),
        "postal_code": pa.array(communes.postal_code[place]),
        "commune": pa.array(communes.name[place]),
        "insee_code": pa.array(communes.insee_code[place]),
        "department": pa.array(communes.department[place]),
        "latitude": pa.array(communes.latitude[place]),
        "longitude": pa.array(communes.longitude[place]),
        "highest_diploma": pa.array(
            np.array(_DIPLOMAS)[_pick(rng, size, (0.25, 0.35, 0.25, 0.10, 0.05))]
        ),
        "mobility": pa.array(np.array(_MOBILITIES)[mobility]),
        "has_driving_licence": pa.array(licence),
        "max_km": pa.array(max_km),
        "contracts": _string_lists(contracts, list(CONTRACTS)),
        "hours": pa.array(np.array(_HOURS)[_pick(rng, size, (0.60, 0.30, 0.10))]),
        "available_from": _dates(rng.integers(0, 120, size)),
        "competencies": _string_lists(held, _CODES),
        # Agreed to be referred to a programme (France Travail records it): 60 % here.
        "consent_programme": pa.array(rng.random(size) < 0.60),
    }
    if with_texts:
        # Topics 0–2: the three trades; 3–12: unrelated jobs. 35 % of texts in the own trade,
        # 15 % in another, 50 % unrelated (the evaluation set's shares).
        kind = _pick(rng, size, (0.35, 0.15, 0.50))
        other = (track + rng.integers(1, len(TRACKS), size)) % len(TRACKS)
        topic = np.where(
            kind == 0, track, np.where(kind == 1, other, 3 + rng.integers(0, 10, size))
        )
        present = rng.random(size) < 0.70
        columns[EXPERIENCE] = _vector_column(_topic_vectors(rng, topics, topic), present)
    return pa.table(columns)


def _openings(
    rng: np.random.Generator,
    communes: Communes,
    size: int,
    topics: npt.NDArray[np.float32],
    with_texts: bool,
) -> pa.Table:
    place = _pick(rng, size, communes.population**1.25)
    track = _pick(rng, size, (0.50, 0.30, 0.20))
    # Required: 2–4 of the track, the five core ones three times as likely; desired: 1–3 more.
    # Drawn as the order of weighted random keys (Gumbel top-k), one sort for all openings.
    weights = np.where(np.arange(COMPETENCIES_PER_TRACK) < 5, 3.0, 1.0)
    keys = np.log(weights) + rng.gumbel(size=(size, COMPETENCIES_PER_TRACK))
    order = np.argsort(-keys, axis=1)
    rank = np.empty_like(order)
    np.put_along_axis(rank, order, np.arange(COMPETENCIES_PER_TRACK)[None, :], axis=1)
    required_count = rng.integers(2, 5, size)
    desired_count = rng.integers(1, 4, size)
    own_required = rank < required_count[:, None]
    own_desired = (rank >= required_count[:, None]) & (
        rank < (required_count + desired_count)[:, None]
    )
    required = np.zeros((size, len(_CODES)), dtype=bool)
    desired = np.zeros((size, len(_CODES)), dtype=bool)
    for t in range(len(TRACKS)):
        rows = track == t
        span = slice(t * COMPETENCIES_PER_TRACK, (t + 1) * COMPETENCIES_PER_TRACK)
        required[rows, span] = own_required[rows]
        desired[rows, span] = own_desired[rows]
    starts = _dates(rng.integers(0, 150, size))
    no_start = rng.random(size) < 0.20
    positions = np.where(
        rng.random(size) < 0.80,
        1,
        np.where(rng.random(size) < 0.9, rng.integers(2, 6, size), rng.integers(10, 41, size)),
    )
    columns: dict[str, pa.Array] = {
        "id": pa.array([f"OF{row:07d}" for row in range(size)]),
        "insee_code": pa.array(communes.insee_code[place]),
        "department": pa.array(communes.department[place]),
        "latitude": pa.array(communes.latitude[place]),
        "longitude": pa.array(communes.longitude[place]),
        "required": _string_lists(required, _CODES),
        "desired": _string_lists(desired, _CODES),
        "contract": pa.array(np.array(CONTRACTS)[_pick(rng, size, (0.45, 0.25, 0.20, 0.05, 0.05))]),
        "hours": pa.array(np.array(_HOURS)[_pick(rng, size, (0.85, 0.05, 0.10))]),
        "starts": pa.array(starts.to_pylist(), type=pa.date32(), mask=no_start),
        "positions": pa.array(positions, type=pa.int32()),
    }
    if with_texts:
        present = rng.random(size) < 0.85
        columns[OFFER] = _vector_column(_topic_vectors(rng, topics, track), present)
    return pa.table(columns)


def _schema(fields: dict[str, pa.DataType], vector: str | None) -> pa.Schema:
    schema = pa.schema(list(fields.items()))
    return schema.append(pa.field(vector, vector_type(DIMENSIONS))) if vector else schema


def generate(
    *,
    communes: Communes,
    directory: Path,
    job_seekers: int,
    openings: int,
    seed: int,
    texts: bool = True,
    row_group: int = ROW_GROUP,
) -> tuple[Path, Path]:
    """Write ``job_seekers.parquet`` and ``openings.parquet`` in ``directory``; their paths.

    The job seekers' file has row groups of ``row_group`` rows (one shuffle task each).
    """
    directory.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(seed)
    topics = rng.standard_normal((3 + 10, DIMENSIONS)).astype(np.float32)
    topics /= np.linalg.norm(topics, axis=1, keepdims=True)
    seekers_path = directory / "job_seekers.parquet"
    schema = _schema(
        {**JOB_SEEKER_FIELDS, "consent_programme": pa.bool_()}, EXPERIENCE if texts else None
    )
    with pq.ParquetWriter(seekers_path, schema) as writer:
        for first in range(0, job_seekers, row_group):
            size = min(row_group, job_seekers - first)
            table = _job_seekers(rng, communes, size, first, topics, texts)
            writer.write_table(table.cast(schema), row_group_size=row_group)
    openings_path = directory / "openings.parquet"
    table = _openings(rng, communes, openings, topics, texts)
    pq.write_table(
        table.cast(_schema(OPENING_FIELDS, OFFER if texts else None)),
        openings_path,
        row_group_size=ROW_GROUP,
    )
    return seekers_path, openings_path
