"""Cohort pages: creation with defaults and checks, competency assessment, end of training."""

import datetime

import pytest
from django.urls import reverse

from tests import factories
from tremplin.cohorts.models import Cohort, CompetencyAssessment
from tremplin.cohorts.services import competencies_of

pytestmark = pytest.mark.django_db


def test_coordinator_creates_a_cohort_on_their_site(client_for, world):
    client = client_for("coordinator")
    response = client.post(
        "/promotions/nouvelle/",
        {
            "programme": world.programme.pk,
            "site": world.site.pk,
            "name": "Promo mars 2027",
            "start_date": "2027-03-01",
            "capacity": "12",
        },
    )
    cohort = Cohort.objects.get(name="Promo mars 2027")
    assert response["Location"] == f"/promotions/{cohort.pk}/"
    assert str(cohort.end_date) == "2027-07-01"


def test_cohort_form_errors(client_for, world):
    client = client_for("coordinator")
    html = client.post(
        "/promotions/nouvelle/",
        {
            "programme": world.programme.pk,
            "site": world.other_site.pk,
            "name": "Promo X",
            "start_date": "2027-03-01",
            "end_date": "2027-02-01",
            "capacity": "0",
        },
    ).content.decode()
    assert "Sélectionnez un choix valide" in html  # another site is not offered
    assert "La date de fin doit suivre la date de début." in html
    assert "supérieure ou égale à 1" in html
    assert not Cohort.objects.filter(name="Promo X").exists()


def test_trainer_assesses_a_competency(client_for, world):
    enrolment = factories.enrolled(world, target=world.running)
    competency = competencies_of(enrolment).first()
    client = client_for("trainer")
    response = client.post(
        f"/parcours/{enrolment.pk}/evaluer/",
        {
            "competency": competency.pk,
            "level": "acquired",
            "evidence": "Soudure validée",
            "assessed_on": "2026-11-30",
        },
    )
    assert response["Location"] == f"/parcours/{enrolment.pk}/#competency-{competency.pk}"
    assert CompetencyAssessment.objects.get().level == "acquired"
    page = client.get(f"/parcours/{enrolment.pk}/").content.decode()
    assert "1 compétence acquise sur" in page


def test_assessment_in_the_future_is_refused(client_for, world):
    enrolment = factories.enrolled(world, target=world.running)
    competency = competencies_of(enrolment).first()
    response = client_for("trainer").post(
        f"/parcours/{enrolment.pk}/evaluer/",
        {
            "competency": competency.pk,
            "level": "in_progress",
            "evidence": "",
            "assessed_on": "2027-01-01",
        },
        follow=True,
    )
    assert "La date d&#x27;évaluation ne peut être dans le futur." in response.content.decode()
    assert not CompetencyAssessment.objects.exists()


def test_outsider_trainer_cannot_assess(client_for, world):
    enrolment = factories.enrolled(world, target=world.running)
    competency = competencies_of(enrolment).first()
    response = client_for("outsider_trainer").post(
        f"/parcours/{enrolment.pk}/evaluer/",
        {
            "competency": competency.pk,
            "level": "acquired",
            "evidence": "x",
            "assessed_on": "2026-11-30",
        },
    )
    assert response.status_code == 404
    assert not CompetencyAssessment.objects.exists()


def test_coordinator_ends_training_and_the_page_offers_follow_ups(client_for, world):
    enrolment = factories.enrolled(world, target=world.past)
    client = client_for("coordinator")
    client.post(
        f"/parcours/{enrolment.pk}/sortie/", {"transition": "complete", "ended_on": "2026-04-01"}
    )
    enrolment.refresh_from_db()
    assert enrolment.status == "completed"
    html = client.get(f"/parcours/{enrolment.pk}/").content.decode()
    assert "Suivi après la sortie" in html
    assert f"/parcours/{enrolment.pk}/suivi/m6/" in html


def test_cohort_with_its_trainers(client_for, world):
    trainer = world.user("trainer")
    client = client_for("coordinator")
    client.post(
        "/promotions/nouvelle/",
        {
            "programme": world.programme.pk,
            "site": world.site.pk,
            "name": "Promo avril 2027",
            "start_date": "2027-04-05",
            "capacity": "12",
            "trainers": [trainer.pk],
        },
    )
    assert list(Cohort.objects.get(name="Promo avril 2027").trainers.all()) == [trainer]


def test_trainer_of_another_site_is_refused(client_for, world):
    html = (
        client_for("network_admin")
        .post(
            "/promotions/nouvelle/",
            {
                "programme": world.programme.pk,
                "site": world.site.pk,
                "name": "Promo mai 2027",
                "start_date": "2027-05-03",
                "capacity": "12",
                "trainers": [world.user("outsider_trainer").pk],
            },
        )
        .content.decode()
    )
    assert "Choisissez des formateurs du site de la promotion." in html
    assert not Cohort.objects.filter(name="Promo mai 2027").exists()


def test_the_network_admin_pages_through_the_cohorts_and_filters_them_by_site(client_for, world):
    from tremplin.www.cohorts.views import COHORT_PAGE_SIZE

    start = datetime.date(2010, 1, 4)  # older than the world's cohorts
    for i in range(COHORT_PAGE_SIZE):
        factories.cohort(world.programme, world.other_site, f"Lyon {i:02}", start)
    client = client_for("network_admin")
    first = client.get(reverse("cohort_list")).content.decode()
    total = COHORT_PAGE_SIZE + 4  # the world's own four cohorts
    assert f"{total} promotions" in first
    assert first.count(reverse("cohort_detail", args=[world.running.pk])) == 1  # newest first
    last = f"Lyon {COHORT_PAGE_SIZE - 1:02}"  # same start as the others, created last
    assert last not in first and 'rel="next"' in first
    second = client.get(reverse("cohort_list"), {"page": 2}).content.decode()
    assert last in second and 'rel="prev"' in second
    marseille = client.get(reverse("cohort_list"), {"site": world.site.pk}).content.decode()
    assert "Lyon 0" not in marseille and world.running.name in marseille
    # A site of another network, or no site at all, is an invalid choice: nothing is filtered.
    wrong = client.get(reverse("cohort_list"), {"site": 999999})
    assert wrong.status_code == 200 and f"{total} promotions" in wrong.content.decode()


def test_a_coordinator_of_one_site_gets_no_site_filter(client_for, world):
    page = client_for("coordinator").get(reverse("cohort_list")).content.decode()
    assert 'name="site"' not in page and world.running.name in page
