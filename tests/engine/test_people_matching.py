"""The matching engine: each reason on its own, and no match on names alone."""

import datetime
import random

import pytest

from tremplin.engine.people_matching import (
    Identity,
    Reason,
    duplicate_pairs,
    edit_distance,
    lookup_keys,
    match_reasons,
    normalise_email,
    normalise_name,
    normalise_phone,
    phone_tail,
)
from tremplin.people import models as people_models
from tremplin.people.enums import MatchReason

BORN = datetime.date(1980, 5, 4)


def person(first="Samira", last="Haddad", born=BORN, email="", phone=""):
    return Identity(first_name=first, last_name=last, birth_date=born, email=email, phone=phone)


@pytest.mark.parametrize(
    "name", ["Rose-Marie  D'ÉTIENNE", "ÇA ÎLE", "  Ñúñez  ", "Zoë Ørsted", "ǅemal"]
)
def test_names_normalise_like_the_identity_key(name):
    assert normalise_name(name) == people_models.normalise_name(name)


@pytest.mark.parametrize(
    ("typed", "normalised"),
    [
        ("06 12 34 56 78", "0612345678"),
        ("06.12.34.56.78", "0612345678"),
        ("0612345678", "0612345678"),
        ("+33 6 12 34 56 78", "0612345678"),
        ("+33 (0)6 12 34 56 78", "0612345678"),
        ("0033 6 12 34 56 78", "0612345678"),
        ("33 6 12 34 56 78", "0612345678"),
        ("+212 6 12 34 56 78", "+212612345678"),
        ("12 34", ""),
        ("", ""),
    ],
)
def test_phone_numbers_normalise_to_the_national_form(typed, normalised):
    assert normalise_phone(typed) == normalised


def test_phone_tail_is_the_last_nine_digits_of_any_form():
    forms = ["06 12 34 56 78", "+33 6 12 34 56 78", "+33 (0)6 12 34 56 78", "0033612345678"]
    assert {phone_tail(f) for f in forms} == {"612345678"}
    assert phone_tail("12 34") == ""


def test_emails_compare_without_case_or_spaces():
    assert normalise_email("  Samira.Haddad@Example.ORG ") == "samira.haddad@example.org"


def test_same_identity_ignores_case_accents_and_spacing():
    assert match_reasons(person("SAMIRA", " haddad "), person("Samira", "Haddad")) == (
        Reason.SAME_IDENTITY,
    )


def test_same_email_whatever_the_names():
    new = person("Ali", "Ben", born=datetime.date(1990, 1, 1), email="S.Haddad@example.org")
    known = person(email="s.haddad@example.org")
    assert match_reasons(new, known) == (Reason.SAME_EMAIL,)


def test_same_phone_in_another_format():
    new = person("Ali", "Ben", born=datetime.date(1990, 1, 1), phone="+33 6 12 34 56 78")
    assert match_reasons(new, person(phone="06.12.34.56.78")) == (Reason.SAME_PHONE,)


def test_swapped_first_and_last_names():
    assert match_reasons(person("Haddad", "Samira"), person()) == (Reason.SWAPPED_NAMES,)


def test_same_last_name_and_first_initial():
    assert match_reasons(person("Sam", "Haddad"), person()) == (Reason.SAME_LAST_NAME_INITIAL,)


def test_one_last_name_inside_the_other():
    assert match_reasons(person(last="Haddad-Benali"), person()) == (Reason.SHARED_LAST_NAME,)
    # A particle is not a shared name.
    assert match_reasons(person("Samira", "El Amrani"), person("Samira", "El Idrissi")) == ()


def test_a_typing_error_or_two():
    assert match_reasons(person(last="Hadad"), person()) == (Reason.CLOSE_SPELLING,)
    assert match_reasons(person("Samirah", "Hadad"), person()) == (Reason.CLOSE_SPELLING,)
    # Short names allow one letter only.
    assert match_reasons(person("Ali", "Ben"), person("Ala", "Bon")) == ()


def test_day_and_month_swapped_with_the_same_names():
    assert match_reasons(person(born=datetime.date(1980, 4, 5)), person()) == (
        Reason.SWAPPED_DAY_MONTH,
    )


def test_reasons_add_up_strongest_first():
    new = person("Sam", "Haddad", email="s@example.org", phone="0612345678")
    known = person(email="S@example.org", phone="+33612345678")
    assert match_reasons(new, known) == (
        Reason.SAME_EMAIL,
        Reason.SAME_PHONE,
        Reason.SAME_LAST_NAME_INITIAL,
    )


@pytest.mark.parametrize(
    "other",
    [
        # Namesakes born another day: the commonest names alone never match.
        person("Marie", "Martin", born=datetime.date(1986, 6, 7)),
        person("Marie", "Martin", born=datetime.date(1985, 6, 8)),
        # Born the same day, names unrelated.
        person("Jean", "Dupont", born=datetime.date(1985, 6, 7)),
        # Same last name, another first name (siblings, twins).
        person("Julie", "Martin", born=datetime.date(1985, 6, 7)),
    ],
)
def test_no_false_match(other):
    assert match_reasons(person("Marie", "Martin", born=datetime.date(1985, 6, 7)), other) == ()


def test_empty_contact_details_never_match():
    assert match_reasons(person("A", "B", email="", phone=""), person("C", "D")) == ()
    assert match_reasons(person("A", "Bé", phone="12"), person("C", "De", phone="12")) == ()


def test_lookup_keys_cover_every_reason():
    keys = lookup_keys(person(email=" S@Example.org", phone="+33 6 12 34 56 78"))
    assert keys.birth_dates == (BORN, datetime.date(1980, 4, 5))
    assert keys.email == "s@example.org"
    assert keys.phone_tail == "612345678"
    assert lookup_keys(person(born=datetime.date(1980, 5, 20))).birth_dates == (
        datetime.date(1980, 5, 20),
    )


def test_edit_distance_stops_at_the_limit():
    assert edit_distance("haddad", "hadad", 2) == 1
    assert edit_distance("kitten", "sitting", 5) == 3
    assert edit_distance("a", "abcdef", 2) == 3


def test_duplicate_pairs_compares_only_people_sharing_a_key():
    people = [
        (1, person()),
        (2, person("Samira", "Hadad")),  # typo, same birth date
        (3, person("Jean", "Dupont", born=datetime.date(1970, 1, 1), email="j@example.org")),
        (4, person("Jeannot", "Dupond", born=datetime.date(1971, 2, 2), email="J@example.org")),
        (5, person("Marie", "Martin", born=datetime.date(1970, 1, 1))),
        (6, person(born=datetime.date(1980, 4, 5))),  # day and month swapped with 1
    ]
    assert duplicate_pairs(people) == [
        (1, 2, (Reason.CLOSE_SPELLING,)),
        (1, 6, (Reason.SWAPPED_DAY_MONTH,)),
        (3, 4, (Reason.SAME_EMAIL,)),
    ]


def test_a_placeholder_phone_shared_by_many_is_not_evidence():
    people = [
        (n, person(f"P{n}", f"Nom{n}", born=datetime.date(1970, 1, 1 + n), phone="0600000000"))
        for n in range(25)
    ]
    assert duplicate_pairs(people) == []
    assert duplicate_pairs(people[:2]) == [(0, 1, (Reason.SAME_PHONE,))]


def test_every_reason_has_a_french_label():
    assert {r.value for r in Reason} == set(MatchReason.values)


def full_levenshtein(a, b):
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, start=1):
        current = [i]
        for j, cb in enumerate(b, start=1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        previous = current
    return previous[-1]


def test_the_banded_edit_distance_agrees_with_the_full_one():
    rng = random.Random(7)
    for _ in range(3000):
        a = "".join(rng.choice("abc ") for _ in range(rng.randrange(0, 9)))
        b = "".join(rng.choice("abc ") for _ in range(rng.randrange(0, 9)))
        for limit in (1, 2):
            assert edit_distance(a, b, limit) == min(full_levenshtein(a, b), limit + 1), (a, b)
