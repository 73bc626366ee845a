"""Follow-ups: when they may be recorded and what they keep."""

import datetime

import pytest

from tests import factories
from tremplin.cohorts.services import enrolment_end
from tremplin.outcomes.models import FollowUp
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


def test_record_then_correct_keeps_one_row(world, graduate):
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
    (row,) = FollowUp.objects.all()
    assert row.situation == "cdi"


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
