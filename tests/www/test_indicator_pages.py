"""The indicators on the site dashboard and the network comparison, per role: numbers for
coordinators and network admins, the small-cell rule for funders, filters, charts with tables."""

import re

import pytest

from tests.reports.test_indicators import candidacy, past_cohort  # noqa: F401 (fixture)
from tremplin.cohorts.models import CohortFunding
from tremplin.organisations.models import Site

pytestmark = pytest.mark.django_db


def page(client, world, query=""):
    response = client.get(f"/tableau-de-bord/sites/{world.site.pk}/{query}")
    assert response.status_code == 200
    return response.content.decode()


def row(html, key):
    match = re.search(rf'<tr data-indicator="{key}">(.*?)</tr>', html, re.S)
    assert match, key
    return match.group(1)


def test_coordinator_sees_the_numbers(client_for, world, past_cohort):  # noqa: F811
    html = page(client_for("coordinator"), world)
    assert "88 %" in row(html, "acceptance") and "7 / 8" in row(html, "acceptance")
    assert "1 / 6" in row(html, "employment_exit")
    assert "1 / 2" in row(html, "satisfied")
    assert "89 jours" in row(html, "median_days")
    assert "pas de données" in row(html, "retention")
    # The past cohort's 60,000 € funding among its six entrants, and its one positive outcome.
    assert "10\u202f000 €" in row(html, "cost_per_learner")
    assert "60\u202f000 € / 6 personnes" in row(html, "cost_per_learner")
    assert "60\u202f000 € / 1 personne<" in row(html, "cost_per_outcome")
    assert "<details><summary>Définition</summary>" in row(html, "acceptance")
    assert "moins de 5 personnes" not in html


def test_funder_sees_small_cells_hidden_and_no_names(client_for, world, past_cohort):  # noqa: F811
    html = page(client_for("funder"), world)
    # About 8 and 6 people: shown.
    assert "7 / 8" in row(html, "acceptance")
    assert "1 / 6" in row(html, "employment_exit")
    # A cost shared among six is shown, the cost of the one positive outcome is not.
    assert "10\u202f000 €" in row(html, "cost_per_learner")
    outcome_cost = row(html, "cost_per_outcome")
    assert "moins de 5 personnes" in outcome_cost and "60\u202f000" not in outcome_cost
    # Two respondents: hidden, never the number.
    satisfied = row(html, "satisfied")
    assert "moins de 5 personnes" in satisfied and "1 / 2" not in satisfied
    # 5 of 6 on RSA tells about the sixth: hidden.
    public = re.search(
        r'<table class="table table-sm w-auto" id="public-table">(.*?)</table>', html, re.S
    )
    assert public and "5 / 6" not in public.group(1) and "moins de 5 personnes" in public.group(1)
    # The curve's later steps have fewer than 5 people at risk.
    km = re.search(r'id="km-table">(.*?)</table>', html, re.S)
    assert km and "moins de 5 personnes" in km.group(1)
    for enrolment in past_cohort.values():
        person = enrolment.candidacy.person
        assert person.last_name not in html and person.first_name not in html


def test_charts_come_with_their_tables(client_for, world, past_cohort):  # noqa: F811
    html = page(client_for("coordinator"), world)
    assert '<svg class="km-chart"' in html and 'id="km-table"' in html
    assert "<td>4</td><td>1</td><td>75 %</td>" in html  # day 1: 4 at risk, 1 hired
    assert '<svg class="public-chart"' in html and 'id="public-table"' in html
    assert '<svg class="funnel-chart"' in html and 'id="funnel-table"' in html
    assert "cdn" not in html.lower()


def test_a_period_with_no_data_says_so(client_for, world, past_cohort):  # noqa: F811
    html = page(client_for("coordinator"), world, "?start_from=2030-01-01")
    for key in ("acceptance", "completed", "employment_m6", "positive_outcomes", "satisfied"):
        assert "pas de données" in row(html, key), key
        assert "0 %" not in row(html, key), key
    assert 'data-empty="time-to-job"' in html


def test_filters_narrow_the_indicators(client_for, world, past_cohort):  # noqa: F811
    candidacy(world.running, "refused")
    client = client_for("coordinator")
    assert "<td data-value>11</td>" in row(page(client, world), "referred")
    html = page(client, world, "?start_from=2025-11-01&start_to=2025-12-31")
    assert "<td data-value>10</td>" in row(html, "referred")
    assert 'value="2025-11-01"' in html


@pytest.mark.parametrize(
    "query", ["?start_from=pas-une-date", "?start_from=2026-01-01&start_to=2025-01-01"]
)
def test_bad_filters_show_a_message_and_all_data(client_for, world, past_cohort, query):  # noqa: F811
    html = page(client_for("coordinator"), world, query)
    assert "Filtres non valides, toutes les données sont affichées." in html
    assert "7 / 8" in row(html, "acceptance")


def comparison(html, site):
    match = re.search(rf'<tr data-site="{site.pk}">(.*?)</tr>', html, re.S)
    assert match, site
    return match.group(1)


def test_network_admin_compares_sites_with_denominators(client_for, world, past_cohort):  # noqa: F811
    candidacy(world.other_cohort, "refused")
    html = client_for("network_admin").get("/tableau-de-bord/").content.decode()
    assert 'id="comparison-table"' in html
    assert html.count('id="comparison-table"') == 1  # once, in the page, not in its <title>
    marseille = comparison(html, world.site)
    assert "88 %" in marseille and "(7 / 8)" in marseille and "(1 / 6)" in marseille
    assert "0 %" in comparison(html, world.other_site)


def test_funder_comparison_hides_small_cells(client_for, world, past_cohort):  # noqa: F811
    candidacy(world.other_cohort, "refused")
    # Funding a Lyon cohort too, the funder compares the two sites.
    CohortFunding.objects.create(cohort=world.other_cohort, funder=world.funder, amount=1000)
    html = client_for("funder").get("/tableau-de-bord/").content.decode()
    lyon = comparison(html, world.other_site)
    assert "moins de 5 personnes" in lyon and "0 / 1" not in lyon
    assert "(7 / 8)" in comparison(html, world.site)


def test_network_comparison_filters_sites_and_period(client_for, world, past_cohort):  # noqa: F811
    candidacy(world.other_cohort, "refused")
    client = client_for("network_admin")
    html = client.get(f"/tableau-de-bord/?sites={world.other_site.pk}").content.decode()
    assert f'data-site="{world.other_site.pk}"' in html
    assert f'data-site="{world.site.pk}"' not in html
    # The past cohort started a year ago: a period from last month keeps none of it.
    html = client.get("/tableau-de-bord/?start_from=2026-11-01").content.decode()
    marseille = comparison(html, world.site)
    assert "(7 / 8)" not in marseille and "pas de données" in marseille
    assert "Tout afficher" in html


def test_network_comparison_bad_filters_say_so(client_for, world, past_cohort):  # noqa: F811
    client = client_for("network_admin")
    response = client.get("/tableau-de-bord/?start_from=2026-12-01&start_to=2026-01-01")
    html = response.content.decode()
    assert "Filtres non valides" in html
    assert "(7 / 8)" in comparison(html, world.site)  # all data shown


def test_funder_cannot_pick_a_site_it_does_not_fund(client_for, world, past_cohort):  # noqa: F811
    CohortFunding.objects.create(cohort=world.other_cohort, funder=world.funder, amount=1000)
    unfunded = Site.objects.create(network=world.network, name="Site de Lille", commune="Lille")
    html = client_for("funder").get(f"/tableau-de-bord/?sites={unfunded.pk}").content.decode()
    assert "Filtres non valides" in html
    assert "Lille" not in html
    assert f'data-site="{world.site.pk}"' in html and f'data-site="{world.other_site.pk}"' in html


def test_funder_curve_stops_before_few_people_at_risk(client_for, world, past_cohort):  # noqa: F811
    # Six left; every step has fewer than 5 people at risk: staff see the drops, a funder a
    # flat line (a drop among four would tell how many were hired).
    path = re.compile(r'<path d="([^"]*)" fill="none"')
    staff = path.search(page(client_for("coordinator"), world)).group(1)
    funder = path.search(page(client_for("funder"), world)).group(1)
    assert staff.count("V") == 3
    assert "V" not in funder
