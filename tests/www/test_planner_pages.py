"""Planner pages beyond access: the cohort page's button, the preview of a run that found
nothing (its explanation in words), locking a session, the capacity page's answer and chart
with its data table."""

import datetime
from typing import Any

import pytest
from django.urls import reverse

from tests.planner.builders import small_plateau
from tremplin.planner.models import PlanRun
from tremplin.plateau.models import Session
from tremplin.plateau.services import session_create

D = datetime.date


@pytest.fixture
def plateau(world: Any) -> Any:
    return small_plateau(world)


def test_cohort_sessions_offers_automatic_planning_to_managers_only(client_for, world):
    url = reverse("cohort_sessions", args=[world.upcoming.pk])
    page = client_for("coordinator").get(url).content.decode()
    assert "Planifier automatiquement" in page
    assert reverse("plateau_capacity", args=[world.site.pk]) in page
    assert "Planifier automatiquement" not in client_for("trainer").get(url).content.decode()


def test_an_impossible_run_says_why_and_offers_no_commit(client_for, world):
    run = PlanRun.objects.create(
        kind="cohort",
        site=world.site,
        cohort=world.upcoming,
        requested_by=world.user("coordinator"),
        plan_status="infeasible",
        explanation=["Aucun formateur n'enseigne le module AC1 (Accueil)."],
        wall_time=0.2,
    )
    page = client_for("coordinator").get(reverse("plan_run", args=[run.pk])).content.decode()
    assert "Aucun planning possible" in page
    assert "Aucun formateur n&#x27;enseigne le module AC1 (Accueil)." in page
    assert "Valider ce planning" not in page
    response = client_for("coordinator").post(reverse("plan_run_commit", args=[run.pk]))
    assert response.status_code == 302
    assert not Session.objects.filter(cohort=world.upcoming).exists()


def test_watch_reloads_the_page_once_the_task_is_over(client_for, world):
    run = PlanRun.objects.create(
        kind="cohort",
        site=world.site,
        cohort=world.upcoming,
        requested_by=world.user("coordinator"),
        plan_status="optimal",
    )
    response = client_for("coordinator").get(reverse("plan_run_watch", args=[run.pk]))
    assert response["HX-Refresh"] == "true"


def test_lock_and_unlock_a_session(client_for, world, plateau):
    session = session_create(
        by=world.user("coordinator"),
        cohort=world.upcoming,
        date=D(2026, 12, 30),
        half_day="am",
        trainer=plateau.trainers[0],
        lab=plateau.classroom,
        module=plateau.modules["AC1"],
    )
    client = client_for("coordinator")
    url = reverse("session_lock", args=[session.pk])
    client.post(url, {"locked": "1"})
    session.refresh_from_db()
    assert session.locked
    week = client.get(
        reverse("cohort_sessions", args=[world.upcoming.pk]) + "?semaine=2026-12-28"
    ).content.decode()
    assert "Verrouillée" in week and "Déverrouiller" in week
    client.post(url, {"locked": "0"})
    session.refresh_from_db()
    assert not session.locked


def test_capacity_page_shows_the_answer_the_chart_and_its_table(client_for, world):
    PlanRun.objects.create(
        kind="capacity",
        site=world.site,
        year=2027,
        requested_by=world.user("coordinator"),
        plan_status="done",
        result={
            "status": "done",
            "overlapping": {"cohorts": 7, "learners": 84},
            "sequential": {"cohorts": 3, "learners": 36},
            "binding": "La salle de cours est pleine.",
            "one_more": ["Une salle de cours de plus permettrait 1 promotion de plus."],
            "occupation": {
                "labs": [{"id": "fibre", "name": "Fibre optique"}],
                "months": [
                    {"month": "2027-01", "label": "janv. 2027", "values": [40]},
                    {"month": "2027-02", "label": "févr. 2027", "values": [85]},
                ],
            },
        },
    )
    page = (
        client_for("coordinator")
        .get(reverse("plateau_capacity", args=[world.site.pk]))
        .content.decode()
    )
    assert "Une promotion à la fois (pratique actuelle)" in page
    assert ">84<" in page and ">36<" in page
    assert "La salle de cours est pleine." in page
    assert "Une salle de cours de plus permettrait 1 promotion de plus." in page
    assert "<svg" in page and 'id="occupation-table"' in page
    assert "févr. 2027" in page and "85 %" in page


def test_capacity_study_runs_in_the_background(
    client_for, world, plateau, settings, django_capture_on_commit_callbacks
):
    """On the small plateau (8 half-days a cohort): the answer, its figures and chart."""
    settings.PLANNER_TIME_LIMIT = 1
    client = client_for("coordinator")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("plateau_capacity_start", args=[world.site.pk]), {"year": "2027"}
        )
    assert response.status_code == 302
    run = PlanRun.objects.get(kind="capacity")
    assert run.progress.status == "done", run.progress.message
    # Eight half-days a cohort: both reach the engine's guard of 40 cohorts a year.
    assert run.result["overlapping"]["cohorts"] >= run.result["sequential"]["cohorts"] >= 1
    page = client.get(response["Location"]).content.decode()
    assert 'id="capacity-answer"' in page and 'id="occupation-table"' in page
