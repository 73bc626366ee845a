"""Follow-ups: when they may be recorded and what they keep."""

import datetime

import pytest

from tests import factories
from tremplin.cohorts.services import enrolment_end
from tremplin.outcomes.models import FollowUp
from tremplin.outcomes.selectors import current_follow_ups
from tremplin.outcomes.services import FollowUpError, follow_up_record, milestone_due_date

pytestmark = pytest.mark.django_db


@pytest.fixture
def graduate(world):
    enrolment = factories.enrolled(world, target=world.past)
    enrolment_end(
        enrolment=enrolment,
        outcome="complete",
        by=world.user("coordinator"),
        on_date=datetime.date(2026, 5, 29),
    )
    enrolment.refresh_from_db()
    return enrolment


def test_due_dates(graduate):
    assert milestone_due_date(graduate, "exit") == datetime.date(2026, 5, 29)
    assert milestone_due_date(graduate, "m6") == datetime.date(2026, 11, 29)
    assert milestone_due_date(graduate, "m12") == datetime.date(2027, 5, 29)


def test_a_correction_adds_an_answer_and_the_latest_is_current(world, graduate):
    coordinator = world.user("coordinator")
    follow_up_record(
        enrolment=graduate,
        milestone="m6",
        situation="cdd_short",
        recorded_on=datetime.date(2026, 11, 30),
        by=coordinator,
        employer_name="Telenco",
    )
    follow_up_record(
        enrolment=graduate,
        milestone="m6",
        situation="cdi",
        recorded_on=datetime.date(2026, 11, 30),
        by=coordinator,
        employer_name="Telenco",
    )
    first, second = FollowUp.objects.all()
    assert (first.situation, second.situation) == ("cdd_short", "cdi")
    assert [f.situation for f in current_follow_ups()] == ["cdi"]


def test_too_early_is_refused(world, graduate):
    with pytest.raises(FollowUpError, match="29/04/2027"):
        follow_up_record(
            enrolment=graduate,
            milestone="m12",
            situation="cdi",
            recorded_on=datetime.date(2026, 11, 30),
            by=world.user("coordinator"),
        )
    assert not FollowUp.objects.exists()


def test_not_while_in_training(world):
    enrolment = factories.enrolled(world, target=world.running)
    with pytest.raises(FollowUpError, match="sortie"):
        follow_up_record(
            enrolment=enrolment,
            milestone="exit",
            situation="job_seeking",
            recorded_on=datetime.date(2026, 11, 30),
            by=world.user("coordinator"),
        )


def test_the_latest_point_is_current_even_when_entered_earlier(world, graduate):
    coordinator = world.user("coordinator")
    for day, situation in ((30, "job_seeking"), (29, "cdi")):
        follow_up_record(
            enrolment=graduate,
            milestone="m6",
            situation=situation,
            recorded_on=datetime.date(2026, 11, day),
            by=coordinator,
            employer_name="Telenco" if situation == "cdi" else "",
        )
    assert [f.situation for f in current_follow_ups()] == ["job_seeking"]


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"situation": "cdi"}, "Indiquez l'employeur"),
        ({"situation": "job_seeking", "employer_name": "Telenco"}, "ne se renseignent que"),
        ({"situation": "training", "weekly_hours": 35}, "ne se renseignent que"),
        ({"situation": "inactive", "wage_band": "1400_1799"}, "ne se renseignent que"),
        ({"situation": "cdi", "employer_name": "Telenco", "weekly_hours": 0}, "entre 1 et 48"),
        ({"situation": "cdi", "employer_name": "Telenco", "weekly_hours": 49}, "entre 1 et 48"),
        ({"situation": "cdi", "employer_name": "Telenco", "wage_band": "beaucoup"}, "inconnue"),
    ],
)
def test_contradictory_answers_are_refused(world, graduate, values, message):
    with pytest.raises(FollowUpError, match=message):
        follow_up_record(
            enrolment=graduate,
            milestone="exit",
            recorded_on=datetime.date(2026, 11, 30),
            by=world.user("coordinator"),
            **values,
        )
    assert not FollowUp.objects.exists()


def test_work_details_are_kept(world, graduate):
    row = follow_up_record(
        enrolment=graduate,
        milestone="exit",
        situation="interim",
        employer_name=" Telenco ",
        weekly_hours=35,
        wage_band="1400_1799",
        recorded_on=datetime.date(2026, 11, 30),
        by=world.user("coordinator"),
    )
    row.refresh_from_db()
    assert (row.employer_name, row.weekly_hours, row.wage_band, row.source) == (
        "Telenco",
        35,
        "1400_1799",
        "coordinator",
    )
