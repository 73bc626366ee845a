"""The matching scores: exclusions, distances, explanations, top-k against brute force."""

import datetime

import numpy as np
import pytest

from tremplin.engine.matching.evaluation import PLACES, generate
from tremplin.engine.matching.model import Learner, MatchingInputError, Opening, Settings
from tremplin.engine.matching.scoring import (
    distance_km,
    encode,
    score,
    score_block,
    top_learners,
    top_openings,
)

DAY = datetime.date(2027, 6, 1)


def learner(**changes):
    values = dict(
        id="L1",
        competencies=frozenset({"FO-C1", "FO-C2", "FO-C3"}),
        location=PLACES["Marseille 13e"],
        max_km=30.0,
        mobility="car",
        contracts=frozenset({"CDI"}),
        hours="full",
        available_from=DAY,
    )
    values.update(changes)
    return Learner(**values)


def opening(**changes):
    values = dict(
        id="O1",
        required=frozenset({"FO-C1", "FO-C2"}),
        desired=frozenset({"FO-C3", "FO-C9"}),
        location=PLACES["Vitrolles"],
        contract="CDI",
        hours="full",
        starts=DAY,
        positions=1,
    )
    values.update(changes)
    return Opening(**values)


def test_distance_between_known_centroids():
    # Marseille 13e ↔ Vitrolles is about 19–20 km as the crow flies.
    assert distance_km(PLACES["Marseille 13e"], PLACES["Vitrolles"]) == pytest.approx(19.5, abs=1.5)
    assert distance_km(PLACES["Marseille 1er"], PLACES["Aix-en-Provence"]) == pytest.approx(
        26.0, abs=2.0
    )
    assert distance_km(PLACES["Vitrolles"], PLACES["Vitrolles"]) == 0.0


def test_vectorised_distance_matches_haversine():
    learners = [learner(id=name, location=where) for name, where in PLACES.items()]
    openings = [
        opening(id=name, location=where, required=frozenset()) for name, where in PLACES.items()
    ]
    scored = score(learners[12], openings[20])
    assert scored.distance_km == pytest.approx(
        distance_km(PLACES["Marseille 13e"], PLACES["Vitrolles"])
    )
    encoded = encode(learners, openings, Settings(beyond_reach="zero"))
    block = score_block(encoded, slice(None))
    for row in (0, 12, 30):
        for column in (3, 20, 35):
            assert block[row, column] == pytest.approx(
                score(learners[row], openings[column], Settings(beyond_reach="zero")).total
            )


def test_missing_required_competency_excludes_by_default():
    scored = score(learner(competencies=frozenset({"FO-C1"})), opening())
    assert scored.excluded_reason is not None
    assert scored.missing_required == {"FO-C2"}
    assert "FO-C2" in scored.explain()
    assert "Non proposé" in scored.explain()


def test_missing_required_competency_weighs_when_set_as_penalty():
    settings = Settings(missing_required=0.5)
    full = score(learner(), opening(), settings)
    missing = score(learner(competencies=frozenset({"FO-C1", "FO-C3"})), opening(), settings)
    assert missing.excluded_reason is None
    assert missing.parts["missing_required"] == pytest.approx(-0.25)
    assert missing.total < full.total - 0.25
    encoded = encode([learner(competencies=frozenset({"FO-C1", "FO-C3"}))], [opening()], settings)
    assert score_block(encoded, slice(None))[0, 0] == pytest.approx(missing.total)


def test_no_location_is_refused_never_guessed():
    with pytest.raises(MatchingInputError, match="commune n'est pas connue"):
        score(learner(location=None), opening())
    with pytest.raises(MatchingInputError, match="lieu de travail n'est pas connu"):
        top_openings([learner()], [opening(location=None)], k=3)
    with pytest.raises(MatchingInputError):
        top_learners(opening(), [learner(), learner(id="L2", location=None)])


def test_reach_depends_on_mobility():
    # 19.5 km: within reach by car (30 km), not on foot (30 × 0.3 = 9 km).
    assert score(learner(), opening()).excluded_reason is None
    on_foot = score(learner(mobility="none"), opening())
    assert on_foot.excluded_reason is not None and "portée" in on_foot.excluded_reason


def test_explanation_gives_each_terms_share():
    scored = score(learner(contracts=frozenset({"CDD"})), opening())
    assert sum(scored.parts.values()) == pytest.approx(scored.total)
    assert sum(scored.shares().values()) == pytest.approx(1.0)
    text = scored.explain()
    assert "Compétences requises acquises (2 sur 2) : FO-C1, FO-C2." in text
    assert "Compétences souhaitées acquises : FO-C3." in text
    assert "Le contrat proposé (CDI)" in text
    assert "Part de chaque critère : compétences" in text
    assert "km à vol d'oiseau" in text


def brute_top(learners, openings, k, settings):
    result = []
    for one in learners:
        scored = []
        for column, other in enumerate(openings):
            value = score(one, other, settings)
            if value.excluded_reason is None:
                scored.append((-value.total, column))
        scored.sort()
        result.append([(column, -negative) for negative, column in scored[:k]])
    return result


@pytest.mark.parametrize("seed", [1, 2, 3])
@pytest.mark.parametrize(
    "engine_settings", [Settings(), Settings(missing_required=0.8, beyond_reach="zero")]
)
def test_top_k_equals_brute_force(seed, engine_settings):
    data = generate(seed, learners=60, openings=80)
    ranking = top_openings(data.learners, data.openings, k=7, settings=engine_settings, block=16)
    expected = brute_top(data.learners, data.openings, 7, engine_settings)
    for row, wanted in enumerate(expected):
        got = [
            (int(c), float(s))
            for c, s in zip(ranking.indices[row], ranking.scores[row], strict=True)
            if c >= 0
        ]
        assert [s for _, s in got] == pytest.approx([s for _, s in wanted])
        # Each opening returned has the score brute force gives it (ties at the cut may pick
        # another opening of the same score).
        for column, value in got:
            reference = score(data.learners[row], data.openings[column], engine_settings)
            assert reference.excluded_reason is None
            assert reference.total == pytest.approx(value)


def test_threads_give_the_same_ranking():
    data = generate(4, learners=300, openings=50)
    one = top_openings(data.learners, data.openings, k=5, block=32)
    two = top_openings(data.learners, data.openings, k=5, block=32, workers=2)
    assert np.array_equal(one.indices, two.indices)


def test_top_learners_for_an_opening():
    data = generate(5, learners=200, openings=10)
    target = data.openings[3]
    ranking = top_learners(target, data.learners, k=5)
    values = sorted(
        (
            score(one, target).total
            for one in data.learners
            if score(one, target).excluded_reason is None
        ),
        reverse=True,
    )[:5]
    got = [s for c, s in zip(ranking.indices[0], ranking.scores[0], strict=True) if c >= 0]
    assert got == pytest.approx(values)
    encoded = encode(data.learners, data.openings)
    assert np.array_equal(top_learners(target, encoded, k=5).indices, ranking.indices)


def test_fewer_candidates_than_k_are_padded():
    ranking = top_openings(
        [learner()], [opening(), opening(id="O2", location=PLACES["Istres"])], k=4
    )
    assert ranking.indices[0].tolist() == [0, -1, -1, -1]


def test_ties_across_the_cut_keep_the_lowest_indices():
    # 400 equal openings, then a better one: the best, then the four lowest-numbered of the
    # tied ones (argpartition alone may keep any four of them).
    same = [opening(id=f"O{n}") for n in range(400)]
    better = opening(id="best", location=PLACES["Marseille 13e"])
    ranking = top_openings([learner()], [*same, better], k=5)
    assert ranking.indices[0].tolist() == [400, 0, 1, 2, 3]
    column = top_learners(opening(), [learner(id=f"L{n}") for n in range(300)], k=3)
    assert column.indices[0].tolist() == [0, 1, 2]
