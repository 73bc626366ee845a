"""Eligibility of a person for a programme, on plain facts: no database, no Django.

Two pure computations, used by ``tremplin.eligibility`` (which adapts rows to these types):

- ``derive``: which criteria of the catalogue a person's profile already shows (age from the
  birth date, unemployment duration from the France Travail registration date, priority
  neighbourhood, RSA, diploma, mobility), and whether that derived value stands as proof
  (a detected QPV does; a QPV the person declared does not: it is « déclaratif »).
- ``evaluate``: whether a diagnostic meets a programme's rule on a given day, and if not,
  why, in sentences a coordinator can act on. A criterion counts on a day only while its
  support holds: derived from a verified fact, or at least one proof still valid then.

Reasons carry a ``code`` and ``params`` so the site can render them in the reader's language;
``text`` is the French sentence (French is the domain's language and the site's default).
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum

__all__ = [
    "Derivation",
    "Derived",
    "Fact",
    "Profile",
    "Reason",
    "Rule",
    "Situation",
    "Ticked",
    "Verdict",
    "age_on",
    "derive",
    "evaluate",
    "months_between",
]


class Fact(StrEnum):
    """The facts of a profile a criterion may be derived from."""

    AGE = "age"
    UNEMPLOYED_MONTHS = "unemployed_months"
    QPV = "qpv"
    RSA = "rsa"
    DIPLOMA = "diploma"
    MOBILITY = "mobility"


@dataclass(frozen=True, slots=True)
class Derivation:
    """How one criterion reads the profile: ``fact`` within [minimum, maximum] or in values."""

    code: str
    fact: Fact
    minimum: int | None = None
    maximum: int | None = None
    values: tuple[str, ...] = ()
    # The derived value is itself the proof (a birth date on record, a geocoded address).
    stands_as_proof: bool = False


@dataclass(frozen=True, slots=True)
class Profile:
    birth_date: datetime.date
    job_seeker_since: datetime.date | None
    receives_rsa: bool
    qpv_code: str
    qpv_name: str
    qpv_declared: bool
    highest_diploma: str
    mobility: str


@dataclass(frozen=True, slots=True)
class Derived:
    """A criterion the profile shows, with the value that shows it."""

    code: str
    fact: Fact
    value: str
    declarative: bool
    stands_as_proof: bool


def age_on(birth_date: datetime.date, day: datetime.date) -> int:
    before_birthday = (day.month, day.day) < (birth_date.month, birth_date.day)
    return day.year - birth_date.year - int(before_birthday)


def months_between(start: datetime.date, day: datetime.date) -> int:
    """Whole months from ``start`` to ``day`` (0 if ``day`` is earlier)."""
    months = (day.year - start.year) * 12 + day.month - start.month - int(day.day < start.day)
    return max(months, 0)


def _within(value: int, rule: Derivation) -> bool:
    if rule.minimum is not None and value < rule.minimum:
        return False
    return rule.maximum is None or value <= rule.maximum


def derive(
    derivations: Sequence[Derivation], profile: Profile, on: datetime.date
) -> dict[str, Derived]:
    """The criteria ``profile`` shows on day ``on``, by criterion code."""
    found: dict[str, Derived] = {}
    for rule in derivations:
        derived: Derived | None = None
        if rule.fact is Fact.AGE:
            age = age_on(profile.birth_date, on)
            if _within(age, rule):
                derived = Derived(rule.code, rule.fact, str(age), False, rule.stands_as_proof)
        elif rule.fact is Fact.UNEMPLOYED_MONTHS:
            if profile.job_seeker_since is not None:
                months = months_between(profile.job_seeker_since, on)
                if _within(months, rule):
                    # The registration date is what the referrer typed: the proof is still due.
                    derived = Derived(rule.code, rule.fact, str(months), True, False)
        elif rule.fact is Fact.QPV:
            if profile.qpv_code:
                value = profile.qpv_name or profile.qpv_code
                derived = Derived(rule.code, rule.fact, value, False, rule.stands_as_proof)
            elif profile.qpv_declared:
                derived = Derived(rule.code, rule.fact, "", True, False)
        elif rule.fact is Fact.RSA:
            if profile.receives_rsa:
                derived = Derived(rule.code, rule.fact, "", True, False)
        elif rule.fact is Fact.DIPLOMA:
            if profile.highest_diploma in rule.values:
                derived = Derived(rule.code, rule.fact, profile.highest_diploma, True, False)
        elif rule.fact is Fact.MOBILITY and profile.mobility in rule.values:
            derived = Derived(rule.code, rule.fact, profile.mobility, True, False)
        if derived is not None:
            found[rule.code] = derived
    return found


@dataclass(frozen=True, slots=True)
class Rule:
    """A programme's rule: enough criteria (level 1 or level 2), registration, age bounds."""

    level1_needed: int = 1
    level2_needed: int = 2
    france_travail_required: bool = True
    min_age: int | None = 18
    max_age: int | None = 64

    def describe(self) -> str:
        text = (
            f"{self.level1_needed} critère(s) de niveau 1 ou "
            f"{self.level2_needed} critère(s) de niveau 2"
        )
        if self.france_travail_required:
            text += ", inscription à France Travail"
        if self.min_age is not None and self.max_age is not None:
            text += f", de {self.min_age} à {self.max_age} ans"
        elif self.min_age is not None:
            text += f", {self.min_age} ans ou plus"
        elif self.max_age is not None:
            text += f", {self.max_age} ans au plus"
        return text


@dataclass(frozen=True, slots=True)
class Ticked:
    """A criterion ticked in a diagnostic, with what supports it.

    ``proofs_valid_until``: one entry per proof, the last day it is valid (None: no limit).
    """

    code: str
    label: str
    level: int
    proof_required: bool
    proofs_valid_until: tuple[datetime.date | None, ...] = ()

    def held_on(self, day: datetime.date) -> bool:
        if not self.proof_required:
            return True
        return any(until is None or day <= until for until in self.proofs_valid_until)

    def expired_on(self, day: datetime.date) -> datetime.date | None:
        """The day its last proof stopped being valid, if it no longer holds on ``day``."""
        if self.held_on(day) or not self.proofs_valid_until:
            return None
        return max(until for until in self.proofs_valid_until if until is not None)


@dataclass(frozen=True, slots=True)
class Situation:
    """What a diagnostic says, plus the person's age when it is judged."""

    ticked: tuple[Ticked, ...]
    age: int | None
    registered_with_france_travail: bool
    valid_until: datetime.date | None = None


def _date(day: object) -> str:
    return f"{day:%d/%m/%Y}" if isinstance(day, datetime.date) else str(day)


# The French sentence of each reason; ``eligibility.verdicts`` holds the same msgids for gettext.
REASON_TEXTS: Mapping[str, str] = {
    "expired": "Le diagnostic a expiré le %(day)s.",
    "proof_expired": "Le justificatif du critère « %(criterion)s » n'est plus valable depuis "
    "le %(day)s.",
    "proof_missing": "Le critère « %(criterion)s » n'a pas de justificatif.",
    "criteria": "Il faut %(level1)s critère(s) de niveau 1 ou %(level2)s critère(s) de niveau 2 "
    ": %(have1)s de niveau 1 et %(have2)s de niveau 2 retenus.",
    "france_travail": "La personne doit être inscrite à France Travail.",
    "too_young": "La personne a %(age)s ans : le parcours demande %(min_age)s ans au moins.",
    "too_old": "La personne a %(age)s ans : le parcours est ouvert jusqu'à %(max_age)s ans.",
}


@dataclass(frozen=True, slots=True)
class Reason:
    code: str
    params: Mapping[str, str | int] = field(default_factory=dict)

    @property
    def text(self) -> str:
        return REASON_TEXTS[self.code] % dict(self.params)


@dataclass(frozen=True, slots=True)
class Verdict:
    eligible: bool
    reasons: tuple[Reason, ...]
    held: tuple[Ticked, ...]

    @property
    def level1(self) -> int:
        return sum(1 for t in self.held if t.level == 1)

    @property
    def level2(self) -> int:
        return sum(1 for t in self.held if t.level == 2)


def evaluate(rule: Rule, situation: Situation, on: datetime.date) -> Verdict:
    """Whether ``situation`` meets ``rule`` on day ``on``, and every reason why not."""
    reasons: list[Reason] = []
    if situation.valid_until is not None and on > situation.valid_until:
        reasons.append(Reason("expired", {"day": _date(situation.valid_until)}))
    held = tuple(t for t in situation.ticked if t.held_on(on))
    for ticked in situation.ticked:
        if ticked in held:
            continue
        expired = ticked.expired_on(on)
        if expired is not None:
            reasons.append(
                Reason("proof_expired", {"criterion": ticked.label, "day": _date(expired)})
            )
        else:
            reasons.append(Reason("proof_missing", {"criterion": ticked.label}))
    have1 = sum(1 for t in held if t.level == 1)
    have2 = sum(1 for t in held if t.level == 2)
    if have1 < rule.level1_needed and have2 < rule.level2_needed:
        reasons.append(
            Reason(
                "criteria",
                {
                    "level1": rule.level1_needed,
                    "level2": rule.level2_needed,
                    "have1": have1,
                    "have2": have2,
                },
            )
        )
    if rule.france_travail_required and not situation.registered_with_france_travail:
        reasons.append(Reason("france_travail"))
    if situation.age is not None:
        if rule.min_age is not None and situation.age < rule.min_age:
            reasons.append(Reason("too_young", {"age": situation.age, "min_age": rule.min_age}))
        if rule.max_age is not None and situation.age > rule.max_age:
            reasons.append(Reason("too_old", {"age": situation.age, "max_age": rule.max_age}))
    # A criterion whose proof lapsed is a reason only if the rule is no longer met without it.
    blocking = [r for r in reasons if r.code not in ("proof_expired", "proof_missing")]
    if not blocking:
        return Verdict(True, (), held)
    return Verdict(False, tuple(reasons), held)
