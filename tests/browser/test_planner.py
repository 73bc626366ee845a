"""A coordinator plans the next cohort automatically, like the demo's: from the cohort's
sessions page, « Planifier automatiquement » runs the planner in the background; the page
shows the progress bar, then the preview (figures and weeks); « Valider ce planning » writes
the sessions, which the cohort's week calendar then shows.

The plateau is small (tests/planner/builders.py: a fibre lab, a classroom, three modules, two
trainers with their teaching profiles) so the solver proves its plan optimal in a second.
Tasks run immediately in tests (tests/conftest.py): the progress bar is already full when the
page opens, which is what a coordinator sees after a short wait.
"""

from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import BrowserContext, expect

from tests.browser.pages import log_in
from tests.planner.builders import small_plateau
from tremplin.plateau.models import Session

pytestmark = pytest.mark.browser

SCREENSHOT = "/tmp/tremplin-planner.png"  # noqa: S108 - for the lead to look at


def test_coordinator_plans_the_next_cohort_and_commits_it(
    transactional_db: Any,
    live_server: Any,
    new_context: Callable[..., BrowserContext],
    world: Any,
    settings: Any,
) -> None:
    settings.PLANNER_TIME_LIMIT = 5
    small_plateau(world)
    cohort = world.upcoming

    page = log_in(new_context, world.user("coordinator"))
    page.goto(f"/promotions/{cohort.pk}/seances/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Séances — Promo à venir")
    page.get_by_role("button", name="Planifier automatiquement").click()

    # The run's page: the progress bar, full, then the preview.
    expect(page.get_by_role("heading", level=1)).to_contain_text(
        "Planification automatique — Promo à venir"
    )
    expect(page.locator("#task-status")).to_contain_text("Terminée", timeout=30_000)
    expect(page.get_by_role("progressbar")).to_have_attribute("aria-valuenow", "100")
    expect(page.locator("#plan-status")).to_have_text("Planning optimal (prouvé)")
    expect(page.locator("#plan-figures")).to_contain_text("Écart à la borne")
    first_week = page.locator("table.plan-week").first
    expect(first_week).to_contain_text("Semaine du 28/12/2026")
    expect(first_week).to_contain_text("AC1 Accueil")
    expect(page.locator("table.plan-week")).to_have_count(2)
    page.screenshot(path=SCREENSHOT, full_page=True)
    assert not Session.objects.filter(cohort=cohort).exists()  # a preview writes nothing

    page.get_by_role("button", name="Valider ce planning").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Séances — Promo à venir")
    expect(page.get_by_role("status").first).to_contain_text("Planning validé : 8 séances créées.")
    calendar = page.locator("table").first
    expect(calendar).to_contain_text("Semaine du 28/12/2026")
    expect(calendar).to_contain_text("Accueil")
    assert Session.objects.filter(cohort=cohort).count() == 8
    # The next week holds the fibre modules.
    page.get_by_role("link", name="Semaine suivante").click()
    expect(page.locator("table").first).to_contain_text("Soudure")
