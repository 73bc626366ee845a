"""Documents pages: generating for a cohort or a learner, who downloads what."""

from typing import Any
from urllib.parse import urlsplit

from django.urls import reverse

from tests import factories
from tests.auth import log_in
from tests.documents.builders import sealed_monday
from tremplin.documents.models import LearnerDocument
from tremplin.documents.services import document_generate


def test_the_coordinator_generates_for_the_cohort_and_sees_the_progress(
    client_for: Any, world: Any, frozen_clock: Any, django_capture_on_commit_callbacks: Any
) -> None:
    sealed_monday(world, frozen_clock)
    client = client_for("coordinator")
    url = reverse("cohort_documents_generate", args=[world.running.pk])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"kind": "attestation"})
    assert response.status_code == 302
    location = urlsplit(response["Location"])
    assert location.path == reverse("cohort_documents", args=[world.running.pk])
    assert location.query.startswith("tache=")
    page = client.get(response["Location"]).content.decode()
    assert 'role="progressbar"' in page and "100 %" in page
    assert "3 documents générés" in page
    assert LearnerDocument.objects.filter(kind="attestation").count() == 3
    assert page.count("Version 1 (PDF)") == 3


def test_regenerating_one_learner_lists_the_older_version(
    client_for: Any, world: Any, frozen_clock: Any
) -> None:
    ali = sealed_monday(world, frozen_clock).learners[0]
    client = client_for("network_admin")
    url = reverse("enrolment_document_generate", args=[ali.pk])
    for _ in range(2):
        response = client.post(url, {"kind": "certificat"})
        assert response["Location"] == reverse("cohort_documents", args=[world.running.pk])
    page = client.get(response["Location"]).content.decode()
    assert "Version 2 (PDF)" in page and "Versions précédentes" in page
    first = LearnerDocument.objects.get(enrolment=ali, kind="certificat", version=1)
    assert reverse("document_download", args=[first.pk]) in page


def test_a_refused_generation_says_why(client_for: Any, world: Any) -> None:
    enrolment = factories.enrolled(world, world.upcoming)
    client = client_for("coordinator")
    response = client.post(
        reverse("enrolment_document_generate", args=[enrolment.pk]),
        {"kind": "certificat"},
        follow=True,
    )
    assert "aucun document avant cette date" in response.content.decode()
    assert not LearnerDocument.objects.exists()


def test_trainers_read_but_do_not_generate(client_for: Any, world: Any, frozen_clock: Any) -> None:
    ali = sealed_monday(world, frozen_clock).learners[0]
    document = document_generate(enrolment=ali, kind="certificat", by=world.user("coordinator"))
    client = client_for("trainer")
    page = client.get(reverse("cohort_documents", args=[world.running.pk])).content.decode()
    assert "Générer pour toute la promotion" not in page and "Régénérer" not in page
    assert client.get(reverse("document_download", args=[document.pk])).status_code == 200
    generate = reverse("enrolment_document_generate", args=[ali.pk])
    assert client.post(generate, {"kind": "certificat"}).status_code == 403
    cohort = reverse("cohort_documents_generate", args=[world.running.pk])
    assert client.post(cohort, {"kind": "certificat"}).status_code == 403
    assert LearnerDocument.objects.count() == 1


def test_a_learner_downloads_their_own_documents_only(
    client: Any, world: Any, frozen_clock: Any
) -> None:
    ali, bea, _chloe = sealed_monday(world, frozen_clock).learners
    factories.link_account(ali.candidacy.person, world.user("learner"))
    coordinator = world.user("coordinator")
    own = document_generate(enrolment=ali, kind="certificat", by=coordinator)
    other = document_generate(enrolment=bea, kind="certificat", by=coordinator)

    log_in(client, world.user("learner"))
    home = client.get(reverse("learner_home")).content.decode()
    assert "Mes documents" in home
    assert reverse("document_download", args=[own.pk]) in home
    assert reverse("document_download", args=[other.pk]) not in home
    response = client.get(reverse("document_download", args=[own.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-")
    assert response["Content-Disposition"] == 'attachment; filename="certificat-amrani-ali-v1.pdf"'
    assert response["Cache-Control"] == "private, no-store"
    assert client.get(reverse("document_download", args=[other.pk])).status_code == 404


def test_forged_posts_write_nothing(client_for: Any, world: Any, frozen_clock: Any) -> None:
    ali = sealed_monday(world, frozen_clock).learners[0]
    client = client_for("coordinator")
    for url in (
        reverse("enrolment_document_generate", args=[ali.pk]),
        reverse("cohort_documents_generate", args=[world.running.pk]),
    ):
        response = client.post(url, {"kind": "diplome"}, follow=True)
        assert "Choisissez le document à générer." in response.content.decode()
    # Another site's cohort and learner are hidden from this coordinator.
    other = factories.enrolled(world, world.other_cohort)
    assert (
        client.post(
            reverse("enrolment_document_generate", args=[other.pk]), {"kind": "certificat"}
        ).status_code
        == 404
    )
    assert (
        client.post(
            reverse("cohort_documents_generate", args=[world.other_cohort.pk]),
            {"kind": "certificat"},
        ).status_code
        == 404
    )
    assert not LearnerDocument.objects.exists()
