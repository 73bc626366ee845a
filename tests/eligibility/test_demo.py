"""The demo's referrals carry diagnostics: France Travail's for June 2023, a Mission locale one
waiting for confirmation in the upcoming cohort, generated PDF proofs in MEDIA_ROOT."""

import pytest
from django.db import transaction
from django.test import override_settings
from django.utils import timezone

from tests.auth import log_in
from tremplin.accounts.enums import Role
from tremplin.accounts.models import User
from tremplin.candidacies.models import Candidacy
from tremplin.demo.builder import JUNE_2023_NAME, load_demo
from tremplin.eligibility.models import Acceptance, Diagnostic, Proof


@pytest.fixture(scope="module")
def media(tmp_path_factory):
    return tmp_path_factory.mktemp("demo-media")


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker, media):
    with (
        override_settings(
            PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"], MEDIA_ROOT=media
        ),
        django_db_blocker.unblock(),
        transaction.atomic(),
    ):
        yield load_demo()
        transaction.set_rollback(True)


pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("demo")]


@pytest.fixture(autouse=True)
def _demo_media(settings, media):
    # conftest gives each test its own empty MEDIA_ROOT; here the demo's files are read back.
    settings.MEDIA_ROOT = media


def test_june_2023_was_accepted_on_france_travail_diagnostics():
    june = Candidacy.objects.filter(cohort__name=JUNE_2023_NAME, status="enrolled")
    assert june.count() == 12
    for candidacy in june:
        acceptance = Acceptance.objects.get(candidacy=candidacy)
        assert acceptance.diagnostic is not None, candidacy
        assert acceptance.diagnostic.author_kind == "habilitated"
        assert acceptance.diagnostic.author_organisation.name.startswith("France Travail")
    assert not Acceptance.objects.filter(diagnostic__isnull=True).exists()


def test_every_kind_of_diagnostic_is_shown():
    kinds = set(Diagnostic.objects.values_list("author_kind", "status"))
    assert kinds == {
        ("habilitated", "authoritative"),
        ("prescriber", "confirmed"),
        ("prescriber", "to_confirm"),
        ("coordinator", "authoritative"),
    }
    pending = Diagnostic.objects.get(status="to_confirm")
    assert pending.author_organisation.prescriber_kind == "mission_locale"
    assert pending.candidacy.cohort.start_date > timezone.localdate()


def test_proofs_are_small_generated_pdfs_on_disk():
    proofs = list(Proof.objects.all())
    assert proofs
    for proof in proofs:
        with proof.file.open("rb") as handle:
            content = handle.read()
        assert content.startswith(b"%PDF-1.4") and b"Document fictif" in content
        assert proof.size == len(content) < 5000


def test_the_coordinator_reads_diagnostics_and_downloads_proofs(client):
    log_in(client, User.objects.get(role=Role.COORDINATOR))
    pending = Diagnostic.objects.get(status="to_confirm")
    page = client.get(f"/diagnostics/{pending.pk}/").content.decode()
    assert "Confirmer le diagnostic</button>" in page
    candidacy_page = client.get(f"/candidatures/{pending.candidacy_id}/").content.decode()
    assert "attend la confirmation du coordinateur du site" in candidacy_page
    proof = Proof.objects.first()
    assert client.get(f"/justificatifs/{proof.pk}/").status_code == 200
