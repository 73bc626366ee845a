"""Assessment pages: the cohort's progress matrix and a learner's readiness, by role."""

import datetime

import pytest
from django.urls import reverse

from tests import factories
from tremplin.assessments.models import EntryPositioning, PracticalEvaluation
from tremplin.assessments.services import positioning_record
from tremplin.cohorts.models import CompetencyAssessment
from tremplin.cohorts.services import competencies_of, competency_assess
from tremplin.core.models import AuditEntry
from tremplin.programmes.enums import CompetencyLevel
from tremplin.programmes.models import Certification, Competency, CompetencyBlock

pytestmark = pytest.mark.django_db


@pytest.fixture
def learners(world):
    inès = factories.enrolled(world, world.running, first_name="Inès", last_name="Benali")
    factories.link_account(inès.candidacy.person, world.user("learner"))
    karim = factories.enrolled(world, world.running, first_name="Karim", last_name="Ouali")
    competencies = list(competencies_of(inès))
    first = min(
        competencies, key=lambda c: (c.block.certification.title, c.block.position, c.position)
    )
    for enrolment, level in (
        (inès, CompetencyLevel.ACQUIRED),
        (karim, CompetencyLevel.IN_PROGRESS),
    ):
        competency_assess(
            enrolment=enrolment,
            competency=first,
            level=level,
            evidence="Soudure réalisée et mesurée : perte 0,12 dB.",
            on_date=datetime.date(2026, 11, 20),
            by=world.user("trainer"),
        )
    return inès, karim, first


@pytest.mark.parametrize("role", ["network_admin", "coordinator", "trainer"])
def test_staff_of_the_cohort_see_the_matrix_with_colour_and_text(client_for, world, learners, role):
    inès, karim, first = learners
    response = client_for(role).get(reverse("cohort_progress", args=[world.running.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Inès BENALI" in html and "Karim OUALI" in html
    assert "<caption>2 apprenants" in html
    assert 'id="legend"' in html
    assert 'class="table-success" data-level="acquired"><abbr title="acquise">A</abbr>' in html
    assert 'class="table-warning" data-level="in_progress"' in html
    assert f'<abbr title="{first.title}">{first.code}</abbr>' in html.replace("&#x27;", "'")
    assert 'scope="row"' in html and 'scope="colgroup"' in html
    rows = response.context["matrix"].rows
    assert [r.acquired for r in rows] == [1, 0]
    assert response.context["matrix"].acquired_per_competency[0] == 1
    assert 'id="readiness"' in html and "Pas encore prêt" in html
    assert f'href="{reverse("enrolment_readiness", args=[inès.pk])}"' in html


@pytest.mark.parametrize(
    "role",
    [
        "prescriber",
        "employer",
        "funder",
        "learner",
        "outsider_coordinator",
        "outsider_trainer",
        "outsider_learner",
    ],
)
def test_others_do_not_see_the_matrix(client_for, world, learners, role):
    response = client_for(role).get(reverse("cohort_progress", args=[world.running.pk]))
    assert response.status_code == 404


def test_a_trainer_of_another_cohort_of_the_site_does_not_see_its_matrix(
    client_for, world, learners
):
    response = client_for("trainer").get(reverse("cohort_progress", args=[world.past.pk]))
    assert response.status_code == 404


@pytest.mark.parametrize("role", ["network_admin", "coordinator", "trainer", "learner"])
def test_readiness_of_a_learner_for_staff_and_for_the_learner(client_for, learners, role):
    inès, _, first = learners
    response = client_for(role).get(reverse("enrolment_readiness", args=[inès.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Préparation à la certification — Inès BENALI" in html
    verdict = response.context["verdicts"][0]
    assert first.block == verdict.block
    assert verdict.acquired == 1
    assert f"1/{verdict.required} acquises" in html


@pytest.mark.parametrize(
    "role",
    [
        "prescriber",
        "employer",
        "funder",
        "outsider_coordinator",
        "outsider_trainer",
        "outsider_learner",
    ],
)
def test_others_do_not_see_a_learners_readiness(client_for, learners, role):
    inès, _, _ = learners
    response = client_for(role).get(reverse("enrolment_readiness", args=[inès.pk]))
    assert response.status_code == 404


def test_a_learner_does_not_see_another_learners_readiness(client_for, learners):
    _, karim, _ = learners
    response = client_for("learner").get(reverse("enrolment_readiness", args=[karim.pk]))
    assert response.status_code == 404


POSITIONING = {
    "method": "test",
    "held_on": "2026-09-25",
    "score": "62",
    "result": "Bases en électricité, lecture de plan à travailler.",
    "decision": "prerequisites",
    "decision_note": "Module « lecture de plans » la première semaine.",
}


@pytest.mark.parametrize("role", ["coordinator", "trainer", "network_admin"])
def test_staff_record_the_entry_positioning(client_for, world, learners, role):
    inès, _, _ = learners
    url = reverse("enrolment_positioning", args=[inès.pk])
    page = client_for(role).get(url)
    assert 'name="held_on"' in page.content.decode()
    response = client_for(role).post(url, POSITIONING, follow=True)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Positionnement à l&#x27;entrée enregistré." in html
    assert "Module de prérequis — Module « lecture de plans »" in html
    assert world.user(role).get_full_name() in html
    positioning = EntryPositioning.objects.get()
    assert (positioning.enrolment, positioning.recorded_by) == (inès, world.user(role))
    assert 'name="held_on"' not in html


def test_the_learner_reads_their_positioning_but_cannot_record_it(client_for, world, learners):
    inès, _, _ = learners
    url = reverse("enrolment_positioning", args=[inès.pk])
    page = client_for("learner").get(url)
    assert 'id="positioning-missing"' in page.content.decode()
    assert '<form method="post" class="col-lg-7"' not in page.content.decode()
    assert client_for("learner").post(url, POSITIONING).status_code == 403
    assert not EntryPositioning.objects.exists()
    positioning_record(
        enrolment=inès,
        by=world.user("trainer"),
        method="interview",
        held_on=datetime.date(2026, 9, 25),
        score=None,
        result="Motivée, à l'aise avec l'outillage.",
        decision="standard",
        decision_note="",
    )
    html = client_for("learner").get(url).content.decode()
    assert "Parcours standard" in html and "Motivée" in html


@pytest.mark.parametrize(
    "role",
    [
        "prescriber",
        "employer",
        "funder",
        "outsider_coordinator",
        "outsider_trainer",
        "outsider_learner",
    ],
)
def test_others_can_neither_read_nor_record_a_positioning(client_for, learners, role):
    inès, _, _ = learners
    url = reverse("enrolment_positioning", args=[inès.pk])
    assert client_for(role).get(url).status_code == 404
    assert client_for(role).post(url, POSITIONING).status_code == 404
    assert not EntryPositioning.objects.exists()


def test_a_learner_cannot_read_another_learners_positioning(client_for, learners):
    _, karim, _ = learners
    url = reverse("enrolment_positioning", args=[karim.pk])
    assert client_for("learner").get(url).status_code == 404


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"held_on": "2026-12-01"}, "La date du positionnement ne peut pas être dans le futur."),
        ({"decision_note": ""}, "Précisez la décision"),
        ({"score": "140"}, "inférieure ou égale à 100"),
        ({"result": ""}, "Ce champ est obligatoire."),
    ],
)
def test_bad_positioning_is_refused_with_a_message_and_nothing_written(
    client_for, learners, change, message
):
    inès, _, _ = learners
    audits = AuditEntry.objects.count()
    url = reverse("enrolment_positioning", args=[inès.pk])
    response = client_for("trainer").post(url, POSITIONING | change)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not EntryPositioning.objects.exists()
    assert AuditEntry.objects.count() == audits


def _evaluation_post(target, **change):
    return {
        "competency": str(target.pk),
        "title": "Épissure par fusion et mesure",
        "held_on": "2026-11-25",
        "criteria_met": "Cliver la fibre\nRéaliser et mesurer une soudure, perte < 0,3 dB",
        "criteria_not_met": "",
        "passed": "1",
        "evidence": "Trois soudures : 0,05 / 0,08 / 0,12 dB.",
    } | change


@pytest.mark.parametrize("role", ["coordinator", "trainer", "network_admin"])
def test_staff_record_a_passed_evaluation_and_the_competency_becomes_acquired(
    client_for, world, learners, role
):
    _, karim, first = learners
    url = reverse("enrolment_evaluations", args=[karim.pk])
    page = client_for(role).get(url).content.decode()
    assert "Réaliser et mesurer une soudure, perte &lt; 0,3 dB" in page  # the shipped grid
    response = client_for(role).post(url, _evaluation_post(first), follow=True)
    html = response.content.decode()
    assert "Évaluation enregistrée." in html
    assert "Atteint : Cliver la fibre" in html
    evaluation = PracticalEvaluation.objects.get()
    assert (evaluation.enrolment, evaluation.assessed_by, evaluation.passed) == (
        karim,
        world.user(role),
        True,
    )
    assessment = CompetencyAssessment.objects.get(enrolment=karim, competency=first)
    assert assessment.level == CompetencyLevel.ACQUIRED


def test_the_learner_reads_their_evaluations_but_cannot_record_one(client_for, world, learners):
    inès, _, first = learners
    url = reverse("enrolment_evaluations", args=[inès.pk])
    html = client_for("learner").get(url).content.decode()
    assert 'id="no-evaluation"' in html and 'name="criteria_met"' not in html
    assert client_for("learner").post(url, _evaluation_post(first)).status_code == 403
    assert not PracticalEvaluation.objects.exists()
    client_for("trainer").post(url, _evaluation_post(first, passed="0", evidence=""))
    html = client_for("learner").get(url).content.decode()
    assert "Pas encore" in html and "Atteint : Cliver la fibre" in html


@pytest.mark.parametrize(
    "role",
    [
        "prescriber",
        "employer",
        "funder",
        "outsider_coordinator",
        "outsider_trainer",
        "outsider_learner",
    ],
)
def test_others_can_neither_read_nor_record_evaluations(client_for, learners, role):
    inès, _, first = learners
    url = reverse("enrolment_evaluations", args=[inès.pk])
    assert client_for(role).get(url).status_code == 404
    assert client_for(role).post(url, _evaluation_post(first)).status_code == 404
    assert not PracticalEvaluation.objects.exists()


def test_a_learner_cannot_read_another_learners_evaluations(client_for, learners):
    _, karim, _ = learners
    url = reverse("enrolment_evaluations", args=[karim.pk])
    assert client_for("learner").get(url).status_code == 404


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"held_on": "2026-12-01"}, "La date de l&#x27;évaluation ne peut pas être dans le futur."),
        ({"criteria_not_met": "Ranger en cassette"}, "tous ses critères atteints"),
        ({"criteria_met": ""}, "Indiquez au moins un critère"),
        ({"evidence": ""}, "Décrivez la preuve"),
        ({"competency": "999999"}, "Sélectionnez un choix valide."),
    ],
)
def test_bad_evaluation_is_refused_with_a_message_and_nothing_written(
    client_for, learners, change, message
):
    _, karim, first = learners
    levels = list(CompetencyAssessment.objects.values_list("pk", "level"))
    url = reverse("enrolment_evaluations", args=[karim.pk])
    response = client_for("trainer").post(url, _evaluation_post(first, **change))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not PracticalEvaluation.objects.exists()
    assert list(CompetencyAssessment.objects.values_list("pk", "level")) == levels


def test_a_competency_of_another_programme_cannot_be_evaluated(client_for, learners):
    _, karim, _ = learners
    outside = Competency.objects.create(
        block=CompetencyBlock.objects.create(
            certification=Certification.objects.create(code="autre", version="1", title="Autre"),
            code="B1",
            title="Bloc",
        ),
        code="B1.1",
        title="Hors parcours",
    )
    url = reverse("enrolment_evaluations", args=[karim.pk])
    response = client_for("trainer").post(url, _evaluation_post(outside))
    assert "Sélectionnez un choix valide." in response.content.decode()
    assert not PracticalEvaluation.objects.exists()
