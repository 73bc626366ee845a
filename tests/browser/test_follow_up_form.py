"""The follow-up form a former learner answers without an account (issue 7 §1), clicked and
typed like a person.

Inès Benali completed « Promo en cours » today (30/11/2026, frozen clock, tests/conftest.py):
her exit follow-up is due. The daily command ``send_due_follow_ups`` emails her a signed link;
she opens it, first forgets her employer (refused with a message, nothing written), then gives
her situation (the contract type is the situation: CDI), employer, hours and wage band, and
reads the thanks page. Opening the link again is refused with a clear message.
"""

import re
from collections.abc import Callable
from typing import Any

import pytest
from django.core import mail
from django.core.management import call_command
from playwright.sync_api import BrowserContext, expect

from tests import factories
from tests.browser.pages import field
from tremplin.outcomes.models import FollowUp, FollowUpRequest

pytestmark = pytest.mark.browser


def test_former_learner_answers_once_through_the_emailed_link(
    transactional_db: Any,
    live_server: Any,
    new_context: Callable[..., BrowserContext],
    world: Any,
    frozen_clock: Any,
    settings: Any,
) -> None:
    settings.SITE_URL = live_server.url
    leaver = factories.ended(world, first_name="Inès", last_name="Benali")
    mail.outbox.clear()

    # The daily command; outside a test transaction, the email leaves on commit.
    call_command("send_due_follow_ups")
    (message,) = mail.outbox
    assert message.to == [leaver.candidacy.person.email]
    link = re.search(r"(https?://\S+/suivi/\S+/)", message.body)
    assert link, message.body
    assert link.group(1).startswith(live_server.url)

    # --- Inès opens the link from her mailbox: no account, no login. ---------------------
    page = new_context().new_page()
    page.goto(link.group(1))
    expect(page.get_by_role("heading", name="Où en êtes-vous ?")).to_be_visible()
    expect(page.get_by_role("button", name="Se déconnecter")).to_have_count(0)
    expect(page.get_by_text("suivi à la sortie")).to_be_visible()

    # A job without its employer: refused, with the reason, and nothing written.
    field(page, "Votre situation aujourd'hui").select_option(label="CDI")
    page.get_by_role("button", name="Envoyer ma réponse").click()
    expect(page.get_by_role("alert")).to_contain_text(
        "Indiquez l'employeur pour une situation d'emploi."
    )
    assert not FollowUp.objects.exists()

    field(page, "Votre situation aujourd'hui").select_option(label="CDI")
    field(page, "Votre employeur").fill("Telenco")
    field(page, "Heures de travail par semaine").fill("35")
    field(page, "Salaire mensuel net").select_option(label="De 1 400 à 1 799 €")
    page.get_by_role("button", name="Envoyer ma réponse").click()

    expect(page.get_by_role("heading", name="Merci pour votre réponse")).to_be_visible()
    expect(page.get_by_role("status")).to_contain_text("Votre réponse est enregistrée.")
    answer = FollowUp.objects.get()
    assert (answer.enrolment, answer.milestone, answer.source) == (leaver, "exit", "learner")
    assert (answer.situation, answer.employer_name, answer.weekly_hours, answer.wage_band) == (
        "cdi",
        "Telenco",
        35,
        "1400_1799",
    )
    assert FollowUpRequest.objects.get().answered_at is not None

    # --- The same link, opened again (or forwarded): refused, nothing to fill in. --------
    again = new_context().new_page()
    response = again.goto(link.group(1))
    assert response is not None and response.status == 410
    expect(again.get_by_role("alert")).to_have_text("Vous avez déjà répondu. Merci !")
    expect(again.get_by_role("button", name="Envoyer ma réponse")).to_have_count(0)
    assert FollowUp.objects.count() == 1
