"""Bulk referral pages: who may import, the preview before anything is written, bad files."""

import codecs
import io
import random
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from tests import factories
from tests.auth import log_in
from tremplin.candidacies.models import Candidacy
from tremplin.core.models import AuditEntry, TaskProgress
from tremplin.engine.tabular import TabularError, read_table
from tremplin.intake.columns import columns
from tremplin.intake.enums import ImportStatus
from tremplin.intake.models import ImportBatch
from tremplin.people.models import Person

pytestmark = pytest.mark.django_db

HEADER = factories.IMPORT_HEADER
LINA = "Arnaud;Lina;12/03/1990;13015;Marseille;CAP;Transports en commun;oui"
MARC = "Rossi;Marc;05/11/1979;13003;Marseille;bac;Véhicule personnel;oui"


def csv(*lines: str, header: str = HEADER) -> bytes:
    return "\n".join([header, *lines]).encode()


def post_file(client, world, content: bytes, name: str = "liste.csv", cohort=None):
    return client.post(
        reverse("import_upload"),
        {
            "cohort": (cohort or world.upcoming).pk,
            "file": SimpleUploadedFile(name, content, content_type="application/octet-stream"),
        },
    )


def snapshot() -> dict[str, int]:
    return {
        model.__name__: model.objects.count()
        for model in (ImportBatch, Candidacy, Person, AuditEntry, TaskProgress)
    }


def page(response) -> str:
    return response.content.decode()


# --- Who may import ---------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["prescriber", "coordinator", "network_admin"])
def test_roles_who_import(client_for, world, role):
    client = client_for(role)
    assert client.get(reverse("import_upload")).status_code == 200
    response = post_file(client, world, csv(LINA, MARC))
    batch = ImportBatch.objects.get()
    assert response["Location"] == reverse("import_detail", args=[batch.pk])
    assert batch.owner == world.user(role)
    response = client.post(reverse("import_confirm", args=[batch.pk]))
    assert response["Location"] == reverse("import_detail", args=[batch.pk])
    assert Candidacy.objects.filter(referred_by=world.user(role)).count() == 2


@pytest.mark.parametrize("role", ["trainer", "employer", "funder", "learner"])
def test_roles_who_do_not_import(client_for, world, role):
    client = client_for(role)
    for name in ("import_upload", "import_columns", "import_template_xlsx", "import_template_csv"):
        assert client.get(reverse(name)).status_code == 403
    before = snapshot()
    assert post_file(client, world, csv(LINA)).status_code == 403
    assert snapshot() == before


def test_a_coordinator_chooses_among_their_sites_cohorts_only(client_for, world):
    client = client_for("coordinator")
    html = page(client.get(reverse("import_upload")))
    assert world.upcoming.name in html and world.other_cohort.name not in html
    before = snapshot()
    response = post_file(client, world, csv(LINA), cohort=world.other_cohort)
    assert "Sélectionnez un choix valide" in page(response)
    assert snapshot() == before


def test_a_prescriber_chooses_among_every_upcoming_cohort(client_for, world):
    html = page(client_for("prescriber").get(reverse("import_upload")))
    assert world.upcoming.name in html and world.other_cohort.name in html
    assert world.running.name not in html and world.past.name not in html


def test_a_batch_is_its_uploaders_alone(client, world):
    batch = factories.import_batch(world)
    colleague = factories.user(
        "prescriber", "collegue.ft@example.org", world.france_travail
    )  # same agency
    for user in (colleague, world.user("outsider_prescriber"), world.user("coordinator")):
        log_in(client, user)
        assert client.get(reverse("import_detail", args=[batch.pk])).status_code == 404
        assert client.post(reverse("import_confirm", args=[batch.pk])).status_code == 404
    assert not Candidacy.objects.exists()


def test_menu_entry_for_those_who_import(client_for):
    for role in ("prescriber", "coordinator"):
        assert ">Importer une liste</a>" in page(client_for(role).get("/candidatures/"))
    assert "Importer une liste" not in page(client_for("trainer").get("/promotions/"))


# --- The preview, then the import --------------------------------------------------------------


def test_preview_lists_rows_and_writes_no_candidacy(client_for, world):
    client = client_for("prescriber")
    response = post_file(client, world, csv(LINA, MARC, LINA.replace("Arnaud", "ARNAUD")))
    batch = ImportBatch.objects.get()
    html = page(client.get(response["Location"]))
    assert "Lina ARNAUD" in html and "Marc ROSSI" in html
    assert "Doublon de la ligne 2, ignoré" in html
    assert "Importer 2 candidatures" in html
    assert not Candidacy.objects.exists()
    response = client.post(reverse("import_confirm", args=[batch.pk]), follow=True)
    html = page(response)
    assert "Import terminé : 2 candidatures créées, 1 doublon ignoré." in html
    assert "Candidature créée" in html
    assert f'href="/candidatures/{Candidacy.objects.first().pk}/"' in html
    listing = page(client.get("/candidatures/"))
    assert "Lina ARNAUD" in listing and "Marc ROSSI" in listing


def test_an_xlsx_file(client_for, world):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(HEADER.split(";"))
    sheet.append(LINA.split(";"))
    buffer = io.BytesIO()
    workbook.save(buffer)
    client = client_for("prescriber")
    response = post_file(client, world, buffer.getvalue(), name="liste.xlsx")
    batch = ImportBatch.objects.get()
    assert response.status_code == 302
    assert (batch.file_format, batch.new_count) == ("xlsx", 1)


def test_row_errors_are_listed_with_row_column_and_message_and_nothing_imports(client_for, world):
    client = client_for("prescriber")
    content = csv(
        LINA.replace("12/03/1990", "31/02/1990"),
        MARC.replace("05/11/1979", "05/11/2031"),
        'Diallo;"=HYPERLINK(""http://x.example"",""clic"")";01/01/1990;13001;Marseille;CAP;bus;oui',
        "Petit;Awa;01/01/1990;13001;Marseille;CAP;fusée;non",
        "Martin;Léa;01/01/1990;13001;Marseille;CAP;bus;oui",
    )
    response = post_file(client, world, content)
    batch = ImportBatch.objects.get()
    html = page(client.get(response["Location"]))
    assert "4 lignes sont en erreur : rien ne sera importé." in html
    for row, column, message in [
        (2, "date de naissance", "« 31/02/1990 » n&#x27;est pas une date"),
        (3, "date de naissance", "La date 05/11/2031 est dans le futur."),
        (4, "prénom", "La cellule commence par « = » : les formules ne sont pas acceptées."),
        (5, "mobilité", "« fusée » n&#x27;est pas reconnu"),
        (5, "consentement", "Sans le consentement de la personne"),
    ]:
        assert f"<tr><td>{row}</td><td>{column}</td><td>{message}" in html
    assert f'action="/importer/{batch.pk}/confirmer/"' not in html
    before = snapshot()
    response = client.post(reverse("import_confirm", args=[batch.pk]), follow=True)
    assert (
        "Le fichier contient des lignes en erreur : corrigez-les puis déposez le fichier à "
        "nouveau. Rien n&#x27;a été importé." in page(response)
    )
    assert snapshot() == before


def test_the_same_file_twice(client_for, world):
    client = client_for("prescriber")
    post_file(client, world, csv(LINA, MARC))
    client.post(reverse("import_confirm", args=[ImportBatch.objects.get().pk]))
    response = post_file(client, world, csv(LINA, MARC))
    html = page(client.get(response["Location"]))
    assert "Aucune nouvelle candidature : toutes les personnes du fichier sont déjà" in html
    assert "Déjà orienté·e vers cette promotion, ignoré" in html
    assert 'action="/importer/' not in html
    assert Candidacy.objects.count() == 2


def test_a_large_file_imports_in_the_background(
    client_for, world, settings, django_capture_on_commit_callbacks
):
    settings.IMPORT_INLINE_MAX_ROWS = 1
    client = client_for("prescriber")
    post_file(client, world, csv(LINA, MARC))
    batch = ImportBatch.objects.get()
    assert "en arrière-plan" in page(client.get(reverse("import_detail", args=[batch.pk])))
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("import_confirm", args=[batch.pk]))
    progress = TaskProgress.objects.get()
    assert response["Location"] == reverse("task_progress", args=[progress.pk])
    html = page(client.get(response["Location"]))
    assert "2 candidatures créées, aucun doublon." in html
    report = page(client.get(reverse("task_download", args=[progress.pk])))
    assert report.splitlines()[1] == "2;Candidature créée;{};Lina ARNAUD;".format(
        Candidacy.objects.get(person__last_name="Arnaud").pk
    )
    batch.refresh_from_db()
    assert batch.status == ImportStatus.IMPORTED
    assert "Importé le" in page(client.get(reverse("import_detail", args=[batch.pk])))


def test_an_import_in_progress_links_to_its_progress(client_for, world, settings):
    settings.IMPORT_INLINE_MAX_ROWS = 1
    client = client_for("prescriber")
    post_file(client, world, csv(LINA, MARC))
    batch = ImportBatch.objects.get()
    client.post(reverse("import_confirm", args=[batch.pk]))  # the task waits for the commit
    progress = TaskProgress.objects.get()
    html = page(client.get(reverse("import_detail", args=[batch.pk])))
    assert "Import en cours." in html
    assert f'href="/taches/{progress.pk}/"' in html
    assert not Candidacy.objects.exists()


def test_a_failed_import_says_why_and_may_be_confirmed_again(client_for, world, frozen_clock):
    client = client_for("prescriber")
    post_file(client, world, csv(LINA))
    batch = ImportBatch.objects.get()
    frozen_clock.move_to(world.upcoming.start_date.isoformat() + "T10:00:00+01:00")
    log_in(client, world.user("prescriber"))  # the session has expired in a month
    response = client.post(reverse("import_confirm", args=[batch.pk]), follow=True)
    html = page(response)
    assert "Cette promotion a déjà commencé" in html
    assert "L'import a échoué ; rien n'a été enregistré." in html
    assert "Importer 1 candidature" in html
    assert not Candidacy.objects.exists()


# --- Files refused as a whole: a clear message and nothing written ---------------------------


def zip_bomb() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr("xl/worksheets/sheet1.xml", bytes(60_000_000))
    return buffer.getvalue()


BAD_FILES = {
    "utf16": (csv(LINA).decode().encode("utf-16"), "encodé en UTF-16"),
    "invalid bytes": (csv(LINA) + b"\n\x81\x8d;\x90\n", "L&#x27;encodage du fichier n&#x27;est"),
    "missing columns": (
        b"nom;prenom;commune\nArnaud;Lina;Marseille\n",
        "Colonnes obligatoires absentes : date de naissance, code postal, diplôme, mobilité",
    ),
    "extra column": (
        csv(LINA + ";12345", header=HEADER + ";identifiant FT"),
        "Colonne inconnue « identifiant FT »",
    ),
    "misspelt column": (
        csv(LINA, header=HEADER.replace("mobilité", "mobilte")),
        "Colonne inconnue « mobilte » : vouliez-vous dire « mobilité » ?",
    ),
    "binary garbage": (random.Random(3).randbytes(5000), "ni un classeur .xlsx ni un fichier"),
    "empty": (b"", "Le fichier soumis est vide."),
    "blank": (b"\n \n", "Le fichier est vide."),
    "only headers": (csv(), "ne contient que la ligne d&#x27;en-tête"),
    "zip bomb": (zip_bomb(), "se décompresse en une taille anormale"),
    "legacy xls": (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(2000), "Excel 97-2003"),
    "pdf": (b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\x00\x01stream", "ni un classeur"),
}


@pytest.mark.parametrize("case", sorted(BAD_FILES))
def test_bad_files_are_refused_in_french_and_nothing_is_written(client_for, world, case):
    content, message = BAD_FILES[case]
    before = snapshot()
    response = post_file(client_for("prescriber"), world, content)
    assert response.status_code == 200
    assert message in page(response)
    assert 'id="id_file_error"' in page(response)
    assert snapshot() == before


def test_a_50_mb_file_is_refused_before_it_is_read(client_for, world):
    before = snapshot()
    response = post_file(client_for("prescriber"), world, b"x" * 50 * 1024 * 1024)
    assert response.status_code == 200
    assert "Le fichier dépasse 10 Mo" in page(response)
    assert snapshot() == before


def test_the_upload_stops_at_the_limit_even_under_a_smaller_declared_length(
    client_for, world, settings
):
    settings.IMPORT_MAX_UPLOAD_BYTES = 2 * 1024 * 1024
    content = csv(*[LINA] * 40_000)  # about 2.9 MB: within the slack of the declared length
    assert len(content) > settings.IMPORT_MAX_UPLOAD_BYTES
    before = snapshot()
    response = post_file(client_for("prescriber"), world, content)
    assert "Le fichier dépasse 2 Mo" in page(response)
    assert snapshot() == before


def test_the_upload_still_checks_the_csrf_token(world):
    # The view sets its size limit before the body is read, so it checks CSRF itself.
    client = Client(enforce_csrf_checks=True)
    log_in(client, world.user("prescriber"))
    before = snapshot()
    assert post_file(client, world, csv(LINA)).status_code == 403
    assert snapshot() == before


# --- Columns page and templates ----------------------------------------------------------------


def test_columns_page_documents_every_column(client_for):
    html = page(client_for("prescriber").get(reverse("import_columns")))
    for column in columns():
        assert f"<code>{column.header}</code>" in html
    assert "« Aucun diplôme »" in html and "« Transports en commun »" in html
    assert "Une colonne au titre inconnu fait refuser le fichier" in html


def test_xlsx_template_has_every_header_and_help(client_for, world):
    response = client_for("prescriber").get(reverse("import_template_xlsx"))
    assert response["Content-Disposition"] == 'attachment; filename="modele-orientations.xlsx"'
    content = response.content
    workbook = load_workbook(io.BytesIO(content))
    assert workbook.sheetnames == ["Orientations", "Aide"]
    headers = [cell.value for cell in workbook["Orientations"][1]]
    assert headers == [column.header for column in columns()]
    assert workbook["Aide"].max_row == len(columns()) + 1
    # The import reads it back: every header recognised, and no row to import yet.
    with pytest.raises(TabularError) as error:
        read_table(content, columns(), today=world.upcoming.start_date)
    assert [p.code for p in error.value.problems] == ["no_rows"]


def test_csv_template_opens_in_french_excel(client_for, world):
    content = client_for("coordinator").get(reverse("import_template_csv")).content
    assert content.startswith(codecs.BOM_UTF8)
    assert content.decode("utf-8-sig").strip() == ";".join(c.header for c in columns())
    with pytest.raises(TabularError) as error:
        read_table(content, columns(), today=world.upcoming.start_date)
    assert [p.code for p in error.value.problems] == ["no_rows"]


def test_a_filled_template_imports(client_for, world):
    client = client_for("prescriber")
    template = client.get(reverse("import_template_xlsx")).content
    workbook = load_workbook(io.BytesIO(template))
    sheet = workbook["Orientations"]
    values = {column.key: column.example for column in columns()}
    sheet.append([values[column.key] for column in columns()])
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = post_file(client, world, buffer.getvalue(), name="modele-orientations.xlsx")
    batch = ImportBatch.objects.get()
    assert response.status_code == 302, page(response)
    assert (batch.invalid_count, batch.new_count) == (0, 1), batch.analysis["problems"]
