"""Score learner × opening pairs, explain each score, and rank openings or learners.

Two implementations of one formula (docs/matching.md):

- ``score``: one pair in plain Python, with every detail a coordinator reads (``Scored``
  and its French ``explain``). It is the reference the vectorised code is tested against.
- ``encode`` + ``score_block``: many pairs at once with numpy. Competency sets become bit
  rows over a vocabulary (64 competencies per uint64 word), so "has every required one" is
  an AND and a popcount; locations become unit vectors, so the haversine distance of a whole
  block comes from one matrix product. Cheap tests (within reach, no required competency
  missing) run on the whole block first; the costly terms run only on the pairs that survive.

``top_openings`` and ``top_learners`` walk the learners in blocks and keep the best k per
row (``argpartition``), so 50,000 × 10,000 pairs never sit in memory at once.

The optional experience term (``Settings.experience_weight`` > 0) is the cosine similarity,
clipped at 0, of the learner's experience vector and the opening's text vector. ``encode``
builds its two unit-row matrices only when the term is on; a missing text is a zero row, so
its similarity is 0, the term's neutral value (docs/matching.md says why).
"""

from __future__ import annotations

import dataclasses
import datetime
import math
import threading
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt

from tremplin.engine.matching.model import (
    CONTRACTS,
    HOURS,
    VECTOR_DTYPE,
    Learner,
    Location,
    MatchingInputError,
    Opening,
    Settings,
    require_location,
    vector_values,
)

__all__ = [
    "EARTH_RADIUS_KM",
    "Encoded",
    "Ranking",
    "Scored",
    "distance_km",
    "encode",
    "experience_similarity",
    "score",
    "score_block",
    "top_learners",
    "top_openings",
]

# Mean Earth radius (IUGG), the usual one for haversine distances.
EARTH_RADIUS_KM = 6371.0088
# Learners scored per block: a block of 256 × 10,000 pairs keeps each temporary array
# around 20 MB, small enough for two workers sharing the machine's cache and memory.
BLOCK = 256
TERMS = ("competencies", "commute", "contract", "hours", "availability")
LABELS = {
    "competencies": "compétences",
    "commute": "trajet",
    "contract": "contrat",
    "hours": "temps de travail",
    "availability": "disponibilité",
    "experience": "expérience",
    "missing_required": "pénalité compétences manquantes",
}
MOBILITY_LABELS = {
    "car": "en voiture",
    "licence_no_car": "avec le permis, sans voiture",
    "transit": "en transports en commun",
    "none": "sans moyen de transport",
}
HOURS_LABELS = {"full": "temps plein", "part": "temps partiel", "any": "indifférent"}

Floats = npt.NDArray[np.float64]
Floats32 = npt.NDArray[np.float32]
Words = npt.NDArray[np.uint64]
Ints = npt.NDArray[np.int64]


def _number(value: float, digits: int = 1) -> str:
    """A number the French way (decimal comma)."""
    return f"{value:.{digits}f}".replace(".", ",")


def distance_km(a: Location, b: Location) -> float:
    """Great-circle (haversine) distance between two (lat, lon) points, in km."""
    lat1, lon1 = math.radians(a[0]), math.radians(a[1])
    lat2, lon2 = math.radians(b[0]), math.radians(b[1])
    half = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    )
    return 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(min(1.0, half)))


def _hours_compatible(learner: str, opening: str) -> bool:
    return learner == "any" or opening == "any" or learner == opening


def experience_similarity(learner: Learner, opening: Opening) -> float | None:
    """Cosine similarity of the two texts' vectors, clipped at 0; ``None`` if either has none.

    Clipped because a negative cosine says "unrelated", not "counts against": it scores as
    little as no text at all.
    """
    if learner.experience_vector is None or opening.offer_vector is None:
        return None
    experience = vector_values(learner.experience_vector).astype(np.float64)
    offer = vector_values(opening.offer_vector).astype(np.float64)
    if experience.size != offer.size:
        raise MatchingInputError(
            f"Vecteurs de texte de tailles différentes pour {learner.id} ({experience.size}) "
            f"et l'offre {opening.id} ({offer.size}) : calculez-les avec le même modèle."
        )
    cosine = float(experience @ offer) / float(np.linalg.norm(experience) * np.linalg.norm(offer))
    return max(0.0, cosine)


def _availability_term(available: datetime.date, starts: datetime.date | None, grace: int) -> float:
    if starts is None:
        return 1.0
    late = (available - starts).days
    return 1.0 if late <= 0 else max(0.0, 1.0 - late / grace)


@dataclass(frozen=True)
class Scored:
    """One pair's score, the share of each term, and what a coordinator needs to read it.

    ``parts`` holds each term's contribution (weight × term, and the missing-competency
    penalty as a negative part when that setting is a weight); they add up to ``total``.
    ``excluded_reason`` is set (French) when the pair is not proposed at all; ``total`` is
    then 0. ``experience_similarity``: the experience term's value when that term is on
    (0 when either text is missing), ``None`` when it is off.
    """

    learner_id: str
    opening_id: str
    total: float
    parts: dict[str, float]
    matched_required: frozenset[str]
    missing_required: frozenset[str]
    matched_desired: frozenset[str]
    distance_km: float
    reach_km: float
    mobility: str
    notes: tuple[str, ...] = field(default=())
    excluded_reason: str | None = None
    experience_similarity: float | None = None

    def shares(self) -> dict[str, float]:
        """Each term's share of the total, between 0 and 1 (the penalty's is negative)."""
        if self.total <= 0:
            return {name: 0.0 for name in self.parts}
        return {name: part / self.total for name, part in self.parts.items()}

    def explain(self) -> str:
        """The score in French sentences, as the coordinator and the employer read it."""

        def listed(codes: frozenset[str]) -> str:
            return ", ".join(sorted(codes))

        lines = []
        if self.excluded_reason is not None:
            lines.append(f"Non proposé : {self.excluded_reason}")
        else:
            lines.append(f"Score {_number(self.total, 2)} sur 1.")
        required = len(self.matched_required) + len(self.missing_required)
        if required:
            if self.matched_required:
                lines.append(
                    f"Compétences requises acquises ({len(self.matched_required)} sur "
                    f"{required}) : {listed(self.matched_required)}."
                )
            if self.missing_required:
                lines.append(f"Compétences requises manquantes : {listed(self.missing_required)}.")
        else:
            lines.append("L'offre n'exige aucune compétence particulière.")
        if self.matched_desired:
            lines.append(f"Compétences souhaitées acquises : {listed(self.matched_desired)}.")
        lines.append(
            f"Trajet : {_number(self.distance_km)} km à vol d'oiseau entre les centres des "
            f"communes, pour une portée de {_number(self.reach_km)} km "
            f"{MOBILITY_LABELS[self.mobility]}."
        )
        lines.extend(self.notes)
        if self.excluded_reason is None and self.total > 0:
            shares = self.shares()
            lines.append(
                "Part de chaque critère : "
                + ", ".join(
                    f"{LABELS[name]} {round(100 * share)} %" for name, share in shares.items()
                )
                + "."
            )
        return "\n".join(lines)


def score(learner: Learner, opening: Opening, settings: Settings | None = None) -> Scored:
    """Score one pair in plain Python (the reference implementation, with explanations)."""
    settings = settings or Settings()
    distance = distance_km(require_location(learner), require_location(opening))
    reach = learner.max_km * settings.reach[learner.mobility]
    weights = settings.term_weights()
    matched_required = learner.competencies & opening.required
    missing_required = opening.required - learner.competencies
    matched_desired = learner.competencies & opening.desired
    base = {
        "learner_id": learner.id,
        "opening_id": opening.id,
        "matched_required": frozenset(matched_required),
        "missing_required": frozenset(missing_required),
        "matched_desired": frozenset(matched_desired),
        "distance_km": distance,
        "reach_km": reach,
        "mobility": learner.mobility,
    }
    excluded = None
    if missing_required and settings.missing_required == "exclude":
        excluded = (
            f"{len(missing_required)} compétence(s) requise(s) manquante(s) "
            f"({', '.join(sorted(missing_required))})."
        )
    elif distance > reach and settings.beyond_reach == "exclude":
        excluded = (
            f"l'offre est à {_number(distance)} km, au-delà de la portée de {_number(reach)} km."
        )
    if excluded is not None:
        return Scored(total=0.0, parts={}, excluded_reason=excluded, **base)  # type: ignore[arg-type]

    denominator = len(opening.required) + settings.desired_weight * len(opening.desired)
    competencies = (
        (len(matched_required) + settings.desired_weight * len(matched_desired)) / denominator
        if denominator > 0
        else 1.0
    )
    commute = max(0.0, 1.0 - distance / reach)
    contract = 1.0 if not learner.contracts or opening.contract in learner.contracts else 0.0
    hours = 1.0 if _hours_compatible(learner.hours, opening.hours) else 0.0
    availability = _availability_term(learner.available_from, opening.starts, settings.grace_days)
    terms = {
        "competencies": competencies,
        "commute": commute,
        "contract": contract,
        "hours": hours,
        "availability": availability,
    }
    parts = {name: weights[name] * terms[name] for name in TERMS}
    similarity = found = None
    if settings.experience_on:
        found = experience_similarity(learner, opening)
        similarity = 0.0 if found is None else found
        parts["experience"] = weights["experience"] * similarity
    if missing_required and not isinstance(settings.missing_required, str):
        parts["missing_required"] = (
            -settings.missing_required * len(missing_required) / len(opening.required)
        )
    notes = []
    if not contract:
        notes.append(
            f"Le contrat proposé ({opening.contract}) ne fait pas partie de ceux recherchés "
            f"({', '.join(sorted(learner.contracts))})."
        )
    if not hours:
        notes.append(
            f"Temps de travail : l'offre est à {HOURS_LABELS[opening.hours]}, la personne "
            f"cherche un {HOURS_LABELS[learner.hours]}."
        )
    if availability < 1.0 and opening.starts is not None:
        late = (learner.available_from - opening.starts).days
        notes.append(
            f"Disponible {late} jour(s) après le début du poste ({opening.starts:%d/%m/%Y})."
        )
    if settings.experience_on:
        notes.append(_experience_note(learner, opening, found))
    return Scored(
        total=sum(parts.values()),
        parts=parts,
        notes=tuple(notes),
        experience_similarity=similarity,
        **base,  # type: ignore[arg-type]
    )


def _experience_note(learner: Learner, opening: Opening, similarity: float | None) -> str:
    if similarity is not None:
        return (
            f"Expérience : proximité de {_number(similarity, 2)} (sur 1) entre l'expérience "
            "passée de la personne et le texte de l'offre."
        )
    missing = []
    if learner.experience_vector is None:
        missing.append("pas d'expérience passée renseignée")
    if opening.offer_vector is None:
        missing.append("pas de texte pour l'offre")
    return f"Expérience : {' ; '.join(missing)}, ce critère compte 0 pour ce couple."


# --- Vectorised scoring -----------------------------------------------------------------


@dataclass(frozen=True)
class Encoded:
    """Learners and openings turned into arrays over one competency vocabulary."""

    learner_ids: tuple[str, ...]
    opening_ids: tuple[str, ...]
    vocabulary: tuple[str, ...]
    learner_bits: Words  # (learners, words)
    learner_xyz: Floats  # (learners, 3) unit vectors
    learner_radians: Floats  # (learners, 2) latitude, longitude
    learner_reach_km: Floats
    learner_cos_reach: Floats  # cos(reach / R): within reach ⇔ dot product ≥ this
    learner_contracts: Ints  # bit mask over CONTRACTS (all bits: no preference)
    learner_hours: Ints  # index in HOURS
    learner_available: Ints  # days since 1970-01-01
    required_bits: Words  # (openings, words)
    desired_bits: Words
    required_count: Floats
    desired_count: Floats
    opening_xyz: Floats
    opening_radians: Floats
    opening_contract: Ints  # one bit
    opening_hours: Ints
    opening_starts: Ints  # days since 1970-01-01; far in the future when none
    positions: Ints
    settings: Settings
    # The experience term's unit rows (float32: the encoders' precision, half the memory),
    # a zero row for a missing text; None when the term is off, so nothing is allocated.
    learner_experience: Floats32 | None = None
    opening_offer: Floats32 | None = None

    def take(self, learners: npt.ArrayLike, openings: npt.ArrayLike) -> Encoded:
        """The same arrays restricted to some learners' and openings' rows, in the order given.

        Nothing is recomputed, so a pair scores as it does in the whole (bit for bit, but for
        the experience term's float32 product, whose last bits follow the block's shape): the
        national batch (``national``) encodes a partition once and scores each block this way.
        Keep ``openings`` in increasing order to keep the ties' order (the lower index first).
        """
        rows = np.asarray(learners, dtype=np.int64)
        columns = np.asarray(openings, dtype=np.int64)
        learner_ids, opening_ids = self.learner_ids, self.opening_ids
        return dataclasses.replace(
            self,
            learner_ids=tuple(learner_ids[row] for row in rows.tolist()),
            opening_ids=tuple(opening_ids[column] for column in columns.tolist()),
            learner_bits=self.learner_bits[rows],
            learner_xyz=self.learner_xyz[rows],
            learner_radians=self.learner_radians[rows],
            learner_reach_km=self.learner_reach_km[rows],
            learner_cos_reach=self.learner_cos_reach[rows],
            learner_contracts=self.learner_contracts[rows],
            learner_hours=self.learner_hours[rows],
            learner_available=self.learner_available[rows],
            required_bits=self.required_bits[columns],
            desired_bits=self.desired_bits[columns],
            required_count=self.required_count[columns],
            desired_count=self.desired_count[columns],
            opening_xyz=self.opening_xyz[columns],
            opening_radians=self.opening_radians[columns],
            opening_contract=self.opening_contract[columns],
            opening_hours=self.opening_hours[columns],
            opening_starts=self.opening_starts[columns],
            positions=self.positions[columns],
            learner_experience=None
            if self.learner_experience is None
            else self.learner_experience[rows],
            opening_offer=None if self.opening_offer is None else self.opening_offer[columns],
        )


_EPOCH = datetime.date(1970, 1, 1)
# An opening without a start date accepts anyone whenever they are available: as if it
# started in the far future, no one is late.
_NO_START = np.int64(10**9)
# HOURS_OK[learner, opening]: "any" on either side suits, otherwise they must agree.
_HOURS_OK = np.array(
    [[_hours_compatible(a, b) for b in HOURS] for a in HOURS],
    dtype=np.float64,
)


def _radians(locations: Sequence[Location]) -> Floats:
    return np.radians(np.asarray(locations, dtype=np.float64).reshape(-1, 2))


def _unit_vectors(locations: Sequence[Location]) -> Floats:
    coordinates = _radians(locations)
    latitude, longitude = coordinates[:, 0], coordinates[:, 1]
    return np.stack(
        [
            np.cos(latitude) * np.cos(longitude),
            np.cos(latitude) * np.sin(longitude),
            np.sin(latitude),
        ],
        axis=1,
    )


def _bits(sets: Sequence[frozenset[str]], index: dict[str, int], words: int) -> Words:
    # Built through a boolean matrix, then packed 64 columns to a word (little-endian bit
    # order so column c is bit c % 64 of word c // 64).
    matrix = np.zeros((len(sets), words * 64), dtype=bool)
    rows = [row for row, codes in enumerate(sets) for _ in codes]
    columns = [index[code] for codes in sets for code in codes]
    matrix[rows, columns] = True
    packed = np.packbits(matrix, axis=1, bitorder="little")
    return np.ascontiguousarray(packed).view(np.uint64).reshape(len(sets), words)


def _unit_rows(vectors: Sequence[bytes | None], dimensions: int, whose: Sequence[str]) -> Floats32:
    """Vectors as unit rows of one float32 matrix; a missing one is a row of zeros."""
    matrix = np.zeros((len(vectors), dimensions), dtype=np.float32)
    for row, vector in enumerate(vectors):
        if vector is None:
            continue
        values = vector_values(vector)
        if values.size != dimensions:
            raise MatchingInputError(
                f"Vecteur de texte de taille {values.size} pour {whose[row]}, {dimensions} "
                "attendus : calculez tous les vecteurs avec le même modèle."
            )
        matrix[row] = values
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    present = np.array([vector is not None for vector in vectors])[:, None]
    if (present & ~(np.isfinite(norms) & (norms > 0))).any():
        raise MatchingInputError("Un vecteur de texte est nul ou non fini.")
    np.divide(matrix, norms, out=matrix, where=norms > 0)
    return matrix


def _experience_rows(
    learners: Sequence[Learner], openings: Sequence[Opening]
) -> tuple[Floats32, Floats32]:
    experiences = [learner.experience_vector for learner in learners]
    offers = [opening.offer_vector for opening in openings]
    # With no text anywhere the term is 0 for every pair: one column keeps the matrices tiny.
    dimensions = next(
        (len(vector) // VECTOR_DTYPE.itemsize for vector in experiences + offers if vector),
        1,
    )
    return (
        _unit_rows(experiences, dimensions, [learner.id for learner in learners]),
        _unit_rows(offers, dimensions, [f"l'offre {opening.id}" for opening in openings]),
    )


def _contract_bit(contract: str) -> int:
    if contract not in CONTRACTS:
        raise MatchingInputError(
            f"Type de contrat inconnu « {contract} » : valeurs possibles {', '.join(CONTRACTS)}."
        )
    return 1 << CONTRACTS.index(contract)


def encode(
    learners: Sequence[Learner], openings: Sequence[Opening], settings: Settings | None = None
) -> Encoded:
    """Arrays for the vectorised scoring; refuses (French) any item without a location.

    The texts' vectors are read only when the experience term is on.
    """
    settings = settings or Settings()
    learner_locations = [require_location(learner) for learner in learners]
    opening_locations = [require_location(opening) for opening in openings]
    codes: set[str] = set()
    for learner in learners:
        codes |= learner.competencies
    for opening in openings:
        codes |= opening.required | opening.desired
    vocabulary = tuple(sorted(codes))
    index = {code: position for position, code in enumerate(vocabulary)}
    words = max(1, -(-len(vocabulary) // 64))
    reach = np.array(
        [learner.max_km * settings.reach[learner.mobility] for learner in learners],
        dtype=np.float64,
    )
    any_contract = (1 << len(CONTRACTS)) - 1
    learner_contracts = np.array(
        [
            sum(_contract_bit(contract) for contract in learner.contracts)
            if learner.contracts
            else any_contract
            for learner in learners
        ],
        dtype=np.int64,
    )
    learner_experience = opening_offer = None
    if settings.experience_on:
        learner_experience, opening_offer = _experience_rows(learners, openings)
    return Encoded(
        learner_ids=tuple(learner.id for learner in learners),
        opening_ids=tuple(opening.id for opening in openings),
        vocabulary=vocabulary,
        learner_bits=_bits([learner.competencies for learner in learners], index, words),
        learner_xyz=_unit_vectors(learner_locations),
        learner_radians=_radians(learner_locations),
        learner_reach_km=reach,
        learner_cos_reach=np.cos(np.minimum(reach / EARTH_RADIUS_KM, math.pi)),
        learner_contracts=learner_contracts,
        learner_hours=np.array([HOURS.index(learner.hours) for learner in learners]),
        learner_available=np.array(
            [(learner.available_from - _EPOCH).days for learner in learners], dtype=np.int64
        ),
        required_bits=_bits([opening.required for opening in openings], index, words),
        desired_bits=_bits([opening.desired for opening in openings], index, words),
        required_count=np.array([len(o.required) for o in openings], dtype=np.float64),
        desired_count=np.array([len(o.desired) for o in openings], dtype=np.float64),
        opening_xyz=_unit_vectors(opening_locations),
        opening_radians=_radians(opening_locations),
        opening_contract=np.array([_contract_bit(o.contract) for o in openings], dtype=np.int64),
        opening_hours=np.array([HOURS.index(o.hours) for o in openings], dtype=np.int64),
        opening_starts=np.array(
            [_NO_START if o.starts is None else (o.starts - _EPOCH).days for o in openings],
            dtype=np.int64,
        ),
        positions=np.array([o.positions for o in openings], dtype=np.int64),
        settings=settings,
        learner_experience=learner_experience,
        opening_offer=opening_offer,
    )


def _popcount(left: Words, right: Words) -> Floats:
    """Bits set in both, summed over the words: shapes (pairs, words) → (pairs,)."""
    if left.shape[1] == 1:
        # One word (up to 64 competencies, the usual case): no sum over words needed.
        return np.bitwise_count(left[:, 0] & right[:, 0]).astype(np.float64)
    return np.bitwise_count(left & right).sum(axis=1, dtype=np.int64).astype(np.float64)


class Scratch:
    """Work arrays kept from one block to the next, by name (one per ranking call)."""

    def __init__(self) -> None:
        self._arrays: dict[str, npt.NDArray[Any]] = {}

    def get(self, name: str, shape: tuple[int, int], dtype: type[Any]) -> npt.NDArray[Any]:
        array = self._arrays.get(name)
        if array is None or array.dtype != dtype or array.size < shape[0] * shape[1]:
            array = np.empty(shape, dtype=dtype)
            self._arrays[name] = array
        return array.reshape(-1)[: shape[0] * shape[1]].reshape(shape)


def pair_scores(
    encoded: Encoded,
    learners: slice,
    openings: slice | None = None,
    scratch: Scratch | None = None,
) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64], Floats]:
    """The pairs of a block that are not excluded, as (row, column, score) arrays.

    Rows and columns count from the block's start; rows come in increasing order, and within
    a row the columns too. Same formula as ``score``: the exclusions run first on the block
    (competencies on the whole block, as bit operations; distance only on the pairs left),
    then the terms on the surviving pairs only.
    """
    openings = openings if openings is not None else slice(None)
    settings = encoded.settings
    weights = settings.term_weights()
    learner_bits = encoded.learner_bits[learners]
    required_bits = encoded.required_bits[openings]
    shape = (learner_bits.shape[0], required_bits.shape[0])
    scratch = scratch if scratch is not None else Scratch()
    if settings.missing_required == "exclude":
        # A required bit the learner lacks: required AND NOT acquired, word by word, into
        # buffers reused from block to block (fresh 20 MB arrays cost more than the work).
        lacking = scratch.get("lacking", shape, np.uint64)
        word_lacking = scratch.get("word", shape, np.uint64) if learner_bits.shape[1] > 1 else None
        for word in range(learner_bits.shape[1]):
            target = lacking if word == 0 or word_lacking is None else word_lacking
            np.bitwise_and(required_bits[None, :, word], ~learner_bits[:, None, word], out=target)
            if target is not lacking:
                np.bitwise_or(lacking, target, out=lacking)
        compatible = scratch.get("compatible", shape, np.bool_)
        np.equal(lacking, 0, out=compatible)
        flat = np.flatnonzero(compatible)
    else:
        flat = np.arange(shape[0] * shape[1], dtype=np.int64)
    rows, columns = np.divmod(flat, shape[1])
    learner_xyz = encoded.learner_xyz[learners]
    opening_xyz = encoded.opening_xyz[openings]
    # cos of the angle between the two points: the dot product of their unit vectors,
    # one coordinate at a time on the pairs (cheaper than the dense product of the block).
    dot = learner_xyz[rows, 0] * opening_xyz[columns, 0]
    dot += learner_xyz[rows, 1] * opening_xyz[columns, 1]
    dot += learner_xyz[rows, 2] * opening_xyz[columns, 2]
    if settings.beyond_reach == "exclude":
        within = dot >= encoded.learner_cos_reach[learners][rows]
        rows, columns, dot = rows[within], columns[within], dot[within]
    if rows.size == 0:
        return rows.astype(np.int64), columns.astype(np.int64), dot

    pair_learner_bits = learner_bits[rows]
    required_count = encoded.required_count[openings][columns]
    if settings.missing_required == "exclude":
        # Every pair left holds all its required competencies.
        matched_required = required_count
    else:
        matched_required = _popcount(pair_learner_bits, required_bits[columns])
    matched_desired = _popcount(pair_learner_bits, encoded.desired_bits[openings][columns])
    denominator = (
        required_count + settings.desired_weight * encoded.desired_count[openings][columns]
    )
    safe = np.where(denominator > 0, denominator, 1.0)
    competencies = np.where(
        denominator > 0,
        (matched_required + settings.desired_weight * matched_desired) / safe,
        1.0,
    )
    # The haversine formula itself on the pairs left: (1 − dot) / 2 is the same quantity but
    # loses digits for nearby points (same commune: 0 km, not 0.1 m).
    learner_radians = encoded.learner_radians[learners][rows]
    opening_radians = encoded.opening_radians[openings][columns]
    half = (
        np.sin((opening_radians[:, 0] - learner_radians[:, 0]) / 2) ** 2
        + np.cos(learner_radians[:, 0])
        * np.cos(opening_radians[:, 0])
        * np.sin((opening_radians[:, 1] - learner_radians[:, 1]) / 2) ** 2
    )
    distance = 2.0 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(np.minimum(half, 1.0)))
    reach = encoded.learner_reach_km[learners][rows]
    commute = np.clip(1.0 - distance / reach, 0.0, 1.0)
    contract = (
        (encoded.learner_contracts[learners][rows] & encoded.opening_contract[openings][columns])
        != 0
    ).astype(np.float64)
    hours = _HOURS_OK[
        encoded.learner_hours[learners][rows], encoded.opening_hours[openings][columns]
    ]
    late = (
        encoded.learner_available[learners][rows] - encoded.opening_starts[openings][columns]
    ).astype(np.float64)
    availability = np.where(late <= 0, 1.0, np.clip(1.0 - late / settings.grace_days, 0.0, 1.0))
    total = (
        weights["competencies"] * competencies
        + weights["commute"] * commute
        + weights["contract"] * contract
        + weights["hours"] * hours
        + weights["availability"] * availability
    )
    if encoded.learner_experience is not None and encoded.opening_offer is not None:
        total += weights["experience"] * _similarities(
            encoded, learners, openings, rows, columns, scratch
        )
    if not isinstance(settings.missing_required, str):
        missing = required_count - matched_required
        total -= settings.missing_required * np.where(
            required_count > 0, missing / np.where(required_count > 0, required_count, 1.0), 0.0
        )
    return rows.astype(np.int64), columns.astype(np.int64), total


def _similarities(
    encoded: Encoded,
    learners: slice,
    openings: slice,
    rows: Ints,
    columns: Ints,
    scratch: Scratch,
) -> Floats:
    """The experience term of the pairs left: cosines clipped at 0 (0 without a text).

    One dense product of the block's rows by every opening's row (BLAS, float32), then the
    pairs picked from it: cheaper than gathering two 512-wide rows per pair.
    """
    assert encoded.learner_experience is not None and encoded.opening_offer is not None
    experience = encoded.learner_experience[learners]
    offer = encoded.opening_offer[openings]
    product = scratch.get("similarity", (experience.shape[0], offer.shape[0]), np.float32)
    np.matmul(experience, offer.T, out=product)
    similarity: Floats = np.maximum(product[rows, columns], 0.0).astype(np.float64)
    return similarity


def score_block(encoded: Encoded, learners: slice, openings: slice | None = None) -> Floats:
    """Scores of a block of learners × openings as a dense array; excluded pairs are -inf."""
    rows, columns, totals = pair_scores(encoded, learners, openings)
    height = len(range(*learners.indices(len(encoded.learner_ids))))
    width = len(range(*(openings or slice(None)).indices(len(encoded.opening_ids))))
    result = np.full((height, width), -np.inf, dtype=np.float64)
    result[rows, columns] = totals
    return result


@dataclass(frozen=True)
class Ranking:
    """The best k columns of each row: ``indices`` (-1 where fewer than k qualify) and
    ``scores`` (``-inf`` there), best first."""

    indices: npt.NDArray[np.int64]
    scores: Floats

    def pairs(self) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64], Floats]:
        """The ranked pairs as (row, column, score) arrays, without the empty slots."""
        valid = self.indices >= 0
        rows = np.nonzero(valid)[0]
        return rows.astype(np.int64), self.indices[valid], self.scores[valid]


def _best_k(block: Floats, k: int) -> tuple[npt.NDArray[np.int64], Floats]:
    width = block.shape[1]
    if width > k:
        # argpartition puts the k largest first (in no order); then sort only those k.
        candidates = np.argpartition(-block, k - 1, axis=1)[:, :k]
        values = np.take_along_axis(block, candidates, axis=1)
        # Among values equal to the k-th, argpartition keeps any of them, not the lowest
        # indices: where a tie crosses the cut, sort that row in full (rare; exact order).
        kth = values.min(axis=1)
        crossing = np.flatnonzero(
            (
                np.count_nonzero(block == kth[:, None], axis=1)
                > np.count_nonzero(values == kth[:, None], axis=1)
            )
            & np.isfinite(kth)
        )
        if crossing.size:
            full = np.lexsort(
                (np.broadcast_to(np.arange(width), (crossing.size, width)), -block[crossing]),
                axis=1,
            )[:, :k]
            candidates[crossing] = full
            values[crossing] = np.take_along_axis(block[crossing], full, axis=1)
    else:
        candidates = np.broadcast_to(np.arange(width), block.shape).copy()
        values = np.take_along_axis(block, candidates, axis=1)
    # Best first; among equal scores, the lower index first so results are reproducible.
    order = np.lexsort((candidates, -values), axis=1)
    candidates = np.take_along_axis(candidates, order, axis=1).astype(np.int64)
    values = np.take_along_axis(values, order, axis=1)
    candidates[~np.isfinite(values)] = -1
    if width < k:
        pad = k - width
        candidates = np.pad(candidates, ((0, 0), (0, pad)), constant_values=-1)
        values = np.pad(values, ((0, 0), (0, pad)), constant_values=-np.inf)
    return candidates, values


def _best_k_sparse(
    rows: npt.NDArray[np.int64],
    columns: npt.NDArray[np.int64],
    totals: Floats,
    height: int,
    k: int,
) -> tuple[npt.NDArray[np.int64], Floats]:
    """Best k per row from sparse pairs (rows increasing, columns increasing in a row).

    The pairs are packed left in a (height, most pairs in a row) array, much narrower than
    all the openings once the exclusions have run, and the top k taken there.
    """
    counts = np.bincount(rows, minlength=height)
    width = max(1, int(counts.max()) if counts.size else 1)
    first = np.cumsum(counts) - counts
    slot = np.arange(rows.size) - first[rows]
    packed_scores = np.full((height, width), -np.inf, dtype=np.float64)
    packed_columns = np.full((height, width), -1, dtype=np.int64)
    packed_scores[rows, slot] = totals
    packed_columns[rows, slot] = columns
    # Slots keep the column order within a row, so ties still go to the lower column.
    best, values = _best_k(packed_scores, k)
    chosen = np.take_along_axis(packed_columns, np.maximum(best, 0), axis=1)
    chosen[best < 0] = -1
    return chosen, values


def top_openings(
    learners: Sequence[Learner] | Encoded,
    openings: Sequence[Opening] | None = None,
    k: int = 20,
    settings: Settings | None = None,
    block: int = BLOCK,
    workers: int = 1,
) -> Ranking:
    """The k best openings for each learner (rows follow the learners' order).

    ``workers`` > 1 scores blocks on that many threads (the region-wide ranking).
    """
    encoded = (
        learners if isinstance(learners, Encoded) else encode(learners, openings or (), settings)
    )
    if k < 1:
        raise MatchingInputError("k doit valoir au moins 1.")
    count = len(encoded.learner_ids)
    indices = np.full((count, k), -1, dtype=np.int64)
    scores = np.full((count, k), -np.inf, dtype=np.float64)
    if not encoded.opening_ids:
        return Ranking(indices, scores)
    local = threading.local()

    def rank_block(start: int) -> None:
        # numpy releases the GIL in its loops, so blocks on two threads use two cores; each
        # thread keeps its own work arrays and writes its own rows of the result.
        if not hasattr(local, "scratch"):
            local.scratch = Scratch()
        rows = slice(start, min(count, start + block))
        indices[rows], scores[rows] = _best_k_sparse(
            *pair_scores(encoded, rows, scratch=local.scratch),
            height=rows.stop - rows.start,
            k=k,
        )

    starts = range(0, count, block)
    if workers <= 1:
        for start in starts:
            rank_block(start)
    else:
        with ThreadPoolExecutor(max_workers=workers) as pool:
            for _ in pool.map(rank_block, starts):
                pass
    return Ranking(indices, scores)


def top_learners(
    opening: Opening,
    learners: Sequence[Learner] | Encoded,
    k: int = 20,
    settings: Settings | None = None,
    block: int = 4096,
) -> Ranking:
    """The k best learners for one opening: one row, its columns index the learners.

    With an ``Encoded`` (several openings), pass the opening to rank by its id.
    """
    if isinstance(learners, Encoded):
        encoded = learners
        try:
            column = encoded.opening_ids.index(opening.id)
        except ValueError:
            raise MatchingInputError(f"L'offre {opening.id} n'est pas dans ce lot.") from None
    else:
        encoded = encode(learners, [opening], settings)
        column = 0
    count = len(encoded.learner_ids)
    column_scores = np.full(count, -np.inf, dtype=np.float64)
    for start in range(0, count, block):
        rows = slice(start, min(count, start + block))
        column_scores[rows] = score_block(encoded, rows, slice(column, column + 1))[:, 0]
    indices, scores = _best_k(column_scores[None, :], k)
    return Ranking(indices, scores)
