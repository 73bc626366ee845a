"""The demo's next cohort, planned and committed like a coordinator would: the whole demo is
built (its plateau of three labs and a classroom, donated equipment, five trainers with
their modules and days off, the cohort in training already holding its sessions), then
« Planifier automatiquement » on the January cohort's sessions page, the preview, and
« Valider ce planning ». Every session of the 525-hour programme is written, none clashes
with the cohort in training, and the week calendar shows them.
"""

import datetime
from collections.abc import Callable
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import BrowserContext, expect

from tests.browser.pages import submit_login
from tremplin.cohorts.models import Cohort
from tremplin.demo.builder import DEMO_DOMAIN, DEMO_PASSWORD, build_demo
from tremplin.plateau.models import Session

pytestmark = pytest.mark.browser


def test_coordinator_plans_the_demos_next_cohort_and_commits_it(
    transactional_db: Any,
    live_server: Any,
    new_context: Callable[..., BrowserContext],
    settings: Any,
) -> None:
    settings.PLANNER_TIME_LIMIT = 20
    build_demo()
    today = timezone.localdate()
    upcoming = Cohort.objects.get(start_date__gt=today)
    assert not Session.objects.filter(cohort=upcoming).exists()

    page = new_context().new_page()
    page.goto("/")
    submit_login(page, f"coordinatrice@{DEMO_DOMAIN}", DEMO_PASSWORD)
    page.goto(f"/promotions/{upcoming.pk}/seances/")
    page.get_by_role("button", name="Planifier automatiquement").click()

    expect(page.locator("#task-status")).to_contain_text("Terminée", timeout=60_000)
    expect(page.locator("#plan-status")).to_contain_text("Planning")
    expect(page.locator("table.plan-week").first).to_be_visible()
    page.get_by_role("button", name="Valider ce planning").click()
    expect(page.get_by_role("status").first).to_contain_text(
        "Planning validé : 150 séances créées."
    )

    sessions = Session.objects.filter(cohort=upcoming)
    assert sessions.count() == 150  # 525 h of modules in half-days of 3 h 30
    assert sessions.filter(date__lt=upcoming.start_date).count() == 0
    assert all(s.module is not None and s.lab.kind == s.module.lab_kind for s in sessions)
    # The calendar of the first week shows the first module.
    monday = upcoming.start_date - datetime.timedelta(days=upcoming.start_date.weekday())
    page.goto(f"/promotions/{upcoming.pk}/seances/?semaine={monday.isoformat()}")
    expect(page.locator("table").first).to_contain_text("Accueil")
