"""Blocks validated (≈ WIOA measurable skill gains) and certification (≈ credential attainment)."""

import pytest

from tremplin.engine.indicators import LearnerCertification, certification


def learner(validated, certified=False, *, ended=True, total=3):
    return LearnerCertification(
        ended=ended, blocks_validated=validated, blocks_total=total, certified=certified
    )


def test_blocks_and_certification_among_learners_who_left():
    result = certification(
        [
            learner(3, certified=True),
            learner(3, certified=True),
            learner(1),  # a block, no certification: a skill gain all the same
            learner(0),  # dropped out early: stays in the denominator
            learner(2, ended=False),  # still in training: not counted yet
        ]
    )
    assert result.left == 4
    assert (result.at_least_one_block.numerator, result.at_least_one_block.denominator) == (3, 4)
    assert result.certified.value == 0.5
    assert (result.blocks_validated, result.blocks_total) == (7, 12)


def test_nobody_has_left_is_no_data():
    result = certification([learner(1, ended=False)])
    assert result.left == 0
    assert result.certified.value is None
    assert result.at_least_one_block.value is None


@pytest.mark.parametrize(("validated", "certified"), [(4, False), (-1, False), (2, True)])
def test_inconsistent_facts_are_refused(validated, certified):
    with pytest.raises(ValueError, match="block"):
        learner(validated, certified)
