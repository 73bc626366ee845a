"""The communes reference table: loading it from the shipped file, and finding a commune.

``data/communes.csv.gz`` is built by ``scripts/build_communes.py`` (docs/data-sources.md).
``load_communes`` upserts it in bulk: running it twice changes nothing, and a full load
removes the communes that left the file (merged communes); people keep their INSEE code as
plain text, so no row of theirs depends on a commune row.
"""

from __future__ import annotations

import csv
import gzip
import io
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from django.db import transaction

from .enums import CommuneKind
from .models import Commune, CommunePostalCode

COMMUNES_PATH = Path(__file__).resolve().parent / "data" / "communes.csv.gz"
_SAINT = re.compile(r"\b(st|ste)\b")
_ARRONDISSEMENT = re.compile(r"^(.*?) (\d+)(?:er|e|eme)? arrondissement$")


def normalise_commune_name(name: str) -> str:
    """« Saint-Étienne-du-Rouvray », « ST ETIENNE DU ROUVRAY » → « saint etienne du rouvray »."""
    decomposed = unicodedata.normalize("NFKD", name)
    bare = "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()
    bare = re.sub(r"[^a-z0-9]+", " ", bare)
    bare = _SAINT.sub(lambda m: "saint" if m.group(1) == "st" else "sainte", bare)
    return " ".join(bare.split())


@dataclass(frozen=True)
class CommunesLoaded:
    communes: int
    postal_codes: int
    removed: int


def read_communes_file(
    path: Path = COMMUNES_PATH, *, departments: Iterable[str] | None = None
) -> list[dict[str, str]]:
    wanted = set(departments) if departments is not None else None
    with gzip.open(path, "rt", encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(io.StringIO(f.read())))
    return [r for r in rows if wanted is None or r["department"] in wanted]


def load_communes(
    *, path: Path = COMMUNES_PATH, departments: Iterable[str] | None = None
) -> CommunesLoaded:
    """Insert or update the communes of the file (or of ``departments`` only), in one go.

    Tests load one department (``departments=["13"]``): the whole country takes seconds.
    """
    rows = read_communes_file(path, departments=departments)
    communes = [
        Commune(
            insee_code=r["insee_code"],
            name=r["name"],
            search_name=normalise_commune_name(r["name"]),
            kind=CommuneKind(r["kind"]),
            parent_insee=r["parent_insee"],
            department=r["department"],
            population=int(r["population"]) if r["population"] else None,
            longitude=float(r["longitude"]) if r["longitude"] else None,
            latitude=float(r["latitude"]) if r["latitude"] else None,
            position=r["position"],
        )
        for r in rows
    ]
    codes = {r["insee_code"]: r["postal_codes"].split() for r in rows}
    with transaction.atomic():
        removed = 0
        if departments is None:
            _total, by_model = Commune.objects.exclude(insee_code__in=codes).delete()
            removed = by_model.get(Commune._meta.label, 0)
        Commune.objects.bulk_create(
            communes,
            batch_size=2000,
            update_conflicts=True,
            unique_fields=["insee_code"],
            update_fields=[
                "name",
                "search_name",
                "kind",
                "parent_insee",
                "department",
                "population",
                "longitude",
                "latitude",
                "position",
            ],
        )
        ids = dict(Commune.objects.filter(insee_code__in=codes).values_list("insee_code", "pk"))
        # Postal codes are few per commune: replacing them is simpler than diffing them.
        CommunePostalCode.objects.filter(commune_id__in=ids.values()).delete()
        postal_codes = [
            CommunePostalCode(commune_id=ids[insee], postal_code=code)
            for insee, commune_codes in codes.items()
            for code in commune_codes
        ]
        CommunePostalCode.objects.bulk_create(postal_codes, batch_size=5000)
    return CommunesLoaded(communes=len(communes), postal_codes=len(postal_codes), removed=removed)


def find_commune(*, postal_code: str = "", name: str = "") -> Commune | None:
    """The commune a postal code and a commune name designate, or None if unsure.

    Arrondissements win over their city (« Marseille », 13013 → Marseille 13e, 13213), as
    they are the finer unit. A postal code shared by several communes needs the name to
    choose; a name alone must be unique in the table to be taken.
    """
    postal_code = postal_code.strip()
    wanted = normalise_commune_name(name)
    candidates: list[Commune] = []
    if re.fullmatch(r"\d{5}", postal_code):
        candidates = list(
            Commune.objects.filter(postal_codes__postal_code=postal_code).order_by("insee_code")
        )
    if not candidates and wanted:
        by_name = Commune.objects.filter(search_name=wanted)
        if re.fullmatch(r"\d{5}", postal_code):
            # A mistyped postal code: the name within its department.
            department = postal_code[:3] if postal_code.startswith("97") else postal_code[:2]
            # Corsica's postal codes start with 20, its departments are 2A and 2B.
            departments = ["2A", "2B"] if department == "20" else [department]
            by_name = by_name.filter(department__in=departments)
        candidates = list(by_name.order_by("insee_code")[:2])
        return candidates[0] if len(candidates) == 1 else None
    if not candidates:
        return None
    arrondissements = [c for c in candidates if c.kind == CommuneKind.ARRONDISSEMENT]
    if wanted:
        named = [c for c in candidates if _names_match(c, wanted)]
        named_arrondissements = [c for c in named if c.kind == CommuneKind.ARRONDISSEMENT]
        if len(named_arrondissements) == 1:
            return named_arrondissements[0]
        if len(named) == 1:
            return named[0]
    if len(arrondissements) == 1:
        return arrondissements[0]
    return candidates[0] if len(candidates) == 1 else None


def _names_match(commune: Commune, wanted: str) -> bool:
    if commune.search_name == wanted:
        return True
    # « Marseille » or « Marseille 13 » for « Marseille 13e Arrondissement ».
    match = _ARRONDISSEMENT.match(commune.search_name)
    if match is None:
        return False
    city, number = match.groups()
    return wanted in {city, f"{city} {number}", f"{city} {int(number):02d}"}
