"""The optimal placement pages: the cohort page's button, a run's progress then its placement
with reasons, re-running with locked and forbidden pairs, proposing; and who may do what.

The site's coordinator (and the network's admin) start, see and propose runs; another site's
coordinator gets 404; trainers, employers, prescribers, funders and learners get 403.
"""

from typing import Any

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from tests.employers.test_match_runs import (
    MARSEILLE_14,
    MARSEILLE_15,
    VITROLLES,
    competencies,
    learner,
    opening,
)
from tremplin.employers.match_runs import match_start
from tremplin.employers.models import MatchRun, Proposal
from tremplin.employers.tasks import match_cohort

pytestmark = pytest.mark.django_db

FORBIDDEN_ROLES = ("trainer", "employer", "prescriber", "funder", "learner")


@pytest.fixture
def scene(world: Any) -> Any:
    """Two located fibre graduates, one never located, and two openings."""
    skills = competencies(3)
    ana = learner(world, acquired=skills, first_name="Ana", last_name="Martin")
    bilal = learner(world, at=MARSEILLE_15, acquired=skills, first_name="Bilal", last_name="Haddad")
    nadia = learner(world, at=None, acquired=skills, first_name="Nadia", last_name="Sans")
    near = opening(world, "Raccordeur 14e", at=MARSEILLE_14, required=skills[:2])
    far = opening(world, "Raccordeur Vitrolles", at=VITROLLES, required=skills[:2])
    return ana, bilal, nadia, near, far


def start(client: Any, world: Any, capture: Any, data: dict[str, Any] | None = None) -> Any:
    with capture(execute=True):
        return client.post(reverse("match_start", args=[world.running.pk]), data or {})


def finished_run(world: Any, capture: Any) -> MatchRun:
    with capture(execute=True):
        run = match_start(
            by=world.user("coordinator"),
            cohort=world.running,
            enqueue=lambda progress_id, run_id: match_cohort.enqueue(progress_id, run_id),
        )
    run.refresh_from_db()
    return run


def flashed(response: Any) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def test_cohort_page_offers_placement_to_managers_only(client_for, world):
    url = reverse("cohort_detail", args=[world.running.pk])
    page = client_for("coordinator").get(url).content.decode()
    assert "Placement optimal" in page
    assert reverse("match_start", args=[world.running.pk]) in page
    assert "Placement optimal" not in client_for("trainer").get(url).content.decode()


def test_coordinator_starts_reads_and_proposes(
    client_for, world, scene, django_capture_on_commit_callbacks
):
    ana, bilal, nadia, near, far = scene
    client = client_for("coordinator")
    response = start(client, world, django_capture_on_commit_callbacks)
    run = MatchRun.objects.get()
    assert response["Location"] == reverse("match_run", args=[run.pk])
    page = client.get(response["Location"]).content.decode()
    assert 'id="placement-total"' in page and 'id="placement-pairs"' in page
    names = [e.candidacy.person.full_name for e in (ana, bilal)]
    for text in [*names, "Raccordeur 14e", "Raccordeur Vitrolles"]:
        assert text in page
    assert page.count("Pourquoi ?") == 2 and "Meilleure alternative" in page
    assert "Part de chaque critère dans le score" in page  # the explanation's partial
    # The learner never located is listed with the reason, not scored.
    assert nadia.candidacy.person.full_name in page and "domicile non localisé" in page
    assert "Proposer ces 2 placements" in page
    response = client.post(reverse("match_propose", args=[run.pk]), {"note": "Bons profils."})
    assert response["Location"] == reverse("proposal_list")
    assert flashed(response) == ["2 propositions créées à partir du placement optimal."]
    assert set(Proposal.objects.values_list("enrolment_id", "opening_id")) == {
        (e["enrolment"], e["opening"]) for e in run.result["placements"]
    }
    page = client.get(reverse("match_run", args=[run.pk])).content.decode()
    assert 'id="placement-proposed"' in page and "Proposer ces" not in page


def test_the_network_admin_may_read_a_run(
    client_for, world, scene, django_capture_on_commit_callbacks
):
    run = finished_run(world, django_capture_on_commit_callbacks)
    assert client_for("network_admin").get(reverse("match_run", args=[run.pk])).status_code == 200


def test_while_running_the_page_shows_the_bar_and_watches(client_for, world, scene):
    run = match_start(by=world.user("coordinator"), cohort=world.running, enqueue=lambda *_: None)
    client = client_for("coordinator")
    page = client.get(reverse("match_run", args=[run.pk])).content.decode()
    assert 'id="task-progress"' in page and "?suivi=1" in page
    assert "Proposer ces" not in page and "Relancer" not in page
    watch = reverse("match_run", args=[run.pk]) + "?suivi=1"
    assert client.get(watch, headers={"HX-Request": "true"}).status_code == 204
    run.progress.status = "done"
    run.progress.save()
    assert client.get(watch, headers={"HX-Request": "true"})["HX-Refresh"] == "true"


def test_locked_pairs_show_a_badge_and_a_re_run_carries_the_choices(
    client_for, world, scene, django_capture_on_commit_callbacks
):
    ana, bilal, nadia, near, far = scene
    client = client_for("coordinator")
    first = start(
        client,
        world,
        django_capture_on_commit_callbacks,
        {"locked": [f"{ana.pk}:{far.pk}"], "forbidden": [f"{bilal.pk}:{far.pk}"]},
    )
    run = MatchRun.objects.get()
    assert run.locked == [[ana.pk, far.pk]] and run.forbidden == [[bilal.pk, far.pk]]
    page = client.get(first["Location"]).content.decode()
    assert "imposé</span>" in page
    # The lock is ticked on its row, the forbidden pair in the list under the table.
    assert f'value="{ana.pk}:{far.pk}" id="lock-' in page
    assert f'name="forbidden" value="{bilal.pk}:{far.pk}" id="kept-forbid-1" checked' in page
    assert f'name="previous" value="{run.pk}"' in page
    # Posting the form as it stands starts a run with the same choices.
    start(
        client,
        world,
        django_capture_on_commit_callbacks,
        {
            "previous": str(run.pk),
            "locked": [f"{ana.pk}:{far.pk}"],
            "forbidden": [f"{bilal.pk}:{far.pk}"],
        },
    )
    again = MatchRun.objects.exclude(pk=run.pk).get()
    assert again.locked == run.locked and again.forbidden == run.forbidden


def test_an_unplaced_learner_says_so_and_why(client_for, world, django_capture_on_commit_callbacks):
    skills = competencies(2)
    learner(world, acquired=skills)
    learner(world, acquired=skills)
    opening(world, "Seul poste", required=skills)
    run = finished_run(world, django_capture_on_commit_callbacks)
    page = client_for("coordinator").get(reverse("match_run", args=[run.pk])).content.decode()
    assert "sans proposition" in page
    assert "Sa meilleure offre, « Seul poste »" in page
    assert "Proposer ce placement" in page


@pytest.mark.parametrize(
    "data",
    [
        {"locked": "douze:3"},
        {"locked": "12"},
        {"forbidden": "1:2:3"},
        {"forbidden": "1.5:2"},
        {"forbidden": "1_0:2"},
        {"locked": "0:2"},
        {"locked": "99999999999:2"},
        {"locked": ["1:2", "trois:4"]},
    ],
)
def test_unreadable_pairs_get_a_clear_message(client_for, world, scene, data):
    response = client_for("coordinator").post(reverse("match_start", args=[world.running.pk]), data)
    assert response["Location"] == reverse("cohort_detail", args=[world.running.pk])
    assert "Choix illisibles" in flashed(response)[0]
    assert not MatchRun.objects.exists()


def test_refused_choices_go_back_to_the_run_with_the_reason(
    client_for, world, scene, django_capture_on_commit_callbacks
):
    ana, bilal, nadia, near, far = scene
    run = finished_run(world, django_capture_on_commit_callbacks)
    pair = f"{ana.pk}:{near.pk}"
    response = client_for("coordinator").post(
        reverse("match_start", args=[world.running.pk]),
        {"previous": str(run.pk), "locked": pair, "forbidden": pair},
    )
    assert response["Location"] == reverse("match_run", args=[run.pk])
    assert flashed(response) == ["Un même couple ne peut pas être à la fois imposé et interdit."]
    assert MatchRun.objects.count() == 1


def test_a_refused_proposal_goes_back_to_the_run(
    client_for, world, scene, django_capture_on_commit_callbacks
):
    run = finished_run(world, django_capture_on_commit_callbacks)
    client = client_for("coordinator")
    client.post(reverse("match_propose", args=[run.pk]))
    response = client.post(reverse("match_propose", args=[run.pk]))
    assert response["Location"] == reverse("match_run", args=[run.pk])
    assert "déjà été proposés" in flashed(response)[-1]


@pytest.mark.parametrize("role", FORBIDDEN_ROLES)
def test_other_roles_are_forbidden(
    client_for, world, scene, role, django_capture_on_commit_callbacks
):
    run = finished_run(world, django_capture_on_commit_callbacks)
    client = client_for(role)
    assert client.post(reverse("match_start", args=[world.running.pk])).status_code == 403
    assert client.get(reverse("match_run", args=[run.pk])).status_code == 403
    assert client.post(reverse("match_propose", args=[run.pk])).status_code == 403
    assert MatchRun.objects.count() == 1 and not Proposal.objects.exists()


def test_another_sites_coordinator_finds_nothing(
    client_for, world, scene, django_capture_on_commit_callbacks
):
    run = finished_run(world, django_capture_on_commit_callbacks)
    client = client_for("outsider_coordinator")
    assert client.post(reverse("match_start", args=[world.running.pk])).status_code == 404
    assert client.get(reverse("match_run", args=[run.pk])).status_code == 404
    assert client.post(reverse("match_propose", args=[run.pk])).status_code == 404
    assert MatchRun.objects.count() == 1 and not Proposal.objects.exists()


def test_pages_are_post_only_where_they_write(client_for, world, scene):
    client = client_for("coordinator")
    assert client.get(reverse("match_start", args=[world.running.pk])).status_code == 405
