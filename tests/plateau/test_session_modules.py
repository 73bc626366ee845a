"""Sessions of a module: the lab of the kind it needs, its equipment booked, hours counted."""

import datetime
from typing import Any

import pytest

from tests import factories
from tests.plateau import builders
from tests.plateau.builders import MONDAY
from tremplin.plateau.feeds import feed_sessions
from tremplin.plateau.models import Lab, Session
from tremplin.plateau.selectors import cohort_module_planning
from tremplin.plateau.services import (
    PlateauError,
    calendar_feed_create,
    session_create,
    session_update,
)
from tremplin.programmes.models import Programme
from tremplin.programmes.services import module_create


@pytest.fixture
def kit(world: Any) -> dict[str, Any]:
    fibre = Lab.objects.create(site=world.site, name="Labo fibre", kind="fibre", workstations=8)
    datacenter = Lab.objects.create(
        site=world.site, name="Labo datacenter", kind="datacenter", workstations=8
    )
    unkinded = Lab.objects.create(site=world.site, name="Ancien labo", workstations=8)
    return {
        "modules": factories.modules(world),
        "fibre": fibre,
        "datacenter": datacenter,
        "unkinded": unkinded,
        "splicer": builders.equipment(fibre, "FSP-001"),
        "meter": builders.equipment(fibre, "PM-001", type="power_meter"),
        "rack": builders.equipment(datacenter, "RACK-001", type="rack_42u"),
    }


def plan(world: Any, kit: dict[str, Any], **overrides: Any) -> Session:
    fields = {
        "by": world.user("coordinator"),
        "cohort": world.running,
        "date": MONDAY,
        "half_day": "am",
        "trainer": world.user("trainer"),
        "lab": kit["fibre"],
        "equipment": [kit["splicer"], kit["meter"]],
        "module": kit["modules"]["FO02"],
    } | overrides
    return session_create(**fields)


def test_a_session_of_a_module_takes_its_title(world, kit):
    session = plan(world, kit)
    assert session.module == kit["modules"]["FO02"]
    assert session.subject == "Épissure et mesures optiques"
    assert session.title == ""
    free = plan(world, kit, module=None, title="Réunion d'information", half_day="pm")
    assert free.subject == "Réunion d'information"


def test_a_lab_of_another_kind_is_refused(world, kit):
    with pytest.raises(PlateauError) as error:
        plan(world, kit, lab=kit["datacenter"], equipment=[])
    assert error.value.message == (
        "Le module « Épissure et mesures optiques » se tient dans un laboratoire "
        "« Fibre optique » : « Labo datacenter » est de type « Datacenter / serveurs »."
    )
    assert not Session.objects.exists()


def test_a_lab_without_a_kind_is_refused_for_a_module(world, kit):
    with pytest.raises(PlateauError, match="« Ancien labo » est de type « non renseigné »"):
        plan(world, kit, lab=kit["unkinded"], equipment=[])
    assert not Session.objects.exists()


def test_the_equipment_the_module_needs_must_be_booked(world, kit):
    with pytest.raises(PlateauError) as error:
        plan(world, kit, equipment=[kit["splicer"]])
    assert error.value.message == (
        "Le module « Épissure et mesures optiques » demande de réserver aussi : "
        "Photomètre (mesure de puissance)."
    )
    assert not Session.objects.exists()


def test_a_module_of_another_programme_is_refused(world, kit):
    other = Programme.objects.create(network=world.network, name="Autre parcours")
    foreign = module_create(
        by=None,
        programme=other,
        code="Z1",
        title="Module étranger",
        track="",
        hours=7,
        lab_kind="fibre",
    )
    with pytest.raises(PlateauError, match="n'appartient pas au parcours de la promotion"):
        plan(world, kit, module=foreign)


def test_session_update_checks_the_new_module(world, kit):
    session = plan(world, kit)
    rack_and_stack = kit["modules"]["DC02"]
    with pytest.raises(PlateauError, match="se tient dans un laboratoire « Datacenter"):
        session_update(
            by=world.user("coordinator"),
            session=session,
            date=MONDAY,
            half_day="am",
            trainer=world.user("trainer"),
            lab=kit["fibre"],
            equipment=[],
            module=rack_and_stack,
        )
    session.refresh_from_db()
    assert session.module == kit["modules"]["FO02"]
    assert session.bookings.count() == 2
    with pytest.raises(PlateauError, match="demande de réserver aussi : Serveur."):
        session_update(
            by=world.user("coordinator"),
            session=session,
            date=MONDAY,
            half_day="am",
            trainer=world.user("trainer"),
            lab=kit["datacenter"],
            equipment=[kit["rack"]],
            module=rack_and_stack,
        )
    server = builders.equipment(kit["datacenter"], "SRV-001", type="server")
    session_update(
        by=world.user("coordinator"),
        session=session,
        date=MONDAY,
        half_day="am",
        trainer=world.user("trainer"),
        lab=kit["datacenter"],
        equipment=[kit["rack"], server],
        module=rack_and_stack,
        title="Baie 2",
    )
    session.refresh_from_db()
    assert (session.module, session.subject, session.title) == (
        rack_and_stack,
        "Rack & stack et câblage structuré",
        "Baie 2",
    )


def test_planned_hours_count_three_and_a_half_per_half_day(world, kit):
    plan(world, kit)
    plan(world, kit, half_day="pm")
    plan(world, kit, date=MONDAY + datetime.timedelta(days=1))
    planning = {row.module.code: row for row in cohort_module_planning(world.running)}
    assert len(planning) == 14
    assert planning["FO02"].planned_hours == 10.5
    assert planning["FO02"].remaining_hours == 70 - 10.5
    assert not planning["FO02"].complete
    assert planning["TC02"].planned_hours == 0


def test_the_calendar_feed_names_the_module(world, kit):
    plan(world, kit)
    feed = calendar_feed_create(by=world.user("coordinator"), cohort=world.running)
    (session,) = feed_sessions(feed)
    assert session.subject == "Épissure et mesures optiques"
