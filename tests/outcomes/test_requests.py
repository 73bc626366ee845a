"""Follow-up requests: scheduled on time and once, the emailed link (once, not tampered, not
expired), the 10-day reminder to staff, and the history of answers."""

import datetime
import re
from typing import Any

import pytest
import time_machine
from django.core import mail, signing
from django.core.management import call_command

from tests import factories
from tremplin.cohorts.services import enrolment_end
from tremplin.outcomes.models import FollowUp, FollowUpRequest
from tremplin.outcomes.selectors import current_follow_ups
from tremplin.outcomes.services import (
    TOKEN_SALT,
    FollowUpError,
    FollowUpLinkRefused,
    follow_up_answer,
    follow_up_record,
    follow_up_token,
    send_due_follow_ups,
)

pytestmark = pytest.mark.django_db

NOW = datetime.datetime(2026, 11, 30, 10, 0, tzinfo=datetime.UTC)
WORK = {
    "situation": "cdi",
    "employer_name": "Telenco",
    "weekly_hours": 35,
    "wage_band": "1400_1799",
}


@pytest.fixture
def leaver(world: Any) -> Any:
    """A learner who completed the running cohort today: the exit follow-up is due."""
    return factories.ended(world, first_name="Inès", last_name="Benali")


def run(capture: Any) -> tuple[int, int]:
    with capture(execute=True):
        return send_due_follow_ups()


def link_in(message: Any) -> str:
    match = re.search(r"https?://\S+/suivi/(\S+)/", message.body)
    assert match, message.body
    return match.group(1)


def test_exit_request_is_sent_once_to_each_leaver(
    world: Any, leaver: Any, django_capture_on_commit_callbacks: Any, capsys: Any
) -> None:
    factories.enrolled(world, world.running, first_name="Karim", last_name="Ouali")  # training
    no_email = factories.ended(world, first_name="Sami", last_name="Haddad")
    no_email.candidacy.person.email = ""
    no_email.candidacy.person.save(update_fields=["email"])
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_due_follow_ups")
    assert "1 demande(s)" in capsys.readouterr().out

    request = FollowUpRequest.objects.get()
    assert (request.enrolment, request.milestone, request.due_on) == (
        leaver,
        "exit",
        datetime.date(2026, 11, 30),
    )
    (message,) = mail.outbox
    assert message.to == [leaver.candidacy.person.email]
    assert "/suivi/" in message.body and "30 jours" in message.body

    assert run(django_capture_on_commit_callbacks) == (0, 0)
    assert len(mail.outbox) == 1
    assert FollowUpRequest.objects.count() == 1


def test_dropped_out_are_followed_excluded_are_not(
    world: Any, django_capture_on_commit_callbacks: Any
) -> None:
    coordinator = world.user("coordinator")
    dropped = factories.enrolled(world, world.running, first_name="Karim", last_name="Ouali")
    excluded = factories.enrolled(world, world.running, first_name="Sami", last_name="Haddad")
    enrolment_end(
        enrolment=dropped, outcome="drop_out", reason="health", by=coordinator, on_date=NOW.date()
    )
    enrolment_end(
        enrolment=excluded,
        outcome="exclude",
        reason="conduct",
        by=coordinator,
        on_date=NOW.date(),
    )
    run(django_capture_on_commit_callbacks)
    assert list(FollowUpRequest.objects.values_list("enrolment_id", flat=True)) == [dropped.pk]


def test_each_milestone_on_its_day_and_not_before(
    world: Any, leaver: Any, django_capture_on_commit_callbacks: Any
) -> None:
    run(django_capture_on_commit_callbacks)
    with time_machine.travel(datetime.datetime(2027, 2, 27, 10, tzinfo=datetime.UTC)):
        run(django_capture_on_commit_callbacks)
        assert set(FollowUpRequest.objects.values_list("milestone", flat=True)) == {"exit"}
    with time_machine.travel(datetime.datetime(2027, 2, 28, 10, tzinfo=datetime.UTC)):
        assert run(django_capture_on_commit_callbacks)[0] == 1
    assert FollowUpRequest.objects.get(milestone="m3").due_on == datetime.date(2027, 2, 28)


def test_old_milestones_are_not_sent_late(
    world: Any, django_capture_on_commit_callbacks: Any
) -> None:
    # Left on 29 May: exit and +3 months are long past, +6 months fell due yesterday.
    graduate = factories.enrolled(world, target=world.past)
    enrolment_end(
        enrolment=graduate,
        outcome="complete",
        by=world.user("coordinator"),
        on_date=datetime.date(2026, 5, 29),
    )
    run(django_capture_on_commit_callbacks)
    assert list(FollowUpRequest.objects.values_list("milestone", flat=True)) == ["m6"]


def test_a_milestone_already_recorded_is_not_requested(
    world: Any, leaver: Any, django_capture_on_commit_callbacks: Any
) -> None:
    follow_up_record(
        enrolment=leaver,
        milestone="exit",
        situation="job_seeking",
        recorded_on=NOW.date(),
        by=world.user("coordinator"),
    )
    assert run(django_capture_on_commit_callbacks) == (0, 0)


def test_the_link_answers_once(
    world: Any, leaver: Any, django_capture_on_commit_callbacks: Any
) -> None:
    mail.outbox.clear()
    run(django_capture_on_commit_callbacks)
    token = link_in(mail.outbox[0])

    answer = follow_up_answer(token=token, **WORK)
    assert (answer.source, answer.recorded_by, answer.milestone) == ("learner", None, "exit")
    assert FollowUpRequest.objects.get().answered_at is not None

    with pytest.raises(FollowUpLinkRefused, match="déjà répondu") as refused:
        follow_up_answer(token=token, situation="job_seeking")
    assert refused.value.status == 410
    assert FollowUp.objects.count() == 1


def test_a_tampered_link_is_refused(
    world: Any, leaver: Any, django_capture_on_commit_callbacks: Any
) -> None:
    run(django_capture_on_commit_callbacks)
    request = FollowUpRequest.objects.get()
    token = follow_up_token(request)
    forged = signing.dumps({"r": request.pk + 1, "m": "exit"}, salt=TOKEN_SALT)
    other_salt = signing.dumps({"r": request.pk, "m": "exit"}, salt="tremplin.quality.survey-link")
    for bad in (token[:-2] + "xx", forged, other_salt, "jeton-falsifie"):
        with pytest.raises(FollowUpLinkRefused, match="pas valide") as refused:
            follow_up_answer(token=bad, **WORK)
        assert refused.value.status == 400
    assert not FollowUp.objects.exists()


def test_an_expired_link_is_refused(
    world: Any, leaver: Any, django_capture_on_commit_callbacks: Any
) -> None:
    run(django_capture_on_commit_callbacks)
    token = follow_up_token(FollowUpRequest.objects.get())
    with time_machine.travel(NOW + datetime.timedelta(days=30, minutes=-1), tick=False):
        follow_up_answer(token=token, situation="job_seeking")  # still open on the 30th day
    FollowUp.objects.all().delete()
    FollowUpRequest.objects.update(answered_at=None)
    with (
        time_machine.travel(NOW + datetime.timedelta(days=30, minutes=1), tick=False),
        pytest.raises(FollowUpLinkRefused, match="expiré") as refused,
    ):
        follow_up_answer(token=token, situation="job_seeking")
    assert refused.value.status == 410
    assert not FollowUp.objects.exists()


@pytest.mark.parametrize(
    "values",
    [
        {"situation": "cdi"},
        {"situation": "job_seeking", "employer_name": "Telenco"},
        {"situation": "job_seeking", "wage_band": "lt_1000"},
        {"situation": "cdi", "employer_name": "Telenco", "weekly_hours": 60},
        {"situation": "unknown"},
    ],
)
def test_a_contradictory_answer_writes_nothing_and_leaves_the_link_open(
    world: Any, leaver: Any, django_capture_on_commit_callbacks: Any, values: dict[str, Any]
) -> None:
    run(django_capture_on_commit_callbacks)
    token = follow_up_token(FollowUpRequest.objects.get())
    with pytest.raises(FollowUpError):
        follow_up_answer(token=token, **values)
    assert not FollowUp.objects.exists()
    assert FollowUpRequest.objects.get().answered_at is None
    follow_up_answer(token=token, **WORK)  # the link still works


def test_staff_are_reminded_once_after_ten_days(
    world: Any, leaver: Any, django_capture_on_commit_callbacks: Any
) -> None:
    run(django_capture_on_commit_callbacks)
    mail.outbox.clear()
    with time_machine.travel(NOW + datetime.timedelta(days=10, minutes=-1), tick=False):
        assert run(django_capture_on_commit_callbacks) == (0, 0)
    with time_machine.travel(NOW + datetime.timedelta(days=10, minutes=1), tick=False):
        assert run(django_capture_on_commit_callbacks) == (0, 1)
        assert run(django_capture_on_commit_callbacks) == (0, 0)
    (message,) = mail.outbox
    # The site's coordinator and the France Travail advisor who referred the learner; not the
    # Lyon coordinator.
    assert sorted(message.to) == sorted(
        [world.user("coordinator").email, world.user("prescriber").email]
    )
    assert f"/parcours/{leaver.pk}/suivi/exit/" in message.body
    assert "BENALI" in message.subject
    assert FollowUpRequest.objects.get().reminder_sent_at is not None


def test_no_reminder_once_answered_or_recorded(
    world: Any, django_capture_on_commit_callbacks: Any
) -> None:
    answered = factories.ended(world, first_name="Inès", last_name="Benali")
    recorded = factories.ended(world, first_name="Karim", last_name="Ouali")
    run(django_capture_on_commit_callbacks)
    follow_up_answer(token=follow_up_token(FollowUpRequest.objects.get(enrolment=answered)), **WORK)
    follow_up_record(
        enrolment=recorded,
        milestone="exit",
        situation="job_seeking",
        recorded_on=NOW.date(),
        by=world.user("coordinator"),
    )
    mail.outbox.clear()
    with time_machine.travel(NOW + datetime.timedelta(days=11), tick=False):
        assert run(django_capture_on_commit_callbacks) == (0, 0)
    assert mail.outbox == []


def test_history_is_kept_and_the_latest_answer_counts(
    world: Any, leaver: Any, django_capture_on_commit_callbacks: Any
) -> None:
    run(django_capture_on_commit_callbacks)
    follow_up_answer(token=follow_up_token(FollowUpRequest.objects.get()), **WORK)
    with time_machine.travel(NOW + datetime.timedelta(days=3), tick=False):
        follow_up_record(
            enrolment=leaver,
            milestone="exit",
            situation="job_seeking",
            recorded_on=datetime.date(2026, 12, 3),
            by=world.user("coordinator"),
            note="Période d'essai non concluante.",
        )
    learner, staff = FollowUp.objects.filter(enrolment=leaver, milestone="exit")
    assert (learner.source, learner.situation, learner.employer_name) == (
        "learner",
        "cdi",
        "Telenco",
    )
    assert (staff.source, staff.situation) == ("coordinator", "job_seeking")
    (current,) = current_follow_ups(FollowUp.objects.filter(enrolment=leaver))
    assert current == staff
