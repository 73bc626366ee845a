"""A referral has the person's address located in the background, and only when it changes."""

import pytest

from tests import factories
from tests.geo.fixtures import communes_13  # noqa: F401 (a fixture)
from tremplin.people.models import Person

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("communes_13")]


def test_a_new_person_is_located_after_the_referral(
    world,
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        candidacy = factories.referral(
            world, address="12 rue de la Paix", postal_code="13013", commune="Marseille"
        )
    person = Person.objects.get(pk=candidacy.person_id)
    assert person.commune_insee == "13213"
    assert person.location_source == "commune"
    assert person.latitude is not None


def test_a_referral_with_the_same_address_does_not_relocate(
    world,
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True) as first:
        candidacy = factories.referral(
            world, first_name="Ali", last_name="Ben", postal_code="13013"
        )
    assert any("_locate_after_commit" in repr(callback) for callback in first)
    person = candidacy.person
    data = dict(
        first_name="Ali",
        last_name="Ben",
        birth_date=person.birth_date,
        postal_code="13013",
        commune=person.commune,
        address=person.address,
    )
    with django_capture_on_commit_callbacks(execute=False) as again:
        factories.referral(world, target=world.other_cohort, **data)
    assert not any("_locate_after_commit" in repr(callback) for callback in again)
