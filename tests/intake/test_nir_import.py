"""A bulk-referral file holding a social security number: the row is refused, nothing kept."""

import io
from html import unescape

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from tests import factories
from tremplin.candidacies.models import Candidacy
from tremplin.intake.messages import describe
from tremplin.intake.models import ImportBatch
from tremplin.intake.services import IntakeError, import_batch_confirm, import_batch_create
from tremplin.people.models import Person

pytestmark = pytest.mark.django_db

HEADER = factories.IMPORT_HEADER + ";téléphone;motivation"
LINA = "Arnaud;Lina;12/03/1990;13015;Marseille;CAP;Transports en commun;oui;06 12 34 56 78;"
NIR = "1850775123456" + f"{97 - 1850775123456 % 97:02d}"
SPACED_NIR = f"{NIR[0]} {NIR[1:3]} {NIR[3:5]} {NIR[5:7]} {NIR[7:10]} {NIR[10:13]} {NIR[13:]}"
MARC = "Rossi;Marc;05/11/1979;13003;Marseille;bac;Véhicule personnel;oui;;Fibre, NIR {nir}"
MESSAGE = "Ne saisissez pas de numéro de sécurité sociale : Tremplin n'en a pas besoin."


def csv(*lines: str) -> bytes:
    return "\n".join([HEADER, *lines]).encode()


def test_a_nir_in_any_column_is_a_row_problem_and_the_file_is_not_kept(world):
    content = csv(LINA, MARC.format(nir=SPACED_NIR), LINA.replace("06 12 34 56 78", NIR))
    batch = import_batch_create(
        owner=world.user("prescriber"), cohort=world.upcoming, filename="l.csv", content=content
    )
    assert (batch.row_count, batch.invalid_count, batch.new_count) == (3, 2, 1)
    problems = [describe(p) for p in batch.analysis["problems"]]
    assert [(p["row"], p["column"]) for p in problems] == [(3, "motivation"), (4, "téléphone")]
    assert all(p["message"].startswith(MESSAGE) for p in problems)
    # Neither the number nor the file that holds it is stored.
    assert bytes(batch.content) == b""
    stored = str(ImportBatch.objects.values().get())
    assert NIR not in stored and SPACED_NIR not in stored and "Rossi" not in stored
    with pytest.raises(IntakeError):
        import_batch_confirm(batch=batch, by=world.user("prescriber"))
    assert not Candidacy.objects.exists() and not Person.objects.exists()


def test_a_nir_typed_in_a_number_cell_of_a_workbook_is_refused(world):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(HEADER.split(";"))
    row: list[object] = LINA.split(";")
    row[8] = int(NIR)
    sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    batch = import_batch_create(
        owner=world.user("prescriber"),
        cohort=world.upcoming,
        filename="l.xlsx",
        content=buffer.getvalue(),
    )
    assert batch.invalid_count == 1 and batch.analysis["problems"][0]["code"] == "nir"
    assert bytes(batch.content) == b""


def test_the_preview_page_shows_the_message(client_for, world):
    client = client_for("prescriber")
    response = client.post(
        reverse("import_upload"),
        {
            "cohort": world.upcoming.pk,
            "file": SimpleUploadedFile("liste.csv", csv(MARC.format(nir=NIR))),
        },
    )
    html = unescape(client.get(response["Location"]).content.decode())
    assert MESSAGE in html
    assert NIR not in html
    assert not Candidacy.objects.exists() and not Person.objects.exists()


def test_a_file_without_nir_is_kept_as_before(world):
    content = csv(LINA, MARC.format(nir="SIRET 732 829 320 00074"))
    batch = import_batch_create(
        owner=world.user("prescriber"), cohort=world.upcoming, filename="l.csv", content=content
    )
    assert batch.invalid_count == 0 and bytes(batch.content) == content
