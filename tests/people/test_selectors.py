"""Reads on people: the database finds what the matching engine would, in any typed form."""

import datetime

import pytest

from tests import factories
from tremplin.engine.people_matching import Identity
from tremplin.people.models import Person
from tremplin.people.selectors import (
    duplicate_pairs_for_user,
    likely_duplicates,
    person_search,
    referral_duplicates,
)

pytestmark = pytest.mark.django_db

BORN = datetime.date(1980, 5, 4)


def new(**overrides):
    values = {"first_name": "Karim", "last_name": "Ouali", "birth_date": datetime.date(1970, 1, 1)}
    return Identity(**(values | overrides))


def reasons(matches):
    return {m.person.last_name: m.reasons for m in matches}


@pytest.fixture
def samira(world):
    return factories.referral(
        world,
        first_name="Samira",
        last_name="Haddad",
        birth_date=BORN,
        email="Samira.Haddad@Example.org",
        phone="+33 6 12 34 56 78",
    ).person


@pytest.mark.parametrize(
    ("identity", "expected"),
    [
        (new(email="samira.haddad@example.ORG"), ("same_email",)),
        (new(phone="06.12.34.56.78"), ("same_phone",)),
        (new(phone="0033 (0)6-12-34-56-78"), ("same_phone",)),
        (new(first_name="Samira", last_name="Hadad", birth_date=BORN), ("close_spelling",)),
        (
            new(first_name="Samira", last_name="Haddad", birth_date=datetime.date(1980, 4, 5)),
            ("swapped_day_month",),
        ),
        (new(first_name="SAMIRA", last_name="haddad", birth_date=BORN), ("same_identity",)),
    ],
)
def test_indexed_lookups_find_every_kind_of_match(samira, identity, expected):
    assert reasons(likely_duplicates(identity)) == {"Haddad": expected}


def test_names_alone_find_nobody(samira):
    assert likely_duplicates(new(first_name="Samira", last_name="Haddad")) == []


def test_a_placeholder_phone_many_share_is_ignored(world):
    for n in range(22):
        factories.referral(world, first_name=f"P{n}", last_name=f"Nom{n}", phone="0600000000")
    assert likely_duplicates(new(phone="06 00 00 00 00")) == []


def test_among_limits_the_people_searched(samira):
    assert likely_duplicates(new(phone="0612345678"), among=Person.objects.none()) == []


def test_the_referrer_sees_their_own_people_named(world, samira):
    found = referral_duplicates(user=world.user("prescriber"), identity=new(phone="0612345678"))
    assert [m.person for m in found.visible] == [samira]
    assert [c.cohort for c in found.visible[0].candidacies] == [world.upcoming]
    assert found.hidden == [] and found.needs_confirmation and not found.exact
    assert found.pick(str(samira.pk)) == samira and found.pick("new") is None
    with pytest.raises(KeyError):
        found.pick("999")


def test_others_people_are_mentioned_by_kind_only(world, samira):
    found = referral_duplicates(
        user=world.user("outsider_prescriber"),
        identity=new(
            first_name="Samira",
            last_name="Hadad",
            birth_date=BORN,
            email="samira.haddad@example.org",
            phone="0612345678",
        ),
    )
    assert found.visible == []
    assert found.hidden == ["email", "phone", "name"]
    assert found.needs_confirmation
    with pytest.raises(KeyError):
        found.pick(str(samira.pk))


def test_the_same_identity_needs_no_confirmation(world, samira):
    found = referral_duplicates(
        user=world.user("outsider_prescriber"),
        identity=new(first_name="Samira", last_name="Haddad", birth_date=BORN),
    )
    assert found.exact and not found.needs_confirmation and found.visible == []


def test_duplicate_pairs_stay_within_what_the_user_sees(world, samira):
    typo = factories.referral(
        world, world.other_cohort, first_name="Samira", last_name="Hadad", birth_date=BORN
    ).person
    assert duplicate_pairs_for_user(world.user("coordinator")) == []
    ((a, b, labels),) = duplicate_pairs_for_user(world.user("network_admin"))
    assert {a, b} == {samira, typo}
    assert labels == [
        "même numéro de téléphone",  # the factories' default phone, in two formats
        "même date de naissance, nom et prénom à une ou deux lettres près",
    ]


@pytest.mark.parametrize(
    ("query", "found"),
    [
        ("haddad", True),
        ("HADDAD samira", True),
        ("samira haddad 1980", True),  # the birth year is part of the identity
        ("example.org", True),  # part of the address
        ("exemple.org", False),
        ("@example.org", True),
        ("06 12 34", True),
        ("+33612345678", True),
        ("07", False),  # too few digits to search phones
        ("0 6 1 2", True),
        ("", True),
    ],
)
def test_person_search(samira, query, found):
    assert Person.objects.filter(person_search(query)).exists() is found
