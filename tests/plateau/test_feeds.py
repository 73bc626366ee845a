"""Calendar feeds: creating and revoking the secret link, who may, and the feed's content."""

import pytest

from tests.plateau import builders
from tests.plateau.builders import MONDAY
from tremplin.core.models import AuditEntry
from tremplin.plateau import perms
from tremplin.plateau.feeds import feed_calendar, feed_for_token
from tremplin.plateau.models import CalendarFeed
from tremplin.plateau.services import (
    PlateauError,
    calendar_feed_create,
    calendar_feed_revoke,
    session_create,
)


@pytest.fixture
def sessions(world):
    labs = builders.labs(world)
    splicer = builders.equipment(labs["fibre"], "FSP-DEMO-001")
    coordinator = world.user("coordinator")
    own = session_create(
        by=coordinator,
        cohort=world.running,
        date=MONDAY,
        half_day="am",
        trainer=world.user("trainer"),
        lab=labs["fibre"],
        equipment=[splicer],
        title="Soudure, fusion; mesures\n" + "perte < 0,3 dB " * 8,
    )
    other_trainer = builders.second_trainer(world)
    other = session_create(
        by=coordinator,
        cohort=world.running,
        date=MONDAY,
        half_day="pm",
        trainer=other_trainer,
        lab=labs["datacenter"],
        title="Baies 42U",
    )
    return {"own": own, "other": other, "other_trainer": other_trainer, "labs": labs}


def unfolded(text):
    return text.replace("\r\n ", "").split("\r\n")


def test_create_stores_a_long_random_token_and_its_hash_and_audits(world):
    feed = calendar_feed_create(by=world.user("coordinator"), cohort=world.running)
    assert feed.kind == "cohort" and feed.revoked_at is None
    assert len(feed.token) >= 43 and feed.token_hash != feed.token
    assert feed_for_token(feed.token) == feed
    assert AuditEntry.objects.filter(action="calendar_feed.create", object_id=str(feed.pk)).exists()


def test_a_new_link_revokes_the_previous_one(world):
    first = calendar_feed_create(by=world.user("coordinator"), cohort=world.running)
    second = calendar_feed_create(by=world.user("coordinator"), cohort=world.running)
    first.refresh_from_db()
    assert first.revoked_at is not None and second.revoked_at is None
    assert feed_for_token(first.token) is None and feed_for_token(second.token) == second
    assert first.token != second.token


def test_revoke_closes_the_link_and_audits(world):
    feed = calendar_feed_create(by=world.user("trainer"), trainer=world.user("trainer"))
    calendar_feed_revoke(feed=feed, by=world.user("trainer"))
    assert feed_for_token(feed.token) is None
    assert AuditEntry.objects.filter(action="calendar_feed.revoke", object_id=str(feed.pk)).exists()
    with pytest.raises(PlateauError):
        calendar_feed_revoke(feed=feed, by=world.user("trainer"))


def test_unknown_and_forged_tokens_find_nothing(world):
    feed = calendar_feed_create(by=world.user("coordinator"), cohort=world.running)
    assert feed_for_token("") is None
    assert feed_for_token(feed.token[:-1]) is None
    assert feed_for_token(feed.token_hash) is None


def test_a_feed_is_for_a_cohort_or_a_trainer(world):
    with pytest.raises(PlateauError):
        calendar_feed_create(by=world.user("coordinator"))
    with pytest.raises(PlateauError):
        calendar_feed_create(
            by=world.user("coordinator"), cohort=world.running, trainer=world.user("trainer")
        )
    with pytest.raises(PlateauError):
        calendar_feed_create(by=world.user("coordinator"), trainer=world.user("coordinator"))
    assert not CalendarFeed.objects.exists()


def test_the_database_refuses_a_feed_with_two_subjects(world):
    from django.db import IntegrityError

    with pytest.raises(IntegrityError):
        CalendarFeed.objects.create(
            kind="cohort",
            cohort=world.running,
            trainer=world.user("trainer"),
            token="x",
            token_hash="y",
            created_by=world.user("coordinator"),
        )


def test_cohort_feed_lists_its_sessions_in_paris_time_escaped_and_folded(world, sessions):
    text = feed_calendar(calendar_feed_create(by=world.user("coordinator"), cohort=world.running))
    assert all(len(line.encode()) <= 75 for line in text.split("\r\n"))
    lines = unfolded(text)
    own, other = sessions["own"], sessions["other"]
    assert f"UID:session-{own.pk}@tremplin" in lines
    assert f"UID:session-{other.pk}@tremplin" in lines
    # 9:00–12:30 and 13:30–17:00 in Paris, winter time (UTC+1).
    assert "DTSTART:20261130T080000Z" in lines and "DTEND:20261130T113000Z" in lines
    assert "DTSTART:20261130T123000Z" in lines and "DTEND:20261130T160000Z" in lines
    summary = next(line for line in lines if line.startswith("SUMMARY:") and "Soudure" in line)
    assert summary.startswith(f"SUMMARY:{world.running.name} — Soudure\\, fusion\\; mesures\\n")
    assert f"LOCATION:Labo fibre optique\\, {world.site.name}" in lines
    description = next(
        line for line in lines if line.startswith("DESCRIPTION:") and "FSP-DEMO-001" in line
    )
    assert world.user("trainer").get_full_name() in description


def test_trainer_feed_lists_only_their_sessions(world, sessions):
    feed = calendar_feed_create(by=world.user("trainer"), trainer=world.user("trainer"))
    lines = unfolded(feed_calendar(feed))
    assert f"UID:session-{sessions['own'].pk}@tremplin" in lines
    assert f"UID:session-{sessions['other'].pk}@tremplin" not in lines
    assert sum(line == "BEGIN:VEVENT" for line in lines) == 1


def test_cohort_feed_leaves_out_other_cohorts(world, sessions):
    feed = calendar_feed_create(by=world.user("coordinator"), cohort=world.upcoming)
    assert "BEGIN:VEVENT" not in feed_calendar(feed)


ROLES = [
    "network_admin",
    "coordinator",
    "trainer",
    "prescriber",
    "funder",
    "learner",
    "outsider_coordinator",
    "outsider_trainer",
]


@pytest.mark.parametrize("role", ROLES)
def test_who_manages_which_feed(world, role):
    user = world.user(role)
    cohort_feed = perms.can_manage_cohort_feed(user, world.running)
    trainer_feed = perms.can_manage_trainer_feed(user, world.user("trainer"))
    assert cohort_feed is (role in {"network_admin", "coordinator"})
    assert trainer_feed is (role in {"network_admin", "coordinator", "trainer"})
