"""The problem the planner reads from the database: labs, equipment in service, trainers
with their profiles and half-days off, the calendar without holidays and closures, kept
sessions fixed and the other cohorts' sessions as load."""

import datetime
from typing import Any

import pytest

from tests import factories
from tests.planner.builders import small_plateau
from tremplin.attendance.models import AttendanceSheet
from tremplin.planner.adapter import cohort_problem, kept_sessions, replaced_sessions
from tremplin.planner.services import unavailability_add
from tremplin.plateau.models import Session, SiteClosure
from tremplin.plateau.services import session_create

D = datetime.date
START = D(2026, 12, 30)  # the world's upcoming cohort starts on Wednesday 30/12/2026


@pytest.fixture
def plateau(world: Any) -> Any:
    return small_plateau(world)


def test_labs_equipment_and_trainers_of_the_site(world, plateau):
    problem = cohort_problem(world.upcoming, today=world.upcoming.start_date - D.resolution * 30)
    assert {(lab.id, lab.kind, lab.workstations) for lab in problem.labs} == {
        (str(plateau.fibre.pk), "fibre", 12),
        (str(plateau.classroom.pk), "classroom", 14),
    }
    # In service only, this site only: the splicer under repair and Lyon's are not there.
    assert dict(problem.equipment) == {"fusion_splicer": 2, "power_meter": 1}
    trainers = {t.id: t for t in problem.trainers}
    lead, second = plateau.trainers
    assert trainers[str(lead.pk)].modules == {"AC1", "SO1", "ME1"}
    assert trainers[str(second.pk)].modules == {"SO1", "ME1"}
    assert trainers[str(second.pk)].max_half_days_per_week == 6
    # Lyon's trainer is not a Marseille trainer.
    assert str(world.user("outsider_trainer").pk) not in trainers


def test_cohort_modules_size_and_start_window(world, plateau):
    problem = cohort_problem(world.upcoming, today=D(2026, 11, 30))
    (cohort,) = problem.cohorts
    assert cohort.id == str(world.upcoming.pk)
    assert cohort.size == world.upcoming.capacity  # nobody enrolled yet: the seats
    assert cohort.earliest_start == START
    assert cohort.latest_start == START + datetime.timedelta(days=7)
    modules = {m.code: m for m in cohort.modules}
    assert modules["SO1"].hours == 14
    assert dict(modules["SO1"].equipment) == {"fusion_splicer": 1, "power_meter": 1}
    assert modules["SO1"].prerequisites == ("AC1",)
    assert modules["ME1"].prerequisites == ("SO1",)


def test_calendar_skips_weekends_public_holidays_and_closures(world, plateau):
    SiteClosure.objects.create(
        site=world.site, start=D(2027, 2, 15), end=D(2027, 2, 19), reason="Vacances"
    )
    days = cohort_problem(world.upcoming, today=D(2026, 11, 30)).calendar.days
    assert days[0] == START
    assert days[-1] <= world.upcoming.end_date
    assert D(2027, 1, 1) not in days  # Jour de l'an
    assert D(2027, 1, 2) not in days  # a Saturday
    assert not [d for d in days if D(2027, 2, 15) <= d <= D(2027, 2, 19)]
    assert all(d.weekday() < 5 for d in days)


def test_unavailability_in_the_horizon(world, plateau):
    lead = plateau.trainers[0]
    unavailability_add(
        by=world.user("coordinator"), trainer=lead, date=D(2027, 1, 5), half_day="pm"
    )
    problem = cohort_problem(world.upcoming, today=D(2026, 11, 30))
    spec = next(t for t in problem.trainers if t.id == str(lead.pk))
    assert spec.unavailable == {(D(2027, 1, 5), "pm")}


def test_locked_and_signed_sessions_are_fixed_others_are_replaced(world, plateau):
    coordinator, lead = world.user("coordinator"), plateau.trainers[0]
    factories.enrolled(world, world.upcoming)  # one learner in training

    def half_day(day: D, half: str, module: str, **extra: Any) -> Session:
        lab = plateau.classroom if module == "AC1" else plateau.fibre
        return session_create(
            by=coordinator,
            cohort=world.upcoming,
            date=day,
            half_day=half,
            trainer=lead,
            lab=lab,
            module=plateau.modules[module],
            **extra,
        )

    locked = half_day(START, "am", "AC1")
    Session.objects.filter(pk=locked.pk).update(locked=True)
    signed = half_day(START, "pm", "AC1")
    AttendanceSheet.objects.create(session=signed, opened_by=lead)
    loose = half_day(D(2027, 1, 4), "am", "SO1", equipment=[plateau.splicers[0], plateau.meter])

    (cohort,) = cohort_problem(world.upcoming, today=D(2026, 11, 30)).cohorts
    assert cohort.size == 1
    assert {(f.day, f.half_day, f.module) for f in cohort.fixed} == {
        (START, "am", "AC1"),
        (START, "pm", "AC1"),
    }
    assert set(kept_sessions(world.upcoming, START)) == {locked, signed}
    assert list(replaced_sessions(world.upcoming, START)) == [loose]


def test_other_cohorts_sessions_are_busy_load(world, plateau):
    lead = plateau.trainers[0]
    held = session_create(
        by=world.user("coordinator"),
        cohort=world.running,
        date=D(2027, 1, 4),
        half_day="am",
        trainer=lead,
        lab=plateau.fibre,
        module=plateau.modules["SO1"],
        equipment=[plateau.splicers[0], plateau.meter],
    )
    problem = cohort_problem(world.upcoming, today=D(2026, 11, 30))
    (busy,) = problem.busy
    assert (busy.cohort, busy.day, busy.half_day) == (str(world.running.pk), held.date, "am")
    assert (busy.lab, busy.trainer) == (str(plateau.fibre.pk), str(lead.pk))
    assert dict(busy.equipment) == {"fusion_splicer": 1, "power_meter": 1}


def test_a_cohort_under_way_plans_what_is_left_from_tomorrow(world, plateau):
    """The running cohort: two AC1 half-days already held count; planning starts tomorrow."""
    lead = plateau.trainers[0]
    for half in ("am", "pm"):
        session_create(
            by=world.user("coordinator"),
            cohort=world.running,
            date=D(2026, 11, 27),
            half_day=half,
            trainer=lead,
            lab=plateau.classroom,
            module=plateau.modules["AC1"],
        )
    problem = cohort_problem(world.running, today=D(2026, 11, 30))
    (cohort,) = problem.cohorts
    assert problem.calendar.days[0] == D(2026, 12, 1)
    assert cohort.earliest_start == D(2026, 12, 1)
    assert {m.code for m in cohort.modules} == {"SO1", "ME1"}
    # AC1 is complete: SO1 no longer waits for it.
    assert next(m for m in cohort.modules if m.code == "SO1").prerequisites == ()
    assert cohort.fixed == ()
