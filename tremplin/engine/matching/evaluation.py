"""An evaluation set for the matching engine: Marseille-area learners and openings, seeded.

``generate`` draws learners and openings the way the programmes see them: people living in
the 16 arrondissements and the surrounding communes, trained in one of the three tracks
(fibre optique ``FO-``, datacenter ``DC-``, sûreté/IoT ``SI-``), with the mobility, contract
and hours wishes coordinators meet; openings in the employment areas (the Étang de Berre
industry, Aix-les-Milles, the northern arrondissements) requiring a few competencies of one
track. ``grade`` says, by construction, which learners are good matches for an opening:
they hold every required competency, can reach it with their own means, and accept its
contract (grade 1); also suit its hours and are available in time (grade 2).

``evaluate`` ranks the learners for every opening with the engine and with a distance-only
baseline (the nearest people first, which is what a coordinator's memory does), and reports
precision@5 and nDCG@10 for both. The set checks that the engine ranks by the rules of a good
match; it is not a measure against real hiring outcomes, which the pipeline will give later.
"""

from __future__ import annotations

import datetime
import math
import random
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from tremplin.engine.matching.model import CONTRACTS, Learner, Location, Opening, Settings
from tremplin.engine.matching.scoring import distance_km, encode, score_block

__all__ = ["PLACES", "Dataset", "Report", "evaluate", "generate", "grade"]

# Approximate centroids (latitude, longitude in degrees, rounded to about 100 m) of the
# Marseille arrondissements and neighbouring communes, read from the IGN's ADMIN EXPRESS
# boundaries for the INSEE commune codes (COG). Approximate on purpose: the engine compares
# centroid to centroid, so a few hundred metres do not change a ranking.
PLACES: dict[str, Location] = {
    "Marseille 1er": (43.2999, 5.3841),
    "Marseille 2e": (43.3127, 5.3638),
    "Marseille 3e": (43.3121, 5.3800),
    "Marseille 4e": (43.3063, 5.4008),
    "Marseille 5e": (43.2929, 5.3979),
    "Marseille 6e": (43.2872, 5.3809),
    "Marseille 7e": (43.2826, 5.3633),
    "Marseille 8e": (43.2418, 5.3747),
    "Marseille 9e": (43.2356, 5.4417),
    "Marseille 10e": (43.2757, 5.4269),
    "Marseille 11e": (43.2883, 5.4838),
    "Marseille 12e": (43.3073, 5.4408),
    "Marseille 13e": (43.3496, 5.4335),
    "Marseille 14e": (43.3451, 5.3923),
    "Marseille 15e": (43.3590, 5.3640),
    "Marseille 16e": (43.3640, 5.3142),
    "Aix-en-Provence": (43.5297, 5.4474),
    "Aubagne": (43.2927, 5.5708),
    "La Ciotat": (43.1748, 5.6046),
    "Cassis": (43.2142, 5.5396),
    "Vitrolles": (43.4600, 5.2486),
    "Marignane": (43.4160, 5.2146),
    "Martigues": (43.4045, 5.0480),
    "Istres": (43.5150, 4.9895),
    "Salon-de-Provence": (43.6403, 5.0970),
    "Gardanne": (43.4549, 5.4692),
    "Les Pennes-Mirabeau": (43.4103, 5.3106),
    "Septèmes-les-Vallons": (43.3990, 5.3660),
    "Allauch": (43.3363, 5.4822),
    "Plan-de-Cuques": (43.3469, 5.4634),
    "Gémenos": (43.2953, 5.6286),
    "Rousset": (43.4828, 5.6200),
    "Bouc-Bel-Air": (43.4522, 5.4136),
    "Cabriès": (43.4414, 5.3797),
    "Fos-sur-Mer": (43.4377, 4.9447),
    "Rognac": (43.4876, 5.2330),
    "Berre-l'Étang": (43.4770, 5.1700),
    "Châteauneuf-les-Martigues": (43.3857, 5.1644),
}
# Where people live (weights ≈ population) and where the openings are (employment areas).
_HOME_WEIGHTS = {name: 3.0 if name.startswith("Marseille") else 1.0 for name in PLACES}
for _name in ("Marseille 13e", "Marseille 14e", "Marseille 15e", "Marseille 3e"):
    _HOME_WEIGHTS[_name] = 5.0
_WORK_WEIGHTS = {name: 1.0 for name in PLACES}
for _name, _weight in {
    "Vitrolles": 6.0,
    "Aix-en-Provence": 6.0,
    "Marignane": 4.0,
    "Rousset": 3.0,
    "Gémenos": 3.0,
    "Marseille 14e": 4.0,
    "Marseille 15e": 4.0,
    "Marseille 2e": 3.0,
    "Martigues": 3.0,
    "Fos-sur-Mer": 2.0,
}.items():
    _WORK_WEIGHTS[_name] = _weight

TRACKS = ("FO", "DC", "SI")
COMPETENCIES_PER_TRACK = 15
# The first five of a track are its core (safety, reading the job file, basic installation):
# openings require them more often.
_CORE = 5
_START = datetime.date(2027, 6, 1)


def track_competencies(track: str) -> list[str]:
    return [f"{track}-C{number}" for number in range(1, COMPETENCIES_PER_TRACK + 1)]


@dataclass(frozen=True)
class Dataset:
    learners: tuple[Learner, ...]
    openings: tuple[Opening, ...]
    homes: tuple[str, ...]  # each learner's commune or arrondissement
    workplaces: tuple[str, ...]


def _pick(rng: random.Random, weights: dict[str, float]) -> str:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def _learner(rng: random.Random, number: int) -> tuple[Learner, str]:
    track = rng.choice(TRACKS)
    mastery = rng.uniform(0.4, 0.95)
    acquired = {code for code in track_competencies(track) if rng.random() < mastery}
    if rng.random() < 0.15:
        # Some come with a second trade (an earlier job, a second course).
        other = rng.choice([t for t in TRACKS if t != track])
        acquired |= set(rng.sample(track_competencies(other), rng.randint(1, 4)))
    home = _pick(rng, _HOME_WEIGHTS)
    mobility = rng.choices(["car", "licence_no_car", "transit", "none"], [35, 15, 40, 10])[0]
    wished = rng.random()
    if wished < 0.2:
        contracts: frozenset[str] = frozenset()
    elif wished < 0.5:
        contracts = frozenset({"CDI"})
    else:
        contracts = frozenset(rng.sample(CONTRACTS, rng.randint(2, 4)))
    learner = Learner(
        id=f"L{number:05d}",
        competencies=frozenset(acquired),
        location=PLACES[home],
        max_km=rng.choice([10.0, 15.0, 20.0, 30.0, 40.0]),
        mobility=mobility,
        contracts=contracts,
        hours=rng.choices(["full", "part", "any"], [60, 15, 25])[0],
        available_from=_START + datetime.timedelta(days=rng.randint(0, 90)),
    )
    return learner, home


def _opening(rng: random.Random, number: int) -> tuple[Opening, str]:
    track = rng.choice(TRACKS)
    codes = track_competencies(track)
    weights = [3.0 if position < _CORE else 1.0 for position in range(len(codes))]
    required_count = rng.randint(2, 4)
    wanted = required_count + rng.randint(1, 3)
    chosen: list[str] = []
    while len(chosen) < wanted:
        code = rng.choices(codes, weights)[0]
        if code not in chosen:
            chosen.append(code)
    workplace = _pick(rng, _WORK_WEIGHTS)
    opening = Opening(
        id=f"O{number:05d}",
        required=frozenset(chosen[:required_count]),
        desired=frozenset(chosen[required_count:]),
        location=PLACES[workplace],
        contract=rng.choices(CONTRACTS, [35, 25, 25, 10, 5])[0],
        hours=rng.choices(["full", "part", "any"], [80, 10, 10])[0],
        starts=None if rng.random() < 0.2 else _START + datetime.timedelta(days=rng.randint(0, 60)),
        positions=rng.choices([1, 2, 3], [70, 20, 10])[0],
    )
    return opening, workplace


def generate(seed: int = 20270601, learners: int = 2000, openings: int = 300) -> Dataset:
    """A seeded set of learners and openings in the Marseille area."""
    rng = random.Random(seed)
    drawn_learners = [_learner(rng, number) for number in range(learners)]
    drawn_openings = [_opening(rng, number) for number in range(openings)]
    return Dataset(
        learners=tuple(learner for learner, _ in drawn_learners),
        openings=tuple(opening for opening, _ in drawn_openings),
        homes=tuple(home for _, home in drawn_learners),
        workplaces=tuple(place for _, place in drawn_openings),
    )


def grade(learner: Learner, opening: Opening, settings: Settings | None = None) -> int:
    """How good a match is by construction: 0 (not), 1 (good), 2 (very good)."""
    settings = settings or Settings()
    if not opening.required <= learner.competencies:
        return 0
    assert learner.location is not None and opening.location is not None
    reach = learner.max_km * settings.reach[learner.mobility]
    if distance_km(learner.location, opening.location) > reach:
        return 0
    if learner.contracts and opening.contract not in learner.contracts:
        return 0
    hours_suit = learner.hours == "any" or opening.hours in ("any", learner.hours)
    on_time = opening.starts is None or learner.available_from <= opening.starts
    return 2 if hours_suit and on_time else 1


def _dcg(gains: Sequence[int]) -> float:
    return float(
        sum((2**gain - 1) / math.log2(position + 2) for position, gain in enumerate(gains))
    )


@dataclass(frozen=True)
class Report:
    learners: int
    openings: int  # openings with at least one good match, the ones measured
    engine_precision_at_5: float
    engine_ndcg_at_10: float
    baseline_precision_at_5: float
    baseline_ndcg_at_10: float

    def lines(self) -> list[str]:
        return [
            f"evaluation set: {self.learners} learners, {self.openings} openings with a good "
            "match (Marseille area, seeded)",
            f"  precision@5  engine {self.engine_precision_at_5:.3f}  "
            f"distance-only {self.baseline_precision_at_5:.3f}",
            f"  nDCG@10      engine {self.engine_ndcg_at_10:.3f}  "
            f"distance-only {self.baseline_ndcg_at_10:.3f}",
        ]


def evaluate(dataset: Dataset | None = None, settings: Settings | None = None) -> Report:
    """Precision@5 and nDCG@10 of the engine and of the distance-only baseline."""
    dataset = dataset or generate()
    settings = settings or Settings()
    encoded = encode(dataset.learners, dataset.openings, settings)
    count = len(dataset.learners)
    scores = np.vstack(
        [
            score_block(encoded, slice(start, min(count, start + 512)))
            for start in range(0, count, 512)
        ]
    )
    # Distance-only: the nearest learners first, from the same unit vectors.
    closeness = encoded.learner_xyz @ encoded.opening_xyz.T
    learner_order = np.arange(count)
    precision = {"engine": 0.0, "baseline": 0.0}
    ndcg = {"engine": 0.0, "baseline": 0.0}
    measured = 0
    for column, opening in enumerate(dataset.openings):
        grades = np.array([grade(learner, opening, settings) for learner in dataset.learners])
        if not grades.any():
            continue
        measured += 1
        ideal = _dcg(sorted(grades.tolist(), reverse=True)[:10])
        rankings = {
            # Ties broken by the learner's position so both rankings are reproducible.
            "engine": np.lexsort((learner_order, -scores[:, column]))[:10],
            "baseline": np.lexsort((learner_order, -closeness[:, column]))[:10],
        }
        for name, ranked in rankings.items():
            precision[name] += float((grades[ranked[:5]] > 0).sum()) / 5
            ndcg[name] += _dcg(grades[ranked].tolist()) / ideal
    measured_or_one = max(1, measured)
    return Report(
        learners=count,
        openings=measured,
        engine_precision_at_5=precision["engine"] / measured_or_one,
        engine_ndcg_at_10=ndcg["engine"] / measured_or_one,
        baseline_precision_at_5=precision["baseline"] / measured_or_one,
        baseline_ndcg_at_10=ndcg["baseline"] / measured_or_one,
    )
