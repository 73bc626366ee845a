"""Bulk referral services: a checked upload writes nothing else; the import all or nothing."""

import datetime

import pytest
from django.db import DatabaseError, connection
from django.test.utils import CaptureQueriesContext

from tests import factories
from tremplin.candidacies.models import Candidacy
from tremplin.core.models import AuditEntry, TaskProgress
from tremplin.intake.enums import ImportStatus, RowOutcome
from tremplin.intake.models import ImportBatch, ImportRow
from tremplin.intake.services import (
    IntakeError,
    import_batch_confirm,
    import_batch_create,
    import_batch_run,
)
from tremplin.people.models import Person

pytestmark = pytest.mark.django_db

HEADER = factories.IMPORT_HEADER + ";email;motivation"


def line(last: str, first: str, birth: str = "12/03/1990", **extra: str) -> str:
    email = extra.get("email", f"{first.lower()}@example.org")
    motivation = extra.get("motivation", "")
    postal_code = extra.get("postal_code", "13015")
    return f"{last};{first};{birth};{postal_code};Marseille;CAP;bus;oui;{email};{motivation}"


def csv(*lines: str) -> bytes:
    return "\n".join([HEADER, *lines]).encode()


def upload(world, content: bytes, role: str = "prescriber", cohort=None) -> ImportBatch:
    return import_batch_create(
        owner=world.user(role),
        cohort=cohort or world.upcoming,
        filename="liste.csv",
        content=content,
    )


def snapshot() -> dict[str, int]:
    return {
        model.__name__: model.objects.count()
        for model in (ImportBatch, ImportRow, Candidacy, Person, AuditEntry, TaskProgress)
    }


def test_upload_keeps_the_file_and_its_preview_and_writes_nothing_else(world):
    content = csv(line("Arnaud", "Lina"), line("Rossi", "Marc", "05/11/1979"))
    batch = upload(world, content)
    assert batch.status == ImportStatus.PREVIEW
    assert bytes(batch.content) == content
    assert batch.organisation == world.france_travail
    assert (batch.row_count, batch.invalid_count, batch.new_count, batch.duplicate_count) == (
        2,
        0,
        2,
        0,
    )
    assert [r["name"] for r in batch.analysis["rows"]] == ["Lina ARNAUD", "Marc ROSSI"]
    assert not Candidacy.objects.exists() and not Person.objects.exists()
    assert AuditEntry.objects.filter(action="import.upload", object_id=str(batch.pk)).exists()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "Le fichier est vide."),
        (factories.IMPORT_HEADER.encode() + b"\n", "ne contient que la ligne d'en-tête"),
        ("nom;prénom\nA;B\n".encode(), "Colonnes obligatoires absentes : date de naissance"),
        (csv(line("A", "B")).replace(b"email", b"numero FT"), "Colonne inconnue « numero FT »"),
        (csv(line("Arnaud", "Lina")).decode().encode("utf-16"), "UTF-16"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "ni un classeur .xlsx ni un fichier CSV"),
    ],
)
def test_unreadable_files_are_refused_in_french_and_nothing_is_written(world, content, message):
    before = snapshot()
    with pytest.raises(IntakeError) as error:
        upload(world, content)
    assert message in error.value.message
    assert snapshot() == before


def test_a_started_cohort_is_refused(world):
    before = snapshot()
    with pytest.raises(IntakeError, match="déjà commencé"):
        upload(world, csv(line("Arnaud", "Lina")), cohort=world.running)
    assert snapshot() == before


def test_invalid_rows_are_listed_and_the_file_cannot_be_imported(world):
    content = csv(
        line("Arnaud", "Lina", "31/02/1990"),
        line("Rossi", "Marc", "05/11/2030"),
        line('=HYPERLINK("http://x.example")', "Eve"),
        line("Diallo", "Awa"),
    )
    batch = upload(world, content)
    assert (batch.row_count, batch.invalid_count, batch.new_count) == (4, 3, 1)
    assert [(p["row"], p["column"], p["code"]) for p in batch.analysis["problems"]] == [
        (2, "birth_date", "bad_date"),
        (3, "birth_date", "date_in_future"),
        (4, "last_name", "formula"),
    ]
    before = snapshot()
    with pytest.raises(IntakeError, match="lignes en erreur"):
        import_batch_confirm(batch=batch, by=world.user("prescriber"))
    assert snapshot() == before
    batch.refresh_from_db()
    assert batch.status == ImportStatus.PREVIEW


def test_confirm_imports_every_row_through_the_referral_service(world):
    batch = upload(
        world,
        csv(line("Arnaud", "Lina", motivation="Veut poser de la fibre"), line("Rossi", "Marc")),
    )
    prescriber = world.user("prescriber")
    assert import_batch_confirm(batch=batch, by=prescriber) is None  # small: done in the request
    batch.refresh_from_db()
    assert batch.status == ImportStatus.IMPORTED
    assert batch.created_count == 2 and batch.imported_at is not None
    assert bytes(batch.content) == b"" and batch.analysis["rows"] == []
    candidacies = Candidacy.objects.order_by("person__last_name")
    assert [c.person.full_name for c in candidacies] == ["Lina ARNAUD", "Marc ROSSI"]
    assert {c.prescriber_organisation for c in candidacies} == {world.france_travail}
    assert {c.referred_by for c in candidacies} == {prescriber}
    assert candidacies[0].motivation == "Veut poser de la fibre"
    assert candidacies[0].person.email == "lina@example.org"
    assert list(batch.rows.values_list("row_number", "outcome")) == [
        (2, RowOutcome.CREATED),
        (3, RowOutcome.CREATED),
    ]
    assert AuditEntry.objects.filter(action="candidacy.create").count() == 2
    assert AuditEntry.objects.filter(action="import.finish", object_id=str(batch.pk)).exists()


def test_a_coordinator_imports_into_their_site_with_their_organisation(world):
    batch = upload(world, csv(line("Arnaud", "Lina")), role="coordinator")
    import_batch_confirm(batch=batch, by=world.user("coordinator"))
    candidacy = Candidacy.objects.get()
    assert candidacy.referred_by == world.user("coordinator")
    assert candidacy.prescriber_organisation == world.user("coordinator").organisation


def test_duplicates_in_the_file_are_flagged_and_skipped(world):
    batch = upload(
        world,
        csv(
            line("Arnaud", "Lina"),
            line("Rossi", "Marc"),
            line("ARNAUD ", "lina", email="autre@example.org"),
        ),
    )
    assert (batch.new_count, batch.duplicate_count) == (2, 1)
    assert batch.analysis["rows"][2]["outcome"] == RowOutcome.DUPLICATE_IN_FILE
    assert batch.analysis["rows"][2]["duplicate_of"] == 2
    import_batch_confirm(batch=batch, by=world.user("prescriber"))
    assert Candidacy.objects.count() == 2
    skipped = ImportRow.objects.get(row_number=4)
    assert (skipped.outcome, skipped.duplicate_of_row, skipped.candidacy) == (
        RowOutcome.DUPLICATE_IN_FILE,
        2,
        None,
    )


def test_the_same_file_twice_creates_nothing_the_second_time(world):
    content = csv(line("Arnaud", "Lina"), line("Rossi", "Marc"))
    import_batch_confirm(batch=upload(world, content), by=world.user("prescriber"))
    again = upload(world, content)
    assert (again.new_count, again.duplicate_count) == (0, 2)
    assert {r["outcome"] for r in again.analysis["rows"]} == {RowOutcome.ALREADY_REFERRED}
    before = snapshot()
    with pytest.raises(IntakeError) as error:
        import_batch_confirm(batch=again, by=world.user("prescriber"))
    assert "Aucune nouvelle candidature" in error.value.message
    assert snapshot() == before


def test_a_file_sent_again_with_new_lines_adds_just_those(world):
    first = [line("Arnaud", "Lina"), line("Rossi", "Marc")]
    import_batch_confirm(batch=upload(world, csv(*first)), by=world.user("prescriber"))
    again = upload(world, csv(*first, line("Diallo", "Awa")))
    assert (again.new_count, again.duplicate_count) == (1, 2)
    import_batch_confirm(batch=again, by=world.user("prescriber"))
    assert Candidacy.objects.count() == 3
    assert list(again.rows.values_list("outcome", flat=True)) == [
        RowOutcome.ALREADY_REFERRED,
        RowOutcome.ALREADY_REFERRED,
        RowOutcome.CREATED,
    ]


def test_a_person_known_from_another_cohort_is_attached_not_duplicated(world):
    known = factories.referral(
        world,
        world.other_cohort,
        first_name="Lina",
        last_name="Arnaud",
        birth_date=datetime.date(1990, 3, 12),
    )
    batch = upload(world, csv(line("Arnaud", "Lina")))
    assert batch.analysis["rows"][0]["known_person"] is True
    import_batch_confirm(batch=batch, by=world.user("prescriber"))
    assert Person.objects.count() == 1
    assert Candidacy.objects.filter(person=known.person, cohort=world.upcoming).exists()


def test_someone_referred_between_preview_and_import_is_skipped(world):
    batch = upload(world, csv(line("Arnaud", "Lina"), line("Rossi", "Marc")))
    factories.referral(
        world, first_name="Marc", last_name="Rossi", birth_date=datetime.date(1990, 3, 12)
    )
    import_batch_confirm(batch=batch, by=world.user("prescriber"))
    batch.refresh_from_db()
    assert (batch.created_count, batch.duplicate_count) == (1, 1)
    assert Candidacy.objects.count() == 2


def test_all_or_nothing_when_the_cohort_starts_before_the_import(world, frozen_clock):
    batch = upload(world, csv(line("Arnaud", "Lina"), line("Rossi", "Marc")))
    frozen_clock.move_to(datetime.datetime(2027, 1, 5, 10, tzinfo=datetime.UTC))
    with pytest.raises(IntakeError, match="déjà commencé"):
        import_batch_confirm(batch=batch, by=world.user("prescriber"))
    batch.refresh_from_db()
    assert batch.status == ImportStatus.FAILED
    assert "déjà commencé" in batch.message
    assert not Candidacy.objects.exists() and not Person.objects.exists()
    assert not batch.rows.exists()
    assert bytes(batch.content)  # kept: the advisor may choose another cohort and upload again


def refuse_inserting_people_named(last_name: str) -> None:
    """A database trigger that refuses one person: a failure in the middle of the import."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(
                "CREATE TRIGGER refuse_person BEFORE INSERT ON people_person "
                f"WHEN NEW.last_name = '{last_name}' BEGIN SELECT RAISE(ABORT, 'refused'); END"
            )
        else:
            cursor.execute(
                "CREATE FUNCTION refuse_person() RETURNS trigger AS $$ BEGIN "
                f"IF NEW.last_name = '{last_name}' THEN RAISE EXCEPTION 'refused'; END IF; "
                "RETURN NEW; END $$ LANGUAGE plpgsql"
            )
            cursor.execute(
                "CREATE TRIGGER refuse_person BEFORE INSERT ON people_person "
                "FOR EACH ROW EXECUTE FUNCTION refuse_person()"
            )


def test_all_or_nothing_when_a_row_fails_after_others_were_written(world):
    batch = upload(world, csv(line("Arnaud", "Lina"), line("Diallo", "Awa"), line("Rossi", "Marc")))
    refuse_inserting_people_named("Rossi")
    with pytest.raises(DatabaseError):
        import_batch_confirm(batch=batch, by=world.user("prescriber"))
    batch.refresh_from_db()
    assert batch.status == ImportStatus.FAILED
    assert batch.message.startswith("Erreur inattendue")
    assert not Candidacy.objects.exists() and not Person.objects.exists()
    assert not batch.rows.exists()
    assert not AuditEntry.objects.filter(action="candidacy.create").exists()


def test_a_file_changed_after_its_preview_is_checked_again(world):
    batch = upload(world, csv(line("Arnaud", "Lina"), line("Rossi", "Marc")))
    ImportBatch.objects.filter(pk=batch.pk).update(
        content=csv(line("Arnaud", "Lina"), line("Rossi", "Marc", "99/99/1990"))
    )
    batch.refresh_from_db()
    with pytest.raises(IntakeError, match="ne passe plus les vérifications"):
        import_batch_confirm(batch=batch, by=world.user("prescriber"))
    batch.refresh_from_db()
    assert batch.status == ImportStatus.FAILED
    assert not Candidacy.objects.exists()


def test_a_failed_import_may_be_started_again(world, frozen_clock):
    batch = upload(world, csv(line("Arnaud", "Lina")))
    frozen_clock.move_to(datetime.datetime(2027, 1, 5, 10, tzinfo=datetime.UTC))
    with pytest.raises(IntakeError):
        import_batch_confirm(batch=batch, by=world.user("prescriber"))
    frozen_clock.move_to(datetime.datetime(2026, 12, 1, 10, tzinfo=datetime.UTC))
    import_batch_confirm(batch=batch, by=world.user("prescriber"))
    batch.refresh_from_db()
    assert batch.status == ImportStatus.IMPORTED
    assert Candidacy.objects.count() == 1


def test_confirming_twice_imports_once(world):
    batch = upload(world, csv(line("Arnaud", "Lina")))
    stale = ImportBatch.objects.get(pk=batch.pk)
    import_batch_confirm(batch=batch, by=world.user("prescriber"))
    with pytest.raises(IntakeError, match="impossible depuis l'état actuel"):
        import_batch_confirm(batch=stale, by=world.user("prescriber"))
    assert Candidacy.objects.count() == 1


def test_only_the_uploader_confirms(world):
    batch = upload(world, csv(line("Arnaud", "Lina")))
    with pytest.raises(IntakeError, match="Seule la personne"):
        import_batch_confirm(batch=batch, by=world.user("outsider_prescriber"))
    assert not Candidacy.objects.exists()


def test_a_large_file_runs_as_a_background_task_with_progress(
    world, settings, django_capture_on_commit_callbacks
):
    settings.IMPORT_INLINE_MAX_ROWS = 3
    lines = [line(f"Nom{chr(65 + i)}", f"Prenom{chr(65 + i)}") for i in range(5)]
    batch = upload(world, csv(*lines, lines[0]))
    with django_capture_on_commit_callbacks(execute=True):
        progress = import_batch_confirm(batch=batch, by=world.user("prescriber"))
    assert progress is not None
    progress.refresh_from_db()
    batch.refresh_from_db()
    assert batch.progress == progress
    assert batch.status == ImportStatus.IMPORTED
    assert (progress.status, progress.percent) == (TaskProgress.Status.DONE, 100)
    assert progress.message == "5 candidatures créées, 1 doublon ignoré."
    assert progress.result_name == f"import-{batch.pk}-compte-rendu.csv"
    report = progress.result_content.splitlines()
    assert report[0] == "ligne;résultat;candidature;personne;doublon de la ligne"
    assert report[-1] == "7;Doublon dans le fichier, ignoré;;;2"
    assert Candidacy.objects.count() == 5


def test_a_refused_background_import_shows_on_its_progress(
    world, settings, frozen_clock, django_capture_on_commit_callbacks
):
    settings.IMPORT_INLINE_MAX_ROWS = 0
    batch = upload(world, csv(line("Arnaud", "Lina")))
    frozen_clock.move_to(datetime.datetime(2027, 1, 5, 10, tzinfo=datetime.UTC))
    with django_capture_on_commit_callbacks(execute=True):
        progress = import_batch_confirm(batch=batch, by=world.user("prescriber"))
    progress.refresh_from_db()
    batch.refresh_from_db()
    assert progress.status == TaskProgress.Status.FAILED
    assert "déjà commencé" in progress.message
    assert batch.status == ImportStatus.FAILED
    assert not Candidacy.objects.exists()


def letters(n: int) -> str:
    return "".join(chr(65 + int(d)) for d in str(n))


@pytest.mark.parametrize("rows", [6, 60])
def test_the_preview_looks_up_duplicates_in_as_many_queries_whatever_the_rows(world, rows):
    content = csv(*(line("Nom" + letters(i), "Lina") for i in range(rows)))
    with CaptureQueriesContext(connection) as queries:
        batch = upload(world, content)
    assert batch.new_count == rows
    # duplicates, known people, savepoint, batch, audit (the chain's last hash, after the
    # advisory lock on PostgreSQL: core/audit_chain.py, then the entry), release
    chain = 2 if connection.vendor == "postgresql" else 1
    assert len(queries) == 6 + chain


def test_run_refuses_a_batch_not_started(world):
    batch = upload(world, csv(line("Arnaud", "Lina")))
    with pytest.raises(IntakeError, match="n'est pas en cours"):
        import_batch_run(batch=batch, by=world.user("prescriber"))
    assert not Candidacy.objects.exists()
