"""The national batch's Parquet tables, and their rows as the engine's items.

Job seekers (input): identity and place (what a referral file needs: names, birth date,
postal code, commune, diploma, declared mobility, driving licence), then what the score
reads: coordinates of their commune, the distance they will travel, contracts, working
time, availability, competencies held, and optionally the sentence vector of their past
experience. Openings (input): place, required and desired competencies, contract, working
time, start, positions, optionally the offer text's vector. Matches (output): one row per
job seeker and rank.

Vectors are ``fixed_size_list<float32>``: the encoders' precision, read into one numpy matrix
without a copy per row. ``check_columns`` refuses (French) a file missing a column or with a
column of the wrong type, before any work starts.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping, Sequence
from pathlib import Path

import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.parquet as pq

from tremplin.engine.matching.model import (
    Learner,
    MatchingInputError,
    Opening,
    mobility_from_declared,
)

__all__ = [
    "JOB_SEEKER_FIELDS",
    "MATCH_SCHEMA",
    "OPENING_FIELDS",
    "check_columns",
    "learners_from_table",
    "openings_from_table",
    "read_parquet",
    "vector_type",
    "vectors",
]

_STRINGS = pa.list_(pa.string())
# Name → type of every column the batch reads; the vector columns are optional.
JOB_SEEKER_FIELDS: dict[str, pa.DataType] = {
    "id": pa.string(),
    "last_name": pa.string(),
    "first_name": pa.string(),
    "birth_date": pa.date32(),
    "postal_code": pa.string(),
    "commune": pa.string(),
    "insee_code": pa.string(),
    "department": pa.string(),
    "latitude": pa.float64(),
    "longitude": pa.float64(),
    "highest_diploma": pa.string(),
    "mobility": pa.string(),
    "has_driving_licence": pa.bool_(),
    "max_km": pa.float64(),
    "contracts": _STRINGS,
    "hours": pa.string(),
    "available_from": pa.date32(),
    "competencies": _STRINGS,
}
OPENING_FIELDS: dict[str, pa.DataType] = {
    "id": pa.string(),
    "insee_code": pa.string(),
    "department": pa.string(),
    "latitude": pa.float64(),
    "longitude": pa.float64(),
    "required": _STRINGS,
    "desired": _STRINGS,
    "contract": pa.string(),
    "hours": pa.string(),
    "starts": pa.date32(),
    "positions": pa.int32(),
}
EXPERIENCE = "experience_vector"
OFFER = "offer_vector"
MATCH_SCHEMA = pa.schema(
    [
        ("job_seeker_id", pa.string()),
        ("rank", pa.int16()),
        ("opening_id", pa.string()),
        ("score", pa.float64()),
    ]
)


def vector_type(dimensions: int) -> pa.DataType:
    return pa.list_(pa.float32(), dimensions)


def check_columns(schema: pa.Schema, fields: dict[str, pa.DataType], what: str) -> None:
    """Refuse a table without every column, or with one of another type (French)."""
    missing = [name for name in fields if name not in schema.names]
    if missing:
        raise MatchingInputError(f"Colonnes manquantes dans {what} : {', '.join(missing)}.")
    wrong = [
        f"{name} ({schema.field(name).type}, attendu {wanted})"
        for name, wanted in fields.items()
        if schema.field(name).type != wanted
    ]
    for name in (EXPERIENCE, OFFER):
        if name in schema.names:
            kind = schema.field(name).type
            if not (pa.types.is_fixed_size_list(kind) and kind.value_type == pa.float32()):
                wrong.append(f"{name} ({kind}, attendu liste de float32 de taille fixe)")
    if wrong:
        raise MatchingInputError(f"Colonnes de type inattendu dans {what} : {'; '.join(wrong)}.")


def read_parquet(
    path: Path, fields: Mapping[str, pa.DataType], what: str, columns: list[str]
) -> pa.Table:
    """``columns`` of a Parquet file whose ``fields`` are checked first (French refusals)."""
    if not path.is_file():
        raise MatchingInputError(f"Fichier introuvable pour {what} : {path}.")
    try:
        schema = pq.read_schema(path)
    except (pa.ArrowInvalid, OSError) as error:
        raise MatchingInputError(
            f"{what} : ce n'est pas un fichier Parquet lisible ({error})."
        ) from error
    check_columns(schema, dict(fields), what)
    return pq.read_table(path, columns=columns)


def vectors(table: pa.Table, name: str) -> tuple[npt.NDArray[np.float32], npt.NDArray[np.bool_]]:
    """A vector column as an (n, d) float32 matrix and the mask of rows that have one."""
    column = table.column(name).combine_chunks()
    dimensions = column.type.list_size
    start = column.offset * dimensions
    flat = column.values.to_numpy(zero_copy_only=False)
    matrix = flat[start : start + len(column) * dimensions].reshape(len(column), dimensions)
    present = ~column.is_null().to_numpy(zero_copy_only=False)
    return matrix, present


def _vector_bytes(table: pa.Table, name: str, wanted: bool) -> Sequence[bytes | None]:
    if not wanted or name not in table.column_names:
        return [None] * table.num_rows
    matrix, present = vectors(table, name)
    return [row.tobytes() if has else None for row, has in zip(matrix, present, strict=True)]


def _location(latitude: float | None, longitude: float | None) -> tuple[float, float] | None:
    if latitude is None or longitude is None:
        return None
    return (latitude, longitude)


def learners_from_table(table: pa.Table, *, with_vectors: bool) -> list[Learner]:
    """The job seekers of ``table`` as the engine's learners, in the table's order."""
    columns = {name: table.column(name).to_pylist() for name in JOB_SEEKER_FIELDS}
    experience = _vector_bytes(table, EXPERIENCE, with_vectors)
    return [
        Learner(
            id=columns["id"][row],
            competencies=frozenset(columns["competencies"][row] or ()),
            location=_location(columns["latitude"][row], columns["longitude"][row]),
            max_km=columns["max_km"][row],
            mobility=mobility_from_declared(
                columns["mobility"][row], bool(columns["has_driving_licence"][row])
            ),
            contracts=frozenset(columns["contracts"][row] or ()),
            hours=columns["hours"][row],
            available_from=columns["available_from"][row],
            experience_vector=experience[row],
        )
        for row in range(table.num_rows)
    ]


def openings_from_table(table: pa.Table, *, with_vectors: bool) -> list[Opening]:
    """The openings of ``table`` as the engine's items, in the table's order."""
    columns = {name: table.column(name).to_pylist() for name in OPENING_FIELDS}
    offer = _vector_bytes(table, OFFER, with_vectors)
    starts: list[datetime.date | None] = columns["starts"]
    return [
        Opening(
            id=columns["id"][row],
            required=frozenset(columns["required"][row] or ()),
            desired=frozenset(columns["desired"][row] or ()),
            location=_location(columns["latitude"][row], columns["longitude"][row]),
            contract=columns["contract"][row],
            hours=columns["hours"][row],
            starts=starts[row],
            positions=columns["positions"][row],
            offer_vector=offer[row],
        )
        for row in range(table.num_rows)
    ]
