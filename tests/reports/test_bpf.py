"""The BPF's facts read from the database: who is a trainee of the year, their F-1 line, their
certification's objective and speciality, and the hours attended that year, in six queries."""

import datetime
from typing import Any

import pytest
from django.utils import timezone

from tests import factories
from tests.plateau import builders
from tremplin.attendance.models import AttendanceCorrection, AttendanceEntry, AttendanceSheet
from tremplin.cohorts.models import CompetencyAssessment, Enrolment
from tremplin.organisations.models import Site
from tremplin.people.models import Person
from tremplin.plateau.models import Session
from tremplin.programmes.models import Competency, Track
from tremplin.reports.bpf import bpf_facts, bpf_for, rncp_level, trained_in, trainee_category

pytestmark = pytest.mark.django_db

NOON = datetime.time(12)


class Sheets:
    """Hand-built half-day sheets: sessions of a cohort, sealed or not, one line per learner."""

    def __init__(self, world: Any) -> None:
        self.world = world
        self.labs = builders.labs(world)

    def sheet(
        self, cohort: Any, day: datetime.date, half_day: str = "am", sealed: bool = True
    ) -> AttendanceSheet:
        trainer = self.world.user("trainer")
        lab = self.labs["lyon" if cohort.site_id == self.world.other_site.pk else "fibre"]
        session = Session.objects.create(
            cohort=cohort, date=day, half_day=half_day, trainer=trainer, lab=lab
        )
        seal = {}
        if sealed:
            seal = {
                "countersigned_at": timezone.make_aware(datetime.datetime.combine(day, NOON)),
                "countersigned_by": trainer,
                "content_hash": "f" * 64,
            }
        return AttendanceSheet.objects.create(session=session, opened_by=trainer, **seal)

    def line(
        self, sheet: AttendanceSheet, enrolment: Enrolment, presence: str = "present", late=None
    ) -> AttendanceEntry:
        trainer = self.world.user("trainer")
        signed = {}
        if presence != "absent":
            signed = {
                "signed_at": sheet.opened_at,
                "signed_by": trainer,
                "method": "trainer_screen",
                "sheet_hash": "e" * 64,
            }
        return AttendanceEntry.objects.create(
            sheet=sheet,
            enrolment=enrolment,
            presence=presence,
            minutes_late=late,
            recorded_by=trainer,
            **signed,
        )


def assess(enrolment: Enrolment, certification_code: str, by: Any, n: int = 1) -> None:
    for competency in Competency.objects.filter(block__certification__code=certification_code)[:n]:
        CompetencyAssessment.objects.create(
            enrolment=enrolment,
            competency=competency,
            level="acquired",
            assessed_on=datetime.date(2026, 11, 2),
            assessed_by=by,
        )


def not_a_job_seeker(enrolment: Enrolment) -> None:
    Person.objects.filter(pk=enrolment.candidacy.person_id).update(
        job_seeker_since=None, receives_rsa=False
    )


@pytest.fixture
def year_2026(world: Any) -> dict[str, Any]:
    """Three trainees of Marseille in 2026 (one in the past cohort, begun in 2025, two in the
    running one) and their half-days, some outside the year, unsealed or corrected."""
    sheets = Sheets(world)
    trainer = world.user("trainer")
    past = factories.enrolled(world, world.past, first_name="Ali", last_name="Amrani")
    fibre = factories.enrolled(world, world.running, first_name="Bea", last_name="Bonnet")
    unknown = factories.enrolled(world, world.running, first_name="Chloé", last_name="Caron")
    assess(past, "irtfo", trainer, n=2)
    assess(fibre, "technicien-datacenter", trainer, n=2)
    assess(fibre, "irtfo", trainer, n=1)  # assessed on two: the one most assessed counts
    not_a_job_seeker(unknown)
    # Ali: 3 h 30 in December 2025 (not 2026), then in 2026 a morning, an afternoon 30 min
    # late and an absent morning: 210 + 180 minutes.
    sheets.line(sheets.sheet(world.past, datetime.date(2025, 12, 15)), past)
    sheets.line(sheets.sheet(world.past, datetime.date(2026, 1, 12)), past)
    sheets.line(sheets.sheet(world.past, datetime.date(2026, 1, 12), "pm"), past, "late", 30)
    sheets.line(sheets.sheet(world.past, datetime.date(2026, 1, 13)), past, "absent")
    # Bea: a sheet not yet sealed (not counted), and a presence corrected to an absence.
    sheets.line(sheets.sheet(world.running, datetime.date(2026, 11, 23), sealed=False), fibre)
    corrected = sheets.line(sheets.sheet(world.running, datetime.date(2026, 11, 24)), fibre)
    AttendanceCorrection.objects.create(
        entry=corrected,
        presence="absent",
        reason="Signature par erreur",
        made_by=world.user("coordinator"),
        content_hash="d" * 64,
    )
    # Bea's correct morning: 3 h 30.
    sheets.line(sheets.sheet(world.running, datetime.date(2026, 11, 25)), fibre)
    return {"past": past, "fibre": fibre, "unknown": unknown, "sheets": sheets}


def marseille(world: Any) -> Any:
    return Site.objects.filter(pk=world.site.pk)


def test_facts_of_the_year(world, year_2026):
    facts = bpf_facts(marseille(world), 2026)
    # Enrolments in id order: Ali, Bea, Chloé.
    ali, bea, chloe = facts
    assert (ali.category, ali.objective, ali.rncp_level, ali.nsf_code) == ("c", "rncp", 3, "255")
    assert ali.minutes == 390
    assert (bea.category, bea.objective, bea.rncp_level, bea.nsf_code) == (
        "c",
        "other",
        None,
        "326",
    )
    assert bea.minutes == 210
    # Never assessed, in a programme of three tracks: objective and speciality not known;
    # no attendance: a trainee with zero hours.
    assert (chloe.category, chloe.objective, chloe.nsf_code, chloe.minutes) == ("e", "", "", 0)


def test_tables_balance_with_not_stated_lines(world, year_2026):
    result = bpf_for(marseille(world), 2026)
    assert result.balanced and result.trainees == 3 and result.minutes == 600
    f1 = {line.key: (line.trainees, line.minutes) for line in result.f1.lines}
    assert f1["c"] == (2, 600) and f1["e"] == (1, 0)
    f3 = {line.key: line.trainees for line in result.f3.lines}
    assert (f3["rncp"], f3["level_3"], f3["other"], f3["not_stated"]) == (1, 1, 1, 1)
    f4 = {line.key: line.trainees for line in result.f4.lines}
    assert f4 == {"255": 1, "326": 1, "other_specialities": 0, "not_stated": 1}


def test_another_year_counts_its_own_trainees_and_hours(world, year_2026):
    # 2025: only Ali's cohort ran (from 30 November 2025), with its December morning.
    facts = bpf_facts(marseille(world), 2025)
    assert [(f.nsf_code, f.minutes) for f in facts] == [("255", 210)]
    assert bpf_facts(marseille(world), 2019) == []


def test_the_network_adds_its_other_sites(world, year_2026):
    lyon = factories.enrolled(world, world.other_cohort, first_name="Dina", last_name="Diallo")
    network = Site.objects.filter(network=world.network)
    assert len(bpf_facts(marseille(world), 2026)) == 3
    assert len(bpf_facts(network, 2026)) == 4
    assert bpf_for(network, 2026).balanced
    assert lyon in trained_in(network, 2026) and lyon not in trained_in(marseille(world), 2026)


def test_who_is_not_a_trainee_of_the_year(world, year_2026):
    left = factories.enrolled(world, world.running, first_name="Eve", last_name="Etienne")
    # Withdrew before the cohort's first day: never trained.
    Enrolment.objects.filter(pk=left.pk).update(
        status="dropped_out", ended_on=world.running.start_date - datetime.timedelta(days=1)
    )
    assert left not in trained_in(marseille(world), 2026)
    # The past cohort's learner counts in 2026 (ended in April) but not in 2027.
    assert year_2026["past"] not in trained_in(marseille(world), 2027)


def test_a_programme_of_one_track_gives_its_certification(world, year_2026):
    Track.objects.filter(programme=world.programme).exclude(certification__code="tssiv").delete()
    chloe = bpf_facts(marseille(world), 2026)[2]
    assert (chloe.objective, chloe.rncp_level, chloe.nsf_code) == ("rncp", 4, "255")


def test_six_queries_whatever_the_number_of_trainees(world, year_2026, django_assert_num_queries):
    with django_assert_num_queries(6):
        bpf_facts(marseille(world), 2026)
    sheets = year_2026["sheets"]
    for index in range(4):
        more = factories.enrolled(world, world.running, first_name=f"N{index}", last_name="X")
        assess(more, "tssiv", world.user("trainer"))
        sheet = sheets.sheet(world.running, datetime.date(2026, 11, 2 + index))
        sheets.line(sheet, more)
    with django_assert_num_queries(6):
        assert len(bpf_facts(marseille(world), 2026)) == 7


@pytest.mark.parametrize(
    ("text", "level"),
    [("Niveau 3 (CAP)", 3), ("niveau 6", 6), ("Bac+2", None), ("", None)],
)
def test_rncp_level_from_the_certification(text, level):
    assert rncp_level(text) == level


def test_trainee_category():
    assert trainee_category(job_seeker_since=datetime.date(2024, 1, 1), receives_rsa=False) == "c"
    assert trainee_category(job_seeker_since=None, receives_rsa=True) == "c"
    assert trainee_category(job_seeker_since=None, receives_rsa=False) == "e"
