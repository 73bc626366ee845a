"""The database connection dropped in the middle of an import: nothing half-written, the
batch and its progress failed with a message, and the import can be started again."""

import psycopg
import pytest
from django.db import connection

from tests.intake.test_services import csv, line, snapshot, upload
from tremplin.candidacies.models import Candidacy
from tremplin.core.models import AuditEntry, TaskProgress
from tremplin.intake import services
from tremplin.intake.enums import ImportStatus
from tremplin.intake.models import ImportRow
from tremplin.intake.services import import_batch_confirm
from tremplin.people.models import Person

pytestmark = pytest.mark.postgres


def _terminate_own_backend() -> None:
    """Kill this test's database session from another connection, as a crash or a failover
    of the database server would."""
    pid = connection.connection.info.backend_pid
    sd = connection.settings_dict
    with psycopg.connect(
        dbname=sd["NAME"],
        user=sd["USER"],
        password=sd["PASSWORD"] or None,
        host=sd["HOST"],
        port=sd["PORT"],
        autocommit=True,
    ) as other:
        assert other.execute("SELECT pg_terminate_backend(%s)", [pid]).fetchone() == (True,)


def test_a_connection_dropped_mid_import_writes_nothing_and_says_so(
    world_pg, settings, monkeypatch
):
    settings.IMPORT_INLINE_MAX_ROWS = 2  # a background task, with a progress record
    world = world_pg
    content = csv(*(line(f"Nom{chr(65 + i)}", "Lina", email=f"l{i}@example.org") for i in range(8)))
    batch = upload(world, content)
    before = snapshot()
    written = []
    original = services._write_candidacies

    def write_then_lose_the_connection(*args, **kwargs):
        rows = original(*args, **kwargs)
        # The candidacies are written in the import's transaction: the connection goes now.
        written.append(Candidacy.objects.filter(cohort=world.upcoming).count())
        _terminate_own_backend()
        return rows

    monkeypatch.setattr(services, "_write_candidacies", write_then_lose_the_connection)
    progress = import_batch_confirm(batch=batch, by=world.user("prescriber"))
    assert written and written[0] >= 8, "the fault must hit after the rows were written"

    batch.refresh_from_db()
    progress.refresh_from_db()
    after = snapshot()
    # Nothing of the file: no person, no candidacy, no import row.
    for model in (Candidacy, Person, ImportRow):
        assert after[model.__name__] == before[model.__name__], model
    assert batch.status == ImportStatus.FAILED
    assert "La base de données a interrompu l'import (connexion perdue" in batch.message
    assert progress.status == TaskProgress.Status.FAILED
    assert "Rien n'a été importé : relancez l'import." in progress.message
    assert AuditEntry.objects.filter(action="import.fail", object_id=str(batch.pk)).exists()

    # Recovery: the same batch started again imports every row, once.
    monkeypatch.setattr(services, "_write_candidacies", original)
    progress = import_batch_confirm(batch=batch, by=world.user("prescriber"))
    batch.refresh_from_db()
    assert batch.status == ImportStatus.IMPORTED
    assert snapshot()["Candidacy"] == before["Candidacy"] + 8
