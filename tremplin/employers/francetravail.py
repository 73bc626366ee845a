"""Reading job offers in the JSON form of France Travail's « Offres d'emploi v2 » API.

An offer file is either the API's search answer (an object whose ``resultats`` lists the
offers) or a plain list of offers. Each offer is checked field by field and every problem
is reported with the offer's position in the file (1-based), its ``id`` when readable, the
field's path in the API's vocabulary (``lieuTravail.latitude``) and a French message; the
caller writes nothing unless the whole file is clean (see ``imports.offers_import``).

Nothing here touches the database: the ROME reference (``rome.py``) and the project's
ROME → competencies table (``rome_map.py``) are files, so a preview costs no query.

Fields used (the API's documentation, « Offres d'emploi v2 », ``/offres/search``):
``id``, ``intitule``, ``description``, ``romeCode``, ``lieuTravail`` (``libelle``,
``latitude``, ``longitude``, ``codePostal``, ``commune`` = INSEE code), ``typeContrat``,
``natureContrat``, ``dureeTravailLibelle``, ``dureeTravailLibelleConverti`` (« Temps plein »
or « Temps partiel »), ``entreprise.nom``, ``dateCreation``, ``nombrePostes``.
"""

from __future__ import annotations

import datetime
import json
import math
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from .enums import ContractType, WorkingTime
from .rome import rome_label
from .rome_map import is_mapped

MAX_ERRORS = 200
MAX_OFFERS = 5_000

# Lengths of the Opening fields the values go to (models.Opening, Organisation.name).
TITLE_MAX = 200
COMMUNE_MAX = 120
HOURS_MAX = 200
# ``dureeTravailLibelleConverti``: France Travail's own reading of the working hours.
WORKING_TIMES = {"temps plein": WorkingTime.FULL, "temps partiel": WorkingTime.PART}
EMPLOYER_MAX = 200
ID_MAX = 40

INSEE_CODE = re.compile(r"^[0-9][0-9AB][0-9]{3}$")
# « 13 - Marseille 3e Arrondissement »: the département prefix France Travail puts before
# the commune's name.
LIBELLE_PREFIX = re.compile(r"^\s*(?:\d{2,3}|2[AB])\s*-\s*")

# France, by bounding boxes (south, north, west, east) in WGS84 degrees, with a margin of
# about 10 km: metropolitan France with Corsica, the five overseas départements, and the
# overseas collectivities where France Travail also publishes offers. A box is coarse (the
# metropolitan one holds a little of Spain, Italy and Switzerland), but it is what catches
# the real mistakes: swapped latitude and longitude, a sign lost, a point at 0, 0.
FRANCE_BOXES: tuple[tuple[float, float, float, float], ...] = (
    (41.2, 51.2, -5.3, 9.7),  # métropole et Corse
    (15.8, 16.6, -61.9, -60.9),  # Guadeloupe
    (14.3, 15.0, -61.3, -60.7),  # Martinique
    (2.0, 5.9, -54.7, -51.5),  # Guyane
    (-21.5, -20.8, 55.1, 55.9),  # La Réunion
    (-13.1, -12.5, 44.9, 45.4),  # Mayotte
    (46.7, 47.2, -56.5, -56.0),  # Saint-Pierre-et-Miquelon
    (17.8, 18.2, -63.2, -62.7),  # Saint-Martin et Saint-Barthélemy
)

# typeContrat codes of the API → the project's contract types. Codes not listed (LIB
# profession libérale, FRA franchise, CCE commercial agent, …) are not employment contracts
# a graduate is placed on, and are refused by name.
CONTRACT_TYPES = {
    "CDI": ContractType.CDI,
    "DIN": ContractType.CDI,  # CDI intérimaire
    "CDD": ContractType.CDD,
    "DDI": ContractType.CDD,  # CDD d'insertion
    "SAI": ContractType.CDD,  # saisonnier
    "MIS": ContractType.INTERIM,  # mission intérimaire
    "TTI": ContractType.INTERIM,  # contrat de travail temporaire d'insertion
}


Problem = Callable[[str, str], None]  # (field, message) of the offer being read


@dataclass(frozen=True)
class OfferData:
    """One offer, checked, in the project's terms."""

    offer_id: str
    title: str
    description: str
    rome_code: str
    commune: str
    commune_code: str
    latitude: float | None
    longitude: float | None
    contract_type: str
    hours_label: str
    employer_name: str
    published_on: datetime.date
    positions: int
    working_time: str = WorkingTime.FULL


@dataclass(frozen=True)
class OfferError:
    """One problem: offer position (1-based; None: the whole file), its id, field, message."""

    index: int | None
    offer_id: str
    field: str
    message: str


@dataclass
class OfferFileReport:
    offers: list[OfferData] = field(default_factory=list)
    errors: list[OfferError] = field(default_factory=list)
    offer_count: int = 0
    more_errors: int = 0  # beyond MAX_ERRORS, counted but not listed

    @property
    def ok(self) -> bool:
        return not self.errors and not self.more_errors and bool(self.offers)

    def error(self, index: int | None, offer_id: str, field_name: str, message: str) -> None:
        if len(self.errors) >= MAX_ERRORS:
            self.more_errors += 1
        else:
            self.errors.append(OfferError(index, offer_id, field_name, message))


def in_france(latitude: float, longitude: float) -> bool:
    return any(s <= latitude <= n and w <= longitude <= e for s, n, w, e in FRANCE_BOXES)


def read_offer_file(content: bytes) -> OfferFileReport:
    """The offers of an uploaded file, and every problem found; nothing is written here."""
    report = OfferFileReport()
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        report.error(None, "", "", _("Le fichier n'est pas un texte UTF-8 (JSON attendu)."))
        return report
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        report.error(
            None,
            "",
            "",
            _("Le fichier n'est pas un JSON valide (ligne %(line)s, colonne %(col)s).")
            % {"line": error.lineno, "col": error.colno},
        )
        return report
    return read_offers(data)


def read_offers(data: Any) -> OfferFileReport:
    """Check offers already decoded: the API's answer object or a list of offers."""
    report = OfferFileReport()
    offers = data.get("resultats") if isinstance(data, dict) else data
    if not isinstance(offers, list):
        report.error(
            None,
            "",
            "resultats",
            _(
                "Le fichier doit être une liste d'offres ou la réponse de l'API France Travail "
                "(objet avec une liste « resultats »)."
            ),
        )
        return report
    if not offers:
        report.error(None, "", "resultats", _("Le fichier ne contient aucune offre."))
        return report
    if len(offers) > MAX_OFFERS:
        report.error(
            None,
            "",
            "resultats",
            _("Le fichier contient %(n)s offres ; %(max)s au plus par import.")
            % {"n": len(offers), "max": MAX_OFFERS},
        )
        return report
    report.offer_count = len(offers)
    seen: dict[str, int] = {}
    for index, raw in enumerate(offers, start=1):
        offer = _read_offer(report, index, raw)
        if offer is None:
            continue
        if offer.offer_id in seen:
            report.error(
                index,
                offer.offer_id,
                "id",
                _("Identifiant %(id)s déjà présent (offre n° %(first)s).")
                % {"id": offer.offer_id, "first": seen[offer.offer_id]},
            )
            continue
        seen[offer.offer_id] = index
        report.offers.append(offer)
    return report


def _text(value: Any) -> str | None:
    """A string value stripped, or None when absent or not a string."""
    return value.strip() if isinstance(value, str) else None


def _number(value: Any) -> float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        number = float(value)
    elif isinstance(value, str):
        try:
            number = float(value.strip().replace(",", "."))
        except ValueError:
            return None
    else:
        return None
    return number if math.isfinite(number) else None


def _read_offer(report: OfferFileReport, index: int, raw: Any) -> OfferData | None:
    """The offer, or None after reporting every problem it has."""
    if not isinstance(raw, dict):
        report.error(index, "", "", _("L'élément n'est pas une offre (objet JSON attendu)."))
        return None
    # The API sends the id as a string (« 180XXXX »); a number is accepted as written.
    raw_id = raw.get("id")
    offer_id = str(raw_id).strip() if isinstance(raw_id, str | int) else ""
    problems: list[tuple[str, str]] = []

    def problem(field_name: str, message: str) -> None:
        problems.append((field_name, message))

    def required_text(key: str, label: str, max_length: int | None = None) -> str:
        value = _text(raw.get(key))
        if not value:
            problem(key, _("%(label)s manquant.") % {"label": label})
            return ""
        if max_length is not None and len(value) > max_length:
            problem(
                key,
                _("%(label)s trop long (%(n)s caractères, %(max)s au plus).")
                % {"label": label, "n": len(value), "max": max_length},
            )
        return value

    if not offer_id:
        problem("id", _("Identifiant de l'offre manquant."))
    elif len(offer_id) > ID_MAX:
        problem("id", _("Identifiant de l'offre trop long."))

    title = required_text("intitule", _("Intitulé"), TITLE_MAX)
    description = _text(raw.get("description")) or ""

    rome_code = (_text(raw.get("romeCode")) or "").upper()
    if not rome_code:
        problem("romeCode", _("Code ROME manquant."))
    elif rome_label(rome_code) is None:
        problem("romeCode", _("Code ROME inconnu : %(code)s.") % {"code": rome_code})
    elif not is_mapped(rome_code):
        problem(
            "romeCode",
            _(
                "Le code ROME %(code)s (%(label)s) ne fait pas partie des métiers du programme "
                "(table de correspondance ROME → compétences)."
            )
            % {"code": rome_code, "label": rome_label(rome_code)},
        )

    commune, commune_code, latitude, longitude = _read_place(raw.get("lieuTravail"), problem)
    contract_type = _read_contract(raw, problem)

    hours_label = _text(raw.get("dureeTravailLibelle")) or ""
    if len(hours_label) > HOURS_MAX:
        problem("dureeTravailLibelle", _("Durée du travail trop longue (200 caractères au plus)."))
    # Absent from some offers: full time then, the common case of the programme's trades.
    converted = _text(raw.get("dureeTravailLibelleConverti"))
    working_time = WorkingTime.FULL
    if converted:
        if converted.casefold() in WORKING_TIMES:
            working_time = WORKING_TIMES[converted.casefold()]
        else:
            problem(
                "dureeTravailLibelleConverti",
                _("Temps de travail inconnu : %(v)s (« Temps plein » ou « Temps partiel »).")
                % {"v": converted},
            )

    entreprise = raw.get("entreprise")
    employer_name = _text(entreprise.get("nom")) if isinstance(entreprise, dict) else None
    if not employer_name:
        # France Travail hides the name of some employers; such an offer cannot be attached
        # to an organisation, and guessing one would send graduates to the wrong firm.
        problem(
            "entreprise.nom",
            _("Nom de l'entreprise manquant (offre anonyme) : impossible de la rattacher."),
        )
        employer_name = ""
    elif len(employer_name) > EMPLOYER_MAX:
        problem("entreprise.nom", _("Nom de l'entreprise trop long (200 caractères au plus)."))

    published_on = _read_date(raw.get("dateCreation"), problem)

    positions = 1  # the API leaves nombrePostes out of some offers: one position, then
    if raw.get("nombrePostes") is not None:
        value = raw["nombrePostes"]
        if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 999:
            problem(
                "nombrePostes",
                _("Nombre de postes invalide : %(v)s (entier de 1 à 999 attendu).") % {"v": value},
            )
        else:
            positions = value

    for field_name, message in problems:
        report.error(index, offer_id, field_name, message)
    if problems or published_on is None:
        return None
    return OfferData(
        offer_id=offer_id,
        title=title,
        description=description,
        rome_code=rome_code,
        commune=commune,
        commune_code=commune_code,
        latitude=latitude,
        longitude=longitude,
        contract_type=contract_type,
        hours_label=hours_label,
        employer_name=employer_name,
        published_on=published_on,
        positions=positions,
        working_time=working_time,
    )


def _read_place(place: Any, problem: Problem) -> tuple[str, str, float | None, float | None]:
    if not isinstance(place, dict):
        problem("lieuTravail", _("Lieu de travail manquant."))
        return "", "", None, None
    libelle = _text(place.get("libelle")) or ""
    commune = LIBELLE_PREFIX.sub("", libelle).strip()
    if not commune:
        problem("lieuTravail.libelle", _("Commune du lieu de travail manquante."))
    elif len(commune) > COMMUNE_MAX:
        problem("lieuTravail.libelle", _("Libellé du lieu de travail trop long."))
    commune_code = (_text(place.get("commune")) or "").upper()
    if commune_code and not INSEE_CODE.match(commune_code):
        problem(
            "lieuTravail.commune",
            _("Code INSEE de commune invalide : %(code)s.") % {"code": commune_code},
        )
    raw_lat, raw_lon = place.get("latitude"), place.get("longitude")
    if raw_lat is None and raw_lon is None:
        # Some offers are located by département only: kept without a point, and never
        # given a made-up one.
        return commune, commune_code, None, None
    latitude, longitude = _number(raw_lat), _number(raw_lon)
    if raw_lat is None or raw_lon is None:
        missing = "lieuTravail.latitude" if raw_lat is None else "lieuTravail.longitude"
        problem(missing, _("Coordonnée incomplète : latitude et longitude vont ensemble."))
        return commune, commune_code, None, None
    if latitude is None:
        problem("lieuTravail.latitude", _("Latitude illisible : %(v)s.") % {"v": raw_lat})
    if longitude is None:
        problem("lieuTravail.longitude", _("Longitude illisible : %(v)s.") % {"v": raw_lon})
    if latitude is None or longitude is None:
        return commune, commune_code, None, None
    if not in_france(latitude, longitude):
        problem(
            "lieuTravail.latitude",
            _(
                "Coordonnées hors de France (latitude %(lat)s, longitude %(lon)s) : "
                "latitude et longitude inversées ?"
            )
            % {"lat": latitude, "lon": longitude},
        )
        return commune, commune_code, None, None
    return commune, commune_code, latitude, longitude


def _read_contract(raw: Mapping[str, Any], problem: Problem) -> str:
    code = (_text(raw.get("typeContrat")) or "").upper()
    if not code:
        problem("typeContrat", _("Type de contrat manquant."))
        return ""
    # Work-study contracts come as a CDD whose natureContrat names them.
    nature = (_text(raw.get("natureContrat")) or "").lower()
    if "apprentissage" in nature:
        return ContractType.APPRENTICESHIP
    if "professionnalisation" in nature:
        return ContractType.PROFESSIONALISATION
    if code not in CONTRACT_TYPES:
        problem(
            "typeContrat",
            _("Type de contrat non pris en charge : %(code)s (CDI, CDD ou intérim attendus).")
            % {"code": code},
        )
        return ""
    return CONTRACT_TYPES[code]


def _read_date(value: Any, problem: Problem) -> datetime.date | None:
    text = _text(value)
    if not text:
        problem("dateCreation", _("Date de création manquante."))
        return None
    try:
        # « 2026-11-24T09:12:45.000Z »: fromisoformat reads the Z since Python 3.11.
        return datetime.datetime.fromisoformat(text).date()
    except ValueError:
        problem("dateCreation", _("Date de création illisible : %(v)s.") % {"v": text})
        return None
