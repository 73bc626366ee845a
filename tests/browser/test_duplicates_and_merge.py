"""One person, one record, clicked like a person.

A prescriber refers « Samira Hadad », already known as Samira Haddad (same birth date, one
letter apart, same phone): the form asks before creating anyone, and she says it is another
person. The coordinator finds the pair among the likely duplicates, compares the two records,
keeps the newer email and merges them; the network admin reads the merge log and undoes it.
"""

import datetime
import re
from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import BrowserContext, expect

from tests import factories
from tests.browser.pages import field, log_in, nav

pytestmark = pytest.mark.browser

BORN = datetime.date(1980, 5, 4)


def test_duplicate_referral_then_merge_and_undo(
    transactional_db: Any,
    live_server: Any,
    new_context: Callable[..., BrowserContext],
    world: Any,
    frozen_clock: Any,
) -> None:

    spring = factories.cohort(
        world.programme,
        world.site,
        "Promo de printemps",
        world.upcoming.start_date + datetime.timedelta(days=60),
    )
    factories.referral(
        world,
        first_name="Samira",
        last_name="Haddad",
        birth_date=BORN,
        email="samira@example.org",
        phone="06 12 34 56 78",
    )

    # --- The prescriber refers someone who may already be known. ----------------------------
    prescriber = log_in(new_context, world.user("prescriber"))
    nav(prescriber, "Orienter une personne")
    form = prescriber.locator("main form")
    field(form, "Promotion visée").select_option(
        label=f"{spring.name} — {world.site.name} (début le {spring.start_date:%d/%m/%Y})"
    )
    field(form, "Prénom").fill("Samira")
    field(form, "Nom").fill("Hadad")
    field(form, "Date de naissance").fill(BORN.isoformat())
    field(form, "Adresse électronique").fill("samira.h@example.org")
    field(form, "Téléphone").fill("+33 6 12 34 56 78")
    field(form, "Commune de résidence").fill("Marseille")
    field(form, "Code postal").fill("13014")
    field(form, "Diplôme le plus élevé").select_option(label="CAP, BEP")
    field(form, "Mobilité").select_option(label="Transports en commun")
    field(form, "La personne consent au partage de ses données avec le programme").check()
    form.get_by_role("button", name="Orienter").click()

    question = prescriber.get_by_role("group", name="Cette personne est peut-être déjà connue")
    expect(question).to_be_visible()
    known = question.get_by_role("radio", name="Utiliser la fiche de Samira HADDAD")
    expect(known).to_have_accessible_description(re.compile(r"^Année de naissance : 1980"))
    expect(question).to_contain_text("même numéro de téléphone")
    expect(question).to_contain_text("nom et prénom à une ou deux lettres près")
    # Without an answer, nothing is created and the question is asked again.
    prescriber.get_by_role("button", name="Confirmer l'orientation").click()
    expect(prescriber.get_by_role("alert")).to_contain_text(
        "Indiquez s'il s'agit d'une personne déjà connue ou d'une autre personne."
    )
    prescriber.get_by_label("C'est une autre personne : créer une nouvelle fiche").check()
    prescriber.get_by_role("button", name="Confirmer l'orientation").click()
    expect(prescriber.get_by_role("heading", level=1)).to_contain_text("Samira HADAD")
    prescriber.context.close()

    # --- The coordinator finds the pair and merges it. --------------------------------------
    coordinator = log_in(new_context, world.user("coordinator"))
    nav(coordinator, "Personnes")
    pairs = coordinator.get_by_role("table", name=re.compile("Paires de fiches"))
    expect(pairs.get_by_role("row")).to_have_count(2)  # the header and one pair
    pairs.get_by_role("link", name=re.compile("^Comparer et fusionner")).click()
    expect(coordinator.get_by_role("heading", level=1)).to_have_text("Fusionner deux fiches")
    comparison = coordinator.get_by_role("table", name=re.compile("Comparaison des deux fiches"))
    expect(comparison.get_by_label("Haddad", exact=True)).to_be_checked()
    comparison.get_by_label("samira.h@example.org", exact=True).check()
    coordinator.get_by_role("button", name="Fusionner les deux fiches").click()
    expect(coordinator.get_by_role("status")).to_have_text(
        # Her candidacy and the record of the consent she gave when referred.
        "Fiches fusionnées : Samira HADDAD (2 lignes rattachées)."
    )
    expect(coordinator.get_by_role("heading", level=1)).to_have_text("Samira HADDAD")
    candidacies = coordinator.locator("#person-candidacies")
    expect(candidacies.get_by_role("listitem")).to_have_count(2)
    expect(coordinator.get_by_text("samira.h@example.org")).to_be_visible()
    coordinator.context.close()

    # --- The network admin undoes it from the merge log. ------------------------------------
    admin = log_in(new_context, world.user("network_admin"))
    nav(admin, "Personnes")
    admin.get_by_role("link", name="Journal des fusions").click()
    admin.get_by_role("table").get_by_role("link").first.click()
    expect(admin.get_by_role("heading", level=1)).to_have_text(
        "Fusion de Samira HADAD dans Samira HADDAD"
    )
    admin.get_by_role("button", name="Annuler la fusion").click()
    expect(admin.get_by_role("status")).to_have_text(
        "Fusion annulée : Samira HADAD retrouve sa fiche et 2 lignes."
    )
    expect(admin.locator("#merge-state")).to_contain_text("annulée le")
    expect(admin.get_by_role("button", name="Annuler la fusion")).to_have_count(0)
    nav(admin, "Personnes")
    people = admin.locator("#people")
    expect(people.get_by_role("link", name="Samira HADAD", exact=True)).to_be_visible()
    expect(people.get_by_role("link", name="Samira HADDAD", exact=True)).to_be_visible()
    admin.context.close()
