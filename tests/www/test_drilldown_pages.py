"""Drill-down from a dashboard figure to the people it counts: the people listed add up to the
dashboard's figure, for every drillable indicator; names for staff only."""

import pytest

from tests.reports.test_indicators import candidacy, past_cohort  # noqa: F401 (fixture)
from tremplin.reports.drilldown import DRILLABLE, drill_down
from tremplin.reports.selectors import IndicatorFilters, site_indicators

pytestmark = pytest.mark.django_db


def url(world, key, query=""):
    return f"/tableau-de-bord/sites/{world.site.pk}/personnes/{key}/{query}"


@pytest.mark.parametrize("key", sorted(DRILLABLE))
def test_the_people_listed_add_up_to_the_dashboard_figure(world, past_cohort, key):  # noqa: F811
    found = drill_down(world.site, key)
    dashboard = DRILLABLE[key](site_indicators(world.site))
    assert (found.figure.numerator, found.figure.denominator) == (
        dashboard.numerator,
        dashboard.denominator,
    )
    assert len(found.people) == dashboard.denominator
    assert sum(line.in_numerator for line in found.people) == dashboard.numerator


def test_filters_apply_to_the_people_too(world, past_cohort):  # noqa: F811
    candidacy(world.running, "refused")
    everyone = drill_down(world.site, "acceptance")
    past_only = drill_down(
        world.site, "acceptance", IndicatorFilters(start_to=world.past.start_date)
    )
    assert len(everyone.people) == len(past_only.people) + 1


def test_coordinator_sees_who_is_counted(client_for, world, past_cohort):  # noqa: F811
    html = client_for("coordinator").get(url(world, "employment_m3")).content.decode()
    assert "3 / 6" in html  # e1 cdi, e2 interim, the drop-out's cdi at 3 months
    e1 = past_cohort["e1"]
    row = html.split(f'data-person="{e1.candidacy.person.pk}"')[1].split("</tr>")[0]
    assert "oui" in row and e1.candidacy.person.last_name.upper() in row.upper()
    excluded = past_cohort["excluded"].candidacy.person
    row = html.split(f'data-person="{excluded.pk}"')[1].split("</tr>")[0]
    assert "non" in row


def test_dashboard_links_each_figure_to_its_people(client_for, world, past_cohort):  # noqa: F811
    html = client_for("coordinator").get(f"/tableau-de-bord/sites/{world.site.pk}/").content
    assert url(world, "employment_m6").encode() in html


def test_funders_see_no_links_and_may_not_open_them(client_for, world, past_cohort):  # noqa: F811
    client = client_for("funder")
    html = client.get(f"/tableau-de-bord/sites/{world.site.pk}/").content.decode()
    assert "/personnes/" not in html
    assert client.get(url(world, "employment_m6")).status_code == 403


@pytest.mark.parametrize(
    ("role", "status"), [("outsider_coordinator", 404), ("trainer", 404), ("prescriber", 404)]
)
def test_others_may_not_open_them(client_for, world, past_cohort, role, status):  # noqa: F811
    assert client_for(role).get(url(world, "completed")).status_code == status


def test_an_unknown_indicator_is_not_found(client_for, world):
    assert client_for("coordinator").get(url(world, "nothing")).status_code == 404
