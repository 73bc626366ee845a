"""Locating a person: address → coordinates → commune and QPV, through the fake BAN."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from tests import factories
from tests.geo.helpers import INSIDE, OUTSIDE
from tremplin.core.models import AuditEntry
from tremplin.geo.geocoding import GeocodedAddress
from tremplin.geo.services import person_locate
from tremplin.geo.tasks import locate_person
from tremplin.people.models import Person

pytestmark = pytest.mark.django_db


def person(world, **fields):
    values = {"address": "12 rue d'Essai", "postal_code": "13013", "commune": "Marseille"}
    values.update(fields)
    return factories.referral(world, **values).person


def location(p):
    p.refresh_from_db()
    return (p.location_source, p.commune_insee, p.qpv_code, p.qpv_name)


def test_an_address_inside_a_qpv(world, communes_13, qpv_batch, fake_ban):
    p = person(world)
    person_locate(person=p, by=world.user("coordinator"))
    assert location(p) == ("address", "13213", "QN01391T", "Quartier d'essai Nord")
    assert (p.longitude, p.latitude) == INSIDE
    assert p.located_at == timezone.now()
    entry = AuditEntry.objects.get(action="person.locate", object_id=str(p.pk))
    changes = entry.details.pop("changes")
    assert entry.details == {"source": "address", "commune": "13213", "qpv": "QN01391T"}
    # Coordinates locate the person: the journal says they were set, not where.
    assert changes["latitude"] == changes["longitude"] == {"masked": True}
    assert changes["qpv_code"] == {"old": "", "new": "QN01391T"}
    assert entry.actor == world.user("coordinator")


def test_an_address_outside_every_qpv(world, communes_13, qpv_batch, fake_ban):
    fake_ban.position = OUTSIDE
    p = person(world)
    person_locate(person=p)
    assert location(p) == ("address", "13213", "", "")


def test_a_commune_point_decides_no_qpv(world, communes_13, qpv_batch, fake_ban):
    fake_ban.mode = "error"
    p = person(world)
    person_locate(person=p)
    assert location(p) == ("commune", "13213", "", "")
    assert p.located_at == timezone.now()


def test_an_unknown_commune_clears_the_location(world, communes_13, qpv_batch, fake_ban):
    p = person(world)
    person_locate(person=p)
    fake_ban.mode = "empty"
    Person.objects.filter(pk=p.pk).update(postal_code="99999", commune="Nulle-Part")
    p.refresh_from_db()
    person_locate(person=p)
    assert location(p) == ("", "", "", "")
    assert p.latitude is None and p.located_at is None


def test_manual_coordinates_are_kept_and_their_qpv_found(world, communes_13, qpv_batch, fake_ban):
    p = person(world)
    Person.objects.filter(pk=p.pk).update(
        location_source="manual", longitude=INSIDE[0], latitude=INSIDE[1]
    )
    p.refresh_from_db()
    person_locate(person=p)
    assert location(p) == ("manual", "13213", "QN01391T", "Quartier d'essai Nord")
    assert fake_ban.queries == []  # the address is not geocoded over a manual position


class AddressChangedMeanwhile:
    """A geocoder during whose answer the person moves (a concurrent edit)."""

    def __init__(self, person_id):
        self.person_id = person_id

    def geocode(self, *, address, postal_code, commune):
        Person.objects.filter(pk=self.person_id).update(address="3 place Neuve")
        return GeocodedAddress(INSIDE[0], INSIDE[1], "13213", address, "address", 0.9)


def test_a_stale_answer_is_not_written(world, communes_13, qpv_batch):
    p = person(world)
    person_locate(person=p, geocoder=AddressChangedMeanwhile(p.pk))
    assert location(p) == ("", "", "", "")
    assert not AuditEntry.objects.filter(action="person.locate").exists()


def test_the_task_locates_and_skips_the_deleted(world, communes_13, qpv_batch, fake_ban):
    p = person(world)
    locate_person.enqueue(p.pk)  # the immediate backend runs it now
    assert location(p)[2] == "QN01391T"
    locate_person.enqueue(10**9)  # no such person: nothing to do, no error


def test_locate_people_command(world, communes_13, qpv_batch, fake_ban):
    first = person(world)
    second = person(world, postal_code="13400", commune="Aubagne", address="")
    out = StringIO()
    call_command("locate_people", "--batch-size", "1", stdout=out)
    assert location(first)[0] == "address" and location(second)[:2] == ("commune", "13005")
    assert "2 personnes (address : 1, commune : 1) ; 1 en QPV" in out.getvalue()
    fake_ban.queries.clear()
    call_command("locate_people", "--missing", stdout=StringIO())
    assert fake_ban.queries == []  # everyone is located already
