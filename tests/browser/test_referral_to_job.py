"""The whole path, clicked and typed like a person: from a prescriber's referral to a job.

Each role logs in through the login form in its own browser context. The story runs over
eleven months of frozen time (tests/conftest.py ``frozen_clock``, moved on between chapters):
time_machine patches the clock of the whole Python process, so the live server thread sees
the same "today" as the test; the browser keeps its own clock, which no page relies on.

- 30/11/2026: referral to « Promo à venir » (starts 30/12/2026), selection, enrolment;
- 15/02/2027: the trainer validates a competency; the employer publishes an opening, the
  coordinator proposes the learner from the matching's ranked candidates, the employer
  opens the proposal, interviews and hires in CDI for 35 hours a week;
- 01/05/2027: the coordinator ends the training as « Parcours terminé » on 30/04/2027;
- 30/10/2027: the 6-month follow-up is due; the coordinator records the CDI and reads the
  dashboard, every stage of which has gained one person.
"""

import datetime
import re
from collections.abc import Callable
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import BrowserContext, Locator, Page, expect

from tests import factories
from tests.browser.pages import field, log_in, nav, status_badge
from tests.factories import proof_pdf

pytestmark = pytest.mark.browser

PARIS = ZoneInfo("Europe/Paris")
FIRST_NAME, LAST_NAME = "Camille", "Ferrand"
FULL_NAME = f"{FIRST_NAME} {LAST_NAME.upper()}"
# What an employer reads of a candidate: first name and initial, never the full name.
EMPLOYER_NAME = f"{FIRST_NAME} {LAST_NAME[0]}."
OPENING_TITLE = "Technicien·ne raccordement fibre"
STAGES = ("referred", "accepted", "enrolled", "completed", "employed_6m")
SCREENSHOT = "/tmp/tremplin-dashboard.png"  # noqa: S108 - for the lead to look at, not committed


def message(page: Page) -> Locator:
    return page.get_by_role("status")


def form_with_button(page: Page, button: str) -> Locator:
    return page.locator("form").filter(has=page.get_by_role("button", name=button, exact=True))


def funnel_totals(page: Page) -> dict[str, int]:
    cells = page.locator("#funnel-table tfoot td[data-stage]")
    expect(cells).to_have_count(len(STAGES))
    totals = {}
    for cell in cells.all():
        count = re.match(r"\s*(\d+)", cell.inner_text())
        assert count, cell.inner_text()
        totals[str(cell.get_attribute("data-stage"))] = int(count.group(1))
    assert tuple(totals) == STAGES
    return totals


def open_dashboard(page: Page, site_name: str) -> dict[str, int]:
    nav(page, "Tableau de bord")
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Tableau de bord — {site_name}")
    return funnel_totals(page)


def test_referral_to_job(
    transactional_db: Any,
    live_server: Any,
    new_context: Callable[..., BrowserContext],
    world: Any,
    frozen_clock: Any,
) -> None:

    def travel_to(day: datetime.date) -> None:
        frozen_clock.move_to(datetime.datetime.combine(day, datetime.time(10), PARIS))

    def close(page: Page) -> None:
        page.context.close()

    cohort = world.upcoming
    site_name = world.site.name
    # The communes of the Bouches-du-Rhône: the referral locates the person's home from her
    # postal code, the opening its workplace from its own; the matching needs both.
    factories.communes_loaded(["13"])
    # Other people already on the site, so the dashboard starts from figures other than zero.
    factories.referral(world)
    factories.enrolled(world, world.running)

    # --- Before anything: the coordinator's dashboard. -------------------------------------
    coordinator = log_in(new_context, world.user("coordinator"))
    before = open_dashboard(coordinator, site_name)
    assert before == {
        "referred": 2,
        "accepted": 1,
        "enrolled": 1,
        "completed": 0,
        "employed_6m": 0,
    }

    # --- a. The prescriber refers a person. ------------------------------------------------
    prescriber = log_in(new_context, world.user("prescriber"))
    nav(prescriber, "Orienter une personne")
    expect(prescriber.get_by_role("heading", level=1)).to_have_text(
        "Orienter une personne vers une promotion"
    )
    form = prescriber.locator("main form")
    field(form, "Promotion visée").select_option(
        label=f"{cohort.name} — {site_name} (début le {cohort.start_date:%d/%m/%Y})"
    )
    field(form, "Prénom").fill(FIRST_NAME)
    field(form, "Nom").fill(LAST_NAME)
    field(form, "Date de naissance").fill("1994-06-21")
    field(form, "Adresse électronique").fill("camille.ferrand@example.org")
    field(form, "Téléphone").fill("06 11 22 33 44")
    field(form, "Commune de résidence").fill("Marseille")
    field(form, "Code postal").fill("13014")
    field(form, "Inscrit·e à France Travail depuis").fill("2025-09-01")
    field(form, "Bénéficiaire du RSA").check()
    field(form, "Réside dans un quartier prioritaire (QPV)").check()
    field(form, "Diplôme le plus élevé").select_option(label="CAP, BEP")
    field(form, "Titulaire du permis B").check()
    field(form, "Mobilité").select_option(label="Transports en commun")
    field(form, "Motivation et projet professionnel").fill(
        "A travaillé deux ans dans le BTP, veut se former au raccordement de la fibre."
    )
    field(form, "La personne consent au partage de ses données avec le programme").check()
    field(
        form, "La personne accepte que son profil soit transmis aux employeurs partenaires"
    ).check()
    form.get_by_role("button", name="Orienter").click()

    expect(prescriber.get_by_role("heading", level=1)).to_contain_text(FULL_NAME)
    expect(status_badge(prescriber)).to_have_text("Nouvelle")
    expect(message(prescriber)).to_have_text(f"{FULL_NAME} est orienté·e vers {cohort.name}.")
    expect(prescriber.get_by_text(f"Promotion « {cohort.name} »")).to_be_visible()

    # The advisor makes the eligibility diagnostic: RSA, with the CAF attestation. The
    # declared facts the profile also showed (QPV, 14 months registered, CAP) would each need
    # their own proof: the advisor keeps RSA alone, which meets the rule.
    prescriber.get_by_role("link", name="Établir un diagnostic d'éligibilité").click()
    for label in (
        "Demandeur d'emploi de longue durée (12 mois ou plus)",
        "Résident d'un quartier prioritaire de la politique de la ville (QPV)",
        "Aucun diplôme au-dessus du CAP / BEP (niveau 3 ou infra)",
    ):
        prescriber.get_by_role("group", name=label, exact=True).get_by_label(
            "Critère rempli"
        ).uncheck()
    rsa = prescriber.get_by_role("group", name="Bénéficiaire du RSA", exact=True)
    expect(rsa.get_by_label("Critère rempli")).to_be_checked()
    rsa.get_by_label("Justificatif (PDF, JPEG ou PNG, 5 Mo au plus)").set_input_files(
        {"name": "attestation-caf.pdf", "mimeType": "application/pdf", "buffer": proof_pdf()}
    )
    rsa.get_by_label("Date du justificatif").fill("2026-11-23")
    prescriber.get_by_role("button", name="Enregistrer le diagnostic").click()
    expect(prescriber.locator("#eligibility-verdict")).to_contain_text("Règle remplie")
    close(prescriber)

    # --- b. The coordinator selects the candidate. -----------------------------------------
    nav(coordinator, "Candidatures")
    coordinator.get_by_role("link", name=FULL_NAME).click()
    expect(status_badge(coordinator)).to_have_text("Nouvelle")
    for button, status in (
        ("Inviter en réunion d'information", "Invitée en réunion d'information"),
        ("Passer au test / entretien", "Test de positionnement / entretien"),
        ("Accepter", "Acceptée"),
    ):
        coordinator.get_by_role("button", name=button, exact=True).click()
        expect(status_badge(coordinator)).to_have_text(status)
        expect(message(coordinator)).to_have_text(f"Candidature : {status}.")

    prescriber = log_in(new_context, world.user("prescriber"))
    nav(prescriber, "Candidatures")
    prescriber.get_by_role("link", name=FULL_NAME).click()
    expect(status_badge(prescriber)).to_have_text("Acceptée")
    history = prescriber.locator("#history").get_by_role("listitem")
    expect(history).to_have_count(3)
    expect(history.nth(0)).to_contain_text("Nouvelle → Invitée en réunion d'information")
    expect(history.nth(1)).to_contain_text(
        "Invitée en réunion d'information → Test de positionnement / entretien"
    )
    expect(history.nth(2)).to_contain_text("Test de positionnement / entretien → Acceptée")
    # Deciding is the coordinator's business, not the prescriber's.
    expect(prescriber.get_by_role("button", name="Inscrire dans la promotion")).to_have_count(0)
    expect(prescriber.get_by_role("button", name="Refuser")).to_have_count(0)
    close(prescriber)

    # --- c. The coordinator enrols the candidate in the cohort. ----------------------------
    coordinator.get_by_role("button", name="Inscrire dans la promotion").click()
    expect(coordinator).to_have_url(re.compile(r"/parcours/\d+/$"))
    expect(coordinator.get_by_role("heading", level=1)).to_contain_text(FULL_NAME)
    expect(status_badge(coordinator)).to_have_text("En formation")
    expect(message(coordinator)).to_have_text(f"{FULL_NAME} est inscrit·e dans la promotion.")
    close(coordinator)

    # --- d. Six weeks into the training, the trainer validates a competency. ---------------
    travel_to(datetime.date(2027, 2, 15))
    trainer = log_in(new_context, world.user("trainer"))
    nav(trainer, "Promotions")
    trainer.get_by_role("link", name=cohort.name, exact=True).click()
    expect(trainer.get_by_role("heading", level=1)).to_have_text(cohort.name)
    trainer.get_by_role("link", name=FULL_NAME).click()
    expect(trainer.get_by_role("heading", level=1)).to_contain_text(FULL_NAME)
    expect(trainer.get_by_text(re.compile(r"0 compétences acquises sur \d+"))).to_be_visible()

    row = trainer.locator("tbody tr").filter(has=trainer.get_by_role("button", name="Enregistrer"))
    row = row.first
    row_id = str(row.get_attribute("id"))
    competency = row.get_by_role("cell").first.inner_text().strip()
    code = competency.split()[0]
    row.get_by_label(f"Niveau pour {code}").select_option(label="Acquise")
    row.get_by_label(f"Preuve pour {code}").fill("Soudure et mesure réussies en atelier")
    expect(row.get_by_label(f"Date pour {code}")).to_have_value("2027-02-15")
    row.get_by_role("button", name="Enregistrer").click()

    expect(message(trainer)).to_have_text(f"{code} enregistrée.")
    recorded = trainer.locator(f"#{row_id}")
    expect(recorded.get_by_role("cell").nth(1)).to_have_text("Acquise")
    expect(recorded.get_by_role("cell").nth(2)).to_have_text(
        "15/02/2027 · Soudure et mesure réussies en atelier"
    )
    expect(trainer.get_by_text(re.compile(r"1 compétence acquise sur \d+"))).to_be_visible()
    close(trainer)

    # --- e. The employer publishes an opening; the coordinator proposes the learner. -------
    employer = log_in(new_context, world.user("employer"))
    nav(employer, "Offres d'emploi")
    employer.get_by_role("link", name="Publier une offre").click()
    form = employer.locator("main form")
    expect(field(form, "Employeur")).to_have_value(str(world.employer.pk))
    field(form, "Intitulé du poste").fill(OPENING_TITLE)
    field(form, "Métier (code ROME)").select_option(
        label="I1315 — Monteur raccordeur / Monteuse raccordeuse fibre optique"
    )
    field(form, "Type de contrat").select_option(label="CDI")
    field(form, "Commune du poste").fill("Marseille")
    field(form, "Code postal du poste").fill("13015")
    field(form, "Temps de travail").select_option(label="Temps plein")
    field(form, "Prise de poste souhaitée").fill("2027-05-03")
    field(form, "Nombre de postes").fill("1")
    field(form, "Description").fill("Raccordement d'abonnés FTTH en équipe de deux.")
    field(form, "Compétences requises").select_option(label=competency)
    form.get_by_role("button", name="Publier").click()
    expect(employer.get_by_role("heading", level=1)).to_contain_text(OPENING_TITLE)
    expect(message(employer)).to_have_text(f"Offre « {OPENING_TITLE} » publiée.")
    expect(
        employer.get_by_text("Temps plein · prise de poste souhaitée le 03/05/2027")
    ).to_be_visible()
    # The employer already sees her among the profiles that fit, anonymised.
    fitting = employer.locator("#anonymous-candidates > li").filter(has_text=EMPLOYER_NAME)
    expect(fitting).to_have_count(1)
    expect(fitting).to_contain_text(code)
    expect(employer.locator("main")).not_to_contain_text(re.compile(LAST_NAME, re.IGNORECASE))

    coordinator = log_in(new_context, world.user("coordinator"))
    nav(coordinator, "Offres d'emploi")
    coordinator.get_by_role("link", name=OPENING_TITLE).click()
    expect(coordinator.get_by_role("heading", level=1)).to_contain_text(OPENING_TITLE)
    # The matching ranks her: located in Marseille 14e, she holds the required competency
    # and the opening, in Marseille 15e, is within her reach.
    # The other learner of the site, in « Promo en cours », has no competency acquired yet:
    # not ranked.
    ranked = coordinator.locator("#ranked-candidates > li")
    expect(ranked).to_have_count(1)
    candidate = ranked.filter(has=coordinator.get_by_role("link", name=FULL_NAME, exact=True))
    expect(candidate).to_have_count(1)
    expect(candidate).to_contain_text(cohort.name)
    candidate.get_by_text("Pourquoi ?", exact=True).click()
    why = candidate.locator(".match-explanation")
    expect(why).to_be_visible()
    expect(why).to_contain_text("Compétences requises acquises :")
    expect(why.get_by_role("listitem").filter(has_text=competency)).to_have_count(1)
    expect(why).not_to_contain_text("Compétences requises manquantes")
    # Public transport, but a driving licence: she may car-pool or drive a company van.
    expect(why).to_contain_text("(avec le permis, sans voiture)")
    candidate.get_by_label("Mot pour l'employeur").fill("Très à l'aise en hauteur.")
    candidate.get_by_role("button", name="Proposer").click()
    expect(coordinator).to_have_url(re.compile(r"/propositions/\d+/$"))
    expect(status_badge(coordinator)).to_have_text("Proposée")
    expect(message(coordinator)).to_have_text(f"{FULL_NAME} est proposé·e à {world.employer.name}.")
    close(coordinator)

    nav(employer, "Candidats proposés")
    employer.get_by_role("link", name=EMPLOYER_NAME, exact=True).click()
    # Opening the proposal marks it as seen by the employer.
    expect(status_badge(employer)).to_have_text("Vue par l'employeur")
    expect(employer.get_by_role("heading", level=1)).to_contain_text(EMPLOYER_NAME)
    expect(employer.locator("main")).not_to_contain_text(re.compile(LAST_NAME, re.IGNORECASE))
    expect(employer.get_by_text("Très à l'aise en hauteur.")).to_be_visible()
    expect(employer.get_by_text(competency)).to_be_visible()
    employer.get_by_role("button", name="Convoquer en entretien").click()
    expect(status_badge(employer)).to_have_text("Entretien")
    hire = form_with_button(employer, "Embaucher")
    hire.get_by_label("Contrat signé").select_option(label="CDI")
    hire.get_by_label("Date d'embauche").fill("2027-05-03")
    hire.get_by_label("Heures par semaine (1 à 48)").fill("35")
    hire.get_by_role("button", name="Embaucher").click()
    expect(status_badge(employer)).to_have_text("Embauche")
    expect(
        employer.get_by_text("Embauche en CDI à partir du 03/05/2027. 35,0 h par semaine.")
    ).to_be_visible()
    close(employer)

    # --- f. End of training, then the 6-month follow-up. -----------------------------------
    travel_to(datetime.date(2027, 5, 1))
    coordinator = log_in(new_context, world.user("coordinator"))
    nav(coordinator, "Promotions")
    coordinator.get_by_role("link", name=cohort.name, exact=True).click()
    coordinator.get_by_role("link", name=FULL_NAME).click()
    expect(status_badge(coordinator)).to_have_text("En formation")
    end = form_with_button(coordinator, "Parcours terminé")
    end.get_by_label("Date de sortie").fill("2027-04-30")
    end.get_by_role("button", name="Parcours terminé").click()
    expect(status_badge(coordinator)).to_have_text("Parcours terminé")
    expect(message(coordinator)).to_have_text("Sortie enregistrée : Parcours terminé.")
    six_months = coordinator.get_by_role("row").filter(has_text="À 6 mois")
    expect(six_months.get_by_role("cell").nth(1)).to_have_text("30/10/2027")
    close(coordinator)

    travel_to(datetime.date(2027, 10, 30))
    coordinator = log_in(new_context, world.user("coordinator"))
    nav(coordinator, "Suivi des sorties")
    due = coordinator.get_by_role("row").filter(has_text=FULL_NAME).filter(has_text="À 6 mois")
    expect(due).to_contain_text("30/10/2027")
    due.get_by_role("link", name="Saisir").click()
    expect(coordinator.get_by_role("heading", level=1)).to_have_text(
        f"Suivi à 6 mois — {FULL_NAME}"
    )
    form = coordinator.locator("main form")
    field(form, "Situation").select_option(label="CDI")
    field(form, "Employeur").fill(world.employer.name)
    expect(field(form, "Date du point")).to_have_value("2027-10-30")
    field(form, "Observations").fill("En poste depuis le 3 mai, période d'essai validée.")
    form.get_by_role("button", name="Enregistrer").click()
    expect(message(coordinator)).to_have_text("Suivi enregistré.")
    six_months = coordinator.get_by_role("row").filter(has_text="À 6 mois")
    expect(six_months.get_by_role("cell").nth(2)).to_have_text(
        f"CDI — {world.employer.name} (le 30/10/2027)"
    )

    # --- g. The dashboard has gained one person at every stage. ----------------------------
    after = open_dashboard(coordinator, site_name)
    assert after == {stage: before[stage] + 1 for stage in STAGES}, (before, after)
    coordinator.screenshot(path=SCREENSHOT, full_page=True)
