"""A funder reads its dashboard and takes away the PDF report (issue 7 §3-4), clicked like a
person: the Banque des Territoires opens the dashboard of the Marseille site, whose figures
cover only the cohorts it funds, sees a figure about too few people hidden, asks for the
report of the past cohort, watches the progress bar finish and downloads the PDF, which names
the site and the indicators and nobody. Time is frozen on 30/11/2026.
"""

import re
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import BrowserContext, expect

from tests.browser.pages import field, log_in, nav
from tests.reports.test_indicators import candidacy, past_cohort  # noqa: F401 (fixture)

pytestmark = pytest.mark.browser


def test_funder_downloads_its_report_without_small_cells_or_names(
    transactional_db: Any,
    live_server: Any,
    new_context: Callable[..., BrowserContext],
    world: Any,
    frozen_clock: Any,
    past_cohort: Any,  # noqa: F811
    tmp_path: Path,
) -> None:
    page = log_in(new_context, world.user("funder"))
    nav(page, "Tableau de bord")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        f"Tableau de bord — {world.site.name}"
    )
    # Two respondents to the survey: the funder reads « moins de 5 personnes », not « 1 / 2 ».
    satisfied = page.locator('[data-indicator="satisfied"]')
    expect(satisfied).to_contain_text("moins de 5 personnes")
    expect(satisfied).not_to_contain_text("1 / 2")

    report = page.get_by_role("region", name="Rapport d'impact (PDF)")
    # Only the cohorts it funds are offered.
    cohorts = field(report, "Une promotion")
    expect(cohorts.locator("option")).to_have_text(
        [
            "— ou une période ci-contre —",
            re.compile(world.past.name),
            re.compile(world.running.name),
        ]
    )
    # A period backwards is refused with a message; nothing starts.
    field(report, "ou les promotions commencées du").fill("2026-06-01")
    field(report, "au").fill("2026-01-01")
    report.get_by_role("button", name="Préparer le rapport PDF").click()
    expect(page.get_by_role("alert")).to_contain_text("La fin de la période précède son début.")

    report = page.get_by_role("region", name="Rapport d'impact (PDF)")
    cohorts = field(report, "Une promotion")
    cohorts.select_option(label=f"{world.past.name} ({world.past.start_date:%d/%m/%Y})")
    report.get_by_role("button", name="Préparer le rapport PDF").click()

    expect(page.get_by_role("heading", level=1)).to_have_text(
        f"Rapport d'impact (PDF) — {world.site.name}"
    )
    expect(page.get_by_role("progressbar")).to_have_attribute("aria-valuenow", "100")
    expect(page.locator("#task-status")).to_contain_text("Terminée")
    with page.expect_download() as download_info:
        page.get_by_role("link", name=re.compile(r"^Télécharger rapport-financeur-")).click()
    path = tmp_path / "rapport.pdf"
    download_info.value.save_as(path)

    assert path.read_bytes().startswith(b"%PDF")
    text = " ".join(
        subprocess.run(
            ["pdftotext", str(path), "-"], check=True, capture_output=True, text=True
        ).stdout.split()
    )
    assert world.site.name in text
    assert "Taux d'acceptation" in text
    assert "moins de 5 personnes" in text
    for enrolment in past_cohort.values():
        person = enrolment.candidacy.person
        assert person.last_name not in text and person.first_name not in text
