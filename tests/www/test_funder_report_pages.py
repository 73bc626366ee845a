"""The funder report asked from a site's dashboard: the form per role, bad requests refused
with a message and no task, a good one built in the background and downloaded as a PDF."""

import pytest
from django.contrib.messages import get_messages

from tests.reports.test_indicators import candidacy, past_cohort  # noqa: F401 (fixture)
from tremplin.core.models import TaskProgress

pytestmark = pytest.mark.django_db


def url(world):
    return f"/tableau-de-bord/sites/{world.site.pk}/rapport/"


def messages_of(response):
    return [str(m) for m in get_messages(response.wsgi_request)]


@pytest.mark.parametrize("role", ["funder", "coordinator", "network_admin"])
def test_the_dashboard_offers_the_report(client_for, world, role):
    html = client_for(role).get(f"/tableau-de-bord/sites/{world.site.pk}/").content.decode()
    assert 'id="funder-report-form"' in html
    assert world.past.name in html
    # A funder chooses among the cohorts it funds only.
    assert (world.upcoming.name in html) == (role != "funder")


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({}, "Choisissez une promotion, ou une période"),
        ({"start": "2026-06-01", "end": "2026-01-01"}, "La fin de la période précède son début."),
        ({"cohort": "UPCOMING"}, "pas dans le périmètre de votre rapport"),
        ({"cohort": "OTHER"}, "pas dans le périmètre de votre rapport"),
        ({"start": "pas une date", "end": "2026-01-01"}, "Saisissez une date valide"),
    ],
)
def test_bad_requests_start_no_task(client_for, world, data, message):
    ids = {"UPCOMING": world.upcoming.pk, "OTHER": world.other_cohort.pk}
    data = {key: ids.get(value, value) for key, value in data.items()}
    response = client_for("funder").post(url(world), data)
    assert response["Location"].endswith(f"/tableau-de-bord/sites/{world.site.pk}/#funder-report")
    assert any(message in m for m in messages_of(response)), messages_of(response)
    assert not TaskProgress.objects.exists()


@pytest.mark.parametrize("role", ["outsider_coordinator", "trainer", "prescriber", "learner"])
def test_others_do_not_find_the_site(client_for, world, role):
    response = client_for(role).post(url(world), {"cohort": world.past.pk})
    assert response.status_code == 404
    assert not TaskProgress.objects.exists()


def test_the_funder_gets_its_pdf(
    client_for,
    world,
    past_cohort,  # noqa: F811
    django_capture_on_commit_callbacks,
):
    client = client_for("funder")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url(world), {"start": "2025-01-01", "end": "2026-11-30"})
    progress = TaskProgress.objects.get()
    assert response["Location"] == f"/taches/{progress.pk}/"
    assert progress.status == TaskProgress.Status.DONE, progress.message
    assert progress.owner == world.user("funder") and progress.kind == "funder_report"
    html = client.get(f"/taches/{progress.pk}/").content.decode()
    assert "Télécharger rapport-financeur-site-" in html
    pdf = client.get(f"/taches/{progress.pk}/resultat/")
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")


def test_a_funding_removed_before_the_task_runs_fails_it_with_the_reason(
    client_for, world, django_capture_on_commit_callbacks
):
    client = client_for("funder")
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        client.post(url(world), {"cohort": world.past.pk})
    world.past.fundings.all().delete()
    for callback in callbacks:
        callback()
    progress = TaskProgress.objects.get()
    assert progress.status == TaskProgress.Status.FAILED
    assert "pas dans le périmètre" in progress.message
