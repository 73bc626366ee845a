"""The site dashboard: figures from the data, chart with its table, CSV export in the background."""

import datetime

import pytest

from tests import factories
from tremplin.cohorts.services import enrolment_end
from tremplin.core.models import TaskProgress
from tremplin.outcomes.services import follow_up_record
from tremplin.reports.selectors import site_funnels

pytestmark = pytest.mark.django_db


@pytest.fixture
def placed(world):
    """Four people referred; three enrolled in the running cohort; one employed at 6 months."""
    factories.referral(world)
    coordinator = world.user("coordinator")
    graduates = [factories.enrolled(world, target=world.past) for _ in range(3)]
    for enrolment in graduates[:2]:
        enrolment_end(
            enrolment=enrolment,
            outcome="complete",
            by=coordinator,
            on_date=datetime.date(2026, 5, 29),
        )
    follow_up_record(
        enrolment=graduates[0],
        milestone="m6",
        situation="cdi",
        recorded_on=datetime.date(2026, 11, 30),
        by=coordinator,
        employer_name="Free Pro",
    )
    follow_up_record(
        enrolment=graduates[1],
        milestone="m6",
        situation="job_seeking",
        recorded_on=datetime.date(2026, 11, 30),
        by=coordinator,
    )
    return graduates


def test_site_funnel_counts(world, placed):
    per_cohort, total = site_funnels(world.site)
    assert [s.count for s in total.stages] == [4, 3, 3, 2, 1]
    assert {f.group for f in per_cohort} == {"Promo à venir", "Promo passée"}


def test_dashboard_shows_chart_and_table(client_for, world, placed):
    response = client_for("coordinator").get(f"/tableau-de-bord/sites/{world.site.pk}/")
    html = response.content.decode()
    assert response.status_code == 200
    assert '<svg class="funnel-chart" role="img"' in html
    assert 'data-stage="employed_6m">1' in html
    assert "Orientés 4" in html  # the chart's accessible title carries the figures


def test_funder_sees_figures_and_no_names(client_for, world, placed):
    response = client_for("funder").get(f"/tableau-de-bord/sites/{world.site.pk}/")
    assert response.status_code == 200
    for enrolment in placed:
        assert enrolment.candidacy.person.last_name.upper() not in response.content.decode()


def test_export_runs_as_background_task_with_progress(
    client_for, world, placed, django_capture_on_commit_callbacks
):
    client = client_for("coordinator")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/tableau-de-bord/sites/{world.site.pk}/export/")
    progress = TaskProgress.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/taches/{progress.pk}/"
    # Enqueued on commit; the test task backend runs it at once.
    progress.refresh_from_db()
    assert progress.status == TaskProgress.Status.DONE
    assert progress.percent == 100
    page = client.get(f"/taches/{progress.pk}/", headers={"HX-Request": "true"})
    assert b"hx-get" not in page.content  # finished: the bar stops polling
    assert b"indicateurs-" in page.content
    assert "2 promotions exportées" in page.content.decode()
    csv_lines = client.get(f"/taches/{progress.pk}/resultat/").content.decode().splitlines()
    assert csv_lines[0].startswith("promotion;Orientés")
    assert csv_lines[-1] == "Total du site;4;3;3;2;1"


def test_running_task_page_polls(client_for, world):
    coordinator = world.user("coordinator")
    progress = TaskProgress.objects.create(
        owner=coordinator,
        kind="x",
        label="Export",
        total=4,
        done=1,
        status=TaskProgress.Status.RUNNING,
    )
    page = client_for("coordinator").get(f"/taches/{progress.pk}/")
    assert b'hx-get="/taches/' in page.content
    assert b"25 %" in page.content


def test_task_of_another_user_is_not_found(client_for, world):
    progress = TaskProgress.objects.create(
        owner=world.user("network_admin"), kind="x", label="Export"
    )
    assert client_for("coordinator").get(f"/taches/{progress.pk}/").status_code == 404
