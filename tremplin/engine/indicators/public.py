"""The public served: who entered training (QPV, RSA, women, age bands, diploma level).

One ``Entrant`` per enrolment, read at entry. Every share is a ``Figure`` that describes a
personal attribute, so the small-cell rule also protects its numerator and complement.
Definitions: docs/indicators.md, « Public accueilli ».
"""

from __future__ import annotations

import datetime
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from .figures import Figure
from .vocabulary import DIPLOMAS

__all__ = [
    "AGE_BANDS",
    "Entrant",
    "EntrantProfile",
    "PublicServed",
    "age_band",
    "age_on",
    "public_served",
    "public_served_from_counts",
    "public_served_from_totals",
]

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

    @property
    def profile(self) -> EntrantProfile:
        return EntrantProfile(
            age_band=age_band(age_on(self.birth_date, self.entered_on)),
            in_qpv=self.in_qpv,
            receives_rsa=self.receives_rsa,
            woman=self.woman,
            diploma=self.diploma,
        )


@dataclass(frozen=True, slots=True)
class EntrantProfile:
    """What the public-served figures read of one entrant: entrants with the same profile are
    counted together (a GROUP BY in the database)."""

    age_band: str
    in_qpv: bool
    receives_rsa: bool
    woman: bool | None
    diploma: str

    def __post_init__(self) -> None:
        if self.age_band not in {key for key, _low, _high in AGE_BANDS}:
            raise ValueError(f"unknown age band: {self.age_band!r}")
        if self.diploma and self.diploma not in DIPLOMAS:
            raise ValueError(f"unknown diploma: {self.diploma!r}")


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
    return public_served_from_counts(Counter(p.profile for p in entrants))


def public_served_from_counts(profiles: Mapping[EntrantProfile, int]) -> PublicServed:
    """``public_served`` from the number of entrants per profile."""
    total = sex_known = women = qpv = rsa = 0
    bands: Counter[str] = Counter()
    diplomas: Counter[str] = Counter()
    for profile, count in profiles.items():
        if count < 0:
            raise ValueError(f"negative count of {profile!r}: {count}")
        total += count
        qpv += count * profile.in_qpv
        rsa += count * profile.receives_rsa
        if profile.woman is not None:
            sex_known += count
            women += count * profile.woman
        bands[profile.age_band] += count
        if profile.diploma:
            diplomas[profile.diploma] += count
    return public_served_from_totals(
        entrants=total,
        in_qpv=qpv,
        receives_rsa=rsa,
        women=women,
        sex_known=sex_known,
        age_bands=bands,
        diplomas=diplomas,
    )


def public_served_from_totals(
    *,
    entrants: int,
    in_qpv: int,
    receives_rsa: int,
    women: int,
    sex_known: int,
    age_bands: Mapping[str, int],
    diplomas: Mapping[str, int],
) -> PublicServed:
    """``public_served`` from its totals: entrants, in a QPV, on RSA, women among those whose
    sex is known, entrants per age band (all of them) and per diploma (those recorded)."""
    if set(age_bands) - {key for key, _low, _high in AGE_BANDS}:
        raise ValueError(f"unknown age bands: {sorted(age_bands)}")
    if set(diplomas) - set(DIPLOMAS):
        raise ValueError(f"unknown diplomas: {sorted(diplomas)}")
    if sum(age_bands.values()) != entrants or not 0 <= sum(diplomas.values()) <= entrants:
        raise ValueError(f"age bands or diplomas do not add up to {entrants} entrants")
    diploma_known = sum(diplomas.values())

    def share(count: int, among: int = entrants) -> Figure:
        return Figure(count, among, describes_attribute=True)

    return PublicServed(
        entrants=entrants,
        qpv=share(in_qpv),
        rsa=share(receives_rsa),
        women=share(women, sex_known),
        sex_unknown=entrants - sex_known,
        age_bands=tuple((key, share(age_bands.get(key, 0))) for key, _, _ in AGE_BANDS),
        diplomas=tuple((level, share(diplomas.get(level, 0), diploma_known)) for level in DIPLOMAS),
        diploma_unknown=entrants - diploma_known,
    )
