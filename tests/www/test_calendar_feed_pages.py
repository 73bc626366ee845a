"""Calendar subscription: the section on the cohort and trainer calendars, the public feed."""

import html

import pytest
from django.urls import reverse

from tests.auth import log_in
from tests.plateau import builders
from tests.plateau.builders import MONDAY
from tremplin.plateau.models import CalendarFeed
from tremplin.plateau.services import calendar_feed_create, session_create


@pytest.fixture
def session(world):
    labs = builders.labs(world)
    return session_create(
        by=world.user("coordinator"),
        cohort=world.running,
        date=MONDAY,
        half_day="am",
        trainer=world.user("trainer"),
        lab=labs["fibre"],
        title="Soudure par fusion",
    )


def test_coordinator_creates_the_cohort_link_and_sees_it(client_for, world, session):
    client = client_for("coordinator")
    page = client.get(reverse("cohort_sessions", args=[world.running.pk])).content.decode()
    assert "Abonnement au calendrier" in page and "Aucun lien d'abonnement actif." in page
    response = client.post(reverse("cohort_feed_create", args=[world.running.pk]))
    assert response.status_code == 302
    feed = CalendarFeed.objects.get(cohort=world.running)
    page = client.get(response["Location"]).content.decode()
    assert f"http://testserver/calendrier/{feed.token}.ics" in page
    assert reverse("calendar_feed_revoke", args=[feed.pk]) in page


def test_the_feed_is_read_without_an_account(client, world, session):
    feed = calendar_feed_create(by=world.user("coordinator"), cohort=world.running)
    response = client.get(reverse("calendar_feed", args=[feed.token]))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    body = response.content.decode()
    assert f"UID:session-{session.pk}@tremplin" in body
    assert "DTSTART:20261130T080000Z" in body


def test_a_revoked_link_answers_404(client_for, client, world, session):
    feed = calendar_feed_create(by=world.user("coordinator"), cohort=world.running)
    url = reverse("calendar_feed", args=[feed.token])
    response = client_for("coordinator").post(reverse("calendar_feed_revoke", args=[feed.pk]))
    assert response.status_code == 302
    client.logout()
    assert client.get(url).status_code == 404
    page = client_for("coordinator").get(reverse("cohort_sessions", args=[world.running.pk]))
    assert feed.token not in page.content.decode()


def test_revoking_twice_says_so(client_for, world):
    feed = calendar_feed_create(by=world.user("coordinator"), cohort=world.running)
    client = client_for("coordinator")
    client.post(reverse("calendar_feed_revoke", args=[feed.pk]))
    response = client.post(reverse("calendar_feed_revoke", args=[feed.pk]), follow=True)
    assert "Ce lien d'abonnement est déjà révoqué." in html.unescape(response.content.decode())


@pytest.mark.parametrize("token", ["jeton-falsifie", "A" * 43, ""])
def test_a_forged_token_answers_404(client, world, token):
    calendar_feed_create(by=world.user("coordinator"), cohort=world.running)
    assert client.get(f"/calendrier/{token}.ics").status_code == 404


def test_the_trainer_manages_their_own_link(client_for, world, session):
    client = client_for("trainer")
    trainer = world.user("trainer")
    page = client.get(reverse("trainer_sessions", args=[trainer.pk])).content.decode()
    assert "Abonnement au calendrier" in page
    client.post(reverse("trainer_feed_create", args=[trainer.pk]))
    feed = CalendarFeed.objects.get(trainer=trainer)
    assert client.post(reverse("calendar_feed_revoke", args=[feed.pk])).status_code == 302
    feed.refresh_from_db()
    assert feed.revoked_at is not None


def test_the_trainer_does_not_see_the_cohort_section(client_for, world, session):
    calendar_feed_create(by=world.user("coordinator"), cohort=world.running)
    page = client_for("trainer").get(reverse("cohort_sessions", args=[world.running.pk]))
    assert "Abonnement au calendrier" not in page.content.decode()


@pytest.mark.parametrize(("role", "status"), [("trainer", 403), ("outsider_coordinator", 404)])
def test_others_cannot_revoke_a_cohort_link(client_for, world, role, status):
    feed = calendar_feed_create(by=world.user("coordinator"), cohort=world.running)
    response = client_for(role).post(reverse("calendar_feed_revoke", args=[feed.pk]))
    assert response.status_code == status
    feed.refresh_from_db()
    assert feed.revoked_at is None


@pytest.mark.parametrize("role", ["outsider_trainer", "outsider_coordinator", "prescriber"])
def test_outsiders_cannot_touch_a_trainer_link(client_for, world, role):
    trainer = world.user("trainer")
    feed = calendar_feed_create(by=trainer, trainer=trainer)
    client = client_for(role)
    assert client.post(reverse("trainer_feed_create", args=[trainer.pk])).status_code == 404
    assert client.post(reverse("calendar_feed_revoke", args=[feed.pk])).status_code == 404
    assert CalendarFeed.objects.get().revoked_at is None


def test_another_trainer_of_the_site_cannot_create_my_link(client_for, client, world):
    other = builders.second_trainer(world)
    log_in(client, other)
    response = client.post(reverse("trainer_feed_create", args=[world.user("trainer").pk]))
    assert response.status_code == 404
    assert not CalendarFeed.objects.exists()
