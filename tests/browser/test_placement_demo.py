"""Placement on the demo, clicked like the people who do it (issue 6).

The whole demo is built (its cohort in training, partner employers' open positions in the
Bouches-du-Rhône, each learner's job search, everyone located at their arrondissement's
centre). The coordinator asks for the cohort's optimal placement, reads why a pair was
chosen and proposes the whole placement; the Free Pro recruiter opens the proposal of
Amina Toumi (the demo learner's account), interviews her and offers an immersion (PMSMP)
with dates and a tutor; the agreement is signed by the three parties — the recruiter, Amina
in her own space, the coordinator as prescriber —; the recruiter hires her in CDI, 35 hours
a week. The site dashboard counts one more hire.
"""

import datetime
import re
from collections.abc import Callable
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import BrowserContext, Page, expect

from tests.browser.pages import submit_login
from tremplin.cohorts.enums import EnrolmentStatus
from tremplin.cohorts.models import Cohort
from tremplin.demo.builder import DEMO_DOMAIN, DEMO_PASSWORD, build_demo
from tremplin.employers.enums import ProposalStatus
from tremplin.employers.models import Proposal
from tremplin.organisations.models import Site

pytestmark = pytest.mark.browser

LEARNER = "Amina TOUMI"
OPENING = "Technicien d'intervention fibre optique (FttH / FttO)"


def log_in(new_context: Callable[..., BrowserContext], who: str) -> Page:
    page = new_context().new_page()
    page.goto("/")
    submit_login(page, f"{who}@{DEMO_DOMAIN}", DEMO_PASSWORD)
    expect(page.get_by_role("button", name="Se déconnecter")).to_be_visible()
    return page


def status(page: Page) -> Any:
    return page.get_by_role("heading", level=1).locator(".status-badge")


def hires_on_dashboard(page: Page, site: Site) -> Any:
    page.goto(f"/tableau-de-bord/sites/{site.pk}/")
    return page.locator("[data-figure=hires]")


def test_coordinator_places_the_cohort_and_the_recruiter_hires_after_an_immersion(
    transactional_db: Any, live_server: Any, new_context: Callable[..., BrowserContext]
) -> None:
    build_demo()
    today = timezone.localdate()
    cohort = Cohort.objects.get(start_date__lte=today, end_date__gte=today)
    site = Site.objects.get()
    in_training = cohort.enrolments.filter(status=EnrolmentStatus.IN_TRAINING).count()
    hires_before = Proposal.objects.filter(status=ProposalStatus.HIRED).count()
    proposals_before = Proposal.objects.count()

    # --- The coordinator: optimal placement of the cohort, then propose it. ---------------
    coordinator = log_in(new_context, "coordinatrice")
    expect(hires_on_dashboard(coordinator, site)).to_have_text(f"{hires_before} embauches")
    coordinator.goto(f"/promotions/{cohort.pk}/")
    coordinator.get_by_role("button", name="Placement optimal").click()
    expect(coordinator).to_have_url(re.compile(r"/placements/\d+/$"))
    table = coordinator.locator("#placement-table")
    expect(table).to_be_visible(timeout=60_000)
    # Everyone in training is placed or says why not; Amina goes to Free Pro's openings.
    expect(table.locator(":scope > tbody > tr")).to_have_count(in_training)
    row = table.locator(":scope > tbody > tr", has_text=LEARNER)
    expect(row).to_contain_text(OPENING)
    row.get_by_text("Pourquoi ?").click()
    expect(row).to_contain_text("Compétences requises acquises")
    expect(row).to_contain_text("BC03.1")
    expect(row).to_contain_text("Trajet :")
    coordinator.get_by_role("button", name=re.compile(r"^Proposer ces \d+ placements$")).click()
    expect(coordinator).to_have_url(re.compile(r"/propositions/$"))
    expect(coordinator.get_by_role("status").first).to_have_text(
        re.compile(r"^\d+ propositions créées à partir du placement optimal\.$")
    )
    placed = Proposal.objects.count() - proposals_before
    assert placed == in_training  # the demo has an opening for every one of them
    proposal = Proposal.objects.get(
        enrolment__candidacy__person__account__email=f"apprenant@{DEMO_DOMAIN}",
        opening__title=OPENING,
    )
    assert proposal.status == ProposalStatus.PROPOSED

    # --- The recruiter: the proposal (first name and initial only), interview, immersion.
    recruiter = log_in(new_context, "recruteur")
    recruiter.goto("/propositions/")
    recruiter.get_by_role("link", name="Amina T.").first.click()
    expect(status(recruiter)).to_have_text("Vue par l'employeur")
    expect(recruiter.get_by_role("main")).not_to_contain_text("TOUMI")
    recruiter.get_by_role("button", name="Convoquer en entretien").click()
    expect(status(recruiter)).to_have_text("Entretien")
    start = today + datetime.timedelta(days=7)
    immersion = recruiter.locator(
        "form", has=recruiter.get_by_role("button", name=re.compile("immersion", re.I))
    )
    immersion.get_by_label("Début de l'immersion").fill(start.isoformat())
    immersion.get_by_label("Fin de l'immersion").fill(
        (start + datetime.timedelta(days=11)).isoformat()
    )
    immersion.get_by_label("Tuteur ou tutrice chez l'employeur").fill("Karim Benali, chef d'équipe")
    immersion.get_by_role("button").click()
    expect(status(recruiter)).to_have_text("Immersion (PMSMP)")
    recruiter.get_by_role("button", name="Signer la convention d'immersion").click()
    expect(recruiter.get_by_role("status").first).to_contain_text("sign")

    # --- Amina signs in her space; the coordinator signs as prescriber. -------------------
    learner = log_in(new_context, "apprenant")
    learner.goto("/mon-parcours/propositions/")
    learner.get_by_role("button", name=re.compile("Signer la convention")).click()
    expect(learner.get_by_role("status").first).to_contain_text("sign")
    coordinator.goto(f"/propositions/{proposal.pk}/")
    coordinator.get_by_role("button", name="Signer la convention d'immersion").click()
    expect(coordinator.get_by_role("status").first).to_contain_text("sign")
    proposal.refresh_from_db()
    assert proposal.agreement_signed

    # --- The recruiter hires her; the dashboard counts it. --------------------------------
    recruiter.reload()
    hire = recruiter.locator("form", has=recruiter.get_by_role("button", name="Embaucher"))
    hire.get_by_label("Contrat signé").select_option(label="CDI")
    hire.get_by_label("Date d'embauche").fill((start + datetime.timedelta(days=14)).isoformat())
    hire.get_by_label("Heures par semaine (1 à 48)").fill("35")
    hire.get_by_role("button", name="Embaucher").click()
    expect(status(recruiter)).to_have_text("Embauche")
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.HIRED
    assert proposal.hired_weekly_hours == 35
    expect(hires_on_dashboard(coordinator, site)).to_have_text(f"{hires_before + 1} embauches")
