"""A figure: a count of people out of a population, its share, and the small-cell rule.

Every indicator hands back ``Figure`` objects rather than bare percentages, so a page can show
"7 / 12 (58 %)", say "no data" when the population is empty (``value`` is None, never 0 %
and never a ZeroDivisionError), and hide what is about too few people (``suppressed``).
Definitions and the reasoning behind the small-cell rule: docs/indicators.md.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol

__all__ = [
    "SMALL_CELL_MINIMUM",
    "AboutPeople",
    "Figure",
    "figure",
    "suppressed",
]

# Issue 7 §3: any figure about fewer than 5 people is hidden in funder and public views.
SMALL_CELL_MINIMUM = 5


@dataclass(frozen=True, slots=True)
class Figure:
    """``numerator`` people out of ``denominator``; ``value`` is the share, None if no data.

    ``describes_attribute`` marks shares that tell something personal about the people counted
    (on RSA, from a QPV, a woman, an age band, a diploma): for those the small-cell rule also
    protects the numerator and its complement (docs/indicators.md, « Règle des petits effectifs »).
    """

    numerator: int
    denominator: int
    describes_attribute: bool = False
    value: float | None = field(init=False)

    def __post_init__(self) -> None:
        if not 0 <= self.numerator <= self.denominator:
            # Not {self!r}: ``value`` is not set yet.
            raise ValueError(
                f"a figure needs 0 ≤ numerator ≤ denominator, not {self.numerator} of "
                f"{self.denominator}"
            )
        # Four decimals: a share to 0.01 %, the precision the funnel already shows.
        share = round(self.numerator / self.denominator, 4) if self.denominator else None
        object.__setattr__(self, "value", share)

    @property
    def people(self) -> int:
        """How many people the figure is about: its population."""
        return self.denominator

    @property
    def no_data(self) -> bool:
        return self.denominator == 0


def figure(numerator: int, denominator: int, *, describes_attribute: bool = False) -> Figure:
    return Figure(numerator, denominator, describes_attribute=describes_attribute)


class AboutPeople(Protocol):
    """Anything the small-cell rule applies to: it knows the size of its population."""

    @property
    def people(self) -> int: ...


def suppressed(about: AboutPeople | int, minimum: int = SMALL_CELL_MINIMUM) -> bool:
    """Whether a figure must be hidden from funder and public views.

    ``about`` is a figure (anything with ``people``), or a bare count of people (« 3 orientés »).
    Hidden when it is about 1 to ``minimum - 1`` people. An empty population is not hidden: it
    shows as "no data", which says nothing about anyone. For a ``Figure`` that describes a
    personal attribute, also hidden when 1 to ``minimum - 1`` people have it, or lack it:
    "11 of 12 on RSA" tells as much about the twelfth person as "1 of 12" does.
    """
    if minimum < 1:
        raise ValueError(f"the small-cell minimum must be at least 1, not {minimum}")

    def small(count: int) -> bool:
        return 0 < count < minimum

    if isinstance(about, int):
        return small(about)
    if small(about.people):
        return True
    if isinstance(about, Figure) and about.describes_attribute:
        return small(about.numerator) or small(about.denominator - about.numerator)
    return False
