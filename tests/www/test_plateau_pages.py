"""Plateau pages: the inventory, a cohort's week of sessions, planning a session."""

import datetime
import html
from typing import Any

import pytest
from django.urls import reverse

from tests.plateau import builders
from tests.plateau.builders import MONDAY
from tremplin.core.models import TransitionLog
from tremplin.plateau.models import Booking, Session, SiteClosure
from tremplin.plateau.services import equipment_transition, session_create


@pytest.fixture
def plateau(world: Any) -> dict[str, Any]:
    labs = builders.labs(world)
    return {
        **labs,
        "splicer": builders.equipment(
            labs["fibre"],
            "FSP-DEMO-001",
            donor=world.other_employer,
            donated_on=datetime.date(2026, 2, 1),
        ),
        "otdr": builders.equipment(labs["fibre"], "OTDR-DEMO-001", type="otdr"),
        "lyon_splicer": builders.equipment(labs["lyon"], "FSP-LYON-001"),
    }


def form_data(world: Any, plateau: dict[str, Any], **overrides: Any) -> dict[str, Any]:
    return {
        "date": MONDAY.isoformat(),
        "half_day": "am",
        "trainer": world.user("trainer").pk,
        "lab": plateau["fibre"].pk,
        "equipment": [plateau["splicer"].pk],
        "title": "Soudure par fusion",
    } | overrides


def test_inventory_lists_the_site_equipment_with_its_donor(client_for, plateau):
    page = client_for("trainer").get(reverse("plateau_home")).content.decode()
    assert "FSP-DEMO-001" in page and "Telenco" in page and "OTDR-DEMO-001" in page
    assert "Labo fibre optique" in page
    assert "FSP-LYON-001" not in page and "Labo Lyon" not in page


def test_inventory_filters_by_status(client_for, world, plateau):
    equipment_transition(
        equipment=plateau["otdr"], transition="send_to_repair", by=world.user("coordinator")
    )
    page = client_for("coordinator").get(reverse("plateau_home"), {"status": "under_repair"})
    content = page.content.decode()
    assert "OTDR-DEMO-001" in content and "FSP-DEMO-001" not in content


def test_coordinator_plans_a_session_and_sees_it_in_the_week(client_for, world, plateau):
    client = client_for("coordinator")
    response = client.post(
        reverse("session_create", args=[world.running.pk]), form_data(world, plateau)
    )
    session = Session.objects.get()
    assert response.status_code == 302
    assert response["Location"].endswith(f"?semaine={MONDAY.isoformat()}")
    assert list(session.equipment.all()) == [plateau["splicer"]]
    week = client.get(response["Location"]).content.decode()
    assert "Soudure par fusion" in week and "FSP-DEMO-001" in week
    assert "Semaine du 30/11/2026" in week


def test_a_refused_session_says_why_and_writes_nothing(client_for, world, plateau):
    response = client_for("coordinator").post(
        reverse("session_create", args=[world.running.pk]),
        form_data(world, plateau, date="2026-12-25"),
    )
    assert response.status_code == 200
    assert "Le 25/12/2026 est un jour férié (Noël)." in response.content.decode()
    assert not Session.objects.exists() and not Booking.objects.exists()


def test_equipment_of_another_site_is_not_offered(client_for, world, plateau):
    response = client_for("coordinator").post(
        reverse("session_create", args=[world.running.pk]),
        form_data(world, plateau, equipment=[plateau["lyon_splicer"].pk]),
    )
    assert response.status_code == 200
    assert "equipment" in response.context["form"].errors
    assert not Session.objects.exists()


def test_an_empty_form_is_refused(client_for, world, plateau):
    response = client_for("coordinator").post(
        reverse("session_create", args=[world.running.pk]), {}
    )
    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"date", "half_day", "trainer", "lab"}
    assert not Session.objects.exists()


@pytest.mark.parametrize(
    ("role", "status"), [("trainer", 403), ("outsider_coordinator", 404), ("prescriber", 404)]
)
def test_only_the_site_managers_plan_sessions(client_for, world, plateau, role, status):
    response = client_for(role).post(
        reverse("session_create", args=[world.running.pk]), form_data(world, plateau)
    )
    assert response.status_code == status
    assert not Session.objects.exists()


def test_the_trainer_reads_the_cohort_week(client_for, world, plateau):
    session_create(
        by=world.user("coordinator"),
        cohort=world.running,
        date=MONDAY,
        half_day="pm",
        trainer=world.user("trainer"),
        lab=plateau["fibre"],
        title="Mesures OTDR",
    )
    url = reverse("cohort_sessions", args=[world.running.pk])
    page = client_for("trainer").get(url, {"semaine": "2026-12-02"}).content.decode()
    assert "Mesures OTDR" in page
    assert "Planifier une séance" not in page
    later = client_for("trainer").get(url, {"semaine": "2026-12-07"}).content.decode()
    assert "Mesures OTDR" not in later


def test_coordinator_sends_equipment_to_repair_with_notes(client_for, world, plateau):
    otdr = plateau["otdr"]
    client = client_for("coordinator")
    response = client.post(
        reverse("equipment_status", args=[otdr.pk]),
        {"transition": "send_to_repair", "comment": "Connecteur cassé"},
    )
    assert response.status_code == 302
    otdr.refresh_from_db()
    assert otdr.status == "under_repair"
    page = client.get(reverse("equipment_detail", args=[otdr.pk])).content.decode()
    assert "Connecteur cassé" in page and "En réparation" in page


def test_an_impossible_status_change_is_refused_with_a_message(client_for, world, plateau):
    otdr = plateau["otdr"]
    response = client_for("coordinator").post(
        reverse("equipment_status", args=[otdr.pk]),
        {"transition": "return_to_service"},
        follow=True,
    )
    assert "impossible depuis l'état actuel (En service)" in html.unescape(
        response.content.decode()
    )
    otdr.refresh_from_db()
    assert otdr.status == "in_service"
    assert not TransitionLog.objects.filter(object_type="equipment").exists()


@pytest.mark.parametrize(("role", "status"), [("trainer", 403), ("outsider_coordinator", 404)])
def test_only_the_site_managers_change_equipment_status(client_for, plateau, role, status):
    otdr = plateau["otdr"]
    response = client_for(role).post(
        reverse("equipment_status", args=[otdr.pk]), {"transition": "retire"}
    )
    assert response.status_code == status
    otdr.refresh_from_db()
    assert otdr.status == "in_service"


def test_the_trainer_reads_the_maintenance_log_without_the_buttons(client_for, world, plateau):
    otdr = plateau["otdr"]
    equipment_transition(
        equipment=otdr, transition="send_to_repair", by=world.user("coordinator"), notes="Écran HS"
    )
    page = client_for("trainer").get(reverse("equipment_detail", args=[otdr.pk])).content.decode()
    assert "Écran HS" in page
    assert "Remettre en service" not in page


def test_donations_report_counts_per_donor_and_type(client_for, world, plateau):
    builders.equipment(
        plateau["fibre"],
        "FSP-DEMO-002",
        donor=world.other_employer,
        donated_on=datetime.date(2026, 4, 15),
    )
    builders.equipment(
        plateau["lyon"], "FSP-LYON-002", donor=world.other_employer, donated_on=MONDAY
    )
    response = client_for("coordinator").get(reverse("donations_report"))
    rows = response.context["rows"]
    assert [(r["donor__name"], r["type"], r["count"]) for r in rows] == [
        ("Telenco", "fusion_splicer", 2)
    ]
    assert (rows[0]["first"], rows[0]["last"]) == (
        datetime.date(2026, 2, 1),
        datetime.date(2026, 4, 15),
    )
    assert "Soudeuse fibre optique" in response.content.decode()


def test_coordinator_declares_a_closure_that_blocks_sessions(client_for, world, plateau):
    client = client_for("coordinator")
    response = client.post(
        reverse("closure_list"),
        {"site": world.site.pk, "start": "2026-12-21", "end": "2027-01-01", "reason": "Congés"},
    )
    assert response.status_code == 302
    refused = client.post(
        reverse("session_create", args=[world.running.pk]),
        form_data(world, plateau, date="2026-12-22"),
    )
    assert "Le site est fermé le 22/12/2026 (Congés)." in refused.content.decode()
    assert not Session.objects.exists()


def test_a_closure_ending_before_it_starts_is_refused(client_for, world):
    response = client_for("coordinator").post(
        reverse("closure_list"),
        {"site": world.site.pk, "start": "2026-12-21", "end": "2026-12-20", "reason": "Congés"},
    )
    assert "La fin de la fermeture ne peut précéder son début." in response.content.decode()
    assert not SiteClosure.objects.exists()


def test_a_coordinator_cannot_close_another_site(client_for, world):
    response = client_for("outsider_coordinator").post(
        reverse("closure_list"),
        {"site": world.site.pk, "start": "2026-12-21", "end": "2026-12-22", "reason": "Congés"},
    )
    assert response.status_code == 200
    assert "site" in response.context["form"].errors
    assert not SiteClosure.objects.exists()


def test_lab_and_trainer_calendars_show_the_same_session(client_for, world, plateau):
    session_create(
        by=world.user("coordinator"),
        cohort=world.running,
        date=MONDAY,
        half_day="am",
        trainer=world.user("trainer"),
        lab=plateau["fibre"],
        title="Soudure par fusion",
    )
    client = client_for("trainer")
    week = {"semaine": MONDAY.isoformat()}
    lab_page = client.get(reverse("lab_sessions", args=[plateau["fibre"].pk]), week)
    assert "Soudure par fusion" in lab_page.content.decode()
    other_lab = client.get(reverse("lab_sessions", args=[plateau["datacenter"].pk]), week)
    assert "Soudure par fusion" not in other_lab.content.decode()
    own = client.get(reverse("trainer_sessions", args=[world.user("trainer").pk]), week)
    assert "Soudure par fusion" in own.content.decode()
    other_trainer = builders.second_trainer(world)
    assert client.get(reverse("trainer_sessions", args=[other_trainer.pk])).status_code == 404


def test_coordinator_moves_a_session_to_the_afternoon(client_for, world, plateau):
    session = session_create(
        by=world.user("coordinator"),
        cohort=world.running,
        date=MONDAY,
        half_day="am",
        trainer=world.user("trainer"),
        lab=plateau["fibre"],
        equipment=[plateau["splicer"]],
    )
    client = client_for("coordinator")
    url = reverse("session_edit", args=[session.pk])
    page = client.get(url).content.decode()
    assert f'value="{plateau["splicer"].pk}" selected' in page  # the form starts from the session
    response = client.post(url, form_data(world, plateau, half_day="pm", equipment=[]))
    assert response.status_code == 302
    session.refresh_from_db()
    assert session.half_day == "pm"
    assert not session.bookings.exists()


def test_a_refused_move_keeps_the_session(client_for, world, plateau):
    session = session_create(
        by=world.user("coordinator"),
        cohort=world.running,
        date=MONDAY,
        half_day="am",
        trainer=world.user("trainer"),
        lab=plateau["fibre"],
        equipment=[plateau["splicer"]],
    )
    response = client_for("coordinator").post(
        reverse("session_edit", args=[session.pk]), form_data(world, plateau, date="2026-11-11")
    )
    assert "Le 11/11/2026 est un jour férié (Armistice)." in response.content.decode()
    session.refresh_from_db()
    assert (session.date, session.half_day) == (MONDAY, "am")
    assert list(session.bookings.values_list("equipment", flat=True)) == [plateau["splicer"].pk]
