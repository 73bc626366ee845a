"""The capacitated assignment: capacities, locks, forbids, and the brute-force optimum."""

import numpy as np
import pytest

from tremplin.engine.matching.assignment import assign, brute_force, solve
from tremplin.engine.matching.evaluation import generate
from tremplin.engine.matching.model import MatchingInputError
from tremplin.engine.matching.scoring import top_openings


def random_instance(seed, learners=12, openings=6, density=0.6):
    rng = np.random.default_rng(seed)
    mask = rng.random((learners, openings)) < density
    rows, columns = np.nonzero(mask)
    scores = rng.random(rows.size)
    positions = rng.integers(1, 3, size=openings)
    return rows, columns, scores, positions


@pytest.mark.parametrize("seed", range(8))
def test_equals_linear_sum_assignment_optimum(seed):
    rows, columns, scores, positions = random_instance(seed)
    solution = solve(12, positions, rows, columns, scores)
    optimum, _ = brute_force(12, positions, rows, columns, scores)
    assert solution.total == pytest.approx(optimum, abs=1e-5)
    placed = solution.opening_of[solution.opening_of >= 0]
    assert (np.bincount(placed, minlength=6) <= positions).all()


def test_locks_and_forbids_are_respected():
    rows, columns, scores, positions = random_instance(11, learners=10, openings=4, density=1.0)
    free = solve(10, positions, rows, columns, scores)
    learner = 0
    chosen = int(free.opening_of[learner])
    forced = (chosen + 1) % 4 if chosen >= 0 else 0
    solution = solve(
        10,
        positions,
        rows,
        columns,
        scores,
        locked=[(learner, forced)],
        forbidden=[(1, int(free.opening_of[1]))],
    )
    assert solution.opening_of[learner] == forced
    assert solution.locked[learner]
    assert solution.opening_of[1] != free.opening_of[1]
    placed = solution.opening_of[solution.opening_of >= 0]
    assert (np.bincount(placed, minlength=4) <= positions).all()
    assert solution.total <= free.total + 1e-9


def test_too_many_locks_for_the_positions_are_refused():
    rows, columns, scores, _ = random_instance(3, learners=4, openings=2, density=1.0)
    with pytest.raises(MatchingInputError, match="Plus de personnes imposées"):
        solve(4, [1, 1], rows, columns, scores, locked=[(0, 0), (1, 0)])
    with pytest.raises(MatchingInputError, match="à la fois imposé et interdit"):
        solve(4, [1, 1], rows, columns, scores, locked=[(0, 0)], forbidden=[(0, 0)])


def test_unplaced_beats_a_non_positive_score():
    solution = solve(2, [1], np.array([0, 1]), np.array([0, 0]), np.array([-0.2, 0.0]))
    assert solution.opening_of.tolist() == [-1, -1]


def test_assign_explains_each_pair_and_equals_brute_force_on_all_pairs():
    data = generate(7, learners=40, openings=15)
    proposal = assign(data.learners, data.openings, k=15)
    ranking = top_openings(data.learners, data.openings, k=15)
    rows, columns, scores = ranking.pairs()
    optimum, _ = brute_force(40, [o.positions for o in data.openings], rows, columns, scores)
    assert proposal.total == pytest.approx(optimum, abs=1e-4)
    counts = {}
    for placement in proposal.placed():
        counts[placement.opening.id] = counts.get(placement.opening.id, 0) + 1
        text = placement.explain()
        assert "choisi par le placement optimal" in text
        assert "Part de chaque critère" in text
    assert all(counts[o.id] <= o.positions for o in data.openings if o.id in counts)
    assert proposal.placed()


def test_assign_by_ids_with_lock_and_forbid():
    data = generate(8, learners=30, openings=10)
    first = assign(data.learners, data.openings, k=10)
    placed = first.placed()[0]
    other = next(o for o in data.openings if o.id != placed.opening.id)
    second = assign(
        data.learners,
        data.openings,
        k=10,
        locked=[(data.learners[-1].id, other.id)],
        forbidden=[(placed.learner.id, placed.opening.id)],
    )
    by_learner = {p.learner.id: p for p in second.placements}
    assert by_learner[data.learners[-1].id].opening.id == other.id
    assert "imposé par la coordination" in by_learner[data.learners[-1].id].explain()
    again = by_learner[placed.learner.id]
    assert again.opening is None or again.opening.id != placed.opening.id
    with pytest.raises(MatchingInputError, match="inconnu"):
        assign(data.learners, data.openings, locked=[("nobody", other.id)])
