"""The public « Nos résultats » pages (Qualiopi indicateur 2): open to everyone, the four
figures with their date, population and definition, small cells hidden for everyone, « pas de
données » for an empty period, never a name."""

import datetime
import re

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests import factories
from tests.auth import log_in
from tests.reports.test_indicators import enrolment, follow, survey
from tests.www.test_access_matrix import ROLES
from tremplin.cohorts.models import JuryResult
from tremplin.cohorts.services import JuryEntry, jury_record
from tremplin.programmes.models import Certification

pytestmark = pytest.mark.django_db

D = datetime.date
FIGURES = ("satisfied", "success", "employed", "dropped_out")


@pytest.fixture(autouse=True)
def _empty_cache():
    # The figures of a period are cached; each test builds its own.
    cache.clear()
    yield
    cache.clear()


SPRING = D(2026, 1, 5)


def learners(world, name, size, start=SPRING, site=None):
    """A Marseille cohort (ended 7 May 2026) of ``size`` learners who left on its last day:
    all completed but the last, who dropped out; the first half in a CDI at 6 months; every
    one surveyed, the first half satisfied; the jury certified every one who completed."""
    cohort = factories.cohort(world.programme, site or world.site, name, start)
    people = []
    for i in range(size):
        status, reason = ("dropped_out", "health") if i == size - 1 else ("completed", "")
        e = enrolment(
            cohort, status, cohort.end_date, reason, first_name="Zéphyrine", last_name=f"Q{i}uidam"
        )
        if i < size // 2:
            follow(world, e, "m6", "cdi", D(2026, 11, 10))
            survey(e, 5, 4)
        else:
            survey(e, 2, 2)
        people.append(e)
    certification = Certification.objects.filter(tracks__programme=world.programme).first()
    jury_record(
        by=world.user("coordinator"),
        cohort=cohort,
        decided_on=cohort.end_date,
        entries=[
            JuryEntry(e, certification, frozenset(certification.blocks.all()))
            for e in people
            if e.status == "completed"
        ],
    )
    return cohort, people


def get(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def card(html, key):
    match = re.search(rf'<div class="card h-100" data-figure="{key}">(.*?)</details>', html, re.S)
    assert match, key
    return match.group(1)


def cell(html, row_attr, key):
    row = re.search(rf"<tr {row_attr}>(.*?)</tr>", html, re.S)
    assert row, row_attr
    match = re.search(rf'<td data-figure="{key}">(.*?)</td>', row.group(1), re.S)
    assert match, key
    return match.group(1)


@pytest.mark.parametrize("role", ROLES)
def test_everyone_sees_the_results(client, world, role):
    learners(world, "Promo printemps", 6)
    if role != "anonymous":
        log_in(client, world.user(role))
    network = get(client, "/resultats/")
    site = get(client, f"/resultats/{world.site.pk}/")
    for html in (network, site):
        assert "Nos résultats" in html
        assert "83 %" in card(html, "success")  # 5 of 6
    assert "Promo printemps" in site


def test_the_footer_links_to_the_results(client, world):
    html = get(client, f"/resultats/{world.site.pk}/")
    assert '<a href="/resultats/">Nos résultats</a>' in html
    login = client.get("/", follow=True).content.decode()  # the login page
    assert '<a href="/resultats/">Nos résultats</a>' in login


def test_figures_come_with_date_population_definition(client, world):
    learners(world, "Promo printemps", 6)
    html = get(client, f"/resultats/{world.site.pk}/")
    satisfied = card(html, "satisfied")
    assert "50 %" in satisfied and "3 personnes sur 6" in satisfied
    assert "Calculé le 30 novembre 2026" in satisfied and "porte sur 6 personnes" in satisfied
    assert "83 %" in card(html, "success") and "5 personnes sur 6" in card(html, "success")
    assert "50 %" in card(html, "employed") and "3 personnes sur 6" in card(html, "employed")
    assert "17 %" in card(html, "dropped_out") and "1 personne sur 6" in card(html, "dropped_out")
    assert "<summary>Définition</summary>" in satisfied
    # The period, the cohorts and their size.
    assert "sur 2 promotions terminées entre le 1 décembre 2025 et le 30 novembre 2026" in html
    assert re.search(r'data-figure="size">Personnes entrées en formation : 6\.', html)
    assert "du 5 janvier 2026 au 7 mai 2026" in html
    assert "<td data-size>6</td>" in html


def test_chart_comes_with_its_table(client, world):
    learners(world, "Promo printemps", 6)
    html = get(client, "/resultats/")
    assert '<svg class="results-chart"' in html and 'id="figures-table"' in html
    assert "Taux de réussite à la certification 83 %" in html  # the chart's title
    assert "cdn" not in html.lower()


def test_three_learners_are_hidden_six_are_shown(client, world):
    _cohort, few = learners(world, "Promo de trois", 3)
    for url in ("/resultats/", f"/resultats/{world.site.pk}/"):
        html = get(client, url)
        for key in FIGURES:
            assert "moins de 5 personnes" in card(html, key), key
            assert not re.search(r"\d %", card(html, key)), key
        assert "sur 3" not in html and "porte sur 3" not in html
        assert '<svg class="results-chart"' not in html  # nothing to draw
    site = get(client, f"/resultats/{world.site.pk}/")
    assert cell(site, f'data-cohort="{_cohort.pk}"', "success").startswith("moins de 5 personnes")
    assert "<td data-size>moins de 5 personnes</td>" in site

    cache.clear()
    learners(world, "Promo de six", 6, start=D(2026, 2, 2))
    site = get(client, f"/resultats/{world.site.pk}/")
    # Six: shown; three: still hidden; the site total (9) shown, so the six are masked too,
    # or the three could be worked out by subtraction.
    small_row = f'data-cohort="{_cohort.pk}"'
    assert cell(site, small_row, "success").startswith("moins de 5 personnes")
    six = re.search(r'<tr data-cohort="(\d+)"><th scope="row" class="fw-normal">Promo de six', site)
    assert six
    assert cell(site, f'data-cohort="{six.group(1)}"', "success").startswith("masqué")
    assert "78 %" in card(site, "success")  # 7 of 9
    assert "7 personnes sur 9" in card(site, "success")


def test_a_small_site_is_not_revealed_by_the_network_total(client, world):
    lyon, _few = learners(world, "Promo Lyon printemps", 3, site=world.other_site)
    marseille, _people = learners(world, "Promo de six", 6)
    network = get(client, "/resultats/")
    assert cell(network, f'data-site="{world.other_site.pk}"', "success") == "moins de 5 personnes"
    # The network total (9) is shown: Marseille's 6 are masked, or 9 − 6 would give Lyon.
    assert cell(network, f'data-site="{world.site.pk}"', "success") == "masqué"
    assert "7 personnes sur 9" in card(network, "success")
    # Marseille's own page hides the same figure, and its one cohort, which would equal it.
    site = get(client, f"/resultats/{world.site.pk}/")
    assert "masqué" in card(site, "success") and "5 personnes sur 6" not in site
    assert cell(site, f'data-cohort="{marseille.pk}"', "success") == "masqué"
    assert lyon.name not in site


def test_six_learners_alone_are_shown(client, world):
    cohort, _people = learners(world, "Promo de six", 6)
    site = get(client, f"/resultats/{world.site.pk}/")
    assert "5 personnes sur 6" in cell(site, f'data-cohort="{cohort.pk}"', "success")
    assert "moins de 5 personnes" not in site.split('id="cohorts"')[1]


def test_no_data_says_so_never_zero(client, world):
    for url in (
        "/resultats/",
        f"/resultats/{world.site.pk}/",
        f"/resultats/{world.other_site.pk}/",
    ):
        html = get(client, url)
        for key in FIGURES:
            assert "pas de données" in card(html, key), key
        assert "0 %" not in html
    # Learners still in training: no result yet.
    cohort = factories.cohort(world.programme, world.site, "Promo courte", D(2026, 1, 5))
    enrolment(cohort, "in_training", None)
    cache.clear()
    html = get(client, "/resultats/")
    assert "pas de données" in card(html, "success") and "0 %" not in html


def test_no_name_in_the_pages(client, world):
    _cohort, people = learners(world, "Promo printemps", 6)
    for url in ("/resultats/", f"/resultats/{world.site.pk}/"):
        html = get(client, url)
        for e in people:
            person = e.candidacy.person
            assert person.last_name not in html and person.first_name not in html
            assert person.email not in html


def test_a_year_can_be_chosen(client, world):
    learners(world, "Promo printemps", 6)
    html = get(client, "/resultats/?annee=2026")
    assert "entre le 1 janvier 2026 et le 30 novembre 2026" in html
    assert '<option value="2026" selected>en 2026</option>' in html
    assert "83 %" in card(html, "success")
    site = get(client, f"/resultats/{world.site.pk}/?annee=2026")
    assert "Promo printemps" in site


@pytest.mark.parametrize("year", ["2031", "deux-mille", "1999"])
def test_a_bad_year_shows_a_message_and_the_default_period(client, world, year):
    learners(world, "Promo printemps", 6)
    html = get(client, f"/resultats/?annee={year}")
    assert 'id="period-error"' in html and "les 12 derniers mois sont affichés" in html
    assert "entre le 1 décembre 2025 et le 30 novembre 2026" in html


def test_unknown_site_is_404(client, world):
    assert client.get("/resultats/999999/").status_code == 404


def test_queries_do_not_grow_with_cohorts_and_pages_are_cacheable(client, world):
    learners(world, "Promo A", 6)
    with CaptureQueriesContext(connection) as first:
        get(client, "/resultats/")
    cache.clear()
    learners(world, "Promo B", 6, start=D(2026, 2, 2))
    learners(world, "Promo C", 6, start=D(2026, 3, 2))
    with CaptureQueriesContext(connection) as second:
        response = client.get("/resultats/")
    assert len(second) == len(first)
    assert "max-age=300" in response["Cache-Control"]
    # Cached: the next visitor costs only the year selector's query.
    with CaptureQueriesContext(connection) as cached:
        get(client, "/resultats/")
    assert len(cached) < len(second)


def test_success_waits_for_the_jury(client, world):
    _cohort, _people = learners(world, "Promo sans jury", 6)
    JuryResult.objects.all().delete()
    html = get(client, f"/resultats/{world.site.pk}/")
    assert "pas de données" in card(html, "success")
    assert "83 %" in card(html, "dropped_out") or "17 %" in card(html, "dropped_out")
