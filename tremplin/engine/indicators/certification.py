"""Competency blocks validated and certification obtained, per learner who has left.

The counterparts of the WIOA « measurable skill gains » (at least one block validated) and
« credential attainment » (the whole certification). Definitions: docs/indicators.md,
« Blocs de compétences et certification ».
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from .figures import Figure

__all__ = ["Certification", "LearnerCertification", "certification"]


@dataclass(frozen=True, slots=True)
class LearnerCertification:
    """One enrolment: has it ended, how many of the certification's blocks were validated
    (by the jury, or acquired earlier and recognised), and was the whole certification obtained."""

    ended: bool
    blocks_validated: int
    blocks_total: int
    certified: bool

    def __post_init__(self) -> None:
        if not 0 <= self.blocks_validated <= self.blocks_total:
            raise ValueError(f"blocks validated out of range: {self!r}")
        if self.certified and self.blocks_total and self.blocks_validated != self.blocks_total:
            raise ValueError(f"certified without every block: {self!r}")


@dataclass(frozen=True, slots=True)
class Certification:
    left: int
    # Among learners who left: validated at least one block / obtained the certification.
    at_least_one_block: Figure
    certified: Figure
    # Summed over the learners who left; counts of blocks, not of people, hence no Figure.
    blocks_validated: int
    blocks_total: int


def certification(learners: Iterable[LearnerCertification]) -> Certification:
    left = [learner for learner in learners if learner.ended]
    return Certification(
        left=len(left),
        at_least_one_block=Figure(sum(lrn.blocks_validated > 0 for lrn in left), len(left)),
        certified=Figure(sum(lrn.certified for lrn in left), len(left)),
        blocks_validated=sum(lrn.blocks_validated for lrn in left),
        blocks_total=sum(lrn.blocks_total for lrn in left),
    )
