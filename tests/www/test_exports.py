"""Every list page as CSV and XLSX: the rows the page shows to that user, all of them, typed,
filtered like the page, refused like the page, text neutralised, in bounded queries."""

import csv
import datetime
import io
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from tests import factories
from tests.attendance.builders import at, half_days
from tests.auth import log_in
from tests.plateau import builders
from tests.plateau.builders import MONDAY
from tests.www.test_access_matrix import ROLES
from tremplin.attendance import services as attendance
from tremplin.attendance.models import AbsenceAlert
from tremplin.candidacies.services import candidacy_create, candidacy_transition
from tremplin.plateau.models import Lab
from tremplin.plateau.services import closure_create

pytestmark = pytest.mark.django_db

FORMULA = '=HYPERLINK("http://x.example","Cliquez")'

LISTS = [
    "candidacy_list",
    "person_list",
    "merge_list",
    "cohort_list",
    "opening_list",
    "proposal_list",
    "follow_up_list",
    "complaint_list",
    "action_list",
    "closure_list",
    "donations_report",
    "attendance_alerts",
]


def as_role(client: Any, world: Any, role: str) -> Any:
    client.logout()
    if role != "anonymous":
        log_in(client, world.user(role))
    return client


def csv_table(response: Any) -> list[dict[str, str]]:
    assert response.status_code == 200, response.content[:300]
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response.content.startswith(b"\xef\xbb\xbf")
    reader = csv.DictReader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";")
    return list(reader)


def xlsx_table(response: Any) -> list[dict[str, Any]]:
    assert response.status_code == 200, response.content[:300]
    sheet = load_workbook(io.BytesIO(response.content)).active
    header, *rows = sheet.iter_rows()
    names = [cell.value for cell in header]
    return [{name: cell for name, cell in zip(names, row, strict=True)} for row in rows]


def download(client: Any, name: str, fmt: str = "csv", **query: str) -> Any:
    return client.get(reverse(name), {**query, "format": fmt})


@pytest.fixture
def lists(world: Any, frozen_clock: Any) -> dict[str, Any]:
    """One row or more for every list, some of them out of the Marseille users' reach."""
    formula = factories.referral(world, first_name=FORMULA, last_name="Piège")
    helene = factories.referral(world, first_name="Hélène", last_name="Dupré")
    candidacy_transition(candidacy=helene, transition="invite", by=world.user("coordinator"))
    other = candidacy_create(
        cohort=world.upcoming,
        person_data=factories.person_data(first_name="Léo", last_name="Martin"),
        motivation="",
        by=world.user("outsider_prescriber"),
    )
    merge = factories.merged(world)
    opening = factories.opening(world)
    other_opening = factories.opening(world, employer=world.other_employer, title="Technicien DC")
    hired = factories.enrolled(world, world.running, first_name="Sofia", last_name="Marchetti")
    proposal = factories.proposal(world, on=opening, enrolment=hired)
    leaver = factories.ended(world, first_name="Omar", last_name="Haddad")
    complaint = factories.complaint(world, subject="=1+1 fusionneuse")
    action = factories.improvement_action(world, complaint)
    closure_create(
        by=world.user("coordinator"),
        site=world.site,
        start=datetime.date(2026, 12, 21),
        end=datetime.date(2027, 1, 1),
        reason="Congés de fin d'année",
    )
    closure_create(
        by=world.user("outsider_coordinator"),
        site=world.other_site,
        start=datetime.date(2026, 12, 24),
        end=datetime.date(2026, 12, 26),
        reason="Noël à Lyon",
    )
    monday_am, monday_pm = half_days(world, (MONDAY, "am"), (MONDAY, "pm"))
    donated = (("FSP-1", datetime.date(2026, 2, 1)), ("FSP-2", datetime.date(2026, 4, 15)))
    for serial, day in donated:
        builders.equipment(monday_am.lab, serial, donor=world.other_employer, donated_on=day)
    lyon = Lab.objects.filter(site=world.other_site).first()
    builders.equipment(lyon, "FSP-LYON", donor=world.employer, donated_on=MONDAY)
    frozen_clock.move_to(at(MONDAY, 14, 0))
    for half in (monday_am, monday_pm):
        attendance.mark_absent(
            session=half.session, enrolment=half.learners[0], by=world.user("trainer")
        )
    return {
        "formula": formula,
        "helene": helene,
        "other": other,
        "merge": merge,
        "opening": opening,
        "other_opening": other_opening,
        "proposal": proposal,
        "leaver": leaver,
        "complaint": complaint,
        "action": action,
    }


@pytest.mark.parametrize("name", LISTS)
def test_the_file_is_refused_exactly_like_the_page(client: Any, world: Any, name: str) -> None:
    for role in ROLES:
        as_role(client, world, role)
        page = client.get(reverse(name))
        for fmt in ("csv", "xlsx"):
            export = download(client, name, fmt)
            assert export.status_code == (200 if page.status_code == 200 else page.status_code), (
                role,
                fmt,
            )
            if page.status_code == 200:
                assert export["Content-Disposition"].startswith('attachment; filename="')
            elif page.status_code == 302:
                # To the login page, which brings the person back to the file afterwards.
                assert export["Location"].split("?")[0] == page["Location"].split("?")[0]


@pytest.mark.parametrize("name", LISTS)
def test_each_list_links_to_its_files_keeping_the_query(client_for: Any, name: str) -> None:
    role = "trainer" if name in ("cohort_list", "donations_report") else "coordinator"
    page = client_for(role).get(reverse(name), {"page": "1", "q": "x"}).content.decode()
    assert "Exporter :" in page
    assert 'href="?q=x&amp;format=csv"' in page
    assert 'href="?q=x&amp;format=xlsx"' in page
    assert "page=1" not in page.split("Exporter :")[1].split("</p>")[0]


@pytest.mark.parametrize("name", LISTS)
def test_an_unknown_format_is_refused_with_a_message(client_for: Any, name: str) -> None:
    role = "trainer" if name in ("cohort_list", "donations_report") else "coordinator"
    response = download(client_for(role), name, "ods")
    assert response.status_code == 400
    assert "Format d'export inconnu" in response.content.decode()


def test_candidacies_as_the_prescriber_sees_them_with_the_formula_neutralised(
    client_for: Any, lists: dict[str, Any]
) -> None:
    client = client_for("prescriber")
    rows = csv_table(download(client, "candidacy_list"))
    # The prescriber's agency's referrals only (the merged Lina Morel included), never Léo's.
    ids = {int(r["N° candidature"]) for r in rows}
    assert lists["formula"].pk in ids and lists["helene"].pk in ids
    assert lists["other"].pk not in ids
    trap = next(r for r in rows if int(r["N° candidature"]) == lists["formula"].pk)
    assert trap["Prénom"] == "'" + FORMULA
    assert trap["Date"] == "30/11/2026"
    assert trap["Prescripteur"] == "France Travail Marseille 13e"

    sheet = xlsx_table(download(client, "candidacy_list", "xlsx"))
    trap_cells = next(r for r in sheet if r["N° candidature"].value == lists["formula"].pk)
    assert trap_cells["Prénom"].value == "'" + FORMULA
    assert trap_cells["Prénom"].data_type == "s"
    assert isinstance(trap_cells["N° candidature"].value, int)
    assert trap_cells["Date"].is_date
    assert trap_cells["Date"].value.date() == datetime.date(2026, 11, 30)


def test_candidacy_filters_and_status_are_honoured_and_pages_ignored(
    client_for: Any, world: Any, lists: dict[str, Any]
) -> None:
    client = client_for("coordinator")
    invited = csv_table(download(client, "candidacy_list", statut="invited"))
    assert [r["Nom"] for r in invited] == ["Dupré"]
    searched = csv_table(download(client, "candidacy_list", q="Hélène"))
    assert [int(r["N° candidature"]) for r in searched] == [lists["helene"].pk]
    everything = csv_table(download(client, "candidacy_list", page="2"))
    page = client.get(reverse("candidacy_list"))
    assert len(everything) == page.context["page"].paginator.count


def test_candidacies_export_in_a_bounded_number_of_queries(client_for: Any, world: Any) -> None:
    client = client_for("coordinator")
    factories.referral(world)
    with CaptureQueriesContext(connection) as few:
        csv_table(download(client, "candidacy_list"))
    for _ in range(30):
        factories.referral(world)
    with CaptureQueriesContext(connection) as many:
        rows = csv_table(download(client, "candidacy_list"))
    assert len(rows) == 31
    # Session, user, visible cohorts (the filter form), the rows with their joins: the same
    # few queries for 1 or 31 rows.
    assert len(many) == len(few) <= 6, [q["sql"] for q in many.captured_queries]


def test_people_and_merges(client_for: Any, lists: dict[str, Any]) -> None:
    client = client_for("coordinator")
    people = csv_table(download(client, "person_list", q="Dupré"))
    assert [(r["Nom"], r["Prénom"], r["Date de naissance"]) for r in people] == [
        ("Dupré", "Hélène", lists["helene"].person.birth_date.strftime("%d/%m/%Y"))
    ]
    sheet = xlsx_table(download(client, "person_list", "xlsx"))
    trap = next(r for r in sheet if r["Nom"].value == "Piège")
    assert trap["Prénom"].value == "'" + FORMULA
    assert trap["Date de naissance"].is_date
    merges = xlsx_table(download(client, "merge_list", "xlsx"))
    assert [r["N° fusion"].value for r in merges] == [lists["merge"].pk]
    assert merges[0]["Date"].is_date
    assert merges[0]["Lignes déplacées"].value == lists["merge"].moved_count
    assert merges[0]["Annulée le"].value is None


def test_cohorts_with_counts_as_numbers(client_for: Any, world: Any, lists: dict[str, Any]) -> None:
    trainer = xlsx_table(download(client_for("trainer"), "cohort_list", "xlsx"))
    # The trainer's own cohorts, as on the page.
    assert sorted(r["Promotion"].value for r in trainer) == ["Promo en cours", "Promo à venir"]
    coordinator = xlsx_table(download(client_for("coordinator"), "cohort_list", "xlsx"))
    running = next(r for r in coordinator if r["N° promotion"].value == world.running.pk)
    enrolled = world.running.enrolments.count()
    assert running["Inscrits"].value == enrolled and isinstance(enrolled, int)
    assert running["Début"].is_date
    assert running["Début"].value.date() == world.running.start_date
    assert "Promo Lyon" not in {r["Promotion"].value for r in coordinator}


def test_openings_and_proposals_per_role(client_for: Any, lists: dict[str, Any]) -> None:
    employer = client_for("employer")
    openings = xlsx_table(download(employer, "opening_list", "xlsx"))
    assert [r["N° offre"].value for r in openings] == [lists["opening"].pk]
    assert openings[0]["Postes"].value == 2
    assert openings[0]["Proposés"].value == 1
    proposals = csv_table(download(employer, "proposal_list"))
    # Employers read « Sofia M. », as on their page; the full name stays with the staff.
    assert [r["Candidat"] for r in proposals] == ["Sofia M."]
    assert "MARCHETTI" not in download(employer, "proposal_list", "xlsx").content.decode("latin-1")
    staff = csv_table(download(client_for("coordinator"), "proposal_list"))
    assert [r["Candidat"] for r in staff] == ["Sofia MARCHETTI"]
    assert staff[0]["Sans réponse"] == "Non"
    assert csv_table(download(client_for("coordinator"), "proposal_list", sans_reponse="1")) == []
    both = csv_table(download(client_for("coordinator"), "opening_list"))
    assert {int(r["N° offre"]) for r in both} == {lists["opening"].pk, lists["other_opening"].pk}


def test_follow_ups_due_with_dates(client_for: Any, lists: dict[str, Any]) -> None:
    rows = xlsx_table(download(client_for("coordinator"), "follow_up_list", "xlsx"))
    leaver = [r for r in rows if r["N° parcours"].value == lists["leaver"].pk]
    assert [r["Échéance"].value for r in leaver] == ["À la sortie"]
    assert leaver[0]["Prévu le"].is_date
    assert leaver[0]["Apprenant"].value == "Omar HADDAD"
    assert xlsx_table(download(client_for("outsider_coordinator"), "follow_up_list", "xlsx")) == []


def test_complaints_and_actions_filtered(client_for: Any, lists: dict[str, Any]) -> None:
    client = client_for("coordinator")
    complaints = csv_table(download(client, "complaint_list", status="received"))
    assert [r["Objet"] for r in complaints] == ["'=1+1 fusionneuse"]
    assert csv_table(download(client, "complaint_list", status="closed")) == []
    sheet = xlsx_table(download(client, "complaint_list", "xlsx"))
    assert sheet[0]["Objet"].value == "'=1+1 fusionneuse"
    assert sheet[0]["Reçue le"].is_date
    actions = xlsx_table(download(client, "action_list", "xlsx", status="planned"))
    assert [r["N° action"].value for r in actions] == [lists["action"].pk]
    # Text that does not start with a trigger is left as typed.
    assert actions[0]["Origine"].value == "Réclamation : =1+1 fusionneuse"
    assert csv_table(download(client, "action_list", status="done")) == []
    assert csv_table(download(client_for("outsider_coordinator"), "complaint_list")) == []


def test_closures_and_donations(client_for: Any, lists: dict[str, Any]) -> None:
    closures = xlsx_table(download(client_for("coordinator"), "closure_list", "xlsx"))
    assert [r["Motif"].value for r in closures] == ["Congés de fin d'année"]
    assert closures[0]["Du"].is_date
    donations = xlsx_table(download(client_for("trainer"), "donations_report", "xlsx"))
    assert [(r["Donateur"].value, r["Nombre"].value) for r in donations] == [("Telenco", 2)]
    assert donations[0]["Premier don"].value.date() == datetime.date(2026, 2, 1)
    assert donations[0]["Dernier don"].value.date() == datetime.date(2026, 4, 15)


def test_absence_alerts(client_for: Any, world: Any, lists: dict[str, Any]) -> None:
    rows = xlsx_table(download(client_for("coordinator"), "attendance_alerts", "xlsx"))
    assert [r["Apprenant"].value for r in rows] == ["Ali AMRANI"]
    assert rows[0]["Première absence"].value.date() == MONDAY
    assert rows[0]["Levée le"].is_date
    assert rows[0]["Traitée le"].value is None
    alert = AbsenceAlert.objects.get()
    attendance.alert_handle(alert=alert, by=world.user("coordinator"), note="=Appelée")
    handled = csv_table(download(client_for("coordinator"), "attendance_alerts"))
    assert [(r["Apprenant"], r["Traitée par"], r["Suite donnée"]) for r in handled] == [
        ("Ali AMRANI", world.user("coordinator").get_full_name(), "'=Appelée")
    ]
    assert csv_table(download(client_for("outsider_coordinator"), "attendance_alerts")) == []


@pytest.mark.parametrize("name", LISTS)
def test_every_export_is_a_few_queries(client_for: Any, lists: dict[str, Any], name: str) -> None:
    client = client_for("trainer" if name in ("cohort_list", "donations_report") else "coordinator")
    with CaptureQueriesContext(connection) as queries:
        assert download(client, name, "xlsx").status_code == 200
    # Session, user, the rows with their joins (and prefetches): no query per row.
    assert len(queries) <= 6, [q["sql"] for q in queries.captured_queries]
