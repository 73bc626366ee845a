"""A cohort's fundings on its page: listed with the budget for the site's managers, added,
corrected and removed through the services; trainers and funders never see the amounts."""

from decimal import Decimal

import pytest
from django.contrib.messages import get_messages

from tests import factories
from tremplin.cohorts.models import CohortFunding
from tremplin.core.models import AuditEntry
from tremplin.organisations.enums import OrganisationKind
from tremplin.www.cohorts.forms import parse_euros

pytestmark = pytest.mark.django_db


def url(cohort):
    return f"/promotions/{cohort.pk}/financements/"


def messages_of(response):
    return [str(m) for m in get_messages(response.wsgi_request)]


@pytest.mark.parametrize("role", ["coordinator", "network_admin"])
def test_managers_see_the_fundings_and_the_budget(client_for, world, role):
    html = client_for(role).get(f"/promotions/{world.running.pk}/").content.decode()
    assert 'id="financements"' in html
    assert "Banque des Territoires" in html
    assert "60\xa0000,00 €" in html  # the list and the total (French grouping)
    assert 'id="funding-form"' in html


def test_trainers_see_the_cohort_but_not_its_money(client_for, world):
    html = client_for("trainer").get(f"/promotions/{world.running.pk}/").content.decode()
    assert world.running.name in html
    assert "financements" not in html
    assert "60\xa0000" not in html


@pytest.mark.parametrize("role", ["trainer"])
def test_trainers_cannot_write_fundings(client_for, world, role):
    funding = world.running.fundings.get()
    client = client_for(role)
    response = client.post(url(world.running), {"funder": world.funder.pk, "amount": "1"})
    assert response.status_code == 403
    remove = f"{url(world.running)}{funding.pk}/retirer/"
    assert client.post(remove).status_code == 403
    assert world.running.fundings.get().amount == Decimal("60000")


@pytest.mark.parametrize("role", ["funder", "outsider_coordinator", "prescriber", "learner"])
def test_others_do_not_find_the_cohort(client_for, world, role):
    funding = world.running.fundings.get()
    client = client_for(role)
    assert (
        client.post(url(world.running), {"funder": world.funder.pk, "amount": "1"}).status_code
        == 404
    )
    assert client.post(f"{url(world.running)}{funding.pk}/retirer/").status_code == 404
    assert CohortFunding.objects.filter(pk=funding.pk, amount=Decimal("60000")).exists()


def test_coordinator_adds_a_funding_with_a_french_amount(client_for, world):
    region = factories.org(OrganisationKind.FUNDER, "Région Sud")
    client = client_for("coordinator")
    response = client.post(
        url(world.running),
        {"funder": region.pk, "amount": "12 500,50 €", "reference": " CONV-2026-12 "},
    )
    assert response["Location"] == f"/promotions/{world.running.pk}/#financements"
    funding = CohortFunding.objects.get(cohort=world.running, funder=region)
    assert funding.amount == Decimal("12500.50")
    assert funding.reference == "CONV-2026-12"
    assert AuditEntry.objects.filter(action="cohort.funding_add").exists()
    html = client.get(f"/promotions/{world.running.pk}/").content.decode()
    assert "72\xa0500,50 €" in html  # the budget: 60 000 + 12 500,50


def test_choosing_a_listed_funder_corrects_its_amount(client_for, world):
    client = client_for("network_admin")
    client.post(url(world.running), {"funder": world.funder.pk, "amount": "55000"})
    funding = world.running.fundings.get()
    assert funding.amount == Decimal("55000")
    assert AuditEntry.objects.filter(action="cohort.funding_change").exists()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"amount": "100"}, "Choisissez un financeur."),
        ({"funder": "FUNDER", "amount": ""}, "Saisissez le montant."),
        ({"funder": "FUNDER", "amount": "-5"}, "Le montant ne peut être négatif."),
        ({"funder": "FUNDER", "amount": "douze"}, "Saisissez un montant en euros"),
        ({"funder": "FUNDER", "amount": "10,505"}, "au plus deux décimales"),
        ({"funder": "FUNDER", "amount": "1e12"}, "trop élevé"),
        ({"funder": "EMPLOYER", "amount": "100"}, "Sélectionnez un choix valide"),
    ],
)
def test_bad_input_is_refused_with_a_french_message(client_for, world, data, message):
    ids = {"FUNDER": world.funder.pk, "EMPLOYER": world.employer.pk}
    data = {key: ids.get(value, value) for key, value in data.items()}
    response = client_for("coordinator").post(url(world.running), data)
    assert response["Location"].endswith("#financements")
    assert any(message in m for m in messages_of(response)), messages_of(response)
    assert world.running.fundings.get().amount == Decimal("60000")


def test_coordinator_removes_a_funding(client_for, world):
    funding = world.running.fundings.get()
    client = client_for("coordinator")
    response = client.post(f"{url(world.running)}{funding.pk}/retirer/")
    assert response.status_code == 302
    assert not world.running.fundings.exists()
    assert AuditEntry.objects.filter(action="cohort.funding_remove").exists()
    assert "Aucun financement" in client.get(f"/promotions/{world.running.pk}/").content.decode()


def test_a_funding_of_another_cohort_is_not_found_through_this_one(client_for, world):
    other = world.past.fundings.get()
    response = client_for("coordinator").post(f"{url(world.running)}{other.pk}/retirer/")
    assert response.status_code == 404
    assert CohortFunding.objects.filter(pk=other.pk).exists()


@pytest.mark.parametrize(
    ("text", "amount"),
    [("60000", "60000.00"), ("12 500,5", "12500.50"), ("0", "0.00"), ("1\xa0000 €", "1000.00")],
)
def test_parse_euros(text, amount):
    assert parse_euros(text) == Decimal(amount)
