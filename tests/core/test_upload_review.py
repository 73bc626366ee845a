"""Every upload of the site, reviewed (issue 8 §5): its content is checked from its bytes, not
its name; too large a file is refused before its bytes are read; what is kept is served only
by a view that checks who asks, never from a public URL.

The uploads: eligibility proofs, evaluation photos, bulk-referral lists, France Travail offers,
the QPV GeoJSON. Generated learner documents are kept the same way (served by their view).
"""

import io
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from tests import factories
from tests.auth import log_in
from tests.www.test_evaluation_photo_pages import post as evaluation_fields
from tremplin.assessments.models import PracticalEvaluation
from tremplin.eligibility.models import Proof
from tremplin.employers.models import Opening
from tremplin.intake.models import ImportBatch

pytestmark = pytest.mark.django_db

# A web page given a document's name: what a malicious upload would try to have served.
HTML = b"<!doctype html><html><body><script>alert(document.cookie)</script></body></html>\n"
SIX_MEGABYTES = 6 * 1024 * 1024

OUTSIDERS = [
    "outsider_coordinator",
    "outsider_trainer",
    "outsider_prescriber",
    "outsider_learner",
    "employer",
    "funder",
]


def png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (16, 16), (200, 30, 30)).save(buffer, format="PNG")
    return buffer.getvalue()


def upload(name: str, content: bytes, content_type: str) -> SimpleUploadedFile:
    # The declared type is what the browser would say for the name: the checks ignore it.
    return SimpleUploadedFile(name, content, content_type)


def html_of(response: Any) -> str:
    return str(response.content.decode())


def files_under(root: Path) -> list[Path]:
    return [p for p in Path(root).rglob("*") if p.is_file()]


# --- Eligibility proofs -----------------------------------------------------------------------


def post_proof(client: Any, candidacy: Any, proof: SimpleUploadedFile) -> Any:
    return client.post(
        f"/candidatures/{candidacy.pk}/diagnostic/",
        {
            "registered_with_france_travail": "on",
            "c_rsa": "on",
            "proof_rsa": proof,
            "issued_rsa": "2026-11-20",
        },
    )


@pytest.mark.parametrize(
    ("proof", "message"),
    [
        (
            upload("attestation-caf.pdf", HTML, "application/pdf"),
            "n&#x27;est ni un PDF, ni un JPEG, ni un PNG",
        ),
        (
            upload("attestation.pdf", b"%PDF-1.7\n" + b"0" * SIX_MEGABYTES, "application/pdf"),
            "5 Mo au plus",
        ),
    ],
    ids=["html-named-pdf", "oversize"],
)
def test_a_proof_is_checked_by_content_and_size(
    client_for: Any, world: Any, settings: Any, proof: Any, message: str
) -> None:
    candidacy = factories.referral(world)
    response = post_proof(client_for("prescriber"), candidacy, proof)
    assert response.status_code == 200
    assert message in html_of(response)
    assert not Proof.objects.exists()
    assert files_under(settings.MEDIA_ROOT) == []


@pytest.fixture
def proof(client_for: Any, world: Any) -> Proof:
    candidacy = factories.referral(world)
    good = upload("attestation-caf.pdf", factories.proof_pdf(), "application/pdf")
    assert post_proof(client_for("prescriber"), candidacy, good).status_code == 302
    return Proof.objects.get()


@pytest.mark.parametrize("role", OUTSIDERS + ["trainer", "learner"])
def test_a_proof_is_served_only_to_those_who_may_read_it(
    client: Any, world: Any, proof: Proof, role: str
) -> None:
    url = reverse("proof_download", args=[proof.pk])
    client.logout()
    assert client.get(url).status_code == 302  # anonymous: to the login page
    log_in(client, world.user(role))
    assert client.get(url).status_code == 404


def test_a_proof_is_served_with_its_checked_type_and_never_from_a_public_url(
    client: Any, world: Any, proof: Proof
) -> None:
    log_in(client, world.user("prescriber"))
    response = client.get(reverse("proof_download", args=[proof.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"].startswith("attachment")
    # The stored name is random and has no URL: not under /media/, not under /static/.
    assert "attestation" not in proof.file.name
    for prefix in ("/media/", "/static/", "/"):
        assert client.get(prefix + proof.file.name).status_code == 404


# --- Evaluation photos ------------------------------------------------------------------------


@pytest.fixture
def enrolment(world: Any) -> Any:
    enrolment = factories.enrolled(world, world.running, first_name="Inès", last_name="Benali")
    factories.link_account(enrolment.candidacy.person, world.user("learner"))
    return enrolment


def post_evaluation(client: Any, enrolment: Any, photo: SimpleUploadedFile) -> Any:
    return client.post(
        reverse("enrolment_evaluations", args=[enrolment.pk]), evaluation_fields(enrolment, photo)
    )


@pytest.mark.parametrize(
    ("photo", "message"),
    [
        (upload("soudure.jpg", HTML, "image/jpeg"), "n&#x27;est pas une photo"),
        (upload("soudure.png", png() + b"\0" * SIX_MEGABYTES, "image/png"), "5 Mo au plus"),
    ],
    ids=["html-named-jpg", "oversize"],
)
def test_a_photo_is_checked_by_content_and_size(
    client_for: Any, enrolment: Any, settings: Any, photo: Any, message: str
) -> None:
    before = files_under(settings.MEDIA_ROOT)  # the enrolment's own eligibility proof
    response = post_evaluation(client_for("trainer"), enrolment, photo)
    assert response.status_code == 200
    assert message in html_of(response)
    assert not PracticalEvaluation.objects.exists()
    assert files_under(settings.MEDIA_ROOT) == before


@pytest.mark.parametrize("role", OUTSIDERS + ["prescriber"])
def test_a_photo_is_served_only_to_those_who_may_read_it(
    client: Any, client_for: Any, world: Any, enrolment: Any, role: str
) -> None:
    post_evaluation(client_for("trainer"), enrolment, upload("s.png", png(), "image/png"))
    evaluation = PracticalEvaluation.objects.get()
    url = reverse("evaluation_photo", args=[evaluation.pk])
    assert client.get(url)["Content-Type"] == "image/png"  # the trainer's session
    for prefix in ("/media/", "/"):
        assert client.get(prefix + evaluation.photo.name).status_code == 404
    client.logout()
    assert client.get(url).status_code == 302
    log_in(client, world.user(role))
    assert client.get(url).status_code == 404


# --- Bulk referrals (CSV / XLSX) --------------------------------------------------------------


def post_list(client: Any, world: Any, name: str, content: bytes) -> Any:
    return client.post(
        reverse("import_upload"),
        {"cohort": world.upcoming.pk, "file": upload(name, content, "text/csv")},
    )


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("liste.csv", HTML),
        ("liste.csv", b"\xef\xbb\xbf  <?xml version='1.0'?><svg/>"),
        ("liste.xlsx", factories.proof_pdf()),
    ],
    ids=["html-named-csv", "svg-named-csv", "pdf-named-xlsx"],
)
def test_a_list_that_is_not_a_table_is_refused(
    client_for: Any, world: Any, name: str, content: bytes
) -> None:
    response = post_list(client_for("prescriber"), world, name, content)
    assert response.status_code == 200
    assert "ni un classeur .xlsx ni un fichier CSV lisible" in html_of(response)
    assert not ImportBatch.objects.exists()


def test_an_oversize_list_is_refused_while_received(
    client_for: Any, world: Any, settings: Any
) -> None:
    settings.IMPORT_MAX_UPLOAD_BYTES = 1024 * 1024
    content = factories.IMPORT_HEADER.encode() + b"\n" + b"x;" * (700 * 1024)
    response = post_list(client_for("prescriber"), world, "liste.csv", content)
    assert "Le fichier dépasse 1 Mo" in html_of(response)
    assert not ImportBatch.objects.exists()


@pytest.mark.parametrize("role", ["outsider_prescriber", "coordinator", "trainer", "employer"])
def test_a_list_is_seen_only_by_who_uploaded_it(client: Any, world: Any, role: str) -> None:
    batch = factories.import_batch(world)
    log_in(client, world.user(role))
    assert client.get(reverse("import_detail", args=[batch.pk])).status_code in (403, 404)


# --- France Travail offers (JSON, not kept) ---------------------------------------------------


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (HTML, "n&#x27;est pas un JSON valide"),
        (b"[" + b" " * (2 * 1024 * 1024) + b"]", "Fichier trop volumineux (2 Mo au plus)"),
    ],
    ids=["html-named-json", "oversize"],
)
def test_an_offers_file_is_checked_by_content_and_size(
    client_for: Any, world: Any, content: bytes, message: str
) -> None:
    before = Opening.objects.count()
    response = client_for("coordinator").post(
        reverse("opening_import"), {"file": upload("offres.json", content, "application/json")}
    )
    assert response.status_code == 200
    assert message in html_of(response)
    assert Opening.objects.count() == before


@pytest.mark.parametrize("role", ["trainer", "prescriber", "employer", "funder", "learner"])
def test_only_coordinators_and_admins_send_offers(client_for: Any, role: str) -> None:
    response = client_for(role).post(
        reverse("opening_import"), {"file": upload("offres.json", b"[]", "application/json")}
    )
    assert response.status_code == 403


# --- QPV GeoJSON (kept an hour for the confirmation, in private storage) ----------------------


def test_a_qpv_file_is_checked_by_content_and_size(
    client_for: Any, world: Any, settings: Any, monkeypatch: Any
) -> None:
    client = client_for("network_admin")
    response = client.post(
        reverse("qpv_import"), {"file": upload("qpv.geojson", HTML, "application/geo+json")}
    )
    assert response.status_code == 200
    assert "n&#x27;est pas un JSON valide" in html_of(response)
    assert files_under(settings.MEDIA_ROOT) == []  # only a file that reads well is kept

    monkeypatch.setattr("tremplin.www.geo.forms.MAX_QPV_FILE_BYTES", 1024 * 1024)
    big = b'{"type": "FeatureCollection", "features": []' + b" " * (1024 * 1024) + b"}"
    response = client.post(
        reverse("qpv_import"), {"file": upload("qpv.geojson", big, "application/geo+json")}
    )
    assert "Fichier trop volumineux (1 Mo, maximum 1 Mo)" in html_of(response)
    assert files_under(settings.MEDIA_ROOT) == []


@pytest.mark.parametrize("role", ["coordinator", "trainer", "prescriber", "employer", "learner"])
def test_only_network_admins_send_a_qpv_file(client_for: Any, role: str) -> None:
    response = client_for(role).post(
        reverse("qpv_import"), {"file": upload("qpv.geojson", b"{}", "application/geo+json")}
    )
    assert response.status_code == 403


# --- Generated documents: served the same way -------------------------------------------------


def test_no_public_url_serves_the_private_files(client_for: Any, settings: Any) -> None:
    # MEDIA_ROOT holds every kept file; nothing maps a URL onto it.
    assert not settings.MEDIA_URL or settings.MEDIA_URL == "/"
    assert Path(settings.MEDIA_ROOT) != Path(settings.STATIC_ROOT or "/nonexistent")
    secret = Path(settings.MEDIA_ROOT) / "proofs" / "fichier.pdf"
    secret.parent.mkdir(parents=True)
    secret.write_bytes(factories.proof_pdf())
    client = client_for("network_admin")
    for url in (
        "/media/proofs/fichier.pdf",
        "/proofs/fichier.pdf",
        "/static/../proofs/fichier.pdf",
    ):
        assert client.get(url).status_code == 404
