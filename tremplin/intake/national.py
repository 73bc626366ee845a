"""The national batch's result as a referral file that the bulk import reads as it is.

The national batch (``engine.matching.national``, docs/scale.md) ranks the best openings of
every job seeker of a France Travail list. ``shortlist`` keeps the people of some departments
who are the most likely to fill open positions once trained — the best first match, then the
most openings scoring at least ``min_score`` — and ``referral_csv`` writes them in the
columns of the bulk import (``data/columns.v1.toml``): an advisor uploads the file on
« Importer une liste » for the chosen cohort, exactly as a list typed by hand.

Only people whose row records their agreement to be referred (``consent_programme``) are
written, with « oui »: the import refuses a row without it, and the batch never assumes it.
The others are counted, and their identifiers returned, for the advisors to contact first.
Contact details are not copied (minimisation): the candidacy is made from the identity, the
place and the situation; the advisor adds the rest.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Collection
from pathlib import Path
from typing import Any

from django.conf import settings
from django.utils import translation

from tremplin.core.spreadsheets import csv_bytes
from tremplin.engine.tabular import Kind

from .columns import columns

CONSENT = "consent_programme"
# The columns of the referral file the batch fills, by key (the rest stay empty).
_FILLED = (
    "last_name",
    "first_name",
    "birth_date",
    "postal_code",
    "commune",
    "highest_diploma",
    "mobility",
    "consent_programme",
    "has_driving_licence",
    "motivation",
)


class ShortlistError(Exception):
    """A shortlist that cannot be made; the message is French, for the operator."""


@dataclasses.dataclass(frozen=True)
class Shortlist:
    """The people to refer, best first, and who was left out and why."""

    people: list[dict[str, object]]
    ranked: int  # people of the departments with at least one match
    below_min_score: int
    without_consent: list[str]  # their identifiers, best first


def _read_parquet(path: Path, fields: dict[str, Any], what: str) -> Any:
    from tremplin.engine.matching.model import MatchingInputError
    from tremplin.engine.matching.national.tables import read_parquet

    try:
        return read_parquet(path, fields, what, list(fields))
    except MatchingInputError as error:
        raise ShortlistError(str(error)) from None


def shortlist(
    *,
    job_seekers: Path,
    matches: Path,
    departments: Collection[str],
    limit: int,
    min_score: float = 0.6,
) -> Shortlist:
    """The ``limit`` best-placed consenting people living in ``departments``."""
    import pyarrow as pa
    import pyarrow.compute as pc

    if not 1 <= limit <= settings.IMPORT_MAX_ROWS:
        raise ShortlistError(
            f"Le nombre de personnes doit être compris entre 1 et {settings.IMPORT_MAX_ROWS} "
            "(la limite d'un fichier d'import)."
        )
    if not departments:
        raise ShortlistError("Indiquez au moins un département.")
    parts = sorted(matches.glob("part-*.parquet")) if matches.is_dir() else []
    if not parts:
        raise ShortlistError(
            f"Aucun résultat du rapprochement national dans {matches} : lancez-le d'abord."
        )
    from tremplin.engine.matching.national.tables import JOB_SEEKER_FIELDS, MATCH_SCHEMA

    wanted = {
        name: JOB_SEEKER_FIELDS[name]
        for name in (
            "id",
            "last_name",
            "first_name",
            "birth_date",
            "postal_code",
            "commune",
            "department",
            "highest_diploma",
            "mobility",
            "has_driving_licence",
        )
    } | {CONSENT: pa.bool_()}
    people = _read_parquet(job_seekers, wanted, "les demandeurs d'emploi")
    people = people.filter(pc.is_in(people.column("department"), pa.array(sorted(departments))))
    found = pa.concat_tables(
        _read_parquet(
            part, dict(zip(MATCH_SCHEMA.names, MATCH_SCHEMA.types, strict=True)), "les résultats"
        )
        for part in parts
    )
    found = found.filter(
        pc.is_in(found.column("job_seeker_id"), people.column("id").combine_chunks())
    )
    best = found.filter(pc.equal(found.column("rank"), 1))
    good = (
        found.filter(pc.greater_equal(found.column("score"), min_score))
        .group_by("job_seeker_id")
        .aggregate([("rank", "count")])
    )
    good_count = dict(
        zip(
            good.column("job_seeker_id").to_pylist(),
            good.column("rank_count").to_pylist(),
            strict=True,
        )
    )
    first = {
        person: (opening, score)
        for person, opening, score in zip(
            best.column("job_seeker_id").to_pylist(),
            best.column("opening_id").to_pylist(),
            best.column("score").to_pylist(),
            strict=True,
        )
    }
    rows = {row["id"]: row for row in people.to_pylist()}
    ranked = sorted(
        first, key=lambda person: (-first[person][1], -good_count.get(person, 0), person)
    )
    eligible = [person for person in ranked if first[person][1] >= min_score]
    chosen: list[dict[str, object]] = []
    without_consent: list[str] = []
    for person in eligible:
        if not rows[person][CONSENT]:
            without_consent.append(person)
            continue
        if len(chosen) < limit:
            opening, score = first[person]
            chosen.append(
                rows[person]
                | {
                    "best_opening": opening,
                    "best_score": score,
                    "good_openings": good_count.get(person, 0),
                }
            )
    return Shortlist(
        people=chosen,
        ranked=len(ranked),
        below_min_score=len(ranked) - len(eligible),
        without_consent=without_consent,
    )


def _motivation(person: dict[str, object], min_score: float) -> str:
    score = f"{person['best_score']:.2f}".replace(".", ",")
    floor = f"{min_score:.2f}".replace(".", ",")
    return (
        f"Rapprochement national (identifiant {person['id']}) : meilleure offre "
        f"{person['best_opening']} à {score} sur 1 ; {person['good_openings']} offre(s) à "
        f"{floor} ou plus."
    )


def referral_csv(chosen: Shortlist, *, min_score: float = 0.6) -> bytes:
    """The shortlist in the bulk import's columns (UTF-8 with BOM, « ; »), best first."""
    with translation.override("fr"):
        table = columns()
        header = [column.header for column in table]
        lines: list[list[str]] = [header]
        for person in chosen.people:
            values: dict[str, str] = {}
            for column in table:
                if column.key not in _FILLED:
                    continue
                if column.key == "motivation":
                    values[column.key] = _motivation(person, min_score)
                    continue
                value = True if column.key == CONSENT else person[column.key]
                if column.kind == Kind.CHOICE:
                    labels = dict(column.choices)
                    values[column.key] = labels[str(value)][0]
                elif column.kind == Kind.YES_NO:
                    values[column.key] = "oui" if value else "non"
                elif column.kind == Kind.DATE:
                    values[column.key] = value.strftime("%d/%m/%Y")  # type: ignore[attr-defined]
                else:
                    values[column.key] = str(value)
            lines.append([values.get(column.key, "") for column in table])
    return csv_bytes(lines)
