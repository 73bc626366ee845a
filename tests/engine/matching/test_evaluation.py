"""The evaluation set: the engine must beat the distance-only baseline."""

from tremplin.engine.matching.evaluation import PLACES, evaluate, generate


def test_set_is_seeded_and_in_the_marseille_area():
    first, second = generate(3, learners=50, openings=20), generate(3, learners=50, openings=20)
    assert first == second
    assert len(PLACES) >= 36
    for item in first.learners + first.openings:
        latitude, longitude = item.location
        assert 43.1 < latitude < 43.7 and 4.9 < longitude < 5.7


def test_engine_beats_distance_only_baseline():
    report = evaluate(generate(20270601, learners=600, openings=120))
    assert report.openings > 50
    assert report.engine_precision_at_5 > report.baseline_precision_at_5 + 0.3
    assert report.engine_ndcg_at_10 > report.baseline_ndcg_at_10 + 0.3
    assert "precision@5" in "\n".join(report.lines())
