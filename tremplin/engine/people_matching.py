"""Likely duplicates among people, each with the reasons a person can check.

Two records are "likely the same person" only for a reason someone can verify by reading
them side by side: the same names and birth date, the same email address, the same phone
number, or the same birth date with names that differ the way typing errors and compound
names make them differ (first and last names swapped, the same last name with the same
first-name initial, one last name inside the other, one or two letters apart). The same
names alone never match: there are many Mohamed Benali and Marie Martin, born on other days.

Pure Python: the people app fetches the candidates with indexed lookups (``lookup_keys``
says which), then asks ``match_reasons`` why each one may be the same person.
"""

from __future__ import annotations

import datetime
import unicodedata
from collections import defaultdict
from collections.abc import Hashable, Iterable
from dataclasses import dataclass
from enum import StrEnum

# Digits of a French number after the trunk prefix (0) or the country code (+33).
NATIONAL_DIGITS = 9
# Name parts shorter than this ("de", "el", "le") say nothing about who someone is.
MIN_NAME_PART = 3
# A phone or email shared by more records than this is a placeholder, not a person's.
MAX_SHARED_CONTACT = 20
# Full names this long (letters and spaces) may differ by two letters, shorter ones by one.
LONG_NAME = 12


class Reason(StrEnum):
    """Why two records may be the same person, strongest first."""

    SAME_IDENTITY = "same_identity"
    SAME_EMAIL = "same_email"
    SAME_PHONE = "same_phone"
    SWAPPED_NAMES = "swapped_names"
    SWAPPED_DAY_MONTH = "swapped_day_month"
    SAME_LAST_NAME_INITIAL = "same_last_name_initial"
    SHARED_LAST_NAME = "shared_last_name"
    CLOSE_SPELLING = "close_spelling"


# Reasons that name someone without their contact details: they need the birth date to agree.
NAME_REASONS = frozenset(
    {
        Reason.SAME_IDENTITY,
        Reason.SWAPPED_NAMES,
        Reason.SWAPPED_DAY_MONTH,
        Reason.SAME_LAST_NAME_INITIAL,
        Reason.SHARED_LAST_NAME,
        Reason.CLOSE_SPELLING,
    }
)


@dataclass(frozen=True, slots=True)
class Identity:
    """What matching looks at: names, birth date and contact details, as typed."""

    first_name: str
    last_name: str
    birth_date: datetime.date
    email: str = ""
    phone: str = ""


@dataclass(frozen=True, slots=True)
class LookupKeys:
    """What a database must be asked for to find every possible match of one identity.

    A known person can match only if they share one of these: a birth date (the identity's
    own, or with day and month swapped), the normalised email, or the phone's national digits.
    """

    birth_dates: tuple[datetime.date, ...]
    email: str
    phone_tail: str


def normalise_name(name: str) -> str:
    """« Rose-Marie  D'ÉTIENNE » → « rose-marie d'etienne » (as ``people.models`` compares)."""
    decomposed = unicodedata.normalize("NFKD", name)
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(bare.casefold().split())


def normalise_email(email: str) -> str:
    """Addresses compare without case or surrounding spaces; '' when there is none."""
    return email.strip().casefold()


def _digits(text: str) -> str:
    return "".join(c for c in text if c in "0123456789")


def normalise_phone(phone: str) -> str:
    """« +33 (0)6 12 34 56 78 », « 0033 6… », « 06.12.34.56.78 » → « 0612345678 ».

    Numbers of other countries keep their « + » and digits. Anything too short to be a
    phone number gives '' (and so matches nothing).
    """
    text = phone.strip()
    digits = _digits(text)
    if text.startswith("+") and not digits.startswith("33"):
        return f"+{digits}" if len(digits) >= NATIONAL_DIGITS else ""
    if digits.startswith("0033"):
        digits = digits[4:]
    elif digits.startswith("33") and (text.startswith("+") or len(digits) == 11):
        digits = digits[2:]
    digits = digits.lstrip("0")
    if len(digits) != NATIONAL_DIGITS:
        return ""
    return f"0{digits}"


def phone_tail(phone: str) -> str:
    """The last nine digits of a phone as stored: the indexed lookup key (see ``LookupKeys``)."""
    digits = _digits(phone)
    return digits[-NATIONAL_DIGITS:] if len(digits) >= NATIONAL_DIGITS else ""


def swapped_day_month(day: datetime.date) -> datetime.date | None:
    """04/05 typed as 05/04: the other reading of a birth date, if it is a different date."""
    if day.day == day.month or day.day > 12:
        return None
    return day.replace(month=day.day, day=day.month)


def lookup_keys(identity: Identity) -> LookupKeys:
    swapped = swapped_day_month(identity.birth_date)
    dates = (identity.birth_date,) if swapped is None else (identity.birth_date, swapped)
    return LookupKeys(
        birth_dates=dates,
        email=normalise_email(identity.email),
        phone_tail=phone_tail(identity.phone),
    )


def edit_distance(a: str, b: str, limit: int) -> int:
    """Levenshtein distance between ``a`` and ``b``, or ``limit + 1`` once it exceeds ``limit``.

    Only the band of cells within ``limit`` of the diagonal is computed: names are compared
    by the thousand, and only near-identical ones matter.
    """
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    if a == b:
        return 0
    over = limit + 1
    previous = [j if j <= limit else over for j in range(len(b) + 1)]
    for i in range(1, len(a) + 1):
        current = [over] * (len(b) + 1)
        current[0] = i if i <= limit else over
        low, high = max(1, i - limit), min(len(b), i + limit)
        for j in range(low, high + 1):
            current[j] = min(
                previous[j] + 1,
                current[j - 1] + 1,
                previous[j - 1] + (a[i - 1] != b[j - 1]),
                over,
            )
        if min(current[low - 1 : high + 1]) > limit:
            return over
        previous = current
    return previous[-1]


def _parts(name: str) -> set[str]:
    """The words of a normalised name, split on spaces, hyphens and apostrophes."""
    words = name.replace("-", " ").replace("'", " ").split()
    return {w for w in words if len(w) >= MIN_NAME_PART}


def _name_reasons(first_a: str, last_a: str, first_b: str, last_b: str) -> list[Reason]:
    """Reasons the names of two people born the same day may be the same person's."""
    if (first_a, last_a) == (first_b, last_b):
        return [Reason.SAME_IDENTITY]
    reasons = []
    if (first_a, last_a) == (last_b, first_b):
        reasons.append(Reason.SWAPPED_NAMES)
    if last_a == last_b and first_a[:1] == first_b[:1]:
        reasons.append(Reason.SAME_LAST_NAME_INITIAL)
    elif first_a == first_b and last_a != last_b:
        parts_a, parts_b = _parts(last_a), _parts(last_b)
        if parts_a and parts_b and (parts_a <= parts_b or parts_b <= parts_a):
            reasons.append(Reason.SHARED_LAST_NAME)
    full_a, full_b = f"{last_a} {first_a}", f"{last_b} {first_b}"
    limit = 2 if min(len(full_a), len(full_b)) >= LONG_NAME else 1
    if not reasons and edit_distance(full_a, full_b, limit) <= limit:
        reasons.append(Reason.CLOSE_SPELLING)
    return reasons


@dataclass(frozen=True, slots=True)
class _Normalised:
    first: str
    last: str
    birth_date: datetime.date
    email: str
    phone: str


def _normalised(identity: Identity) -> _Normalised:
    return _Normalised(
        first=normalise_name(identity.first_name),
        last=normalise_name(identity.last_name),
        birth_date=identity.birth_date,
        email=normalise_email(identity.email),
        phone=normalise_phone(identity.phone),
    )


def _reasons(a: _Normalised, b: _Normalised) -> tuple[Reason, ...]:
    reasons: list[Reason] = []
    if a.birth_date == b.birth_date:
        reasons += _name_reasons(a.first, a.last, b.first, b.last)
    elif (a.first, a.last) == (b.first, b.last) and swapped_day_month(a.birth_date) == b.birth_date:
        reasons.append(Reason.SWAPPED_DAY_MONTH)
    if a.email and a.email == b.email:
        reasons.append(Reason.SAME_EMAIL)
    if a.phone and a.phone == b.phone:
        reasons.append(Reason.SAME_PHONE)
    return tuple(sorted(reasons, key=_ORDER.__getitem__))


_ORDER = {reason: index for index, reason in enumerate(Reason)}


def match_reasons(new: Identity, known: Identity) -> tuple[Reason, ...]:
    """Why ``known`` may be the same person as ``new``; empty when nothing says so."""
    return _reasons(_normalised(new), _normalised(known))


def duplicate_pairs[K: Hashable](
    people: Iterable[tuple[K, Identity]],
) -> list[tuple[K, K, tuple[Reason, ...]]]:
    """Every pair of likely duplicates among ``people``, in the order the people came.

    Only people who share a lookup key (birth date, email, phone digits) are compared, so the
    work grows with the size of those groups, not with the square of the population.
    """
    listed = list(people)
    normalised = [_normalised(identity) for _, identity in listed]
    buckets: defaultdict[tuple[str, object], list[int]] = defaultdict(list)
    for index, (_, identity) in enumerate(listed):
        keys = lookup_keys(identity)
        buckets["birth", identity.birth_date].append(index)
        swapped = swapped_day_month(identity.birth_date)
        if swapped is not None and swapped > identity.birth_date:
            # Filed under the later reading too: a 04/05 and a 05/04 meet under 05/04.
            buckets["birth", swapped].append(index)
        if keys.email:
            buckets["email", keys.email].append(index)
        if keys.phone_tail:
            buckets["phone", keys.phone_tail].append(index)
    compared: set[tuple[int, int]] = set()
    pairs: list[tuple[int, int, tuple[Reason, ...]]] = []
    for (kind, _), members in buckets.items():
        if kind != "birth" and len(members) > MAX_SHARED_CONTACT:
            continue  # a placeholder (agency switchboard, shared mailbox), not evidence
        for i, a in enumerate(members):
            for b in members[i + 1 :]:
                pair = (min(a, b), max(a, b))
                if pair in compared:
                    continue
                compared.add(pair)
                reasons = _reasons(normalised[pair[0]], normalised[pair[1]])
                if reasons:
                    pairs.append((pair[0], pair[1], reasons))
    pairs.sort(key=lambda p: (p[0], p[1]))
    return [(listed[a][0], listed[b][0], reasons) for a, b, reasons in pairs]
