import pytest

from tremplin.engine.readiness import Block, Readiness, block_readiness, readiness

BLOCK = Block("B1", ("C1", "C2", "C3"))


def test_every_competency_acquired_is_ready() -> None:
    verdict = block_readiness(BLOCK, {"C1": "acquired", "C2": "acquired", "C3": "acquired"})
    assert verdict.state == Readiness.READY
    assert (verdict.acquired, verdict.required, verdict.missing) == (3, 3, ())


def test_one_missing_is_almost_and_says_which() -> None:
    verdict = block_readiness(BLOCK, {"C1": "acquired", "C2": "in_progress", "C3": "acquired"})
    assert verdict.state == Readiness.ALMOST
    assert verdict.in_progress == ("C2",)
    assert verdict.not_started == ()


def test_more_missing_than_allowed_is_not_yet() -> None:
    verdict = block_readiness(BLOCK, {"C1": "acquired", "C2": "in_progress"})
    assert verdict.state == Readiness.NOT_YET
    assert verdict.in_progress == ("C2",)
    assert verdict.not_started == ("C3",)
    assert verdict.missing == ("C2", "C3")


def test_the_almost_threshold_is_a_parameter() -> None:
    levels = {"C1": "acquired"}
    assert block_readiness(BLOCK, levels, almost_within=2).state == Readiness.ALMOST
    assert block_readiness(BLOCK, levels, almost_within=0).state == Readiness.NOT_YET
    with pytest.raises(ValueError):
        block_readiness(BLOCK, levels, almost_within=-1)


def test_not_assessed_and_unknown_levels_count_as_not_started() -> None:
    verdict = block_readiness(BLOCK, {"C1": "not_assessed", "C2": "whatever", "X": "acquired"})
    assert verdict.not_started == ("C1", "C2", "C3")
    assert verdict.acquired == 0


def test_an_empty_block_is_never_ready() -> None:
    assert block_readiness(Block("B0", ()), {}).state == Readiness.NOT_YET


def test_readiness_keeps_the_order_of_the_blocks() -> None:
    second = Block("B2", ("D1",))
    result = readiness([second, BLOCK], {"D1": "acquired"})
    assert [(r.block, r.state) for r in result] == [
        ("B2", Readiness.READY),
        ("B1", Readiness.NOT_YET),
    ]
