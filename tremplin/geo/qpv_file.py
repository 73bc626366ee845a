"""Reading the official QPV GeoJSON: every row checked, every problem said, nothing guessed.

The ANCT publishes the priority neighbourhoods on data.gouv.fr (« Quartiers prioritaires de
la politique de la ville (QPV) »): the file ``QP2024_France_Hexagonale_Outre_Mer_WGS84``
in GeoJSON (WGS84, EPSG:4326), one Feature per neighbourhood with ``code_qp``, ``lib_qp``,
``insee_com`` among its properties. Property names are matched without regard to case, and
the variants other exports use are accepted (see the ``*_KEYS`` tuples and
docs/data-sources.md). Files in a projected system (Lambert-93 metres) are refused with a
message asking for the WGS84 export.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from tremplin.engine import geo as engine

CODE_KEYS = ("code_qp", "code_qpv", "code_quartier", "codeqp", "cod_qp", "code")
NAME_KEYS = (
    "lib_qp",
    "nom_qp",
    "lib_qpv",
    "nom_qpv",
    "quartier_prioritaire",
    "nom",
    "libelle",
    "name",
)
COMMUNE_KEYS = (
    "insee_com",
    "code_insee",
    "insee_commune",
    "codes_insee",
    "code_commune",
    "insee",
    "depcom",
    "com",
)
QPV_CODE = re.compile(r"^Q[A-Z0-9]{3,19}$")
INSEE_CODE = re.compile(r"^[0-9][0-9AB][0-9]{3}$")
WGS84_CRS = ("crs84", "4326")
MAX_ERRORS = 200


@dataclass(frozen=True)
class QpvRow:
    code: str
    name: str
    commune_codes: tuple[str, ...]
    area: engine.Area


@dataclass(frozen=True)
class QpvFileError:
    """One problem: the feature's position in the file (1-based, None: the whole file)."""

    feature: int | None
    code: str
    message: str


@dataclass
class QpvFileReport:
    rows: list[QpvRow] = field(default_factory=list)
    errors: list[QpvFileError] = field(default_factory=list)
    feature_count: int = 0
    more_errors: int = 0  # errors beyond MAX_ERRORS, counted but not listed

    @property
    def commune_count(self) -> int:
        return len({c for row in self.rows for c in row.commune_codes})

    @property
    def ok(self) -> bool:
        return not self.errors and bool(self.rows)

    def error(self, feature: int | None, code: str, message: str) -> None:
        if len(self.errors) >= MAX_ERRORS:
            self.more_errors += 1
        else:
            self.errors.append(QpvFileError(feature, code, message))


def geometry_message(problem: engine.GeometryProblem) -> str:
    messages = {
        engine.NOT_AN_OBJECT: _("géométrie absente"),
        engine.NOT_A_POLYGON: _(
            "la géométrie doit être un Polygon ou un MultiPolygon (reçu : %(d)s)"
        ),
        engine.BAD_COORDINATES: _("coordonnées illisibles (%(d)s)"),
        engine.OUT_OF_RANGE: _(
            "coordonnées hors des degrés WGS84 (%(d)s) : le fichier semble projeté "
            "(Lambert-93 ?) ; utilisez l'export WGS84 (EPSG:4326)"
        ),
        engine.TOO_FEW_POINTS: _("un contour a moins de quatre points (%(d)s)"),
        engine.UNCLOSED_RING: _("un contour n'est pas fermé (%(d)s)"),
        engine.SELF_INTERSECTION: _("le contour se recoupe lui-même (%(d)s)"),
        engine.HOLE_OUTSIDE: _("un trou sort de son contour (%(d)s)"),
        engine.EMPTY: _("géométrie vide"),
        engine.INVALID: _("géométrie invalide (%(d)s)"),
    }
    template = messages.get(problem.code, messages[engine.INVALID])
    return template % {"d": problem.detail} if "%(d)s" in template else template


def _property(properties: Mapping[str, Any], keys: tuple[str, ...]) -> Any:
    lowered = {str(k).strip().lower(): v for k, v in properties.items()}
    for key in keys:
        value = lowered.get(key)
        if value not in (None, "", []):
            return value
    return None


def _commune_codes(value: Any) -> tuple[str, ...] | None:
    parts = value if isinstance(value, list) else re.split(r"[\s,;|/]+", str(value))
    codes = tuple(dict.fromkeys(str(p).strip().upper() for p in parts if str(p).strip()))
    if not codes or not all(INSEE_CODE.match(c) for c in codes):
        return None
    return codes


def _crs_problem(data: Mapping[str, Any]) -> str | None:
    crs = data.get("crs")
    if crs is None:
        return None
    name = json.dumps(crs).lower()
    if any(marker in name for marker in WGS84_CRS):
        return None
    return _(
        "Le fichier est dans un système projeté (%(crs)s) : utilisez l'export WGS84 "
        "(EPSG:4326) du fichier officiel."
    ) % {"crs": json.dumps(crs)[:80]}


def read_qpv_file(content: bytes) -> QpvFileReport:
    """Every neighbourhood of the file, and every problem found; nothing is written here."""
    report = QpvFileReport()
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        report.error(None, "encoding", _("Le fichier n'est pas un texte UTF-8 (GeoJSON attendu)."))
        return report
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        report.error(
            None,
            "json",
            _("Le fichier n'est pas un JSON valide (ligne %(line)s, colonne %(col)s).")
            % {"line": error.lineno, "col": error.colno},
        )
        return report
    if not isinstance(data, dict) or data.get("type") != "FeatureCollection":
        report.error(None, "structure", _("Le fichier doit être une FeatureCollection GeoJSON."))
        return report
    features = data.get("features")
    if not isinstance(features, list):
        report.error(None, "structure", _("La FeatureCollection n'a pas de liste « features »."))
        return report
    crs_problem = _crs_problem(data)
    if crs_problem:
        report.error(None, "crs", crs_problem)
        return report
    if not features:
        report.error(None, "empty", _("Le fichier ne contient aucun quartier."))
        return report
    report.feature_count = len(features)
    seen: dict[str, int] = {}
    for position, feature in enumerate(features, start=1):
        row = _read_feature(report, position, feature)
        if row is None:
            continue
        if row.code in seen:
            report.error(
                position,
                "duplicate",
                _("Code %(code)s déjà présent (quartier n° %(first)s).")
                % {"code": row.code, "first": seen[row.code]},
            )
            continue
        seen[row.code] = position
        report.rows.append(row)
    return report


def _read_feature(report: QpvFileReport, position: int, feature: Any) -> QpvRow | None:
    if not isinstance(feature, dict) or feature.get("type") != "Feature":
        report.error(position, "structure", _("L'élément n'est pas une Feature GeoJSON."))
        return None
    properties = feature.get("properties")
    if not isinstance(properties, dict):
        report.error(position, "properties", _("La Feature n'a pas de propriétés."))
        return None
    missing = []
    raw_code = _property(properties, CODE_KEYS)
    raw_name = _property(properties, NAME_KEYS)
    raw_communes = _property(properties, COMMUNE_KEYS)
    if raw_code is None:
        missing.append(_("code du quartier (code_qp)"))
    if raw_name is None:
        missing.append(_("nom du quartier (lib_qp)"))
    if raw_communes is None:
        missing.append(_("code INSEE de la commune (insee_com)"))
    if missing:
        report.error(
            position,
            "properties",
            _("Propriété(s) manquante(s) : %(names)s.") % {"names": ", ".join(missing)},
        )
        return None
    code = str(raw_code).strip().upper()
    name = " ".join(str(raw_name).split())
    label = code if QPV_CODE.match(code) else repr(str(raw_code))[:30]
    if not QPV_CODE.match(code):
        report.error(position, "code", _("Code de quartier invalide : %(code)s.") % {"code": label})
        return None
    if len(name) > 200:
        report.error(position, "name", _("%(code)s : nom trop long.") % {"code": code})
        return None
    communes = _commune_codes(raw_communes)
    if communes is None or len(" ".join(communes)) > 200:
        report.error(
            position,
            "communes",
            _("%(code)s : code(s) INSEE de commune invalide(s) : %(value)s.")
            % {"code": code, "value": str(raw_communes)[:60]},
        )
        return None
    try:
        area = engine.area_from_geojson(feature.get("geometry"))
    except engine.GeometryProblem as problem:
        report.error(
            position,
            f"geometry:{problem.code}",
            _("%(code)s : %(problem)s.") % {"code": code, "problem": geometry_message(problem)},
        )
        return None
    return QpvRow(code=code, name=name, commune_codes=communes, area=area)
