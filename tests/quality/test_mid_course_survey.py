"""The « à mi-parcours » survey: due halfway through a cohort in training, never after its end."""

import datetime
from typing import Any

import pytest
from django.core import mail
from django.urls import reverse

from tests import factories
from tremplin.quality.models import SurveyInvitation
from tremplin.quality.selectors import survey_results
from tremplin.quality.services import (
    SurveyError,
    send_due_surveys,
    survey_answer,
    survey_due_date,
    survey_send,
    survey_token,
)

MID = {
    "rythme": 4,
    "comprehension": 5,
    "plateau": 2,
    "formateurs": 5,
    "organisation": 4,
    "commentaire": "Plus de temps sur les soudeuses, on attend son tour.",
}


@pytest.fixture
def in_training(world: Any) -> list[Any]:
    return [
        factories.enrolled(world, world.running, first_name="Inès", last_name="Benali"),
        factories.enrolled(world, world.running, first_name="Karim", last_name="Ouali"),
    ]


def test_the_mid_course_survey_is_due_halfway(world: Any) -> None:
    cohort = world.running  # 122 days long
    assert survey_due_date(cohort, "mid") == cohort.start_date + datetime.timedelta(days=61)


def test_it_is_refused_before_halfway(world: Any, in_training: list[Any]) -> None:
    halfway = survey_due_date(world.running, "mid")
    with pytest.raises(SurveyError) as refused:
        survey_send(
            cohort=world.running,
            kind="mid",
            by=world.user("coordinator"),
            today=halfway - datetime.timedelta(days=1),
        )
    assert refused.value.message == (
        f"L'enquête « À mi-parcours » s'envoie à partir du {halfway:%d/%m/%Y}."
    )
    assert not SurveyInvitation.objects.exists()


def test_the_daily_sending_reaches_cohorts_in_training_past_halfway_only(
    world: Any, in_training: list[Any], django_capture_on_commit_callbacks: Any
) -> None:
    factories.enrolled(world, world.past)  # ended in April: « à chaud » and « à froid » only
    halfway = survey_due_date(world.running, "mid")
    assert send_due_surveys(today=halfway - datetime.timedelta(days=1)) == 2
    assert not SurveyInvitation.objects.filter(kind="mid").exists()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert send_due_surveys(today=halfway) == 2
    mid = SurveyInvitation.objects.filter(kind="mid")
    assert {i.enrolment for i in mid} == set(in_training)
    assert all("à mi-parcours de la formation" in m.body for m in mail.outbox)
    assert send_due_surveys(today=halfway) == 0


def test_the_daily_sending_stops_three_weeks_after_halfway(
    world: Any, in_training: list[Any]
) -> None:
    late = survey_due_date(world.running, "mid") + datetime.timedelta(days=21)
    assert send_due_surveys(today=late) == 0
    # The coordinator may still send it by hand.
    sent = survey_send(cohort=world.running, kind="mid", by=world.user("coordinator"), today=late)
    assert len(sent) == 2


def test_answers_are_read_against_the_mid_course_questions(
    world: Any, in_training: list[Any]
) -> None:
    halfway = survey_due_date(world.running, "mid")
    invitations = survey_send(
        cohort=world.running, kind="mid", by=world.user("coordinator"), today=halfway
    )
    survey_answer(token=survey_token(invitations[0]), answers=MID)
    results = survey_results(world.running, "mid", with_texts=True)
    assert (results.label, results.invited, results.answered) == ("À mi-parcours", 2, 1)
    plateau = next(r for r in results.scales if r.question.code == "plateau")
    assert plateau.summary.mean == 2
    assert results.texts[0][1] == [MID["commentaire"]]


def test_the_quality_pages_show_the_mid_course_results(
    client_for: Any, world: Any, in_training: list[Any]
) -> None:
    halfway = survey_due_date(world.running, "mid")
    (first, _second) = survey_send(
        cohort=world.running, kind="mid", by=world.user("coordinator"), today=halfway
    )
    survey_answer(token=survey_token(first), answers=MID)
    page = client_for("coordinator").get(reverse("cohort_surveys", args=[world.running.pk]))
    content = page.content.decode()
    assert 'id="survey-mid"' in content and "Enquête À mi-parcours" in content
    home = client_for("coordinator").get(reverse("quality_home")).content.decode()
    assert "1 / 2" in home
