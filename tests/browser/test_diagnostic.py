"""A prescriber refers a person and makes their eligibility diagnostic with a proof upload; the
coordinator finds it pre-filled from the profile, opens the proof and accepts the candidacy.

Headless Chromium, clicked and typed like a person (see test_referral_to_job.py), on the
frozen day 30/11/2026 (tests/conftest.py).
"""

import re
from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import BrowserContext, Locator, Page, expect

from tests.browser.pages import field, log_in, nav, status_badge
from tests.factories import proof_pdf
from tremplin.eligibility.models import Acceptance, Proof

pytestmark = pytest.mark.browser

FIRST_NAME, LAST_NAME = "Yasmina", "Khaldi"
FULL_NAME = f"{FIRST_NAME} {LAST_NAME.upper()}"
SCREENSHOT = "/tmp/tremplin-diagnostic.png"  # noqa: S108 - for the lead to look at


def criterion(page: Page, label: str) -> Locator:
    """A criterion's fieldset of the diagnostic form, named by its legend."""
    return page.get_by_role("group", name=label, exact=True)


def test_prescriber_diagnoses_with_a_proof_and_coordinator_accepts(
    transactional_db: Any,
    live_server: Any,
    new_context: Callable[..., BrowserContext],
    world: Any,
    frozen_clock: Any,
) -> None:

    cohort = world.upcoming

    # --- The prescriber refers Yasmina, 24, on RSA, registered with France Travail. -------
    prescriber = log_in(new_context, world.user("prescriber"))
    nav(prescriber, "Orienter une personne")
    form = prescriber.locator("main form")
    field(form, "Promotion visée").select_option(
        label=f"{cohort.name} — {world.site.name} (début le {cohort.start_date:%d/%m/%Y})"
    )
    field(form, "Prénom").fill(FIRST_NAME)
    field(form, "Nom").fill(LAST_NAME)
    field(form, "Date de naissance").fill("2002-04-12")
    field(form, "Adresse électronique").fill("yasmina.khaldi@example.org")
    field(form, "Commune de résidence").fill("Marseille")
    field(form, "Code postal").fill("13015")
    field(form, "Inscrit·e à France Travail depuis").fill("2026-06-01")
    field(form, "Bénéficiaire du RSA").check()
    field(form, "Diplôme le plus élevé").select_option(label="Baccalauréat")
    field(form, "Mobilité").select_option(label="Transports en commun")
    field(form, "La personne consent au partage de ses données avec le programme").check()
    form.get_by_role("button", name="Orienter").click()
    expect(status_badge(prescriber)).to_have_text("Nouvelle")
    expect(prescriber.locator("#eligibility")).to_contain_text("Aucun diagnostic")

    # --- ...then makes the diagnostic: the profile already ticked RSA and « under 26 ». ---
    prescriber.get_by_role("link", name="Établir un diagnostic d'éligibilité").click()
    expect(prescriber.get_by_role("heading", level=1)).to_have_text(
        f"Diagnostic d'éligibilité de {FULL_NAME}"
    )
    rsa = criterion(prescriber, "Bénéficiaire du RSA")
    young = criterion(prescriber, "Jeune de moins de 26 ans")
    expect(rsa.get_by_label("Critère rempli")).to_be_checked()
    expect(rsa).to_contain_text("RSA indiqué au dossier — déclaratif")
    expect(young.get_by_label("Critère rempli")).to_be_checked()
    expect(young).to_contain_text("24 ans (date de naissance) — justificatif non exigé")
    expect(
        criterion(prescriber, "Senior (50 ans ou plus)").get_by_label("Critère rempli")
    ).not_to_be_checked()
    expect(prescriber.get_by_label("La personne est inscrite à France Travail")).to_be_checked()

    # First try without the CAF attestation: the page says what is missing.
    prescriber.get_by_role("button", name="Enregistrer le diagnostic").click()
    expect(prescriber.get_by_role("alert")).to_contain_text("Le diagnostic n'est pas enregistré")
    rsa = criterion(prescriber, "Bénéficiaire du RSA")
    expect(rsa).to_contain_text("Joignez le justificatif du critère « Bénéficiaire du RSA »")
    rsa.get_by_label("Justificatif (PDF, JPEG ou PNG, 5 Mo au plus)").set_input_files(
        {
            "name": "attestation-caf-khaldi.pdf",
            "mimeType": "application/pdf",
            "buffer": proof_pdf("Attestation de paiement du RSA — Yasmina Khaldi"),
        }
    )
    rsa.get_by_label("Date du justificatif").fill("2026-11-18")
    prescriber.get_by_label("Observations").fill("Attestation CAF vue en rendez-vous.")
    prescriber.get_by_role("button", name="Enregistrer le diagnostic").click()
    expect(prescriber.get_by_role("status")).to_have_text(
        f"Diagnostic d'éligibilité de {FULL_NAME} enregistré."
    )
    expect(prescriber.locator("#eligibility-verdict")).to_contain_text(
        "Règle remplie : diagnostic de France Travail Marseille 13e du 30/11/2026"
    )
    prescriber.context.close()
    stored = Proof.objects.get()
    assert stored.original_name == "attestation-caf-khaldi.pdf"
    assert stored.file.name.startswith("proofs/") and "khaldi" not in stored.file.name

    # --- The coordinator finds the diagnostic, pre-filled, with its proof. -----------------
    coordinator = log_in(new_context, world.user("coordinator"))
    nav(coordinator, "Candidatures")
    coordinator.get_by_role("link", name=FULL_NAME).click()
    eligibility = coordinator.locator("#eligibility")
    expect(eligibility).to_contain_text("Règle remplie")
    eligibility.get_by_role("link", name="30/11/2026").click()
    expect(coordinator.get_by_role("heading", level=1)).to_contain_text(
        f"Diagnostic d'éligibilité de {FULL_NAME}"
    )
    expect(status_badge(coordinator)).to_have_text("Fait foi")
    rows = coordinator.locator("#criteria-table tbody tr")
    expect(rows.filter(has_text="Jeune de moins de 26 ans")).to_contain_text(
        "Déduit du profil : 24 ans (date de naissance)"
    )
    expect(rows.filter(has_text="Jeune de moins de 26 ans")).to_contain_text(
        "non exigé (déduit du profil)"
    )
    expect(rows.filter(has_text="Bénéficiaire du RSA")).to_contain_text(
        "du 18/11/2026, valable jusqu'au 16/02/2027"
    )
    with coordinator.expect_download() as download:
        coordinator.get_by_role("link", name="attestation-caf-khaldi.pdf").click()
    saved = download.value.path()
    assert saved is not None and saved.read_bytes().startswith(b"%PDF-")
    assert download.value.suggested_filename == f"justificatif-rsa-{stored.pk}.pdf"
    expect(coordinator.locator("#diagnostic-verdict")).to_contain_text(
        "Les critères retenus remplissent la règle."
    )

    # --- ...and selects the candidate: « Accepter » needs no override. ---------------------
    coordinator.get_by_role("link", name=f"Candidature à « {cohort.name} »").click()
    for button, status in (
        ("Inviter en réunion d'information", "Invitée en réunion d'information"),
        ("Passer au test / entretien", "Test de positionnement / entretien"),
    ):
        coordinator.get_by_role("button", name=button, exact=True).click()
        expect(status_badge(coordinator)).to_have_text(status)
    expect(coordinator.get_by_label(re.compile("Motif de la dérogation"))).to_have_count(0)
    coordinator.get_by_role("button", name="Accepter", exact=True).click()
    expect(status_badge(coordinator)).to_have_text("Acceptée")
    expect(coordinator.locator("#acceptance-basis")).to_contain_text("Acceptée sur diagnostic")
    coordinator.screenshot(path=SCREENSHOT, full_page=True)
    assert Acceptance.objects.get().diagnostic_id == stored.diagnostic_criterion.diagnostic_id
