"""Planning a cohort end to end through the services: the task solves it, the commit writes
the sessions (with equipment items), refuses a stale preview writing nothing, and
re-planning keeps locked and signed sessions."""

import datetime
from typing import Any

import pytest

from tests import factories
from tests.planner.builders import small_plateau
from tremplin.attendance.models import AttendanceSheet
from tremplin.core.models import AuditEntry, TaskProgress
from tremplin.planner.models import PlanRun
from tremplin.planner.services import PlannerError, plan_commit, plan_start, session_lock
from tremplin.planner.tasks import plan_cohort
from tremplin.plateau.models import Booking, Session
from tremplin.plateau.services import session_create

D = datetime.date
START = D(2026, 12, 30)


@pytest.fixture(autouse=True)
def _short_solves(settings: Any) -> None:
    settings.PLANNER_TIME_LIMIT = 5


@pytest.fixture
def plateau(world: Any) -> Any:
    return small_plateau(world)


def solved(world: Any, capture: Any, cohort: Any = None) -> PlanRun:
    with capture(execute=True):
        run = plan_start(
            by=world.user("coordinator"),
            cohort=cohort or world.upcoming,
            enqueue=lambda progress_id, run_id: plan_cohort.enqueue(progress_id, run_id),
        )
    run.refresh_from_db()
    return run


def test_the_task_solves_and_keeps_the_preview(world, plateau, django_capture_on_commit_callbacks):
    run = solved(world, django_capture_on_commit_callbacks)
    assert run.plan_status == "optimal"
    assert run.progress.status == TaskProgress.Status.DONE
    assert run.progress.message == "8 séances proposées"
    # 2 half-days of AC1, 4 of SO1, 2 of ME1, in that order.
    sessions = sorted(run.result["sessions"], key=lambda s: (s["day"], s["half_day"]))
    assert [s["module"] for s in sessions] == ["AC1"] * 2 + ["SO1"] * 4 + ["ME1"] * 2
    assert sessions[0]["day"] == START.isoformat()
    assert run.problem["cohorts"][0]["id"] == str(world.upcoming.pk)
    assert run.committed_at is None
    assert not Session.objects.filter(cohort=world.upcoming).exists()


def test_commit_writes_the_sessions_with_their_equipment(
    world, plateau, django_capture_on_commit_callbacks
):
    run = solved(world, django_capture_on_commit_callbacks)
    created = plan_commit(run=run, by=world.user("coordinator"))
    assert len(created) == 8
    sessions = Session.objects.filter(cohort=world.upcoming)
    assert sessions.count() == 8
    for session in sessions.filter(module__code="SO1"):
        assert session.lab == plateau.fibre
        assert sorted(e.type for e in session.equipment.all()) == [
            "fusion_splicer",
            "power_meter",
        ]
    assert sessions.filter(module__code="AC1", lab=plateau.classroom).count() == 2
    run.refresh_from_db()
    assert run.committed_by == world.user("coordinator")
    assert AuditEntry.objects.filter(action="plan_run.commit", object_id=str(run.pk)).exists()
    with pytest.raises(PlannerError, match="déjà été validé"):
        plan_commit(run=run, by=world.user("coordinator"))


def test_a_stale_preview_is_refused_and_nothing_is_written(
    world, plateau, django_capture_on_commit_callbacks
):
    run = solved(world, django_capture_on_commit_callbacks)
    # Meanwhile, someone books the fibre lab for the running cohort on the first Monday.
    session_create(
        by=world.user("coordinator"),
        cohort=world.running,
        date=D(2027, 1, 4),
        half_day="am",
        trainer=plateau.trainers[1],
        lab=plateau.fibre,
        module=plateau.modules["SO1"],
        equipment=[plateau.splicers[0], plateau.meter],
    )
    before = (Session.objects.count(), Booking.objects.count())
    with pytest.raises(PlannerError, match="Le plateau a changé depuis cet aperçu"):
        plan_commit(run=run, by=world.user("coordinator"))
    assert (Session.objects.count(), Booking.objects.count()) == before
    run.refresh_from_db()
    assert run.committed_at is None


def test_a_refused_session_rolls_back_the_whole_commit(
    world, plateau, django_capture_on_commit_callbacks
):
    """A session refused by plateau.services half-way: the deletions and the sessions
    already created are rolled back too."""
    run = solved(world, django_capture_on_commit_callbacks)
    first = plan_commit(run=run, by=world.user("coordinator"))
    kept_ids = sorted(s.pk for s in first)
    again = solved(world, django_capture_on_commit_callbacks)
    # Falsify the preview's last session so that its trainer is not of the site.
    again.result["sessions"][-1]["trainer"] = str(world.user("outsider_trainer").pk)
    again.save(update_fields=["result"])
    with pytest.raises(PlannerError, match="Choisissez un formateur du site"):
        plan_commit(run=again, by=world.user("coordinator"))
    assert sorted(Session.objects.filter(cohort=world.upcoming).values_list("pk", flat=True)) == (
        kept_ids
    )


def test_replanning_keeps_locked_and_signed_sessions(
    world, plateau, django_capture_on_commit_callbacks
):
    coordinator = world.user("coordinator")
    factories.enrolled(world, world.upcoming)
    created = plan_commit(run=solved(world, django_capture_on_commit_callbacks), by=coordinator)
    by_slot = sorted(created, key=lambda s: (s.date, s.half_day))
    locked, signed = by_slot[0], by_slot[2]
    session_lock(session=locked, locked=True, by=coordinator)
    AttendanceSheet.objects.create(session=signed, opened_by=signed.trainer)

    run = solved(world, django_capture_on_commit_callbacks)
    assert run.found
    fixed = {(f["day"], f["half_day"]) for f in run.problem["cohorts"][0]["fixed"]}
    assert fixed == {
        (locked.date.isoformat(), locked.half_day),
        (signed.date.isoformat(), signed.half_day),
    }
    new = plan_commit(run=run, by=coordinator)
    assert len(new) == 6  # 8 half-days, 2 of them kept
    remaining = Session.objects.filter(cohort=world.upcoming)
    assert remaining.count() == 8
    assert remaining.filter(pk__in=[locked.pk, signed.pk]).count() == 2
    replaced = {s.pk for s in created} - {locked.pk, signed.pk}
    assert not remaining.filter(pk__in=replaced).exists()
    assert AuditEntry.objects.filter(action="plan_run.replace_sessions").count() == 1


def test_an_impossible_cohort_is_explained(world, plateau, django_capture_on_commit_callbacks):
    # Nobody teaches the accueil any more.
    for trainer in plateau.trainers:
        trainer.trainer_profile.modules.remove(plateau.modules["AC1"])
    run = solved(world, django_capture_on_commit_callbacks)
    assert run.plan_status in ("infeasible", "invalid")
    assert run.explanation
    assert "AC1" in " ".join(run.explanation) or "Accueil" in " ".join(run.explanation)
    with pytest.raises(PlannerError, match="rien à valider"):
        plan_commit(run=run, by=world.user("coordinator"))


def test_a_finished_cohort_is_not_planned(world):
    with pytest.raises(PlannerError, match="terminée"):
        plan_start(by=world.user("coordinator"), cohort=world.past, enqueue=lambda *a: None)
    assert not PlanRun.objects.exists()
