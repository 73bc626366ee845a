"""What every browser test does on a page: find a labelled field, follow the menu, log in."""

import re
from collections.abc import Callable
from typing import Any

from playwright.sync_api import BrowserContext, Locator, Page, expect

from tests.auth import current_code, totp_device
from tests.factories import PASSWORD
from tremplin.accounts.two_factor import requires_two_factor


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
    if requires_two_factor(user):
        totp_device(user)  # set up beforehand, as it would be after the first login
    page = new_context().new_page()
    page.goto("/")
    expect(page.get_by_role("heading", name="Connexion à Tremplin")).to_be_visible()
    page.get_by_label("Adresse électronique").fill(user.email)
    page.get_by_label("Mot de passe", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    if requires_two_factor(user):
        enter_totp_code(page, user)
    expect(page.get_by_role("button", name="Se déconnecter")).to_be_visible()
    expect(page.get_by_text(f"· {user.get_role_display()}")).to_be_visible()
    return page


def enter_totp_code(page: Page, user: Any) -> None:
    """The second login step, with the code the user's application would show now."""
    expect(page.get_by_role("heading", name="Code de vérification")).to_be_visible()
    device = totp_device(user)
    # Tests freeze the clock: a second login of the same user would fall in the same 30-second
    # step, whose code the first login spent; this stands for waiting for the next one.
    type(device).objects.filter(pk=device.pk).update(last_t=-1)
    page.get_by_label("Code").fill(current_code(device))
    page.get_by_role("button", name="Valider").click()


def submit_login(page: Page, email: str, password: str = PASSWORD) -> None:
    """Fills the login form and passes the second step for a user who has 2FA (set up
    beforehand for the roles that must: as after their first login)."""
    from tremplin.accounts.models import User

    user = User.objects.get(email=email)
    if requires_two_factor(user):
        totp_device(user)
    page.get_by_label("Adresse électronique").fill(email)
    page.get_by_label("Mot de passe", exact=True).fill(password)
    page.get_by_role("button", name="Se connecter").click()
    if requires_two_factor(user):
        enter_totp_code(page, user)
