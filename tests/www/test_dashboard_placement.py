"""The site dashboard's « Placement » section: proposals by status, hires, unanswered ones."""

import datetime
from decimal import Decimal

import pytest
import time_machine

from tests import factories
from tremplin.employers.services import proposal_transition
from tremplin.reports.selectors import site_placement

pytestmark = pytest.mark.django_db


@pytest.fixture
def placement(world):
    """Three learners of the Marseille site proposed: one hired, one proposed 40 days ago and
    never answered, one in interview; a Lyon learner proposed too (another site)."""
    opening = factories.opening(world, positions=3)
    hired = factories.enrolled(world, world.running, first_name="Inès", last_name="Benali")
    waiting = factories.enrolled(world, world.running, first_name="Karim", last_name="Ouali")
    interviewed = factories.enrolled(world, world.past, first_name="Léa", last_name="Martin")
    lyon = factories.enrolled(world, world.other_cohort, first_name="Hugo", last_name="Petit")
    employer = world.user("employer")
    proposal_transition(
        proposal=factories.proposal(world, opening, hired),
        transition="hire",
        by=employer,
        contract_type="cdi",
        start_date=datetime.date(2026, 12, 7),
        weekly_hours=Decimal("35"),
    )
    with time_machine.travel(datetime.datetime(2026, 10, 21, 10, tzinfo=datetime.UTC)):
        factories.proposal(world, opening, waiting)
    proposal_transition(
        proposal=factories.proposal(world, opening, interviewed),
        transition="interview",
        by=employer,
    )
    factories.proposal(world, opening, lyon)
    return opening


def test_site_placement_counts(world, placement):
    figures = site_placement(world.site)
    assert {s.status: s.count for s in figures.by_status} == {
        "proposed": 1,
        "seen": 0,
        "interview": 1,
        "immersion": 0,
        "hired": 1,
        "not_retained": 0,
        "withdrawn": 0,
    }
    assert figures.total == 3
    assert figures.hires == 1
    assert dict(figures.hires_per_cohort) == {
        "Promo passée": 0,
        "Promo en cours": 1,
        "Promo à venir": 0,
    }
    assert figures.unanswered == 1
    assert site_placement(world.other_site).total == 1


def test_dashboard_shows_the_hire_with_chart_and_table(client_for, world, placement):
    html = (
        client_for("coordinator").get(f"/tableau-de-bord/sites/{world.site.pk}/").content.decode()
    )
    assert 'id="h-placement"' in html
    assert '<svg class="placement-chart" role="img"' in html
    assert 'data-status="hired">1<' in html
    assert 'data-status="interview">1<' in html
    assert "1 embauche" in html
    assert "1 proposition sans réponse depuis plus de 30 jours" in html
    assert "Embauche 1" in html  # the chart's accessible title carries the figures


def test_funder_sees_no_placement_counts_nor_names(client_for, world, placement):
    response = client_for("funder").get(f"/tableau-de-bord/sites/{world.site.pk}/")
    assert response.status_code == 200
    html = response.content.decode()
    # Raw counts per status and per cohort, small ones included, are for staff only.
    assert 'id="placement-summary"' not in html and 'data-status="hired"' not in html
    assert 'id="funder-scope"' in html
    for name in ("Benali", "BENALI", "Ouali", "OUALI", "Martin", "MARTIN", "Inès", "Karim"):
        assert name not in html
    assert placement.title not in html  # nor which opening
