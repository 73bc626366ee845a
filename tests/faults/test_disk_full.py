"""A full disk during an upload: a French message on the form (not a 500), no row written and
no partial file left (tremplin/core/storage.py)."""

import errno
import os

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.storage import filesystem as django_filesystem
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests import factories
from tests.www.test_eligibility_pages import pdf, post_diagnostic
from tests.www.test_evaluation_photo_pages import png
from tests.www.test_evaluation_photo_pages import post as evaluation_fields
from tremplin.assessments.models import PracticalEvaluation
from tremplin.cohorts.models import CompetencyAssessment
from tremplin.core.models import AuditEntry
from tremplin.eligibility.models import Diagnostic, DiagnosticCriterion, Proof

pytestmark = pytest.mark.django_db


class _HalfWritten:
    """A file the disk fills up under: half of the first write lands, then ENOSPC."""

    def __init__(self, file):
        self.file = file

    def write(self, chunk):
        self.file.write(chunk[: len(chunk) // 2])
        self.file.flush()
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    def close(self):
        self.file.close()


class _FullDiskOs:
    """``os`` as Django's file system storage sees it, on a disk with little space left."""

    def __getattr__(self, name):
        return getattr(os, name)

    @staticmethod
    def fdopen(fd, mode):
        return _HalfWritten(os.fdopen(fd, mode))


@pytest.fixture
def full_disk(monkeypatch):
    monkeypatch.setattr(django_filesystem, "os", _FullDiskOs())


def files_under(root) -> list[str]:
    return sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file())


def test_a_full_disk_during_a_proof_upload_says_so_and_leaves_nothing(
    client_for, world, settings, full_disk
):
    candidacy = factories.referral(world)
    client = client_for("prescriber")
    audits = AuditEntry.objects.count()
    response = post_diagnostic(
        client, candidacy, c_rsa="on", proof_rsa=pdf(), issued_rsa="2026-11-20"
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "l&#x27;espace disque du serveur est plein" in html
    assert "Rien n&#x27;a été enregistré" in html
    assert not Diagnostic.objects.exists()
    assert not DiagnosticCriterion.objects.exists() and not Proof.objects.exists()
    assert AuditEntry.objects.count() == audits
    assert files_under(settings.MEDIA_ROOT) == []


def test_a_full_disk_during_an_evaluation_photo_says_so_and_leaves_nothing(
    client_for, world, settings, monkeypatch
):
    enrolment = factories.enrolled(world, world.running)  # its proofs written: disk not full yet
    before = files_under(settings.MEDIA_ROOT)
    audits = AuditEntry.objects.count()
    monkeypatch.setattr(django_filesystem, "os", _FullDiskOs())
    photo = SimpleUploadedFile("soudure.png", png(), "image/png")
    response = client_for("trainer").post(
        reverse("enrolment_evaluations", args=[enrolment.pk]),
        evaluation_fields(enrolment, photo),
    )
    assert response.status_code == 200
    assert "l&#x27;espace disque du serveur est plein" in response.content.decode()
    assert not PracticalEvaluation.objects.exists()
    assert not CompetencyAssessment.objects.filter(enrolment=enrolment).exists()
    assert AuditEntry.objects.count() == audits
    assert files_under(settings.MEDIA_ROOT) == before


def test_the_storage_writes_whole_files_under_distinct_names(settings):
    first = default_storage.save("dossier/piece.pdf", ContentFile(b"%PDF-1 un"))
    second = default_storage.save("dossier/piece.pdf", ContentFile(b"%PDF-1 deux"))
    assert first == "dossier/piece.pdf" and second != first
    for name, content in ((first, b"%PDF-1 un"), (second, b"%PDF-1 deux")):
        with default_storage.open(name) as f:
            assert f.read() == content
    assert files_under(settings.MEDIA_ROOT) == sorted([first, second])
