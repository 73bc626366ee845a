"""An advisor refers a list of people in one go, clicked and typed like a person.

France Travail's advisor exports a list from their own tools (CSV, « ; », Windows-1252 as
French Excel writes it), uploads it for « Promo à venir », reads the errors row by row, fixes
the file, uploads it again, confirms, and finds the people in their list of candidacies.
Sending the same file once more creates nothing. Time is frozen on 30/11/2026 (the cohort
starts on 30/12/2026).
"""

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import BrowserContext, Locator, expect

from tests.browser.pages import log_in, nav

pytestmark = pytest.mark.browser

HEADER = (
    "Nom;Prénom;Date de naissance;Code postal;Commune;Diplôme;Mobilité;Consentement;"
    "Téléphone;Inscrit FT depuis;RSA;QPV"
)
GOOD = [
    "Ferrand;Camille;21/06/1994;13014;Marseille;CAP, BEP;Transports en commun;oui;"
    "06 11 22 33 44;01/09/2025;oui;oui",
    "Benali;Inès;04/05/1998;13015;Marseille;Baccalauréat;Véhicule personnel;oui;;;non;oui",
]
BAD = [
    # A birth date that does not exist, and a formula where a first name should be.
    "Ouali;Karim;31/02/1987;13003;Marseille;Aucun diplôme;Deux-roues;oui;;;oui;non",
    'Traoré;=HYPERLINK("http://x.example");12/12/1990;13001;Marseille;Bac + 2;vélo;oui;;;;',
]
FIXED = [
    "Ouali;Karim;28/02/1987;13003;Marseille;Aucun diplôme;Deux-roues;oui;;;oui;non",
    "Traoré;Awa;12/12/1990;13001;Marseille;Bac + 2;vélo;oui;;;;",
]
NAMES = ["Camille FERRAND", "Inès BENALI", "Karim OUALI", "Awa TRAORÉ"]
SCREENSHOT = "/tmp/tremplin-bulk-import-errors.png"  # noqa: S108 - for the lead, not committed


def write_list(path: Path, lines: list[str]) -> Path:
    path.write_bytes("\r\n".join([HEADER, *lines, ""]).encode("cp1252"))
    return path


def cells(row: Locator) -> list[str]:
    return [c.strip() for c in row.get_by_role("cell").all_inner_texts()]


def test_advisor_imports_a_list_fixes_its_errors_and_finds_the_people(
    transactional_db: Any,
    live_server: Any,
    new_context: Callable[..., BrowserContext],
    world: Any,
    frozen_clock: Any,
    tmp_path: Path,
) -> None:
    cohort = world.upcoming
    advisor = world.user("prescriber")
    page = log_in(new_context, advisor)

    def upload(path: Path) -> None:
        nav(page, "Importer une liste")
        expect(page.get_by_role("heading", level=1)).to_have_text(
            "Importer une liste de personnes à orienter"
        )
        page.get_by_label("Promotion visée").select_option(
            label=f"{cohort.name} — {cohort.site.name} (début le {cohort.start_date:%d/%m/%Y})"
        )
        page.get_by_label("Fichier de la liste (.xlsx ou .csv)").set_input_files(path)
        page.get_by_role("button", name="Vérifier le fichier").click()
        expect(page.get_by_role("heading", level=1)).to_contain_text(f"Import de {path.name}")

    # --- The list as exported: two rows in error. Nothing is written. ----------------------
    upload(write_list(tmp_path / "orientations-novembre.csv", GOOD + BAD))
    expect(page.locator("#batch-status")).to_have_text("À vérifier")
    expect(page.get_by_role("alert")).to_contain_text(
        "2 lignes sont en erreur : rien ne sera importé."
    )
    problems = page.get_by_role("table", name="Erreurs ligne par ligne")
    rows = problems.locator("tbody tr")
    expect(rows).to_have_count(2)
    assert cells(rows.nth(0)) == [
        "4",
        "date de naissance",
        "« 31/02/1987 » n'est pas une date : écrivez-la JJ/MM/AAAA, par exemple 21/06/1994.",
    ]
    assert cells(rows.nth(1)) == [
        "5",
        "prénom",
        "La cellule commence par « = » : les formules ne sont pas acceptées. Saisissez la "
        "valeur elle-même, sans signe en tête.",
    ]
    expect(page.get_by_role("button", name=re.compile("^Importer"))).to_have_count(0)
    page.screenshot(path=SCREENSHOT, full_page=True)
    nav(page, "Candidatures")
    expect(page.get_by_text("Aucune candidature.")).to_be_visible()

    # --- The advisor fixes the two rows and uploads the file again. --------------------------
    fixed = write_list(tmp_path / "orientations-novembre-corrige.csv", GOOD + FIXED)
    upload(fixed)
    expect(page.locator("#batch-counts")).to_contain_text("Nouvelles candidatures")
    preview = page.get_by_role("table", name="Lignes valides et ce que l'import en fera")
    expect(preview.locator("tbody tr")).to_have_count(4)
    for name in NAMES:
        expect(preview.get_by_role("row").filter(has_text=name)).to_contain_text("À créer")
    page.get_by_role("button", name="Importer 4 candidatures").click()
    expect(page.get_by_role("status").filter(has_text="Import terminé")).to_have_text(
        "Import terminé : 4 candidatures créées, aucun doublon."
    )
    expect(page.locator("#import-done")).to_contain_text("Importé le 30/11/2026")
    expect(page.locator("#batch-status")).to_have_text("Importé")

    # --- The people are in the advisor's list, referred by their agency. --------------------
    nav(page, "Candidatures")
    table = page.get_by_role("table", name="Liste des candidatures")
    for name in NAMES:
        row = table.get_by_role("row").filter(has_text=name)
        expect(row).to_contain_text(cohort.name)
        expect(row).to_contain_text(world.france_travail.name)
    table.get_by_role("link", name="Awa TRAORÉ").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Awa TRAORÉ")

    # --- Sent again by mistake: nothing is created twice. -----------------------------------
    upload(fixed)
    expect(
        page.get_by_role("status").filter(has_text="Aucune nouvelle candidature")
    ).to_be_visible()
    expect(page.get_by_role("button", name=re.compile("^Importer"))).to_have_count(0)
    nav(page, "Candidatures")
    expect(
        page.get_by_role("table", name="Liste des candidatures").locator("tbody tr")
    ).to_have_count(4)
