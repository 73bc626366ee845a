"""The columns of a bulk-referral file, from the versioned data file ``data/columns.v1.toml``.

The loader checks the file against the code it feeds: every key is a field of ``PersonData``
(or the motivation), every choice code a value of the people enums, and no header, alias or
choice label means two things. The column documentation page and the downloadable templates
are generated from the same list, so they cannot drift from what the import accepts.
"""

import dataclasses
import tomllib
from functools import cache
from pathlib import Path
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from tremplin.candidacies.services import PersonData
from tremplin.engine.tabular import Column, Kind, normalise_label
from tremplin.people.enums import Diploma, Mobility, Sex

COLUMNS_FILE = Path(__file__).resolve().parent / "data" / "columns.v1.toml"
MOTIVATION = "motivation"
# Which enum a choice column's codes must match.
CHOICE_ENUMS = {"highest_diploma": Diploma, "mobility": Mobility, "sex": Sex}

# What each column is for, for the documentation page (translated per request).
DESCRIPTIONS: dict[str, Promise] = {
    "last_name": _("Nom de famille de la personne."),
    "first_name": _("Prénom usuel."),
    "birth_date": _(
        "JJ/MM/AAAA (par exemple 21/06/1994) ou AAAA-MM-JJ, ou une cellule au format date. "
        "Âge de 16 à 80 ans."
    ),
    "postal_code": _("Code postal de résidence, cinq chiffres."),
    "commune": _("Commune de résidence."),
    "highest_diploma": _("Diplôme le plus élevé obtenu."),
    "mobility": _("Comment la personne se déplace."),
    "sex": _(
        "Facultatif : Femme ou Homme, pour les seules statistiques du public accueilli "
        "(vide = non précisé)."
    ),
    "consent_programme": _(
        "« oui » obligatoire : la personne accepte que ses données soient transmises au "
        "programme. Une ligne sans ce consentement est refusée."
    ),
    "email": _("Adresse électronique de la personne."),
    "phone": _("Numéro de téléphone, par exemple 06 12 34 56 78 ou +33 6 12 34 56 78."),
    "address": _(
        "Numéro et voie : elle sert à savoir si la personne habite un quartier prioritaire."
    ),
    "job_seeker_since": _(
        "Date d'inscription à France Travail (JJ/MM/AAAA) ; vide si la personne n'est pas inscrite."
    ),
    "receives_rsa": _("La personne est bénéficiaire du RSA : oui ou non (vide = non)."),
    "qpv_declared": _(
        "La personne déclare habiter un quartier prioritaire : oui ou non (vide = non)."
    ),
    "has_driving_licence": _("Titulaire du permis B : oui ou non (vide = non)."),
    "consent_employers": _(
        "La personne accepte que son profil soit transmis aux employeurs partenaires : oui ou "
        "non (vide = non)."
    ),
    "motivation": _("Motivation et projet professionnel, en quelques phrases."),
}


def _column(entry: dict[str, Any]) -> Column:
    fields = {f.name for f in dataclasses.fields(Column)}
    unknown = set(entry) - fields
    if unknown:
        raise ImproperlyConfigured(f"{COLUMNS_FILE.name}: unknown settings {sorted(unknown)}")
    values = dict(entry)
    values["kind"] = Kind(values["kind"])
    values["aliases"] = tuple(values.get("aliases", ()))
    values["choices"] = tuple(
        (code, tuple(labels)) for code, labels in values.get("choices", {}).items()
    )
    if "age_bounds" in values:
        low, high = values["age_bounds"]
        values["age_bounds"] = (int(low), int(high))
    return Column(**values)


def load_columns(path: Path = COLUMNS_FILE) -> tuple[Column, ...]:
    with path.open("rb") as file:
        data = tomllib.load(file)
    columns = tuple(_column(entry) for entry in data["columns"])
    allowed = {f.name for f in dataclasses.fields(PersonData)} | {MOTIVATION}
    keys = [c.key for c in columns]
    problems = [f"unknown key {k!r}" for k in keys if k not in allowed]
    problems += [f"key {k!r} twice" for k in set(keys) if keys.count(k) > 1]
    seen: dict[str, str] = {}
    for column in columns:
        for label in column.labels():
            if seen.setdefault(label, column.key) != column.key:
                problems.append(f"header {label!r} for {seen[label]!r} and {column.key!r}")
        if column.kind == Kind.CHOICE:
            codes = {code for code, _labels in column.choices}
            expected = set(CHOICE_ENUMS[column.key].values)
            if codes != expected:
                problems.append(f"{column.key}: codes {sorted(codes)} != {sorted(expected)}")
            owner: dict[str, str] = {}
            for code, labels in column.choices:
                for label in {normalise_label(x) for x in (code, *labels)}:
                    if owner.setdefault(label, code) != code:
                        problems.append(f"{column.key}: {label!r} means two choices")
    if problems:
        raise ImproperlyConfigured(f"{path.name}: " + "; ".join(problems))
    return columns


@cache
def columns() -> tuple[Column, ...]:
    return load_columns()


def column_headers() -> dict[str, str]:
    """Column key → the header to show (the file's own French header)."""
    return {column.key: column.header for column in columns()}
