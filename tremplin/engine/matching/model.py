"""Plain facts the matching engine works on: learners, openings and the scoring settings.

The placement app adapts its rows to these frozen types; nothing here touches a database.
Locations are (latitude, longitude) in degrees (WGS84), the centroid of the commune or the
Marseille arrondissement. A learner or an opening may arrive without one (the address was
never geocoded): the types allow it so the caller can build them, but the engine refuses to
score them (``require_location``) rather than invent a distance.

The optional experience term compares sentence vectors the caller computed beforehand (the
engine never loads a model): a learner's past experience and an opening's text, each as the
float32 bytes of one vector (``text_vector``). Bytes keep the items frozen, comparable and
cheap (2 KB for 512 dimensions, one object) where a tuple of floats would cost 16 KB.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Literal

import numpy as np
import numpy.typing as npt

__all__ = [
    "CONTRACTS",
    "DECLARED_MOBILITIES",
    "HOURS",
    "MOBILITIES",
    "VECTOR_DTYPE",
    "Learner",
    "MatchingInputError",
    "Opening",
    "Settings",
    "mobility_from_declared",
    "require_location",
    "text_vector",
    "vector_values",
]

Location = tuple[float, float]
Mobility = Literal["car", "licence_no_car", "transit", "none"]
Hours = Literal["full", "part", "any"]

MOBILITIES: tuple[str, ...] = ("car", "licence_no_car", "transit", "none")
HOURS: tuple[str, ...] = ("full", "part", "any")
# The contract kinds France Travail offers carry (typeContrat), plus apprenticeship and the
# professionalisation contract, which the programmes' graduates are often offered.
CONTRACTS: tuple[str, ...] = ("CDI", "CDD", "interim", "apprentissage", "professionnalisation")


class MatchingInputError(ValueError):
    """Input the engine refuses to score; the message is French, for the coordinator."""


# Sentence vectors travel as little-endian float32 bytes: the encoders' own precision.
VECTOR_DTYPE = np.dtype("<f4")


def text_vector(values: npt.ArrayLike) -> bytes:
    """A sentence vector as the engine stores it on a ``Learner`` or an ``Opening``.

    Refuses (French) anything but a non-zero, finite, one-dimensional vector: a zero vector
    has no direction, so no cosine; "no text" is ``None``, not zeros.
    """
    array = np.asarray(values, dtype=VECTOR_DTYPE)
    if array.ndim != 1 or array.size == 0:
        raise MatchingInputError("Un vecteur de texte doit être une liste de nombres non vide.")
    if not np.isfinite(array).all() or not array.any():
        raise MatchingInputError("Un vecteur de texte doit être fini et non nul.")
    return array.tobytes()


def vector_values(vector: bytes) -> npt.NDArray[np.float32]:
    """The numbers of a vector made by ``text_vector`` (a read-only view, no copy)."""
    return np.frombuffer(vector, dtype=VECTOR_DTYPE)


def _check_vector(vector: bytes | None, whose: str) -> None:
    if vector is not None and (
        not isinstance(vector, bytes) or not vector or len(vector) % VECTOR_DTYPE.itemsize
    ):
        raise MatchingInputError(
            f"Vecteur de texte invalide pour {whose} : utilisez model.text_vector."
        )


@dataclass(frozen=True, slots=True)
class Learner:
    """A graduate or job seeker as the engine sees them.

    ``contracts`` empty means no preference (any contract suits them). ``max_km`` is how far
    they say they will travel; their mobility shortens that reach (see ``Settings``).
    ``experience_vector``: the sentence vector of their past experience (``text_vector``),
    ``None`` when they wrote none; only the experience term reads it.
    """

    id: str
    competencies: frozenset[str]
    location: Location | None
    max_km: float
    mobility: str
    contracts: frozenset[str]
    hours: str
    available_from: datetime.date
    experience_vector: bytes | None = None

    def __post_init__(self) -> None:
        _check_vector(self.experience_vector, self.id)
        if self.mobility not in MOBILITIES:
            raise MatchingInputError(
                f"Mobilité inconnue « {self.mobility} » pour {self.id} : "
                f"valeurs possibles {', '.join(MOBILITIES)}."
            )
        if self.hours not in HOURS:
            raise MatchingInputError(
                f"Temps de travail inconnu « {self.hours} » pour {self.id} : "
                f"valeurs possibles {', '.join(HOURS)}."
            )
        if not self.max_km > 0:
            raise MatchingInputError(
                f"La distance maximale de {self.id} doit être positive (reçu {self.max_km})."
            )


@dataclass(frozen=True, slots=True)
class Opening:
    """A job opening: what it requires, what it would like, where, and how many people.

    ``offer_vector``: the sentence vector of its title and description (``text_vector``),
    ``None`` without text; only the experience term reads it.
    """

    id: str
    required: frozenset[str]
    desired: frozenset[str]
    location: Location | None
    contract: str
    hours: str
    starts: datetime.date | None
    positions: int = 1
    offer_vector: bytes | None = None

    def __post_init__(self) -> None:
        _check_vector(self.offer_vector, f"l'offre {self.id}")
        if self.hours not in HOURS:
            raise MatchingInputError(
                f"Temps de travail inconnu « {self.hours} » pour l'offre {self.id}."
            )
        if self.positions < 1:
            raise MatchingInputError(
                f"L'offre {self.id} doit avoir au moins un poste (reçu {self.positions})."
            )


def _default_weights() -> Mapping[str, float]:
    return MappingProxyType(
        {
            "competencies": 0.45,
            "commute": 0.25,
            "contract": 0.12,
            "hours": 0.08,
            "availability": 0.10,
        }
    )


def _default_reach() -> Mapping[str, float]:
    # Share of their stated maximum a person can really cover for a daily commute: a car
    # gets them there; a licence without a car still opens car-pooling and company vans;
    # transit around Marseille is slow outside the metro lines; on foot or by bike only the
    # neighbourhood is realistic.
    return MappingProxyType({"car": 1.0, "licence_no_car": 0.7, "transit": 0.6, "none": 0.3})


@dataclass(frozen=True)
class Settings:
    """How a score is made; docs/matching.md gives the formula.

    - ``weights``: each term's weight (competencies, commute, contract, hours,
      availability); they sum to 1 so a perfect pair scores 1.
    - ``desired_weight``: what a desired competency counts against a required one (1).
    - ``missing_required``: ``"exclude"`` (a pair missing any required competency is not
      proposed) or a penalty weight p: the total loses p × (share of required ones missing).
    - ``reach``: the share of ``max_km`` each mobility really covers.
    - ``beyond_reach``: ``"exclude"`` an opening farther than the learner's reach, or
      ``"zero"`` (the commute term is 0 but the pair stays).
    - ``grace_days``: how late after an opening starts a learner may still be available;
      the availability term falls linearly from 1 (on time) to 0 (``grace_days`` late).
    - ``experience_weight``: e, the weight of the optional sixth term (the similarity of the
      learner's past experience to the opening's text), 0 (off) by default. When e > 0 the
      five ``weights`` are scaled by (1 − e) so that all six still sum to 1
      (``term_weights``); when e = 0 nothing is computed and the scores are unchanged.
    """

    weights: Mapping[str, float] = field(default_factory=_default_weights)
    desired_weight: float = 0.5
    missing_required: Literal["exclude"] | float = "exclude"
    reach: Mapping[str, float] = field(default_factory=_default_reach)
    beyond_reach: Literal["exclude", "zero"] = "exclude"
    grace_days: int = 60
    experience_weight: float = 0.0

    def __post_init__(self) -> None:
        expected = {"competencies", "commute", "contract", "hours", "availability"}
        if set(self.weights) != expected:
            raise MatchingInputError(
                "Les poids doivent porter exactement sur : " + ", ".join(sorted(expected)) + "."
            )
        if any(weight < 0 for weight in self.weights.values()):
            raise MatchingInputError("Les poids ne peuvent pas être négatifs.")
        if abs(sum(self.weights.values()) - 1.0) > 1e-6:
            raise MatchingInputError("La somme des poids doit valoir 1.")
        if set(self.reach) != set(MOBILITIES):
            raise MatchingInputError("Il faut une portée pour chaque mobilité.")
        if not isinstance(self.missing_required, str) and self.missing_required < 0:
            raise MatchingInputError("La pénalité de compétence manquante doit être positive.")
        if isinstance(self.missing_required, str) and self.missing_required != "exclude":
            raise MatchingInputError(
                "missing_required vaut « exclude » ou un poids de pénalité (nombre)."
            )
        if self.grace_days < 1:
            raise MatchingInputError("Le délai de grâce doit être d'au moins un jour.")
        # Not 1: every other term would then weigh nothing and only the texts would rank.
        if not 0.0 <= self.experience_weight < 1.0:
            raise MatchingInputError(
                "Le poids du critère expérience doit être compris entre 0 (inclus) et 1 (exclu) "
                f"(reçu {self.experience_weight})."
            )

    @property
    def experience_on(self) -> bool:
        return self.experience_weight > 0.0

    def term_weights(self) -> Mapping[str, float]:
        """The weight of each term actually scored: ``weights`` itself when the experience
        term is off (the same numbers, so the same scores bit for bit); otherwise each of
        the five scaled by (1 − e), and ``experience`` = e, which still sum to 1."""
        if not self.experience_on:
            return self.weights
        kept = 1.0 - self.experience_weight
        scaled = {name: kept * weight for name, weight in self.weights.items()}
        scaled["experience"] = self.experience_weight
        return MappingProxyType(scaled)


# What people declare (tremplin.people.enums.Mobility, the referral file's « mobilité »).
DECLARED_MOBILITIES: tuple[str, ...] = ("car", "two_wheeler", "public_transport", "limited")


def mobility_from_declared(declared: str, has_driving_licence: bool) -> str:
    """The engine's mobility for a person's declared one (docs/matching.md).

    A car reaches the whole stated distance; someone with a licence but on public transport
    or a two-wheeler can still car-pool or drive a company van; transit alone, or a
    two-wheeler without a licence, reach less; limited mobility only the neighbourhood.
    """
    if declared not in DECLARED_MOBILITIES:
        raise MatchingInputError(
            f"Mobilité déclarée inconnue « {declared} » : valeurs possibles "
            f"{', '.join(DECLARED_MOBILITIES)}."
        )
    if declared == "car":
        return "car"
    if declared == "limited":
        return "none"
    return "licence_no_car" if has_driving_licence else "transit"


def require_location(item: Learner | Opening) -> Location:
    """The item's location, or a French refusal: no distance is ever made up."""
    if item.location is None:
        if isinstance(item, Learner):
            raise MatchingInputError(
                f"Impossible de proposer des offres à {item.id} : sa commune n'est pas "
                "connue. Renseignez son adresse ou sa commune, puis relancez."
            )
        raise MatchingInputError(
            f"Impossible de classer l'offre {item.id} : son lieu de travail n'est pas "
            "connu. Renseignez la commune de l'offre, puis relancez."
        )
    latitude, longitude = item.location
    if not (-90.0 <= latitude <= 90.0 and -180.0 <= longitude <= 180.0):
        raise MatchingInputError(
            f"Coordonnées invalides pour {item.id} : ({latitude}, {longitude})."
        )
    return item.location
