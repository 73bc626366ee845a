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

The set also carries texts, drawn from a random stream of their own so that the learners and
openings (and every figure above) stay what they were: a short French past experience for
most learners (in the fibre, datacenter or surveillance trades, or in another job
altogether, the distractors) and an offer text for most openings. When the ``semantic``
extra is installed, ``evaluate`` encodes them and adds the figures with the experience term
on, and an nDCG@10 where a relevant past experience (same trade as the opening) raises a good
match's grade by one: how much the term brings forward people who did the job before.
"""

from __future__ import annotations

import dataclasses
import datetime
import math
import random
import time
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from tremplin.engine.matching import semantic
from tremplin.engine.matching.model import (
    CONTRACTS,
    Learner,
    Location,
    Opening,
    Settings,
    text_vector,
)
from tremplin.engine.matching.scoring import distance_km, encode, score_block

__all__ = [
    "EXPERIENCE_WEIGHT",
    "PLACES",
    "Dataset",
    "Report",
    "evaluate",
    "generate",
    "grade",
    "track_of",
    "with_text_vectors",
]

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


# The experience term's weight in the evaluation's extra figures.
EXPERIENCE_WEIGHT = 0.2

# Past experiences, by trade: what a coordinator writes down at intake, in a few words.
# "other" are the distractors, jobs with nothing to do with the three trades.
_EXPERIENCES: dict[str, tuple[str, ...]] = {
    "FO": (
        "Aide-monteur sur des chantiers de déploiement de la fibre optique : tirage de câbles "
        "en conduite et en aérien.",
        "Raccordement d'abonnés à la fibre (FTTH) pour un sous-traitant d'opérateur, pose de "
        "prises et de boîtiers.",
        "Soudure de fibres optiques et mesures au réflectomètre sur des chantiers de réseau.",
        "Manœuvre en travaux publics télécoms : ouverture de chambres, aiguillage des "
        "fourreaux, passage des câbles.",
        "Installation de box internet et raccordement fibre chez les particuliers.",
    ),
    "DC": (
        "Technicien informatique de proximité : installation de postes, brassage réseau, "
        "remplacement de matériel.",
        "Intérim en salle serveurs : montage de serveurs en baie, câblage et étiquetage.",
        "Opérateur d'exploitation dans un centre de données : surveillance des équipements, "
        "rondes techniques, suivi des tickets.",
        "Assistant support informatique, préparation et déploiement de serveurs et de "
        "commutateurs réseau.",
        "Électricien en courants faibles dans des bâtiments tertiaires, baies de brassage et "
        "onduleurs.",
    ),
    "SI": (
        "Agent de sécurité : rondes, contrôle des accès et surveillance des écrans de "
        "vidéoprotection.",
        "Opérateur en centre de télésurveillance : traitement des alarmes et levée de doute vidéo.",
        "Installation d'alarmes anti-intrusion et de caméras chez des particuliers et des "
        "commerçants.",
        "Agent de sûreté en aéroport, contrôle des bagages et des passagers.",
        "Poseur de systèmes de contrôle d'accès et d'interphonie dans des immeubles.",
    ),
    "other": (
        "Caissière en supermarché pendant plusieurs années.",
        "Aide à domicile auprès de personnes âgées.",
        "Préparateur de commandes en entrepôt logistique.",
        "Commis de cuisine puis serveur en restauration rapide.",
        "Agent d'entretien dans des bureaux, horaires décalés.",
        "Vendeuse en prêt-à-porter.",
        "Livreur à vélo pour des plateformes de repas.",
        "Peintre en bâtiment, chantiers de rénovation d'appartements.",
        "Animateur périscolaire dans une école primaire.",
        "Téléconseiller en centre d'appels pour un fournisseur d'énergie.",
    ),
}
_DURATIONS = ("", "Six mois. ", "Un an. ", "Deux ans. ", "Trois ans en intérim. ", "Saisonnier. ")
_OFFERS: dict[str, tuple[str, ...]] = {
    "FO": (
        "Technicien raccordement fibre optique FTTH H/F : raccordement des abonnés, soudure, "
        "tests et mesures, travail en hauteur.",
        "Monteur câbleur fibre optique : tirage de câbles en souterrain et en aérien, pose de "
        "points de branchement.",
        "Technicien de production fibre : soudure et recette des réseaux optiques au "
        "réflectomètre.",
        "Installateur fibre chez les particuliers : pose de la prise optique et mise en "
        "service de la box.",
    ),
    "DC": (
        "Technicien datacenter H/F : installation et remplacement de serveurs, brassage, "
        "interventions en salle.",
        "Technicien d'exploitation de centre de données : surveillance, rondes, gestion des "
        "incidents matériels.",
        "Câbleur réseau en salle informatique : baies, brassage cuivre et fibre, étiquetage.",
        "Technicien support matériel serveurs et stockage, interventions sur site client.",
    ),
    "SI": (
        "Opérateur de télésurveillance H/F : réception et traitement des alarmes, levée de "
        "doute vidéo, appel des forces de l'ordre.",
        "Technicien installateur alarme et vidéoprotection : pose, paramétrage et maintenance "
        "des systèmes.",
        "Technicien de maintenance en sûreté électronique : contrôle d'accès, intrusion, caméras.",
        "Agent de télésurveillance de nuit, suivi des rondes et des alarmes des sites clients.",
    ),
}


@dataclass(frozen=True)
class Dataset:
    learners: tuple[Learner, ...]
    openings: tuple[Opening, ...]
    homes: tuple[str, ...]  # each learner's commune or arrondissement
    workplaces: tuple[str, ...]
    # Texts: "" where there is none; each experience's trade ("FO", "DC", "SI", "other", "").
    experiences: tuple[str, ...] = ()
    experience_trades: tuple[str, ...] = ()
    offers: tuple[str, ...] = ()


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


def track_of(opening: Opening) -> str:
    """The trade of a generated opening: the prefix of its competency codes."""
    return next(iter(opening.required | opening.desired)).split("-")[0]


def _experience(rng: random.Random, learner: Learner) -> tuple[str, str]:
    if rng.random() < 0.3:
        return "", ""  # nothing written down: a first job, or not asked yet
    # The track they train in: where most of their competencies are.
    own_track = max(
        TRACKS, key=lambda track: sum(c.startswith(track) for c in learner.competencies)
    )
    drawn = rng.random()
    if drawn < 0.35:
        trade = own_track  # retraining in the trade they already worked in
    elif drawn < 0.5:
        trade = rng.choice([track for track in TRACKS if track != own_track])
    else:
        trade = "other"
    return rng.choice(_DURATIONS) + rng.choice(_EXPERIENCES[trade]), trade


def _offer(rng: random.Random, opening: Opening) -> str:
    return "" if rng.random() < 0.15 else rng.choice(_OFFERS[track_of(opening)])


def generate(seed: int = 20270601, learners: int = 2000, openings: int = 300) -> Dataset:
    """A seeded set of learners and openings in the Marseille area, with their texts."""
    rng = random.Random(seed)
    drawn_learners = [_learner(rng, number) for number in range(learners)]
    drawn_openings = [_opening(rng, number) for number in range(openings)]
    # Texts from a stream of their own: the learners and openings stay those drawn before
    # the set had texts, and so do the figures measured on them.
    text_rng = random.Random(f"{seed} texts")
    experiences = [_experience(text_rng, learner) for learner, _ in drawn_learners]
    return Dataset(
        learners=tuple(learner for learner, _ in drawn_learners),
        openings=tuple(opening for opening, _ in drawn_openings),
        homes=tuple(home for _, home in drawn_learners),
        workplaces=tuple(place for _, place in drawn_openings),
        experiences=tuple(text for text, _ in experiences),
        experience_trades=tuple(trade for _, trade in experiences),
        offers=tuple(_offer(text_rng, opening) for opening, _ in drawn_openings),
    )


def with_text_vectors(dataset: Dataset) -> tuple[tuple[Learner, ...], tuple[Opening, ...]]:
    """The set's learners and openings carrying their texts' vectors (needs ``semantic``).

    Each distinct text is encoded once.
    """
    distinct = sorted({text for text in dataset.experiences + dataset.offers if text})
    vectors = {
        text: text_vector(vector)
        for text, vector in zip(distinct, semantic.embed(distinct), strict=True)
    }
    learners = tuple(
        dataclasses.replace(learner, experience_vector=vectors[text]) if text else learner
        for learner, text in zip(dataset.learners, dataset.experiences, strict=True)
    )
    openings = tuple(
        dataclasses.replace(opening, offer_vector=vectors[text]) if text else opening
        for opening, text in zip(dataset.openings, dataset.offers, strict=True)
    )
    return learners, openings


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
    # With the experience term on (only when the ``semantic`` extra is installed).
    experience_weight: float | None = None
    experience_precision_at_5: float | None = None
    experience_ndcg_at_10: float | None = None
    # nDCG@10 where a relevant past experience adds 1 to a good match's grade.
    engine_ndcg_with_experience_grades: float | None = None
    experience_ndcg_with_experience_grades: float | None = None
    texts_encoded: int = 0
    # The model's loading (0 if this process had loaded it) and the texts' encoding.
    model_loading_seconds: float = 0.0
    encoding_seconds: float = 0.0

    def lines(self) -> list[str]:
        lines = [
            f"evaluation set: {self.learners} learners, {self.openings} openings with a good "
            "match (Marseille area, seeded)",
            f"  precision@5  engine {self.engine_precision_at_5:.3f}  "
            f"distance-only {self.baseline_precision_at_5:.3f}",
            f"  nDCG@10      engine {self.engine_ndcg_at_10:.3f}  "
            f"distance-only {self.baseline_ndcg_at_10:.3f}",
        ]
        if self.experience_weight is not None:
            lines += [
                f"  with the experience term (weight {self.experience_weight:.2f}): "
                f"precision@5 {self.experience_precision_at_5:.3f}  "
                f"nDCG@10 {self.experience_ndcg_at_10:.3f}  (model loaded in "
                f"{self.model_loading_seconds:.1f} s, {self.texts_encoded} distinct texts "
                f"encoded in {self.encoding_seconds:.1f} s)",
                "  nDCG@10, a relevant past experience adding 1 to a good match's grade: "
                f"engine {self.engine_ndcg_with_experience_grades:.3f}  "
                f"with the experience term {self.experience_ndcg_with_experience_grades:.3f}",
            ]
        return lines


def _all_scores(
    learners: Sequence[Learner], openings: Sequence[Opening], settings: Settings
) -> npt.NDArray[np.float64]:
    encoded = encode(learners, openings, settings)
    count = len(learners)
    return np.vstack(
        [
            score_block(encoded, slice(start, min(count, start + 512)))
            for start in range(0, count, 512)
        ]
    )


def evaluate(
    dataset: Dataset | None = None,
    settings: Settings | None = None,
    experience_weight: float = EXPERIENCE_WEIGHT,
) -> Report:
    """Precision@5 and nDCG@10 of the engine and of the distance-only baseline.

    With the ``semantic`` extra installed (and ``experience_weight`` > 0), also the engine's
    with the experience term on, at that weight.
    """
    dataset = dataset or generate()
    settings = settings or Settings()
    scores = {"engine": _all_scores(dataset.learners, dataset.openings, settings)}
    # Distance-only: the nearest learners first, from the same unit vectors.
    encoded = encode(dataset.learners, dataset.openings, settings)
    scores["baseline"] = encoded.learner_xyz @ encoded.opening_xyz.T
    texts_encoded, loading_seconds, encoding_seconds = 0, 0.0, 0.0
    with_texts = experience_weight > 0 and bool(dataset.experiences) and semantic.available()
    if with_texts:
        started = time.perf_counter()
        semantic.encoder()
        loading_seconds = time.perf_counter() - started
        started = time.perf_counter()
        learners, openings = with_text_vectors(dataset)
        encoding_seconds = time.perf_counter() - started
        texts_encoded = len({text for text in dataset.experiences + dataset.offers if text})
        scores["experience"] = _all_scores(
            learners, openings, dataclasses.replace(settings, experience_weight=experience_weight)
        )
        trades = np.array(dataset.experience_trades)
    count = len(dataset.learners)
    learner_order = np.arange(count)
    precision = dict.fromkeys(scores, 0.0)
    ndcg = dict.fromkeys(scores, 0.0)
    ndcg_experience_grades = dict.fromkeys(scores, 0.0)
    measured = 0
    for column, opening in enumerate(dataset.openings):
        grades = np.array([grade(learner, opening, settings) for learner in dataset.learners])
        if not grades.any():
            continue
        measured += 1
        ideal = _dcg(sorted(grades.tolist(), reverse=True)[:10])
        if with_texts:
            raised = grades + ((grades > 0) & (trades == track_of(opening)))
            ideal_raised = _dcg(sorted(raised.tolist(), reverse=True)[:10])
        for name, values in scores.items():
            # Ties broken by the learner's position so the rankings are reproducible.
            ranked = np.lexsort((learner_order, -values[:, column]))[:10]
            precision[name] += float((grades[ranked[:5]] > 0).sum()) / 5
            ndcg[name] += _dcg(grades[ranked].tolist()) / ideal
            if with_texts:
                ndcg_experience_grades[name] += _dcg(raised[ranked].tolist()) / ideal_raised
    measured_or_one = max(1, measured)
    report = Report(
        learners=count,
        openings=measured,
        engine_precision_at_5=precision["engine"] / measured_or_one,
        engine_ndcg_at_10=ndcg["engine"] / measured_or_one,
        baseline_precision_at_5=precision["baseline"] / measured_or_one,
        baseline_ndcg_at_10=ndcg["baseline"] / measured_or_one,
    )
    if not with_texts:
        return report
    return dataclasses.replace(
        report,
        experience_weight=experience_weight,
        experience_precision_at_5=precision["experience"] / measured_or_one,
        experience_ndcg_at_10=ndcg["experience"] / measured_or_one,
        engine_ndcg_with_experience_grades=ndcg_experience_grades["engine"] / measured_or_one,
        experience_ndcg_with_experience_grades=ndcg_experience_grades["experience"]
        / measured_or_one,
        texts_encoded=texts_encoded,
        model_loading_seconds=loading_seconds,
        encoding_seconds=encoding_seconds,
    )
