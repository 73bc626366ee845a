"""Certification readiness per competency block, on plain facts: no database, no Django.

A certification is passed block by block (RNCP « blocs de compétences »). For each block a
learner is:

- ``READY`` when every competency of the block is acquired;
- ``ALMOST`` when at most ``almost_within`` competencies are still missing;
- ``NOT_YET`` otherwise, and for an empty block (nothing can be certified on nothing).

The verdict carries its reasons as data (the codes of the competencies in progress and of
those not started) so the site can phrase them in the reader's language; the engine does not
translate. ``tremplin.assessments.selectors`` adapts the database rows to these types.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum

__all__ = [
    "ACQUIRED",
    "IN_PROGRESS",
    "Block",
    "BlockReadiness",
    "Readiness",
    "block_readiness",
    "readiness",
]

# The level values of ``programmes.enums.CompetencyLevel``, as plain strings.
ACQUIRED = "acquired"
IN_PROGRESS = "in_progress"


class Readiness(StrEnum):
    READY = "ready"
    ALMOST = "almost"
    NOT_YET = "not_yet"


@dataclass(frozen=True)
class Block:
    code: str
    competencies: tuple[str, ...]


@dataclass(frozen=True)
class BlockReadiness:
    block: str
    state: Readiness
    acquired: int
    required: int
    in_progress: tuple[str, ...]
    not_started: tuple[str, ...]

    @property
    def missing(self) -> tuple[str, ...]:
        return self.in_progress + self.not_started


def block_readiness(
    block: Block, levels: Mapping[str, str], *, almost_within: int = 1
) -> BlockReadiness:
    """``levels``: competency code → level; codes absent from it are not started."""
    if almost_within < 0:
        raise ValueError("almost_within must be zero or more")
    in_progress = tuple(c for c in block.competencies if levels.get(c) == IN_PROGRESS)
    not_started = tuple(
        c for c in block.competencies if levels.get(c) not in (ACQUIRED, IN_PROGRESS)
    )
    required = len(block.competencies)
    acquired = required - len(in_progress) - len(not_started)
    missing = required - acquired
    if required == 0:
        state = Readiness.NOT_YET
    elif missing == 0:
        state = Readiness.READY
    elif missing <= almost_within:
        state = Readiness.ALMOST
    else:
        state = Readiness.NOT_YET
    return BlockReadiness(block.code, state, acquired, required, in_progress, not_started)


def readiness(
    blocks: Sequence[Block], levels: Mapping[str, str], *, almost_within: int = 1
) -> list[BlockReadiness]:
    """One verdict per block, in the blocks' order."""
    return [block_readiness(b, levels, almost_within=almost_within) for b in blocks]
