"""One door to people: who sees which person, who may merge, who may undo."""

import pytest

from tests import factories
from tremplin.people.perms import (
    can_manage_people,
    can_merge_people,
    can_undo_merge,
    merges_for_user,
    people_for_user,
)

pytestmark = pytest.mark.django_db

ROLES = [
    "network_admin",
    "coordinator",
    "trainer",
    "prescriber",
    "employer",
    "funder",
    "learner",
    "outsider_coordinator",
    "outsider_trainer",
    "outsider_prescriber",
    "outsider_employer",
    "outsider_learner",
]


@pytest.fixture
def people(world):
    marseille = factories.referral(world, first_name="Samira", last_name="Haddad").person
    lyon = factories.referral(world, world.other_cohort, first_name="Awa", last_name="Diallo")
    factories.link_account(marseille, world.user("learner"))
    return {"marseille": marseille, "lyon": lyon.person}


SEES = {
    "network_admin": {"marseille", "lyon"},
    "coordinator": {"marseille"},
    "prescriber": {"marseille", "lyon"},  # France Travail referred both
    "learner": {"marseille"},  # themself
    "outsider_coordinator": {"lyon"},
}


@pytest.mark.parametrize("role", ROLES)
def test_who_sees_whom(world, people, role):
    seen = set(people_for_user(world.user(role)))
    assert seen == {people[name] for name in SEES.get(role, set())}


@pytest.mark.parametrize("role", ROLES)
def test_who_manages_people(world, role):
    assert can_manage_people(world.user(role)) is (role in SITE_MANAGERS)


SITE_MANAGERS = {"network_admin", "coordinator", "outsider_coordinator"}


def test_merging_needs_both_people(world, people):
    other = factories.referral(world, first_name="Samira", last_name="Hadad").person
    assert can_merge_people(world.user("coordinator"), people["marseille"], other)
    assert not can_merge_people(world.user("coordinator"), people["marseille"], people["lyon"])
    assert can_merge_people(world.user("network_admin"), people["marseille"], people["lyon"])
    assert not can_merge_people(world.user("prescriber"), people["marseille"], people["lyon"])


@pytest.mark.parametrize("role", ROLES)
def test_who_reads_and_undoes_a_merge(world, role):
    merge = factories.merged(world)  # made by the Marseille coordinator
    user = world.user(role)
    assert merges_for_user(user).filter(pk=merge.pk).exists() is (
        role in ("network_admin", "coordinator")
    )
    assert can_undo_merge(user, merge) is (role == "network_admin")
