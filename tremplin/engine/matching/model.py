"""Plain facts the matching engine works on: learners, openings and the scoring settings.

The placement app adapts its rows to these frozen types; nothing here touches a database.
Locations are (latitude, longitude) in degrees (WGS84), the centroid of the commune or the
Marseille arrondissement. A learner or an opening may arrive without one (the address was
never geocoded): the types allow it so the caller can build them, but the engine refuses to
score them (``require_location``) rather than invent a distance.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Literal

__all__ = [
    "CONTRACTS",
    "HOURS",
    "MOBILITIES",
    "Learner",
    "MatchingInputError",
    "Opening",
    "Settings",
    "require_location",
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


@dataclass(frozen=True, slots=True)
class Learner:
    """A graduate or job seeker as the engine sees them.

    ``contracts`` empty means no preference (any contract suits them). ``max_km`` is how far
    they say they will travel; their mobility shortens that reach (see ``Settings``).
    """

    id: str
    competencies: frozenset[str]
    location: Location | None
    max_km: float
    mobility: str
    contracts: frozenset[str]
    hours: str
    available_from: datetime.date

    def __post_init__(self) -> None:
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
    """A job opening: what it requires, what it would like, where, and how many people."""

    id: str
    required: frozenset[str]
    desired: frozenset[str]
    location: Location | None
    contract: str
    hours: str
    starts: datetime.date | None
    positions: int = 1

    def __post_init__(self) -> None:
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
    """

    weights: Mapping[str, float] = field(default_factory=_default_weights)
    desired_weight: float = 0.5
    missing_required: Literal["exclude"] | float = "exclude"
    reach: Mapping[str, float] = field(default_factory=_default_reach)
    beyond_reach: Literal["exclude", "zero"] = "exclude"
    grace_days: int = 60

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
