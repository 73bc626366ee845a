"""What every browser test does on a page: find a labelled field, follow the menu, log in."""

import re
from collections.abc import Callable
from typing import Any

from playwright.sync_api import BrowserContext, Locator, Page, expect

from tests.factories import PASSWORD


def field(scope: Page | Locator, label: str) -> Locator:
    """The form control labelled ``label``, whether or not the label carries the « * »."""
    return scope.get_by_label(re.compile(rf"^{re.escape(label)}( \*)?$"))


def nav(page: Page, label: str) -> None:
    page.get_by_role("navigation", name="Navigation principale").get_by_role(
        "link", name=label, exact=True
    ).click()


def status_badge(page: Page) -> Locator:
    return page.get_by_role("heading", level=1).locator(".status-badge")


def log_in(new_context: Callable[..., BrowserContext], user: Any) -> Page:
    """A fresh browser context, logged in as ``user`` through the login form."""
    page = new_context().new_page()
    page.goto("/")
    expect(page.get_by_role("heading", name="Connexion à Tremplin")).to_be_visible()
    page.get_by_label("Adresse électronique").fill(user.email)
    page.get_by_label("Mot de passe", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    expect(page.get_by_role("button", name="Se déconnecter")).to_be_visible()
    expect(page.get_by_text(f"· {user.get_role_display()}")).to_be_visible()
    return page
