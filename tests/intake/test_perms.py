"""Who may import, into which cohorts, and whose batches they reach."""

import pytest
from django.http import Http404

from tests import factories
from tremplin.cohorts.models import Cohort
from tremplin.intake import perms

pytestmark = pytest.mark.django_db

IMPORTERS = ("prescriber", "coordinator", "network_admin", "outsider_prescriber")
OTHERS = ("trainer", "employer", "funder", "learner", "outsider_trainer", "outsider_employer")


@pytest.mark.parametrize("role", IMPORTERS + ("outsider_coordinator",))
def test_who_may_import(world, role):
    assert perms.can_import(world.user(role))


@pytest.mark.parametrize("role", OTHERS)
def test_who_may_not_import(world, role):
    assert not perms.can_import(world.user(role))
    assert not perms.importable_cohorts(world.user(role), Cohort.objects.all()).exists()


def test_a_prescriber_without_organisation_may_not_import(world):
    adrift = factories.user("prescriber", "sans.agence@example.org")
    assert not perms.can_import(adrift)


def test_an_inactive_user_may_not_import(world):
    user = world.user("prescriber")
    user.is_active = False
    assert not perms.can_import(user)


@pytest.mark.parametrize(
    ("role", "cohorts"),
    [
        ("prescriber", {"upcoming", "running", "past", "other_cohort"}),
        ("coordinator", {"upcoming", "running", "past"}),
        ("outsider_coordinator", {"other_cohort"}),
        ("network_admin", {"upcoming", "running", "past", "other_cohort"}),
    ],
)
def test_importable_cohorts(world, role, cohorts):
    # The page passes the upcoming cohorts; here every cohort, to see the site filter alone.
    found = set(perms.importable_cohorts(world.user(role), Cohort.objects.all()))
    assert found == {getattr(world, name) for name in cohorts}


def test_a_batch_is_reached_by_its_uploader_alone(world):
    batch = factories.import_batch(world)
    assert perms.get_batch_for_user(world.user("prescriber"), batch.pk) == batch
    colleague = factories.user("prescriber", "collegue.ft@example.org", world.france_travail)
    for user in (colleague, world.user("coordinator"), world.user("network_admin")):
        with pytest.raises(Http404):
            perms.get_batch_for_user(user, batch.pk)
        assert not perms.batches_for_user(user).exists()
