"""The Content-Security-Policy in a real browser: Chromium reports every script, handler or
style it refuses on the console; a coordinator goes through pages and none is refused, and the
behaviours moved out of the HTML into site.js still work (the language switch, the feed link).
"""

from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import BrowserContext, ConsoleMessage, Page, expect

from tests.browser.pages import log_in, nav
from tremplin.plateau.services import calendar_feed_create

pytestmark = pytest.mark.browser


def watch_console(page: Page) -> list[str]:
    refused: list[str] = []

    def on_console(message: ConsoleMessage) -> None:
        if "Content Security Policy" in message.text or "Refused to" in message.text:
            refused.append(f"{page.url}: {message.text}")

    page.on("console", on_console)
    page.on("pageerror", lambda error: refused.append(f"{page.url}: {error}"))
    return refused


def test_pages_run_under_the_policy(
    transactional_db: Any,
    live_server: Any,
    new_context: Callable[..., BrowserContext],
    world: Any,
    frozen_clock: Any,
) -> None:
    calendar_feed_create(by=world.user("coordinator"), cohort=world.running)
    page = log_in(new_context, world.user("coordinator"))
    refused = watch_console(page)
    response = page.goto("/")
    assert response is not None
    assert "script-src 'self'" in response.headers["content-security-policy"]
    # htmx is loaded (from a file) and injected no <style> of its own.
    assert page.evaluate("typeof htmx") == "object"
    assert page.evaluate("document.querySelectorAll('style').length") == 0

    for label in ("Candidatures", "Promotions", "Tableau de bord", "Plateau technique"):
        nav(page, label)
        expect(page.get_by_role("heading", level=1)).to_be_visible()

    # The feed link selects itself when focused, ready to copy (site.js).
    page.goto(f"/promotions/{world.running.pk}/seances/")
    feed = page.get_by_label("Lien d'abonnement")
    feed.focus()
    length = len(feed.input_value())
    selection = "[document.activeElement.selectionStart, document.activeElement.selectionEnd]"
    assert length > 0
    assert page.evaluate(selection) == [0, length]

    # Choosing a language submits the form (site.js, formerly an onchange attribute).
    page.get_by_label("Langue").select_option("en")
    expect(page.locator("html")).to_have_attribute("lang", "en")

    assert refused == []
    # The watch is real: an on*= handler added to the page is refused, and reported.
    with page.expect_console_message(lambda m: "Content Security Policy" in m.text):
        page.evaluate(
            "() => { const d = document.createElement('div'); d.setAttribute('onclick', 'void 0');"
            " document.body.append(d); d.click(); }"
        )
    assert len(refused) == 1
