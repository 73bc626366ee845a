"""Two-factor authentication in a real browser: a coordinator's first login sets it up (QR
code, secret, first code, recovery codes shown once), the next asks for a code."""

import base64
import re
from collections.abc import Callable
from typing import Any

import pytest
from django_otp.oath import TOTP
from playwright.sync_api import BrowserContext, expect

from tests.factories import PASSWORD

pytestmark = pytest.mark.browser


def password_step(page: Any, email: str) -> None:
    page.goto("/")
    page.get_by_label("Adresse électronique").fill(email)
    page.get_by_label("Mot de passe", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()


def test_first_login_sets_up_then_the_next_asks_for_a_code(
    transactional_db: Any,
    live_server: Any,
    new_context: Callable[..., BrowserContext],
    world: Any,
    frozen_clock: Any,
) -> None:
    coordinator = world.user("coordinator")
    page = new_context().new_page()
    password_step(page, coordinator.email)

    expect(page.get_by_role("heading", name="Activer la double authentification")).to_be_visible()
    qr = page.get_by_role("img", name=re.compile("Code QR"))
    expect(qr).to_be_visible()
    assert (qr.get_attribute("src") or "").startswith("data:image/svg+xml")
    # The secret as the user would type it into their application.
    secret = page.locator("#two-factor-secret").inner_text().replace(" ", "")
    totp = TOTP(base64.b32decode(secret))
    page.get_by_label("Code").fill("000000")
    page.get_by_role("button", name="Activer").click()
    expect(page.get_by_text("Code incorrect.")).to_be_visible()
    frozen_clock.shift(2)  # past the throttle after a wrong code
    page.get_by_label("Code").fill(f"{totp.token():06d}")
    page.get_by_role("button", name="Activer").click()

    enabled = page.get_by_role("heading", name="La double authentification est activée")
    expect(enabled).to_be_visible()
    codes = page.locator("#recovery-codes li").all_inner_texts()
    assert len(codes) == 10
    page.get_by_role("link", name="J'ai noté mes codes, continuer").click()
    expect(page.get_by_role("button", name="Se déconnecter")).to_be_visible()
    page.get_by_role("button", name="Se déconnecter").click()

    password_step(page, coordinator.email)
    expect(page.get_by_role("heading", name="Code de vérification")).to_be_visible()
    page.get_by_label("Code").fill(codes[0])
    page.get_by_role("button", name="Valider").click()
    expect(page.get_by_text("Code de secours accepté")).to_be_visible()
    expect(page.get_by_role("button", name="Se déconnecter")).to_be_visible()
