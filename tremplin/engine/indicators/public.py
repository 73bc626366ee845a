"""The public served: who entered training (QPV, RSA, women, age bands, diploma level).

One ``Entrant`` per enrolment, read at entry. Every share is a ``Figure`` that describes a
personal attribute, so the small-cell rule also protects its numerator and complement.
Definitions: docs/indicators.md, « Public accueilli ».
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from .figures import Figure
from .vocabulary import DIPLOMAS

__all__ = ["AGE_BANDS", "Entrant", "PublicServed", "age_band", "age_on", "public_served"]

# Ages in completed years on the day of entry, bands fixed by issue 7: under 26 is the public of
# the Missions locales (16 to 25); (key, lowest age, highest age or None).
AGE_BANDS: tuple[tuple[str, int, int | None], ...] = (
    ("under_26", 0, 25),
    ("26_44", 26, 44),
    ("45_plus", 45, None),
)


def age_on(birth_date: datetime.date, day: datetime.date) -> int:
    """Age in completed years (a birthday on 29 February is reached on 1 March)."""
    before_birthday = (day.month, day.day) < (birth_date.month, birth_date.day)
    return day.year - birth_date.year - int(before_birthday)


def age_band(age: int) -> str:
    for key, low, high in AGE_BANDS:
        if age >= low and (high is None or age <= high):
            return key
    raise ValueError(f"negative age: {age}")


@dataclass(frozen=True, slots=True)
class Entrant:
    """One person entering training, as recorded at entry.

    ``in_qpv``: lives in a priority neighbourhood (the address located inside one, or declared);
    ``woman``: None when not recorded; ``diploma``: a ``Diploma`` value, "" when not recorded.
    """

    entered_on: datetime.date
    birth_date: datetime.date
    in_qpv: bool
    receives_rsa: bool
    woman: bool | None
    diploma: str

    def __post_init__(self) -> None:
        if self.diploma and self.diploma not in DIPLOMAS:
            raise ValueError(f"unknown diploma: {self.diploma!r}")
        if self.birth_date > self.entered_on:
            raise ValueError(f"born after entry: {self!r}")


@dataclass(frozen=True, slots=True)
class PublicServed:
    entrants: int
    qpv: Figure
    rsa: Figure
    # Out of the entrants whose sex is recorded; ``sex_unknown`` are left out.
    women: Figure
    sex_unknown: int
    # (band key, share of all entrants), in the order of AGE_BANDS.
    age_bands: tuple[tuple[str, Figure], ...]
    # (Diploma value, share of the entrants whose diploma is recorded), lowest level first.
    diplomas: tuple[tuple[str, Figure], ...]
    diploma_unknown: int


def public_served(entrants: Iterable[Entrant]) -> PublicServed:
    people = list(entrants)
    total = len(people)

    def share(count: int, among: int = total) -> Figure:
        return Figure(count, among, describes_attribute=True)

    sex_known = [p for p in people if p.woman is not None]
    bands = [age_band(age_on(p.birth_date, p.entered_on)) for p in people]
    diploma_known = [p.diploma for p in people if p.diploma]
    return PublicServed(
        entrants=total,
        qpv=share(sum(p.in_qpv for p in people)),
        rsa=share(sum(p.receives_rsa for p in people)),
        women=share(sum(bool(p.woman) for p in sex_known), len(sex_known)),
        sex_unknown=total - len(sex_known),
        age_bands=tuple((key, share(bands.count(key))) for key, _, _ in AGE_BANDS),
        diplomas=tuple(
            (level, share(diploma_known.count(level), len(diploma_known))) for level in DIPLOMAS
        ),
        diploma_unknown=total - len(diploma_known),
    )
