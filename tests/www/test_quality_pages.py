"""Quality pages: survey results per cohort, sending, and the public answer page."""

from typing import Any

import pytest
from django.contrib.messages import get_messages
from django.core import mail
from django.urls import reverse

from tests import factories
from tremplin.core.models import TaskProgress
from tremplin.quality.models import SurveyAnswer, SurveyInvitation
from tremplin.quality.services import survey_answer, survey_send, survey_token

ANSWERS = {
    "objectifs": "5",
    "contenus": "4",
    "plateau": "4",
    "formateurs": "5",
    "organisation": "3",
    "recommandation": "5",
    "commentaire": "Le labo datacenter était très bien équipé.",
}


@pytest.fixture
def answered(world: Any, django_capture_on_commit_callbacks: Any) -> list[Any]:
    """Two learners of the past cohort invited to the hot survey; the first answered."""
    factories.enrolled(world, world.past, first_name="Inès", last_name="Benali")
    factories.enrolled(world, world.past, first_name="Karim", last_name="Ouali")
    with django_capture_on_commit_callbacks(execute=True):
        sent = survey_send(cohort=world.past, kind="hot", by=world.user("coordinator"))
    survey_answer(
        token=survey_token(sent[0]),
        answers={k: int(v) if v.isdigit() else v for k, v in ANSWERS.items()},
    )
    return sent


def results_page(client_for: Any, world: Any, role: str) -> Any:
    return client_for(role).get(reverse("cohort_surveys", args=[world.past.pk]))


@pytest.mark.parametrize("role", ["coordinator", "network_admin"])
def test_managers_read_figures_and_free_text_without_names(
    client_for: Any, world: Any, answered: list[Any], role: str
) -> None:
    response = results_page(client_for, world, role)
    assert response.status_code == 200
    html = response.content.decode()
    assert "1 réponse(s) sur 2 invitation(s)" in html
    assert "Taux de réponse : 50 %" in html
    assert '<tr data-question="objectifs">' in html
    assert "<svg" in html and "Le tableau ci-dessous donne les mêmes chiffres." in html
    assert "Le labo datacenter était très bien équipé." in html
    assert "BENALI" not in html and "Benali" not in html and "OUALI" not in html
    assert "Envoyer l&#x27;enquête" in html or "Envoyer l'enquête" in html


def test_table_gives_mean_and_distribution(
    client_for: Any, world: Any, answered: list[Any]
) -> None:
    html = results_page(client_for, world, "coordinator").content.decode()
    row = html.split('<tr data-question="organisation">')[1].split("</tr>")[0]
    assert '<td class="mean">3,0</td>' in row
    assert "<td>0</td><td>0</td><td>1</td><td>0</td><td>0</td>" in row


@pytest.mark.parametrize("role", ["trainer", "funder"])
def test_trainers_and_funders_read_figures_only(
    client_for: Any, world: Any, answered: list[Any], role: str
) -> None:
    if role == "trainer":
        world.past.trainers.add(world.user("trainer"))
    response = results_page(client_for, world, role)
    assert response.status_code == 200
    html = response.content.decode()
    assert '<tr data-question="objectifs">' in html
    assert "Le labo datacenter" not in html
    assert reverse("survey_send", args=[world.past.pk]) not in html


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("outsider_coordinator", 404),
        ("outsider_trainer", 404),
        ("trainer", 404),  # not a trainer of the past cohort
        ("prescriber", 403),
        ("employer", 403),
        ("learner", 403),
    ],
)
def test_others_do_not_see_results(
    client_for: Any, world: Any, answered: list[Any], role: str, status: int
) -> None:
    assert results_page(client_for, world, role).status_code == status


def test_quality_home_lists_counts(client_for: Any, world: Any, answered: list[Any]) -> None:
    html = client_for("coordinator").get(reverse("quality_home")).content.decode()
    row = html.split(reverse("cohort_surveys", args=[world.past.pk]))[1].split("</tr>")[0]
    assert "<td>1 / 2</td><td>0 / 0</td>" in row
    lyon = client_for("outsider_coordinator").get(reverse("quality_home")).content.decode()
    assert world.past.name not in lyon


def test_menu_shows_quality_to_managers_only(client_for: Any, world: Any) -> None:
    url = reverse("quality_home")
    assert f'href="{url}"' in client_for("coordinator").get(reverse("home")).content.decode()
    assert f'href="{url}"' not in client_for("trainer").get(reverse("home")).content.decode()


def test_coordinator_sends_the_survey_in_the_background(
    client_for: Any, world: Any, django_capture_on_commit_callbacks: Any
) -> None:
    factories.enrolled(world, world.past)
    factories.enrolled(world, world.past)
    mail.outbox.clear()
    client = client_for("coordinator")
    url = reverse("survey_send", args=[world.past.pk])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"kind": "cold"})
    progress = TaskProgress.objects.get(owner=world.user("coordinator"))
    assert response["Location"] == reverse("task_progress", args=[progress.pk])
    assert (progress.status, progress.done, progress.total) == ("done", 2, 2)
    assert "2 invitations envoyées" in client.get(response["Location"]).content.decode()
    assert len(mail.outbox) == 2
    assert SurveyInvitation.objects.filter(kind="cold").count() == 2

    with django_capture_on_commit_callbacks(execute=True):
        again = client.post(url, {"kind": "cold"})
    assert again["Location"] == reverse("cohort_surveys", args=[world.past.pk])
    assert "déjà reçu" in str(list(get_messages(again.wsgi_request))[-1])
    assert len(mail.outbox) == 2
    assert TaskProgress.objects.count() == 1


@pytest.mark.parametrize(
    ("role", "data", "status"),
    [
        ("trainer", {"kind": "hot"}, 403),
        ("funder", {"kind": "hot"}, 403),
        ("outsider_coordinator", {"kind": "hot"}, 404),
        ("coordinator", {"kind": "tiede"}, 302),
    ],
)
def test_forged_send_posts_write_nothing(
    client_for: Any,
    world: Any,
    django_capture_on_commit_callbacks: Any,
    role: str,
    data: dict[str, str],
    status: int,
) -> None:
    factories.enrolled(world, world.past)
    world.past.trainers.add(world.user("trainer"))
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(role).post(reverse("survey_send", args=[world.past.pk]), data)
    assert response.status_code == status
    if status == 302:
        assert "Sélectionnez un choix valide" in str(list(get_messages(response.wsgi_request))[0])
    assert SurveyInvitation.objects.count() == 0
    assert mail.outbox == []


def test_sending_a_survey_not_yet_due_says_when(client_for: Any, world: Any) -> None:
    factories.enrolled(world, world.running)
    response = client_for("coordinator").post(
        reverse("survey_send", args=[world.running.pk]), {"kind": "hot"}
    )
    message = str(list(get_messages(response.wsgi_request))[0])
    assert "s'envoie à partir du" in message
    assert SurveyInvitation.objects.count() == 0


def test_a_learner_answers_without_an_account(client: Any, answered: list[Any]) -> None:
    url = reverse("survey_answer", args=[survey_token(answered[1])])
    page = client.get(url)
    assert page.status_code == 200
    assert "<legend" in page.content.decode()
    done = client.post(url, ANSWERS)
    assert done.status_code == 200
    assert "Merci pour vos réponses" in done.content.decode()
    assert SurveyAnswer.objects.filter(invitation=answered[1]).count() == 7

    reused = client.post(url, ANSWERS | {"objectifs": "1"})
    assert reused.status_code == 410
    assert "Vous avez déjà répondu à cette enquête" in reused.content.decode()
    assert not SurveyAnswer.objects.filter(score=1).exists()
    assert client.get(url).status_code == 410


def test_an_incomplete_form_says_what_is_missing(client: Any, answered: list[Any]) -> None:
    url = reverse("survey_answer", args=[survey_token(answered[1])])
    response = client.post(url, ANSWERS | {"plateau": "", "contenus": "9"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Choisissez une note de 1 à 5." in html
    assert "Sélectionnez un choix valide" in html
    assert SurveyAnswer.objects.filter(invitation=answered[1]).count() == 0


def test_a_tampered_link_shows_a_french_refusal(client: Any, answered: list[Any]) -> None:
    token = survey_token(answered[1])
    tampered = token[:-1] + ("A" if token[-1] != "A" else "B")
    response = client.post(reverse("survey_answer", args=[tampered]), ANSWERS)
    assert response.status_code == 400
    assert "Ce lien n&#x27;est pas valide" in response.content.decode()
    assert SurveyAnswer.objects.filter(invitation=answered[1]).count() == 0
