"""Follow-up pages: the public answer page reached from the email (no login, once, refusals
with a clear page and no write), and the coordinator's page with requests and history."""

import datetime
import re
from typing import Any

import pytest
import time_machine
from django.core import mail
from django.test import Client

from tests import factories
from tremplin.outcomes.models import FollowUp, FollowUpRequest
from tremplin.outcomes.services import send_due_follow_ups

pytestmark = pytest.mark.django_db

NOW = datetime.datetime(2026, 11, 30, 10, 0, tzinfo=datetime.UTC)
WORK = {"situation": "cdi", "employer_name": "Telenco", "weekly_hours": "35", "wage_band": ""}


@pytest.fixture
def link(world: Any, django_capture_on_commit_callbacks: Any) -> str:
    """The link emailed to a learner who completed the running cohort today."""
    factories.ended(world, first_name="Inès", last_name="Benali")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        send_due_follow_ups()
    match = re.search(r"https?://[^/\s]+(/suivi/\S+/)", mail.outbox[0].body)
    assert match
    return match.group(1)


def test_the_emailed_link_opens_without_login_and_answers_once(link: str) -> None:
    anonymous = Client()
    page = anonymous.get(link)
    assert page.status_code == 200
    html = page.content.decode()
    assert "Où en êtes-vous ?" in html
    assert 'for="id_situation"' in html and 'for="id_wage_band"' in html
    assert "Situation inconnue" not in html  # staff's word, not the learner's

    done = anonymous.post(link, WORK)
    assert done.status_code == 200
    assert "Merci pour votre réponse" in done.content.decode()
    answer = FollowUp.objects.get()
    assert (answer.source, answer.employer_name, answer.weekly_hours) == ("learner", "Telenco", 35)

    for again in (anonymous.get(link), anonymous.post(link, {"situation": "job_seeking"})):
        assert again.status_code == 410
        assert "déjà répondu" in again.content.decode()
    assert FollowUp.objects.count() == 1


def test_a_tampered_link_shows_a_refusal_and_writes_nothing(link: str) -> None:
    tampered = link[:-3] + "x/"
    for response in (Client().get(tampered), Client().post(tampered, WORK)):
        assert response.status_code == 400
        assert "pas valide" in response.content.decode()
    assert not FollowUp.objects.exists()


def test_an_expired_link_shows_a_refusal_and_writes_nothing(link: str) -> None:
    with time_machine.travel(NOW + datetime.timedelta(days=31), tick=False):
        response = Client().post(link, WORK)
    assert response.status_code == 410
    assert "expiré" in response.content.decode()
    assert not FollowUp.objects.exists()


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"situation": "cdi"}, "Indiquez l&#x27;employeur"),
        ({"situation": "job_seeking", "employer_name": "Telenco"}, "ne se renseignent que"),
        ({**WORK, "weekly_hours": "70"}, "entre 1 et 48"),
    ],
)
def test_contradictory_answers_are_refused_with_a_message(
    link: str, values: dict[str, str], message: str
) -> None:
    response = Client().post(link, values)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not FollowUp.objects.exists()
    assert FollowUpRequest.objects.get().answered_at is None


def test_the_coordinator_page_shows_the_request_and_every_answer(
    client_for: Any, world: Any, link: str
) -> None:
    Client().post(link, WORK)
    request = FollowUpRequest.objects.get()
    client = client_for("coordinator")
    url = f"/parcours/{request.enrolment_id}/suivi/exit/"
    response = client.post(
        url, {"situation": "job_seeking", "recorded_on": "2026-11-30", "note": "Essai rompu."}
    )
    assert response.status_code == 302
    html = client.get(url).content.decode()
    assert "Envoyée le 30/11/2026" in html and "Répondue le 30/11/2026" in html
    rows = re.findall(r"<tr[^>]*>\s*<td>30/11/2026.*?</tr>", html, flags=re.S)
    assert len(rows) == 2
    assert "Telenco" in rows[0] and "retenue" not in rows[0]
    assert "Essai rompu." in rows[1] and "retenue" in rows[1]
    assert FollowUp.objects.count() == 2


def test_the_list_shows_requests_sent(client_for: Any, world: Any, link: str) -> None:
    html = client_for("coordinator").get("/suivis/").content.decode()
    assert "envoyée le 30/11/2026" in html


def test_the_list_shows_six_months_of_delays_and_the_older_ones_on_demand(
    client_for: Any, world: Any
) -> None:
    from tremplin.cohorts.models import Enrolment

    recent = factories.ended(world, first_name="Nadia", last_name="Recente")
    old = factories.ended(world, first_name="Omar", last_name="Zerbib")
    # Omar left two years ago: every follow-up of his is late by more than six months.
    Enrolment.objects.filter(pk=old.pk).update(ended_on=recent.ended_on.replace(year=2024))
    client = client_for("coordinator")
    default = client.get("/suivis/").content.decode()
    assert "RECENTE" in default.upper() and "ZERBIB" not in default.upper()
    assert "Afficher aussi les retards plus anciens" in default
    everything = client.get("/suivis/", {"tous": "1"}).content.decode()
    assert "ZERBIB" in everything.upper() and "RECENTE" in everything.upper()
    # The export follows the page: the older ones only when asked for.
    assert b"ZERBIB" not in client.get("/suivis/", {"format": "csv"}).content.upper()
    assert b"ZERBIB" in client.get("/suivis/", {"format": "csv", "tous": "1"}).content.upper()
