"""Photos of practical evaluations: real JPEG or PNG images of 5 MB at most, or nothing written."""

import datetime
import io

import pytest
from django.conf import settings
from PIL import Image

from tests import factories
from tremplin.assessments.models import EvaluationCriterion, PracticalEvaluation
from tremplin.assessments.photos import MAX_PHOTO_BYTES, check_photo
from tremplin.assessments.services import AssessmentError, evaluation_record
from tremplin.core.models import AuditEntry
from tremplin.core.uploads import JPEG, PNG, UploadRejected
from tremplin.demo.documents import minimal_pdf
from tremplin.programmes.models import Competency

pytestmark = pytest.mark.django_db


def image_bytes(format: str, size: tuple[int, int] = (64, 48)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, (230, 120, 20)).save(buffer, format=format)
    return buffer.getvalue()


def stored_photos() -> list[str]:
    folder = settings.MEDIA_ROOT / "evaluations"
    return sorted(p.name for p in folder.iterdir()) if folder.exists() else []


def test_real_png_and_jpeg_images_are_accepted():
    assert check_photo("soudure.png", image_bytes("PNG")) == PNG
    # The name says nothing: a JPEG called « .png » is a JPEG.
    assert check_photo("soudure.png", image_bytes("JPEG")) == JPEG


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (minimal_pdf("Compte rendu"), "n'est pas une photo : seules les images JPEG et PNG"),
        (b"Ceci est un texte, pas une photo.\n", "n'est pas une photo"),
        (image_bytes("GIF"), "n'est pas une photo"),
        (b"MZ\x90\x00" + b"\x00" * 100, "est un programme, pas une photo"),
        # Starts like a JPEG, then nothing an image decoder can read.
        (b"\xff\xd8\xff\xe0" + b"pas une image" * 20, "illisible|incomplète ou abîmée"),
        (image_bytes("PNG")[:60], "illisible|incomplète ou abîmée"),
        (b"", "est vide"),
    ],
)
def test_a_file_that_is_not_an_image_is_refused(content, message):
    with pytest.raises(UploadRejected, match=message):
        check_photo("photo.jpg", content)


def test_a_photo_over_5_mb_is_refused():
    big = image_bytes("PNG") + b"\x00" * MAX_PHOTO_BYTES
    with pytest.raises(UploadRejected) as error:
        check_photo("photo.png", big)
    assert error.value.message == "La photo « photo.png » pèse 5,0 Mo : 5 Mo au plus."


def test_an_image_of_absurd_dimensions_is_refused(monkeypatch):
    # Pillow's guard against decompression bombs, at a threshold small enough for a test.
    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", 1000)
    with pytest.raises(UploadRejected, match="illisible ou trop grande en pixels"):
        check_photo("bombe.png", image_bytes("PNG", (100, 100)))


def _record(world, enrolment, photo):
    competency = Competency.objects.get(
        code="BC02.2",
        block__certification__code="irtfo",
        block__certification__tracks__programme=enrolment.cohort.programme,
    )
    return evaluation_record(
        enrolment=enrolment,
        competency=competency,
        title="Épissure par fusion et mesure",
        held_on=datetime.date(2026, 11, 25),
        criteria=[("Réaliser et mesurer une soudure, perte < 0,3 dB", True)],
        passed=True,
        evidence="Trois soudures : 0,05 / 0,08 / 0,12 dB au réflectomètre.",
        by=world.user("trainer"),
        photo=photo,
    )


def test_the_photo_is_stored_under_a_name_nobody_can_guess(world):
    enrolment = factories.enrolled(world, world.running)
    content = image_bytes("JPEG")
    evaluation = _record(world, enrolment, ("IMG_2034 soudure Karim.png", content))
    folder, name = evaluation.photo.name.split("/")
    assert folder == "evaluations"
    assert name.endswith(".jpg") and "Karim" not in name and len(name) == 32 + 4
    with evaluation.photo.open("rb") as handle:
        assert handle.read() == content
    assert AuditEntry.objects.get(action="evaluation.record").details["photo"] == "True"


@pytest.mark.parametrize(
    "photo",
    [
        ("photo.jpg", minimal_pdf("Compte rendu")),
        ("photo.jpg", b"Ceci est un texte.\n"),
        ("photo.png", image_bytes("PNG") + b"\x00" * MAX_PHOTO_BYTES),
    ],
)
def test_a_refused_photo_refuses_the_evaluation_and_nothing_is_written(world, photo):
    enrolment = factories.enrolled(world, world.running)
    audits = AuditEntry.objects.count()
    with pytest.raises(AssessmentError):
        _record(world, enrolment, photo)
    assert not PracticalEvaluation.objects.exists()
    assert not EvaluationCriterion.objects.exists()
    assert AuditEntry.objects.count() == audits
    assert stored_photos() == []


def test_the_photo_is_optional(world):
    enrolment = factories.enrolled(world, world.running)
    evaluation = _record(world, enrolment, None)
    assert not evaluation.photo
    assert stored_photos() == []
