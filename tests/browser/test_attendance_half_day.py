"""A trainer's half-day of attendance, clicked like a person: the trainer opens the sheet from
the menu, Ali signs on the trainer's screen, Béatrice scans the QR code and signs on her phone,
Chloé is marked absent, the trainer countersigns, then downloads the week's PDF sheet, whose
text (pdftotext) names the three learners and the absence.

The clock is frozen at 09:02 on Monday 30/11/2026 in Marseille (see tests/conftest.py): the
live server sees the same time as the test.
"""

import shutil
import subprocess
from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import BrowserContext, expect

from tests import factories
from tests.attendance.builders import at, monday_morning
from tests.browser.pages import log_in, nav
from tests.plateau.builders import MONDAY
from tremplin.attendance.models import AttendanceEntry, AttendanceSheet

pytestmark = pytest.mark.browser

SCREENSHOT = "/tmp/tremplin-attendance.png"  # noqa: S108 - for the lead to look at


def test_trainer_runs_a_half_day_and_downloads_the_weekly_sheet(
    transactional_db: Any,
    live_server: Any,
    new_context: Callable[..., BrowserContext],
    world: Any,
    frozen_clock: Any,
    tmp_path: Any,
) -> None:
    half = monday_morning(world)
    ali, beatrice, chloe = half.learners
    factories.link_account(beatrice.person, world.user("learner"))
    frozen_clock.move_to(at(MONDAY, 9, 2))

    # --- The trainer opens this morning's sheet from the menu. -----------------------------
    trainer = log_in(new_context, world.user("trainer"))
    nav(trainer, "Émargement")
    trainer.get_by_role("link", name="Ouvrir la feuille — Matin Promo en cours").click()
    expect(trainer.get_by_role("heading", level=1)).to_contain_text(
        "Émargement du lundi 30/11/2026"
    )
    lines = trainer.locator("#attendance-lines tbody tr")
    expect(lines).to_have_count(3)

    # --- Ali signs on the trainer's screen. -------------------------------------------------
    trainer.get_by_role("button", name="Signer — Ali AMRANI").click()
    expect(trainer.get_by_role("status").first).to_contain_text(
        "Signature de Ali AMRANI enregistrée à 09:02"
    )
    expect(trainer.locator("tr[data-learner='Ali AMRANI']")).to_contain_text("Présent·e")

    # --- Béatrice scans the QR code and signs on her phone. --------------------------------
    trainer.get_by_role("button", name="Afficher un QR code pour signer sur son téléphone").click()
    expect(trainer.get_by_role("img", name="QR code du lien d’émargement")).to_be_visible()
    link = trainer.locator("#signing-link").inner_text()
    phone = log_in(new_context, world.user("learner"))
    phone.goto(link)
    phone.get_by_role("button", name="Je signe ma présence").click()
    expect(phone.get_by_role("status")).to_contain_text("Signature enregistrée à 09:02")

    # --- Chloé has not come: the trainer marks her absent, then countersigns. -------------
    trainer.get_by_role("link", name="Retour à la feuille").click()
    expect(trainer.locator("tr[data-learner='Béatrice BONNET']")).to_contain_text(
        "Sur son téléphone"
    )
    trainer.get_by_role("button", name="Absent·e — Chloé CARON").click()
    expect(trainer.locator("tr[data-learner='Chloé CARON']")).to_contain_text("Non justifiée")
    trainer.get_by_role("button", name="Contresigner la feuille").click()
    expect(trainer.locator("#seal")).to_contain_text("Son contenu est intact")
    expect(trainer.get_by_role("button", name="Signer — Chloé CARON")).to_have_count(0)
    trainer.screenshot(path=SCREENSHOT, full_page=True)

    sheet = AttendanceSheet.objects.get(session=half.session)
    assert sheet.countersigned_by == world.user("trainer")
    methods = dict(AttendanceEntry.objects.values_list("enrolment_id", "method"))
    assert methods == {ali.pk: "trainer_screen", beatrice.pk: "own_phone", chloe.pk: ""}

    # --- The week's sheet, as PDF. ----------------------------------------------------------
    trainer.get_by_role("link", name="Promo en cours").click()
    with trainer.expect_download() as download:
        trainer.get_by_role("link", name="Feuille de la semaine du 30/11/2026 (PDF)").click()
    saved = tmp_path / download.value.suggested_filename
    download.value.save_as(saved)
    pdftotext = shutil.which("pdftotext")
    assert pdftotext, "pdftotext (poppler-utils) is installed by .ci/run"
    text = subprocess.run(
        [pdftotext, "-layout", str(saved), "-"], capture_output=True, text=True, check=True
    ).stdout
    for name in ("AMRANI Ali", "BONNET Béatrice", "CARON Chloé", "ABSENT", "non justifiée"):
        assert name in text, name
