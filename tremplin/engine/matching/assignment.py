"""The best placement of learners over open positions, as a min-cost flow, with its reasons.

The coordinator asks: give each graduate at most one opening, each opening at most its
positions, and make the sum of the scores as large as possible; a graduate may stay
unplaced (score 0), which is better than a poor match. Some pairs the coordinator locks
(already agreed with the employer) and some they forbid (the person said no); then re-runs.

Model (OR-Tools ``SimpleMinCostFlow``): source → each learner (capacity 1), learner →
opening for each candidate pair (capacity 1, cost −score), learner → sink for "unplaced"
(cost 0), opening → sink (capacity its free positions). A flow of one unit per learner at
least cost is a placement of greatest total score. Scores are scaled to integers (the solver
works on integers); 10⁶ keeps six decimals. Candidate pairs are each learner's top k openings
(``scoring.top_openings``), so a region of 50,000 people has about 1.6 M arcs, not 500 M; the
arcs are handed to the solver as numpy arrays in one call.

``brute_force`` solves the same problem on a dense matrix with scipy's
``linear_sum_assignment`` (each opening repeated once per position, one "unplaced" column per
learner): the reference for small instances and the tests.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from ortools.graph.python import min_cost_flow
from scipy.optimize import linear_sum_assignment

from tremplin.engine.matching.model import Learner, MatchingInputError, Opening, Settings
from tremplin.engine.matching.scoring import Ranking, encode, score, top_openings

__all__ = [
    "Placement",
    "Proposal",
    "Solution",
    "assign",
    "brute_force",
    "solve",
]

SCALE = 1_000_000
Ints = npt.NDArray[np.int64]
Floats = npt.NDArray[np.float64]


@dataclass(frozen=True)
class Solution:
    """A placement by indices: ``opening_of[i]`` is learner i's opening, or -1 (unplaced).

    ``alternative_of[i]`` / ``alternative_score[i]``: learner i's best other candidate
    (-1 / nan when none), which the explanation names.
    """

    opening_of: Ints
    score_of: Floats
    locked: npt.NDArray[np.bool_]
    alternative_of: Ints
    alternative_score: Floats

    @property
    def total(self) -> float:
        placed = self.opening_of >= 0
        return float(self.score_of[placed].sum())


def _check_pairs(pairs: Iterable[tuple[int, int]], learners: int, openings: int, what: str) -> Ints:
    array = np.array(list(pairs), dtype=np.int64).reshape(-1, 2)
    if array.size and (
        array[:, 0].min() < 0
        or array[:, 0].max() >= learners
        or array[:, 1].min() < 0
        or array[:, 1].max() >= openings
    ):
        raise MatchingInputError(f"Couple {what} hors des listes d'apprenants ou d'offres.")
    return array


def solve(
    learners: int,
    positions: Sequence[int] | Ints,
    rows: Ints,
    columns: Ints,
    scores: Floats,
    locked: Iterable[tuple[int, int]] = (),
    forbidden: Iterable[tuple[int, int]] = (),
    locked_scores: Sequence[float] | None = None,
) -> Solution:
    """Best placement over the candidate pairs (rows = learners, columns = openings).

    Locked pairs are placed first (they use a position of their opening); forbidden pairs
    are dropped from the candidates. ``locked_scores`` gives the locked pairs' scores when
    they are not among the candidates.
    """
    capacity = np.asarray(positions, dtype=np.int64).copy()
    openings = capacity.size
    rows = np.asarray(rows, dtype=np.int64)
    columns = np.asarray(columns, dtype=np.int64)
    scores = np.asarray(scores, dtype=np.float64)
    locked_pairs = _check_pairs(locked, learners, openings, "imposé")
    forbidden_pairs = _check_pairs(forbidden, learners, openings, "interdit")
    key = rows * openings + columns
    forbidden_keys = forbidden_pairs[:, 0] * openings + forbidden_pairs[:, 1]
    locked_keys = locked_pairs[:, 0] * openings + locked_pairs[:, 1]
    if np.isin(locked_keys, forbidden_keys).any():
        raise MatchingInputError("Un même couple ne peut pas être à la fois imposé et interdit.")
    if np.unique(locked_pairs[:, 0]).size != locked_pairs.shape[0]:
        raise MatchingInputError("Une personne ne peut être imposée que sur une seule offre.")
    allowed = ~np.isin(key, forbidden_keys)

    opening_of = np.full(learners, -1, dtype=np.int64)
    score_of = np.zeros(learners, dtype=np.float64)
    is_locked = np.zeros(learners, dtype=bool)
    if locked_pairs.size:
        np.subtract.at(capacity, locked_pairs[:, 1], 1)
        if (capacity < 0).any():
            full = np.nonzero(capacity < 0)[0].tolist()
            raise MatchingInputError(
                "Plus de personnes imposées que de postes pour l'offre (index) "
                + ", ".join(map(str, full))
                + "."
            )
        opening_of[locked_pairs[:, 0]] = locked_pairs[:, 1]
        is_locked[locked_pairs[:, 0]] = True
        if locked_scores is not None:
            score_of[locked_pairs[:, 0]] = np.asarray(locked_scores, dtype=np.float64)
        else:
            # A locked pair among the candidates keeps its score; otherwise it counts 0.
            known = dict(zip(key.tolist(), scores.tolist(), strict=True))
            score_of[locked_pairs[:, 0]] = [known.get(k, 0.0) for k in locked_keys.tolist()]

    # Arcs only for free learners, allowed pairs, and pairs better than staying unplaced.
    usable = allowed & ~is_locked[rows] & (scores > 0)
    arc_rows, arc_columns, arc_scores = rows[usable], columns[usable], scores[usable]
    free = np.nonzero(~is_locked)[0]
    source = learners + openings
    sink = source + 1
    flow = min_cost_flow.SimpleMinCostFlow()
    # Nodes: learners 0..n-1, openings n..n+m-1, then source and sink.
    tails = np.concatenate(
        [np.full(free.size, source), arc_rows, free, learners + np.arange(openings)]
    )
    heads = np.concatenate(
        [free, learners + arc_columns, np.full(free.size, sink), np.full(openings, sink)]
    )
    capacities = np.concatenate(
        [
            np.ones(free.size, dtype=np.int64),
            np.ones(arc_rows.size, dtype=np.int64),
            np.ones(free.size, dtype=np.int64),
            np.maximum(capacity, 0),
        ]
    )
    costs = np.concatenate(
        [
            np.zeros(free.size, dtype=np.int64),
            -np.rint(arc_scores * SCALE).astype(np.int64),
            np.zeros(free.size, dtype=np.int64),  # unplaced: score 0
            np.zeros(openings, dtype=np.int64),
        ]
    )
    arcs = flow.add_arcs_with_capacity_and_unit_cost(
        tails.astype(np.int32), heads.astype(np.int32), capacities, costs
    )
    supplies = np.zeros(learners + openings + 2, dtype=np.int64)
    supplies[source] = free.size
    supplies[sink] = -free.size
    flow.set_nodes_supplies(np.arange(supplies.size, dtype=np.int32), supplies)
    status = flow.solve()
    if status != flow.OPTIMAL:
        raise MatchingInputError(f"Le solveur n'a pas trouvé de placement (statut {status}).")
    pair_arcs = np.asarray(arcs)[free.size : free.size + arc_rows.size]
    used = np.asarray(flow.flows(pair_arcs)) > 0
    opening_of[arc_rows[used]] = arc_columns[used]
    score_of[arc_rows[used]] = arc_scores[used]

    # Each learner's best other candidate (allowed, not the chosen one), for the "why".
    other = allowed & (columns != opening_of[rows])
    order = np.lexsort((-scores, rows))
    order = order[other[order]]
    alternative_of = np.full(learners, -1, dtype=np.int64)
    alternative_score = np.full(learners, np.nan, dtype=np.float64)
    if order.size:
        first_rows, first = np.unique(rows[order], return_index=True)
        alternative_of[first_rows] = columns[order[first]]
        alternative_score[first_rows] = scores[order[first]]
    return Solution(opening_of, score_of, is_locked, alternative_of, alternative_score)


def brute_force(
    learners: int,
    positions: Sequence[int] | Ints,
    rows: Ints,
    columns: Ints,
    scores: Floats,
    forbidden: Iterable[tuple[int, int]] = (),
) -> tuple[float, Ints]:
    """The optimum by ``linear_sum_assignment`` on the expanded dense matrix (small sizes).

    Returns the total score and each learner's opening (-1: unplaced).
    """
    positions = np.asarray(positions, dtype=np.int64)
    dense = np.full((learners, positions.size), -np.inf)
    dense[np.asarray(rows), np.asarray(columns)] = scores
    for learner, opening in forbidden:
        dense[learner, opening] = -np.inf
    dense[dense <= 0] = -np.inf  # never better than unplaced, as in ``solve``
    slots = np.repeat(np.arange(positions.size), positions)
    # Columns: one per position, then one "unplaced" column per learner (score 0).
    matrix = np.concatenate([dense[:, slots], np.zeros((learners, learners))], axis=1)
    forbidden_value = -1e9
    matrix[~np.isfinite(matrix)] = forbidden_value
    chosen_rows, chosen_columns = linear_sum_assignment(matrix, maximize=True)
    opening_of = np.full(learners, -1, dtype=np.int64)
    placed = chosen_columns < slots.size
    opening_of[chosen_rows[placed]] = slots[chosen_columns[placed]]
    return float(matrix[chosen_rows[placed], chosen_columns[placed]].sum()), opening_of


@dataclass(frozen=True)
class Placement:
    """One learner's place in the proposal, with what the coordinator reads about it."""

    learner: Learner
    opening: Opening | None
    score: float
    locked: bool
    alternative: Opening | None
    alternative_score: float | None

    def explain(self, settings: Settings | None = None) -> str:
        """Why this pair (French): the score's parts, then the best alternative and why not."""
        if self.opening is None:
            lines = [f"{self.learner.id} reste sans proposition dans ce placement."]
            if self.alternative is not None and self.alternative_score is not None:
                figure = f"{self.alternative_score:.2f}".replace(".", ",")
                lines.append(
                    f"Sa meilleure offre, {self.alternative.id} (score {figure}), va à "
                    "d'autres personnes : le total de la promotion est plus élevé ainsi."
                )
            else:
                lines.append("Aucune offre ne lui convient (compétences requises ou trajet).")
            return "\n".join(lines)
        lines = []
        if self.locked:
            lines.append(
                f"Couple imposé par la coordination : {self.learner.id} → {self.opening.id}."
            )
        else:
            lines.append(f"{self.learner.id} → {self.opening.id}, choisi par le placement optimal.")
        lines.append(score(self.learner, self.opening, settings).explain())
        if self.alternative is not None and self.alternative_score is not None:
            figure = f"{self.alternative_score:.2f}".replace(".", ",")
            if self.alternative_score > self.score:
                lines.append(
                    f"Meilleure alternative : {self.alternative.id} (score {figure}), mieux notée "
                    "mais dont les postes vont à d'autres : le total de la promotion y gagne."
                )
            else:
                lines.append(f"Meilleure alternative : {self.alternative.id} (score {figure}).")
        else:
            lines.append("Pas d'autre offre possible pour cette personne.")
        return "\n".join(lines)


@dataclass(frozen=True)
class Proposal:
    placements: tuple[Placement, ...]
    total: float
    candidate_pairs: int

    def placed(self) -> list[Placement]:
        return [placement for placement in self.placements if placement.opening is not None]


def assign(
    learners: Sequence[Learner],
    openings: Sequence[Opening],
    settings: Settings | None = None,
    k: int = 32,
    locked: Iterable[tuple[str, str]] = (),
    forbidden: Iterable[tuple[str, str]] = (),
    ranking: Ranking | None = None,
) -> Proposal:
    """The best placement of ``learners`` over ``openings``, pairs given by id.

    Candidates are each learner's top ``k`` openings (pass ``ranking`` to reuse one).
    """
    settings = settings or Settings()
    learner_index = {learner.id: position for position, learner in enumerate(learners)}
    opening_index = {opening.id: position for position, opening in enumerate(openings)}

    def indices(pairs: Iterable[tuple[str, str]], what: str) -> list[tuple[int, int]]:
        result = []
        for learner_id, opening_id in pairs:
            if learner_id not in learner_index or opening_id not in opening_index:
                raise MatchingInputError(
                    f"Couple {what} inconnu : {learner_id} → {opening_id} (absent de la liste)."
                )
            result.append((learner_index[learner_id], opening_index[opening_id]))
        return result

    locked_pairs = indices(locked, "imposé")
    forbidden_pairs = indices(forbidden, "interdit")
    if ranking is None:
        ranking = top_openings(encode(learners, openings, settings), k=k)
    rows, columns, scores = ranking.pairs()
    locked_scores = [
        max(0.0, score(learners[row], openings[column], settings).total)
        for row, column in locked_pairs
    ]
    solution = solve(
        len(learners),
        [opening.positions for opening in openings],
        rows,
        columns,
        scores,
        locked=locked_pairs,
        forbidden=forbidden_pairs,
        locked_scores=locked_scores,
    )
    placements = tuple(
        Placement(
            learner=learner,
            opening=openings[opening] if opening >= 0 else None,
            score=float(solution.score_of[position]),
            locked=bool(solution.locked[position]),
            alternative=openings[alternative] if alternative >= 0 else None,
            alternative_score=None
            if alternative < 0
            else float(solution.alternative_score[position]),
        )
        for position, (learner, opening, alternative) in enumerate(
            zip(
                learners,
                solution.opening_of.tolist(),
                solution.alternative_of.tolist(),
                strict=True,
            )
        )
    )
    return Proposal(placements=placements, total=solution.total, candidate_pairs=int(rows.size))
