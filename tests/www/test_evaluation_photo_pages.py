"""The photo of a practical evaluation: uploaded with the form, shown to whoever reads it."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from tests import factories
from tremplin.assessments.models import PracticalEvaluation
from tremplin.cohorts.services import competencies_of
from tremplin.demo.documents import minimal_pdf

pytestmark = pytest.mark.django_db


def png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (32, 24), (10, 90, 200)).save(buffer, format="PNG")
    return buffer.getvalue()


@pytest.fixture
def inès(world):
    enrolment = factories.enrolled(world, world.running, first_name="Inès", last_name="Benali")
    factories.link_account(enrolment.candidacy.person, world.user("learner"))
    return enrolment


def post(enrolment, photo):
    return {
        "competency": str(competencies_of(enrolment).first().pk),
        "title": "Épissure par fusion",
        "held_on": "2026-11-25",
        "criteria_met": "Soudure mesurée",
        "criteria_not_met": "",
        "passed": "1",
        "evidence": "Perte 0,05 dB.",
        "photo": photo,
    }


def test_the_trainer_joins_a_photo_shown_as_a_thumbnail(client_for, inès):
    url = reverse("enrolment_evaluations", args=[inès.pk])
    photo = SimpleUploadedFile("soudure.png", png(), "image/png")
    page = client_for("trainer").post(url, post(inès, photo), follow=True).content.decode()
    evaluation = PracticalEvaluation.objects.get()
    photo_url = reverse("evaluation_photo", args=[evaluation.pk])
    assert f'<a href="{photo_url}"' in page and f'<img src="{photo_url}"' in page
    response = client_for("learner").get(photo_url)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert response["Cache-Control"] == "private, no-store"
    assert response.content == png()


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("compte-rendu.jpg", minimal_pdf("Compte rendu"), "n&#x27;est pas une photo"),
        ("notes.jpg", b"Notes du formateur\n", "n&#x27;est pas une photo"),
        ("enorme.png", png() + b"\x00" * (5 * 1024 * 1024), "5 Mo au plus"),
    ],
)
def test_a_refused_photo_says_why_and_writes_nothing(client_for, inès, name, content, message):
    url = reverse("enrolment_evaluations", args=[inès.pk])
    photo = SimpleUploadedFile(name, content, "image/jpeg")
    response = client_for("trainer").post(url, post(inès, photo))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not PracticalEvaluation.objects.exists()


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("coordinator", 200),
        ("network_admin", 200),
        ("trainer", 200),
        ("learner", 200),
        ("outsider_learner", 404),
        ("outsider_coordinator", 404),
        ("outsider_trainer", 404),
        ("prescriber", 404),
        ("employer", 404),
        ("funder", 404),
    ],
)
def test_the_photo_is_served_to_those_who_read_the_evaluation(client_for, inès, role, status):
    url = reverse("enrolment_evaluations", args=[inès.pk])
    client_for("trainer").post(url, post(inès, SimpleUploadedFile("s.png", png(), "image/png")))
    photo_url = reverse("evaluation_photo", args=[PracticalEvaluation.objects.get().pk])
    assert client_for(role).get(photo_url).status_code == status


def test_an_evaluation_without_a_photo_has_no_photo_url(client_for, inès):
    url = reverse("enrolment_evaluations", args=[inès.pk])
    client_for("trainer").post(url, post(inès, ""))
    evaluation = PracticalEvaluation.objects.get()
    assert (
        client_for("trainer").get(reverse("evaluation_photo", args=[evaluation.pk])).status_code
        == 404
    )
