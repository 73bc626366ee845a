"""Reads on people: likely duplicates of a referral, duplicate pairs, search.

The database finds the candidates with indexed lookups (birth date, lower-cased email, the
phone's last nine digits: see ``Person.Meta.indexes``); ``tremplin.engine.people_matching``
decides which are likely the same person, and why.
"""

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q, QuerySet
from django.db.models.functions import Lower
from django.db.models.lookups import Contains
from django.utils.translation import gettext_lazy as _

from tremplin.engine.people_matching import (
    MAX_SHARED_CONTACT,
    NAME_REASONS,
    Identity,
    Reason,
    duplicate_pairs,
    lookup_keys,
    match_reasons,
)

from .enums import MatchReason
from .models import Person, normalise_name, phone_digits_expression, phone_tail_expression
from .perms import people_for_user

# A phone search needs this many digits to say something.
MIN_PHONE_DIGITS = 4
# More candidates than this for one referral means placeholder contact details were typed.
CANDIDATE_LIMIT = 200


def identity_of(person: Person) -> Identity:
    return Identity(
        first_name=person.first_name,
        last_name=person.last_name,
        birth_date=person.birth_date,
        email=person.email,
        phone=person.phone,
    )


@dataclass(frozen=True)
class LikelyDuplicate:
    person: Person
    reasons: tuple[str, ...]
    # The candidacies of that person the user may see (filled for referrers).
    candidacies: list[Any] = field(default_factory=list)

    @property
    def reason_labels(self) -> list[str]:
        return [str(MatchReason(reason).label) for reason in self.reasons]


def likely_duplicates(
    identity: Identity, *, among: QuerySet[Person] | None = None
) -> list[LikelyDuplicate]:
    """Known people who may be ``identity``, the most reasons first."""
    keys = lookup_keys(identity)
    wanted = Q(birth_date__in=keys.birth_dates)
    if keys.email:
        wanted |= Q(email_lower=keys.email)
    if keys.phone_tail:
        wanted |= Q(phone_tail=keys.phone_tail)
    candidates = (
        (Person.objects.all() if among is None else among)
        .annotate(email_lower=Lower("email"), phone_tail=phone_tail_expression())
        .filter(wanted)
        .order_by("id")[:CANDIDATE_LIMIT]
    )
    found = [(person, match_reasons(identity, identity_of(person))) for person in candidates]
    # An email or phone that many records share (an agency's switchboard) is not evidence.
    shared = Counter(reason for _, reasons in found for reason in reasons)
    placeholders = {
        reason
        for reason in (Reason.SAME_EMAIL, Reason.SAME_PHONE)
        if shared[reason] > MAX_SHARED_CONTACT
    }
    matches = []
    for person, reasons in found:
        kept = tuple(str(reason) for reason in reasons if reason not in placeholders)
        if kept:
            matches.append(LikelyDuplicate(person=person, reasons=kept))
    matches.sort(key=lambda m: (-len(m.reasons), m.person.last_name, m.person.pk))
    return matches


# What a referrer is told about a match they may not see: never who it is.
HIDDEN_NOTICES = {
    "email": _("Une personne avec cette adresse électronique est déjà connue du programme."),
    "phone": _("Une personne avec ce numéro de téléphone est déjà connue du programme."),
    "name": _("Une personne née le même jour et au nom proche est déjà connue du programme."),
}


@dataclass(frozen=True)
class ReferralDuplicates:
    """What a referrer is shown before a referral creates a new person."""

    # A known person has the same names and birth date: the referral attaches to them.
    exact: bool
    # Likely duplicates the referrer may see, named.
    visible: list[LikelyDuplicate]
    # For the others, only the kind of match: "email", "phone", "name" (see HIDDEN_NOTICES).
    hidden: list[str]

    @property
    def hidden_notices(self) -> list[str]:
        return [str(HIDDEN_NOTICES[kind]) for kind in self.hidden]

    @property
    def needs_confirmation(self) -> bool:
        return not self.exact and bool(self.visible or self.hidden)

    def pick(self, choice: str) -> Person | None:
        """The visible person chosen by id, None for « another person »; KeyError otherwise."""
        if choice == "new":
            return None
        for match in self.visible:
            if str(match.person.pk) == choice:
                return match.person
        raise KeyError(choice)


def referral_duplicates(*, user: Any, identity: Identity) -> ReferralDuplicates:
    from tremplin.candidacies.perms import candidacies_for_user

    matches = likely_duplicates(identity)
    exact = any(Reason.SAME_IDENTITY in m.reasons for m in matches)
    if exact or not matches:
        return ReferralDuplicates(exact=exact, visible=[], hidden=[])
    ids = [m.person.pk for m in matches]
    visible_ids = set(people_for_user(user).filter(pk__in=ids).values_list("pk", flat=True))
    candidacies = defaultdict(list)
    for candidacy in candidacies_for_user(user).filter(person_id__in=visible_ids):
        candidacies[candidacy.person_id].append(candidacy)
    visible = [
        LikelyDuplicate(m.person, m.reasons, candidacies[m.person.pk])
        for m in matches
        if m.person.pk in visible_ids
    ]
    kinds = set()
    for m in matches:
        if m.person.pk not in visible_ids:
            kinds |= {_kind(reason) for reason in m.reasons}
    hidden = [kind for kind in HIDDEN_NOTICES if kind in kinds]
    return ReferralDuplicates(exact=False, visible=visible, hidden=hidden)


def _kind(reason: str) -> str:
    if reason == Reason.SAME_EMAIL:
        return "email"
    if reason == Reason.SAME_PHONE:
        return "phone"
    assert reason in NAME_REASONS
    return "name"


def duplicate_pairs_for_user(
    user: Any, *, limit: int = 50
) -> list[tuple[Person, Person, list[str]]]:
    """Likely duplicates among the people a user may see, as pairs with reason labels."""
    rows = people_for_user(user).values_list(
        "pk", "first_name", "last_name", "birth_date", "email", "phone"
    )
    pairs = duplicate_pairs(
        (pk, Identity(first, last, birth, email, phone))
        for pk, first, last, birth, email, phone in rows.order_by("pk")
    )[:limit]
    people = Person.objects.in_bulk({pk for a, b, _ in pairs for pk in (a, b)})
    return [
        (people[a], people[b], [str(MatchReason(r).label) for r in reasons])
        for a, b, reasons in pairs
    ]


def _national_digits(text: str) -> str:
    digits = "".join(c for c in text if c.isdigit())
    if digits.startswith("0033"):
        return digits[4:].lstrip("0")
    if text.lstrip().startswith("+33"):
        return digits[2:].lstrip("0")
    return digits.lstrip("0") if len(digits) > 1 else digits


def person_search(query: str, prefix: str = "") -> Q:
    """People matching what a user typed: a name (any order, without accents or case), an
    email address or part of one, or phone digits (« 06 12 », « +33 6 12 » alike).

    ``prefix`` reaches the person from another model, e.g. ``"person__"`` for candidacies.
    """
    text = query.strip()
    if not text:
        return Q()
    if "@" in text:
        return Q(**{f"{prefix}email__icontains": text})
    if all(c.isdigit() or c in " .-/()+" for c in text):
        if sum(c.isdigit() for c in text) < MIN_PHONE_DIGITS:
            return Q(**{f"{prefix}pk__in": []})  # « 07 » would find every number with a 7
        return Q(Contains(phone_digits_expression(f"{prefix}phone"), _national_digits(text)))
    words = normalise_name(text).split()
    by_name = Q()
    for word in words:
        by_name &= Q(**{f"{prefix}identity_key__contains": word})
    return by_name | Q(**{f"{prefix}email__icontains": text})
