"""Hostile files through every import: the parse functions and the upload pages.

The bulk referral list (CSV/XLSX, tremplin/intake), the France Travail offers file (JSON), the
QPV neighbourhoods (GeoJSON), and the proofs and photos checked from their bytes get random
bytes, truncated XLSX archives, CSV with formula injection, wrong encodings, BOMs, NULs, huge
cells and NIR-shaped cells. Properties: the parse functions only ever raise their own refusal
(with a message for the person) or return a report; the upload pages never answer 500; a
refused file writes nothing.
"""

import io
import json
from typing import Any

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from tests import factories
from tests.auth import log_in
from tests.fuzz.conftest import rolled_back
from tremplin.assessments.photos import check_photo
from tremplin.core.uploads import UploadRejected
from tremplin.eligibility.proofs import ProofRejected, check_proof
from tremplin.employers.francetravail import read_offer_file
from tremplin.employers.models import Opening
from tremplin.engine.tabular import TabularError
from tremplin.geo.qpv_file import read_qpv_file
from tremplin.intake.analysis import analyse
from tremplin.intake.messages import file_error_text
from tremplin.intake.models import ImportBatch
from tremplin.intake.services import IntakeError, import_batch_create

pytestmark = pytest.mark.django_db

HEADER = factories.IMPORT_HEADER.split(";")
CELLS = [
    "",
    "Arnaud",
    "Lina",
    "12/03/1990",
    "1990-03-12",
    "31/02/1990",
    "13015",
    "Marseille",
    "CAP",
    "bac",
    "Transports en commun",
    "oui",
    "non",
    "=1+1",
    '=HYPERLINK("http://evil.example","clic")',
    "+33612345678",
    "-2+3",
    "@SUM(A1:A2)",
    "\x00",
    "a\x00b",
    "1 85 05 78 006 084 36",
    "185057800608436",
    "<script>alert(1)</script>",
    "' OR 1=1 --",
    "\u202e",
    "🇫🇷",
    "é" * 300,
    "x" * 40_000,
    '"',
    ";;;",
    "\r\n",
]

cells = st.one_of(st.sampled_from(CELLS), st.text(max_size=30))
rows = st.lists(st.lists(cells, max_size=len(HEADER) + 2), max_size=12)
headers = st.one_of(
    st.just(HEADER),
    st.lists(st.one_of(st.sampled_from(HEADER), st.text(max_size=15)), max_size=10),
)


@st.composite
def csv_files(draw: Any) -> bytes:
    header, body = draw(headers), draw(rows)
    separator = draw(st.sampled_from([";", ",", "\t", "|"]))
    text = "\n".join(separator.join(row) for row in [header, *body])
    encoding = draw(st.sampled_from(["utf-8", "utf-8-sig", "cp1252", "utf-16", "latin-1"]))
    content = text.encode(encoding, errors="replace")
    if draw(st.booleans()):
        content = content[: draw(st.integers(min_value=0, max_value=len(content)))]
    return content


def xlsx_bytes(header: list[str], body: list[list[Any]]) -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    for row in [header, *body]:
        sheet.append(
            [ILLEGAL_CHARACTERS_RE.sub("", c)[:32_000] if isinstance(c, str) else c for c in row]
        )
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


xlsx_cells = st.one_of(
    cells,
    st.integers(min_value=-(2**62), max_value=2**62),
    st.floats(allow_nan=True, allow_infinity=False),
    st.dates(),
    st.datetimes(),
)


@st.composite
def xlsx_files(draw: Any) -> bytes:
    body = draw(st.lists(st.lists(xlsx_cells, max_size=len(HEADER) + 2), max_size=8))
    content = xlsx_bytes(draw(headers), body)
    cut = draw(st.one_of(st.none(), st.integers(min_value=0, max_value=len(content))))
    return content if cut is None else content[:cut]


random_files = st.one_of(
    st.binary(max_size=2000),
    st.sampled_from([b"", b"\xef\xbb\xbf", b"PK\x03\x04", b"PK\x03\x04" + b"\x00" * 100]),
)
tabular_files = st.one_of(csv_files(), xlsx_files(), random_files)


@settings(max_examples=40)
@given(content=tabular_files)
def test_referral_list_parse_refuses_cleanly(arena: dict[str, Any], content: bytes) -> None:
    cohort = arena["world"].upcoming
    try:
        analyse(content, cohort, today=timezone.localdate())
    except TabularError as error:
        assert error.problems
        assert file_error_text(error.problems).strip()


@settings(max_examples=12)
@given(content=tabular_files)
def test_referral_list_service_writes_nothing_when_refused(
    arena: dict[str, Any], content: bytes
) -> None:
    world = arena["world"]
    with rolled_back():
        before = ImportBatch.objects.count()
        try:
            import_batch_create(
                owner=world.user("prescriber"),
                cohort=world.upcoming,
                filename="liste.csv",
                content=content,
            )
        except IntakeError as error:
            assert error.message.strip()
            assert ImportBatch.objects.count() == before
        else:
            assert ImportBatch.objects.count() == before + 1


def upload(name: str, content: bytes, kind: str = "application/octet-stream") -> Any:
    return SimpleUploadedFile(name, content, kind)


def logged_in(arena: dict[str, Any], role: str) -> Client:
    client: Client = log_in(Client(), arena["world"].user(role))
    return client


@settings(max_examples=12)
@given(
    content=tabular_files,
    name=st.sampled_from(["liste.csv", "liste.xlsx", "liste.exe", "", "../../x.csv", "l\x00.csv"]),
)
def test_referral_upload_page(arena: dict[str, Any], content: bytes, name: str) -> None:
    client = logged_in(arena, "prescriber")
    with rolled_back():
        before = ImportBatch.objects.count()
        response = client.post(
            reverse("import_upload"),
            {"cohort": arena["world"].upcoming.pk, "file": upload(name or "x", content)},
        )
        assert response.status_code in (200, 302)
        if response.status_code == 200:
            assert response.context["form"].errors, "a refused file must say why"
            assert ImportBatch.objects.count() == before
        else:
            # The checked list's preview shows whatever the file held, escaped.
            assert client.get(response["Location"]).status_code == 200


json_leaves = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=False, allow_infinity=False),
    st.sampled_from(CELLS),
    st.text(max_size=20),
)
json_containers = st.one_of(
    st.lists(json_leaves, max_size=4),
    st.dictionaries(st.text(max_size=8), json_leaves, max_size=4),
)
json_values = st.one_of(
    json_leaves,
    json_containers,
    st.lists(json_containers, max_size=3),
    st.dictionaries(st.text(max_size=8), json_containers, max_size=3),
)
OFFER_KEYS = [
    "id",
    "intitule",
    "romeCode",
    "typeContrat",
    "natureContrat",
    "lieuTravail",
    "entreprise",
    "dateCreation",
    "nombrePostes",
    "description",
    "dureeTravailLibelle",
    "dureeTravailLibelleConverti",
]
offer = st.dictionaries(st.sampled_from(OFFER_KEYS), json_values, max_size=len(OFFER_KEYS))
offers = st.lists(offer, max_size=5)


@st.composite
def offer_files(draw: Any) -> bytes:
    data = draw(st.one_of(offers, st.fixed_dictionaries({"resultats": offers}), json_values))
    text = json.dumps(data, ensure_ascii=draw(st.booleans()))
    prefix = draw(st.sampled_from(["", "\ufeff", "NaN", "[", " "]))
    content = (prefix + text).encode("utf-8")
    if draw(st.booleans()):
        content = content[: draw(st.integers(min_value=0, max_value=len(content)))]
    return bytes(content)


@settings(max_examples=40)
@given(content=st.one_of(offer_files(), random_files))
def test_offer_file_parse_reports(content: bytes) -> None:
    report = read_offer_file(content)
    assert report.ok or report.errors or report.more_errors


@settings(max_examples=12)
@given(content=st.one_of(offer_files(), random_files))
def test_offer_upload_and_confirm_pages(arena: dict[str, Any], content: bytes) -> None:
    client = logged_in(arena, "coordinator")
    with rolled_back():
        before = Opening.objects.count()
        response = client.post(reverse("opening_import"), {"file": upload("offres.json", content)})
        assert response.status_code == 200
        token = response.context.get("token")
        if token:
            confirm = client.post(reverse("opening_import_confirm"), {"token": token})
            assert confirm.status_code in (200, 302)
        else:
            assert Opening.objects.count() == before


coordinates = st.one_of(
    st.floats(allow_nan=True, allow_infinity=True),
    st.integers(min_value=-(10**30), max_value=10**30),
    st.text(max_size=5),
    st.none(),
)
ring = st.lists(st.lists(coordinates, min_size=0, max_size=3), max_size=6)
geometry = st.one_of(
    st.fixed_dictionaries(
        {
            "type": st.sampled_from(["Polygon", "MultiPolygon", "Point", "Banane"]),
            "coordinates": st.one_of(
                st.lists(ring, max_size=2), st.lists(st.lists(ring, max_size=2), max_size=2)
            ),
        }
    ),
    json_values,
)
qpv_properties = st.dictionaries(
    st.sampled_from(["code_qp", "lib_qp", "insee_com", "codes_insee", "nom", "code"]),
    st.one_of(st.sampled_from(["QN01301M", "QP093012", "13201", "2A004", "Q", ""]), json_values),
    max_size=5,
)
feature = st.fixed_dictionaries(
    {
        "type": st.sampled_from(["Feature", "feature"]),
        "properties": qpv_properties,
        "geometry": geometry,
    }
)


@st.composite
def qpv_files(draw: Any) -> bytes:
    collection: Any = {"type": "FeatureCollection", "features": draw(st.lists(feature, max_size=4))}
    if draw(st.booleans()):
        collection["crs"] = draw(json_values)
    data = draw(st.one_of(st.just(collection), json_values))
    content = json.dumps(data).encode(draw(st.sampled_from(["utf-8", "utf-16"])))
    if draw(st.booleans()):
        content = content[: draw(st.integers(min_value=0, max_value=len(content)))]
    return content


@settings(max_examples=40)
@given(content=st.one_of(qpv_files(), random_files))
def test_qpv_file_parse_reports(content: bytes) -> None:
    report = read_qpv_file(content)
    assert report.rows or report.errors or report.more_errors


@settings(max_examples=10)
@given(content=st.one_of(qpv_files(), random_files))
def test_qpv_upload_page(arena: dict[str, Any], content: bytes) -> None:
    client = logged_in(arena, "network_admin")
    with rolled_back():
        response = client.post(reverse("qpv_import"), {"file": upload("qpv.geojson", content)})
        assert response.status_code == 200


MAGIC = [b"", b"%PDF-1.4\n", b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff\xe0", b"MZ", b"PK\x03\x04"]


@settings(max_examples=40)
@given(
    prefix=st.sampled_from(MAGIC),
    tail=st.binary(max_size=3000),
    name=st.sampled_from(["preuve.pdf", "photo.jpg", "photo.png", "x", "a.exe", "é\x00.pdf"]),
)
def test_proof_and_photo_checks_refuse_cleanly(prefix: bytes, tail: bytes, name: str) -> None:
    content = prefix + tail
    try:
        check_proof(name, content)
    except ProofRejected as refused:
        assert str(refused.message).strip()
    try:
        check_photo(name, content)
    except UploadRejected as refused:
        assert str(refused.message).strip()
