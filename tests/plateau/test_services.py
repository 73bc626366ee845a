"""Equipment, maintenance, closures and half-day sessions: what is accepted, what is refused."""

import datetime
from typing import Any

import pytest
from django.db import IntegrityError, transaction

from tests import factories
from tests.plateau import builders
from tests.plateau.builders import MONDAY
from tremplin.core.models import AuditEntry, TransitionLog
from tremplin.plateau.models import Booking, Equipment, Session, SiteClosure
from tremplin.plateau.services import (
    PlateauError,
    closure_create,
    equipment_create,
    equipment_transition,
    public_holiday,
    session_create,
    session_update,
)


@pytest.fixture
def plateau(world: Any) -> dict[str, Any]:
    labs = builders.labs(world)
    return {
        **labs,
        "splicer": builders.equipment(labs["fibre"], "FSP-DEMO-001"),
        "otdr": builders.equipment(labs["fibre"], "OTDR-DEMO-001", type="otdr"),
        "lyon_splicer": builders.equipment(labs["lyon"], "FSP-LYON-001"),
    }


def plan(world: Any, plateau: dict[str, Any], **overrides: Any) -> Session:
    fields = {
        "by": world.user("coordinator"),
        "cohort": world.running,
        "date": MONDAY,
        "half_day": "am",
        "trainer": world.user("trainer"),
        "lab": plateau["fibre"],
        "equipment": [plateau["splicer"], plateau["otdr"]],
        "title": "Soudure par fusion",
    } | overrides
    return session_create(**fields)


def snapshot() -> tuple[int, int, int]:
    return Session.objects.count(), Booking.objects.count(), AuditEntry.objects.count()


# Equipment and maintenance.


def test_equipment_create_records_the_donation(world):
    lab = builders.labs(world)["datacenter"]
    donor = builders.donor()
    rack = equipment_create(
        by=world.user("coordinator"),
        lab=lab,
        type="rack_42u",
        serial_number=" DR-RACK-0001 ",
        donor=donor,
        donated_on=datetime.date(2026, 3, 2),
    )
    assert (rack.serial_number, rack.donor, rack.status) == ("DR-RACK-0001", donor, "in_service")
    assert AuditEntry.objects.filter(action="equipment.create", object_id=str(rack.pk)).exists()


def test_a_serial_number_is_unique_per_type_only(world, plateau):
    before = Equipment.objects.count()
    with pytest.raises(PlateauError) as refused:
        equipment_create(
            by=world.user("coordinator"),
            lab=plateau["fibre"],
            type="fusion_splicer",
            serial_number="FSP-DEMO-001",
        )
    assert "numéro de série FSP-DEMO-001" in refused.value.message
    assert Equipment.objects.count() == before
    equipment_create(
        by=world.user("coordinator"),
        lab=plateau["fibre"],
        type="switch",
        serial_number="FSP-DEMO-001",
    )
    assert Equipment.objects.count() == before + 1


@pytest.mark.parametrize(
    ("serial", "with_donor", "with_date", "message"),
    [
        ("  ", False, False, "Le numéro de série est obligatoire."),
        ("X-1", True, False, "Un don se déclare avec son donateur et sa date."),
        ("X-1", False, True, "Un don se déclare avec son donateur et sa date."),
    ],
)
def test_equipment_create_refuses_incomplete_input(world, serial, with_donor, with_date, message):
    lab = builders.labs(world)["fibre"]
    with pytest.raises(PlateauError) as refused:
        equipment_create(
            by=world.user("coordinator"),
            lab=lab,
            type="server",
            serial_number=serial,
            donor=builders.donor() if with_donor else None,
            donated_on=MONDAY if with_date else None,
        )
    assert refused.value.message == message
    assert not Equipment.objects.exists()


def test_the_database_requires_a_donation_date_with_a_donor(world):
    lab = builders.labs(world)["fibre"]
    with pytest.raises(IntegrityError), transaction.atomic():
        builders.equipment(lab, "X-2", donor=builders.donor())


def test_maintenance_log_keeps_each_change_with_its_notes(world, plateau):
    splicer, coordinator = plateau["splicer"], world.user("coordinator")
    equipment_transition(
        equipment=splicer, transition="send_to_repair", by=coordinator, notes="Électrodes usées"
    )
    equipment_transition(
        equipment=splicer,
        transition="return_to_service",
        by=coordinator,
        notes="Électrodes changées",
    )
    splicer.refresh_from_db()
    assert splicer.status == "in_service"
    logs = TransitionLog.objects.filter(object_type="equipment", object_id=splicer.pk)
    assert [(log.to_state, log.comment) for log in logs.order_by("at", "id")] == [
        ("under_repair", "Électrodes usées"),
        ("in_service", "Électrodes changées"),
    ]


def test_retired_equipment_cannot_come_back(world, plateau):
    splicer, coordinator = plateau["splicer"], world.user("coordinator")
    equipment_transition(equipment=splicer, transition="retire", by=coordinator)
    with pytest.raises(PlateauError) as refused:
        equipment_transition(equipment=splicer, transition="return_to_service", by=coordinator)
    assert "impossible depuis l'état actuel (Réformé)" in refused.value.message
    assert TransitionLog.objects.filter(object_type="equipment").count() == 1


# Site closures.


def test_closure_refuses_an_end_before_its_start(world):
    with pytest.raises(PlateauError) as refused:
        closure_create(
            by=world.user("coordinator"),
            site=world.site,
            start=MONDAY,
            end=MONDAY - datetime.timedelta(days=1),
            reason="Travaux",
        )
    assert refused.value.message == "La fin de la fermeture ne peut précéder son début."
    assert not SiteClosure.objects.exists()


# Sessions.


def test_a_session_books_its_lab_and_equipment(world, plateau):
    session = plan(world, plateau)
    assert session.lab == plateau["fibre"]
    assert set(session.equipment.all()) == {plateau["splicer"], plateau["otdr"]}
    assert set(Booking.objects.values_list("date", "half_day")) == {(MONDAY, "am")}
    assert AuditEntry.objects.filter(action="session.create").count() == 1


def test_the_afternoon_is_another_slot(world, plateau):
    plan(world, plateau)
    plan(world, plateau, half_day="pm")
    assert Booking.objects.filter(equipment=plateau["splicer"]).count() == 2


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"date": datetime.date(2026, 9, 30)}, "La séance doit avoir lieu pendant la promotion"),
        ({"date": datetime.date(2026, 11, 11)}, "Le 11/11/2026 est un jour férié (Armistice"),
        ({"half_day": "soir"}, "Choisissez le matin ou l'après-midi."),
    ],
)
def test_sessions_outside_working_half_days_are_refused(world, plateau, overrides, message):
    before = snapshot()
    with pytest.raises(PlateauError) as refused:
        plan(world, plateau, **overrides)
    assert message in refused.value.message
    assert snapshot() == before


def test_public_holidays_come_from_the_holidays_package():
    assert public_holiday(datetime.date(2026, 12, 25)) == "Noël"
    assert public_holiday(MONDAY) is None


def test_a_site_closure_refuses_sessions(world, plateau):
    closure_create(
        by=world.user("coordinator"),
        site=world.site,
        start=MONDAY,
        end=MONDAY + datetime.timedelta(days=4),
        reason="Inventaire du plateau",
    )
    before = snapshot()
    with pytest.raises(PlateauError) as refused:
        plan(world, plateau)
    assert refused.value.message == "Le site est fermé le 30/11/2026 (Inventaire du plateau)."
    assert snapshot() == before


def test_another_site_closure_does_not_matter(world, plateau):
    closure_create(
        by=world.user("outsider_coordinator"),
        site=world.other_site,
        start=MONDAY,
        end=MONDAY,
        reason="Lyon fermé",
    )
    assert plan(world, plateau).pk


def starting_now(cohort: Any) -> Any:
    cohort.start_date = MONDAY
    cohort.save(update_fields=["start_date"])
    return cohort


def test_equipment_is_never_double_booked(world, plateau):
    plan(world, plateau)
    before = snapshot()
    with pytest.raises(PlateauError) as refused:
        plan(
            world,
            plateau,
            cohort=starting_now(world.upcoming),
            lab=plateau["datacenter"],
            trainer=builders.second_trainer(world),
        )
    assert refused.value.message == (
        "L'équipement Soudeuse fibre optique FSP-DEMO-001 est déjà réservé sur cette demi-journée."
    )
    assert snapshot()[:2] == before[:2]


def test_a_lab_holds_one_session_per_half_day(world, plateau):
    plan(world, plateau, equipment=[])
    before = snapshot()
    with pytest.raises(PlateauError) as refused:
        plan(
            world,
            plateau,
            cohort=starting_now(world.upcoming),
            trainer=builders.second_trainer(world),
            equipment=[],
        )
    assert refused.value.message == (
        "Le laboratoire « Labo fibre optique » est déjà occupé sur cette demi-journée."
    )
    assert snapshot()[:2] == before[:2]


def test_a_trainer_and_a_cohort_are_in_one_place_at_a_time(world, plateau):
    plan(world, plateau, equipment=[])
    with pytest.raises(PlateauError) as refused:
        plan(world, plateau, lab=plateau["datacenter"], equipment=[])
    assert refused.value.message == "La promotion a déjà une séance sur cette demi-journée."
    with pytest.raises(PlateauError) as refused:
        plan(
            world,
            plateau,
            cohort=starting_now(world.upcoming),
            lab=plateau["datacenter"],
            equipment=[],
        )
    assert refused.value.message.endswith("anime déjà une séance sur cette demi-journée.")
    assert Session.objects.count() == 1


def test_a_lab_never_holds_more_learners_than_its_workstations(world, plateau):
    lab = plateau["fibre"]
    lab.workstations = 1
    lab.save(update_fields=["workstations"])
    for first, last in (("Inès", "Benali"), ("Karim", "Ouali")):
        factories.enrolled(world, world.running, first_name=first, last_name=last)
    before = snapshot()
    with pytest.raises(PlateauError) as refused:
        plan(world, plateau)
    assert refused.value.message == (
        "Le laboratoire « Labo fibre optique » a 1 postes pour 2 apprenants en formation."
    )
    assert snapshot() == before
    lab.workstations = 2
    lab.save(update_fields=["workstations"])
    assert plan(world, plateau).pk


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"lab": "lyon"}, "Ce laboratoire n'est pas sur le site de la promotion."),
        (
            {"equipment": ["lyon_splicer"]},
            "L'équipement Soudeuse fibre optique FSP-LYON-001 appartient à un autre site.",
        ),
        ({"trainer": "outsider_trainer"}, "Choisissez un formateur du site de la promotion."),
        ({"trainer": "coordinator"}, "Choisissez un formateur du site de la promotion."),
    ],
)
def test_everything_comes_from_the_cohort_site(world, plateau, overrides, message):
    resolved = {
        "lab": lambda v: plateau[v],
        "equipment": lambda v: [plateau[k] for k in v],
        "trainer": world.user,
    }
    fields = {key: resolved[key](value) for key, value in overrides.items()}
    before = snapshot()
    with pytest.raises(PlateauError) as refused:
        plan(world, plateau, **fields)
    assert refused.value.message == message
    assert snapshot() == before


@pytest.mark.parametrize("transition", ["send_to_repair", "retire"])
def test_equipment_out_of_service_cannot_be_booked(world, plateau, transition):
    equipment_transition(
        equipment=plateau["otdr"], transition=transition, by=world.user("coordinator")
    )
    before = snapshot()
    with pytest.raises(PlateauError) as refused:
        plan(world, plateau)
    assert refused.value.message.startswith(
        "L'équipement Réflectomètre (OTDR) OTDR-DEMO-001 n'est pas en service"
    )
    assert snapshot() == before


def test_the_database_refuses_a_double_booking_the_service_did_not_see(world, plateau):
    session = plan(world, plateau)
    with pytest.raises(IntegrityError), transaction.atomic():
        Booking.objects.create(
            session=session, equipment=plateau["splicer"], date=MONDAY, half_day="am"
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        Session.objects.create(
            cohort=starting_now(world.upcoming),
            date=MONDAY,
            half_day="am",
            trainer=builders.second_trainer(world),
            lab=plateau["fibre"],
        )


def test_session_update_moves_the_bookings_with_the_session(world, plateau):
    session = plan(world, plateau)
    session_update(
        by=world.user("coordinator"),
        session=session,
        date=MONDAY,
        half_day="pm",
        trainer=world.user("trainer"),
        lab=plateau["fibre"],
        equipment=[plateau["splicer"]],
        title="Mesures",
    )
    assert list(Booking.objects.values_list("equipment", "half_day")) == [
        (plateau["splicer"].pk, "pm")
    ]
    # Keeping its own slot is no conflict with itself.
    session_update(
        by=world.user("coordinator"),
        session=session,
        date=MONDAY,
        half_day="pm",
        trainer=world.user("trainer"),
        lab=plateau["fibre"],
        equipment=[plateau["splicer"], plateau["otdr"]],
    )
    assert Booking.objects.filter(session=session).count() == 2


def test_session_update_refuses_a_taken_slot_and_keeps_the_session(world, plateau):
    plan(world, plateau, equipment=[plateau["splicer"]])
    other = plan(
        world,
        plateau,
        cohort=starting_now(world.upcoming),
        half_day="pm",
        trainer=builders.second_trainer(world),
        equipment=[plateau["otdr"]],
    )
    with pytest.raises(PlateauError) as refused:
        session_update(
            by=world.user("coordinator"),
            session=other,
            date=MONDAY,
            half_day="am",
            trainer=other.trainer,
            lab=plateau["datacenter"],
            equipment=[plateau["splicer"], plateau["otdr"]],
        )
    assert refused.value.message == (
        "L'équipement Soudeuse fibre optique FSP-DEMO-001 est déjà réservé sur cette demi-journée."
    )
    other.refresh_from_db()
    assert (other.half_day, other.lab) == ("pm", plateau["fibre"])
    assert list(other.bookings.values_list("equipment", "half_day")) == [(plateau["otdr"].pk, "pm")]
