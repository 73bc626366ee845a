"""Satisfaction surveys: sending (idempotent), the signed link, answers and results."""

import datetime
from typing import Any

import pytest
import time_machine
from django.core import mail, signing
from django.core.management import call_command

from tests import factories
from tremplin.cohorts.services import enrolment_end
from tremplin.core.models import AuditEntry
from tremplin.quality.models import SurveyAnswer, SurveyInvitation
from tremplin.quality.selectors import survey_results
from tremplin.quality.services import (
    TOKEN_SALT,
    SurveyError,
    SurveyLinkRefused,
    send_due_surveys,
    survey_answer,
    survey_send,
    survey_token,
)

GOOD_HOT = {
    "objectifs": 5,
    "contenus": 4,
    "plateau": 5,
    "formateurs": 4,
    "organisation": 3,
    "recommandation": 5,
    "commentaire": "Les soudures au labo fibre, enfin du concret.",
}


@pytest.fixture
def learners(world: Any) -> list[Any]:
    """Two learners of the past cohort (ended in April 2026: both surveys are due)."""
    return [
        factories.enrolled(world, world.past, first_name="Inès", last_name="Benali"),
        factories.enrolled(world, world.past, first_name="Karim", last_name="Ouali"),
    ]


def send_hot(world: Any, capture: Any) -> list[Any]:
    with capture(execute=True):
        return survey_send(cohort=world.past, kind="hot", by=world.user("coordinator"))


def test_sending_invites_each_learner_once_by_email(
    world: Any, learners: list[Any], django_capture_on_commit_callbacks: Any
) -> None:
    mail.outbox.clear()
    sent = send_hot(world, django_capture_on_commit_callbacks)
    assert len(sent) == 2
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        e.candidacy.person.email for e in learners
    )
    assert "/enquete/" in mail.outbox[0].body
    assert AuditEntry.objects.filter(action="survey.send", details__count="2").count() == 1

    again = send_hot(world, django_capture_on_commit_callbacks)
    assert again == []
    assert len(mail.outbox) == 2
    assert SurveyInvitation.objects.count() == 2


def test_dropped_out_learners_are_not_surveyed(
    world: Any, learners: list[Any], django_capture_on_commit_callbacks: Any
) -> None:
    enrolment_end(
        enrolment=learners[1],
        outcome="drop_out",
        reason="health",
        by=world.user("coordinator"),
        on_date=world.past.start_date + datetime.timedelta(days=20),
    )
    sent = send_hot(world, django_capture_on_commit_callbacks)
    assert [i.enrolment_id for i in sent] == [learners[0].pk]


def test_a_survey_is_not_sent_before_it_is_due(
    world: Any, django_capture_on_commit_callbacks: Any
) -> None:
    factories.enrolled(world, world.running)
    mail.outbox.clear()
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(SurveyError, match="s'envoie à partir du") as refused,
    ):
        survey_send(cohort=world.running, kind="hot", by=world.user("coordinator"))
    assert world.running.end_date.strftime("%d/%m/%Y") in refused.value.message
    assert SurveyInvitation.objects.count() == 0
    assert mail.outbox == []


def test_unknown_kind_is_refused(world: Any, learners: list[Any]) -> None:
    with pytest.raises(SurveyError, match="Choisissez l'enquête"):
        survey_send(cohort=world.past, kind="tiede", by=world.user("coordinator"))
    assert SurveyInvitation.objects.count() == 0


def test_due_surveys_command_is_idempotent(
    world: Any, learners: list[Any], django_capture_on_commit_callbacks: Any, capsys: Any
) -> None:
    factories.enrolled(world, world.running)  # not due yet: its cohort ends in January
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_due_surveys")
    assert "4 invitation(s)" in capsys.readouterr().out
    assert sorted(SurveyInvitation.objects.values_list("kind", flat=True)) == [
        "cold",
        "cold",
        "hot",
        "hot",
    ]
    assert len(mail.outbox) == 4
    with django_capture_on_commit_callbacks(execute=True):
        assert send_due_surveys() == 0
    assert len(mail.outbox) == 4


def test_cold_survey_waits_three_months_after_the_end(world: Any, learners: list[Any]) -> None:
    end = world.past.end_date  # 1 April 2026
    assert send_due_surveys(today=end - datetime.timedelta(days=1)) == 0
    assert send_due_surveys(today=end) == 2
    assert send_due_surveys(today=datetime.date(2026, 6, 30)) == 0
    assert send_due_surveys(today=datetime.date(2026, 7, 1)) == 2


def invitations(world: Any, capture: Any) -> list[Any]:
    return send_hot(world, capture)


def test_answering_through_the_link(
    world: Any, learners: list[Any], django_capture_on_commit_callbacks: Any
) -> None:
    invitation = invitations(world, django_capture_on_commit_callbacks)[0]
    token = survey_token(invitation)
    survey_answer(token=token, answers=GOOD_HOT)
    invitation.refresh_from_db()
    assert invitation.answered_at is not None
    assert SurveyAnswer.objects.filter(invitation=invitation).count() == 7
    assert AuditEntry.objects.filter(action="survey.answer", actor=None).count() == 1


def test_a_link_answers_once(
    world: Any, learners: list[Any], django_capture_on_commit_callbacks: Any
) -> None:
    token = survey_token(invitations(world, django_capture_on_commit_callbacks)[0])
    survey_answer(token=token, answers=GOOD_HOT)
    with pytest.raises(SurveyLinkRefused, match="déjà répondu") as refused:
        survey_answer(token=token, answers=GOOD_HOT | {"objectifs": 1})
    assert refused.value.status == 410
    assert SurveyAnswer.objects.count() == 7
    assert not SurveyAnswer.objects.filter(score=1).exists()


def test_a_tampered_link_is_refused(
    world: Any, learners: list[Any], django_capture_on_commit_callbacks: Any
) -> None:
    first, second = invitations(world, django_capture_on_commit_callbacks)
    token = survey_token(first)
    tampered = token[:-1] + ("A" if token[-1] != "A" else "B")
    # A link built by hand for another invitation, without the secret key:
    payload = signing.dumps({"i": second.pk, "k": "hot"}, salt="autre-usage")
    for bad in (tampered, payload, "jeton-falsifie"):
        with pytest.raises(SurveyLinkRefused, match="n'est pas valide") as refused:
            survey_answer(token=bad, answers=GOOD_HOT)
        assert refused.value.status == 400
    # Signed for the right use but naming the wrong kind: no such invitation.
    wrong_kind = signing.dumps({"i": first.pk, "k": "cold"}, salt=TOKEN_SALT)
    with pytest.raises(SurveyLinkRefused, match="n'est pas valide"):
        survey_answer(token=wrong_kind, answers=GOOD_HOT)
    assert SurveyAnswer.objects.count() == 0
    assert not SurveyInvitation.objects.filter(answered_at__isnull=False).exists()


def test_an_expired_link_is_refused(
    world: Any, learners: list[Any], django_capture_on_commit_callbacks: Any
) -> None:
    token = survey_token(invitations(world, django_capture_on_commit_callbacks)[0])
    later = datetime.datetime(2027, 1, 15, 10, tzinfo=datetime.UTC)  # 46 days on
    with (
        time_machine.travel(later, tick=False),
        pytest.raises(SurveyLinkRefused, match="expiré") as refused,
    ):
        survey_answer(token=token, answers=GOOD_HOT)
    assert refused.value.status == 410
    assert SurveyAnswer.objects.count() == 0


@pytest.mark.parametrize(
    "change",
    [{"objectifs": None}, {"contenus": 6}, {"plateau": 0}, {"commentaire": "x" * 2001}],
)
def test_bad_answers_are_refused_and_nothing_is_written(
    world: Any, learners: list[Any], django_capture_on_commit_callbacks: Any, change: Any
) -> None:
    invitation = invitations(world, django_capture_on_commit_callbacks)[0]
    with pytest.raises(SurveyError) as refused:
        survey_answer(token=survey_token(invitation), answers=GOOD_HOT | change)
    assert "note de 1 à 5" in refused.value.message or "2000 caractères" in refused.value.message
    invitation.refresh_from_db()
    assert invitation.answered_at is None
    assert SurveyAnswer.objects.count() == 0


def test_results_per_question(
    world: Any, learners: list[Any], django_capture_on_commit_callbacks: Any
) -> None:
    third = factories.enrolled(world, world.past)
    sent = invitations(world, django_capture_on_commit_callbacks)
    assert len(sent) == 3
    survey_answer(token=survey_token(sent[0]), answers=GOOD_HOT)
    survey_answer(
        token=survey_token(sent[1]), answers=GOOD_HOT | {"objectifs": 2, "commentaire": ""}
    )
    assert third.pk in {i.enrolment_id for i in sent}  # invited, never answers

    results = survey_results(world.past, "hot", with_texts=True)
    assert (results.invited, results.answered) == (3, 2)
    assert results.rate == pytest.approx(2 / 3)
    objectifs = next(r for r in results.scales if r.question.code == "objectifs")
    assert objectifs.summary.mean == 3.5
    assert objectifs.summary.distribution == (0, 1, 0, 0, 1)
    assert results.texts[0][1] == ["Les soudures au labo fibre, enfin du concret."]
    assert survey_results(world.past, "hot", with_texts=False).texts == []
    cold = survey_results(world.past, "cold", with_texts=True)
    assert (cold.invited, cold.answered, cold.rate) == (0, 0, None)
