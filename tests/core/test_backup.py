"""Backup and restore (tremplin/core/backup.py): a backup restored into a fresh database holds
every row of every table, compared in full; a missing or damaged file, or a non-empty target
without --force, is refused and nothing is written.

The tests run on the configured engine (SQLite by default, PostgreSQL with DATABASE_URL): the
world is committed for real (transactional_db), as pg_dump reads it from its own session. The
tests marked postgres check what only pg_dump does: sequences, and a dump taken from one
snapshot while the application writes.
"""

import json
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import psycopg
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.db.migrations.recorder import MigrationRecorder

from tests import factories
from tremplin.core import backup as backup_module
from tremplin.core.backup import (
    BackupError,
    Manifest,
    backup_database,
    manifest_path,
    restore_database,
    verify_backup,
)
from tremplin.organisations.enums import OrganisationKind

Rows = dict[str, list[Any]]


@pytest.fixture
def committed_world(transactional_db: Any, frozen_clock: Any) -> Any:
    return factories.build_world()


def _drop_database(name: str) -> None:
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def fresh_target(transactional_db: Any, tmp_path: Path) -> Iterator[str]:
    """Where to restore: a file that does not exist yet, or a database name not taken."""
    if connection.vendor == "sqlite":
        yield str(tmp_path / "restauree" / "tremplin.sqlite3")
        return
    name = f"{connection.settings_dict['NAME']}_restauree"
    _drop_database(name)
    yield name
    _drop_database(name)


def target_exists(target: str) -> bool:
    if connection.vendor == "sqlite":
        return Path(target).exists()
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [target])
        return cursor.fetchone() is not None


def every_row(cursor: Any) -> Rows:
    """Every row of every table, each as exact text (SQLite's quote(), PostgreSQL's row::text),
    sorted: two databases hold the same records exactly when these are equal."""
    rows: Rows = {}
    if connection.vendor == "sqlite":
        cursor.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
        for (table,) in cursor.fetchall():
            cursor.execute(f'PRAGMA table_info("{table}")')
            columns = ", ".join(f'quote("{column[1]}")' for column in cursor.fetchall())
            cursor.execute(f'SELECT {columns} FROM "{table}"')
            rows[table] = sorted(cursor.fetchall())
        return rows
    cursor.execute(
        "SELECT CASE WHEN n.nspname = 'public' THEN c.relname "
        "ELSE n.nspname || '.' || c.relname END, "
        "quote_ident(n.nspname) || '.' || quote_ident(c.relname) "
        "FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
        "WHERE c.relkind = 'r' AND n.nspname NOT IN ('pg_catalog', 'information_schema') "
        "ORDER BY 1"
    )
    for table, quoted in cursor.fetchall():
        cursor.execute(f"SELECT x::text FROM {quoted} AS x")
        rows[table] = sorted(row[0] for row in cursor.fetchall())
    return rows


def target_connection(target: str) -> Any:
    if connection.vendor == "sqlite":
        return sqlite3.connect(target)
    params = connection.get_connection_params()
    params["dbname"] = target
    conn = psycopg.connect(**params, autocommit=True)
    conn.execute("SET TIME ZONE 'UTC'")  # the same text for the same instant on both sides
    return conn


def target_rows(target: str) -> Rows:
    conn = target_connection(target)
    try:
        return every_row(conn.cursor())
    finally:
        conn.close()


def source_rows() -> Rows:
    if connection.vendor == "sqlite":  # in memory in tests: only through Django's connection
        with connection.cursor() as cursor:
            return every_row(cursor)
    return target_rows(connection.settings_dict["NAME"])


def counts(rows: Rows) -> dict[str, int]:
    return {table: len(r) for table, r in rows.items() if not table.startswith("sqlite_")}


def last_migrations() -> dict[str, str]:
    last: dict[str, str] = {}
    for app, name in MigrationRecorder(connection).applied_migrations():
        last[app] = max(name, last.get(app, name))
    return last


def test_a_backup_restored_into_a_fresh_database_holds_every_row(
    committed_world, fresh_target, tmp_path
):
    before = source_rows()
    path = backup_database(tmp_path / "sauvegardes")

    manifest = Manifest.read(manifest_path(path))
    assert manifest.vendor == connection.vendor
    assert manifest.tables == counts(before)
    assert manifest.migrations == last_migrations()
    assert before["accounts_user"] and before["cohorts_cohort"]
    assert manifest.rows > 100

    assert restore_database(path, target=fresh_target) == fresh_target
    restored = target_rows(fresh_target)
    assert restored.keys() == before.keys()
    for table, rows in before.items():
        assert restored[table] == rows, table
    assert verify_backup(path) == []
    assert source_rows() == before  # the backup read, wrote nothing


def test_the_commands_back_up_verify_and_restore(committed_world, fresh_target, tmp_path, capsys):
    call_command("backup_database", "--dir", str(tmp_path), "--verify")
    out = capsys.readouterr().out
    assert "Sauvegarde écrite" in out
    assert "la base restaurée correspond au manifeste" in out
    (path,) = [p for p in tmp_path.iterdir() if not p.name.endswith(".json")]
    assert manifest_path(path).exists()

    call_command("verify_backup", str(path))
    assert "vérifiée" in capsys.readouterr().out

    call_command("restore_database", str(path), "--target", fresh_target)
    assert "restaurée dans" in capsys.readouterr().out
    assert target_rows(fresh_target) == source_rows()


def test_verify_fails_when_the_restored_database_differs_from_the_manifest(
    committed_world, tmp_path
):
    path = backup_database(tmp_path)
    users = len(source_rows()["accounts_user"])
    data = json.loads(manifest_path(path).read_text())
    data["tables"]["accounts_user"] = users + 1
    data["migrations"]["cohorts"] = "9999_inconnue"
    manifest_path(path).write_text(json.dumps(data))

    assert verify_backup(path) == [
        f"Table accounts_user : {users + 1} lignes attendues, {users} trouvées.",
        f"Migrations de cohorts : 9999_inconnue attendue, {last_migrations()['cohorts']} trouvée.",
    ]
    with pytest.raises(CommandError, match="ne correspond pas à son manifeste") as error:
        call_command("verify_backup", str(path))
    assert error.value.returncode == 1  # manage.py exits with it


def _suffix() -> str:
    return ".sqlite3" if connection.vendor == "sqlite" else ".dump"


def _bad_backup(kind: str, tmp_path: Path) -> Path:
    if kind == "absent":
        return tmp_path / f"absente{_suffix()}"
    if kind == "garbage":
        path = tmp_path / f"abimee{_suffix()}"
        path.write_bytes(b"pas une sauvegarde\n" * 500)
        return path
    if kind == "other engine":
        path = tmp_path / f"autre{_suffix()}"
        head = b"PGDMP" if connection.vendor == "sqlite" else b"SQLite format 3\x00"
        path.write_bytes(head + b"\x00" * 4096)
        return path
    good = backup_database(tmp_path / "bonnes")
    content = good.read_bytes()
    if kind == "truncated":  # its manifest tells
        good.write_bytes(content[: len(content) // 2])
        return good
    # Truncated, manifest lost: the file itself must be found wrong.
    path = tmp_path / f"tronquee{_suffix()}"
    path.write_bytes(content[: len(content) // 2])
    return path


@pytest.mark.parametrize(
    ("kind", "message"),
    [
        ("absent", "Fichier de sauvegarde introuvable"),
        ("garbage", "n'est pas une sauvegarde"),
        ("other engine", "est une sauvegarde (SQLite|PostgreSQL), or la base configurée"),
        ("truncated", "ne correspond plus à son manifeste"),
        # SQLite: quick_check or "malformed"; PostgreSQL: pg_restore --list, or the restore stops.
        ("truncated, no manifest", "illisible|corrompu|PostgreSQL lisible|pg_restore a échoué"),
    ],
)
def test_a_missing_or_damaged_backup_is_refused_and_writes_nothing(
    transactional_db, fresh_target, tmp_path, kind, message
):
    path = _bad_backup(kind, tmp_path)
    with pytest.raises(BackupError, match=message) as error:
        restore_database(path, target=fresh_target)
    assert str(error.value)
    assert not target_exists(fresh_target)
    with pytest.raises(CommandError):
        call_command("restore_database", str(path), "--target", fresh_target)
    assert not target_exists(fresh_target)
    if kind != "truncated, no manifest":
        with pytest.raises(BackupError, match=message):
            verify_backup(path)


def test_a_non_empty_target_is_kept_unless_forced(committed_world, fresh_target, tmp_path):
    first = backup_database(tmp_path)
    restore_database(first, target=fresh_target)
    kept = target_rows(fresh_target)
    factories.org(OrganisationKind.EMPLOYER, "Entreprise créée après la première sauvegarde")
    second = backup_database(tmp_path)
    assert second != first

    with pytest.raises(BackupError, match="n'est pas vide : restauration refusée"):
        restore_database(second, target=fresh_target)
    with pytest.raises(CommandError, match="ajoutez --force"):
        call_command("restore_database", str(second), "--target", fresh_target)
    assert target_rows(fresh_target) == kept

    call_command("restore_database", str(second), "--target", fresh_target, "--force")
    assert target_rows(fresh_target) == source_rows() != kept


def test_the_configured_database_is_not_overwritten_by_default(committed_world, tmp_path):
    path = backup_database(tmp_path)
    before = source_rows()
    # SQLite in tests: an in-memory database (say where); PostgreSQL: not empty (--force).
    with pytest.raises(BackupError, match="en mémoire : indiquez --target|n'est pas vide"):
        restore_database(path)
    assert source_rows() == before


def _sequences(cursor: Any) -> list[tuple[str, str, int | None]]:
    cursor.execute("SELECT schemaname, sequencename, last_value FROM pg_sequences ORDER BY 1, 2")
    return list(cursor.fetchall())


@pytest.mark.postgres
def test_pg_dump_restores_rows_and_sequences_into_a_fresh_database(
    committed_world, fresh_target, tmp_path
):
    if connection.vendor != "postgresql":
        pytest.fail("PostgreSQL only: run with DATABASE_URL=postgres://…")
    path = backup_database(tmp_path)
    assert path.suffix == ".dump"
    assert path.read_bytes()[:5] == b"PGDMP"  # pg_dump's custom format

    restore_database(path, target=fresh_target)
    assert target_rows(fresh_target) == source_rows()
    conn = target_connection(fresh_target)
    try:
        restored_sequences = _sequences(conn.cursor())
    finally:
        conn.close()
    with connection.cursor() as cursor:
        source_sequences = _sequences(cursor)
    # New rows in the restored database get ids past the restored ones.
    assert restored_sequences == source_sequences
    assert any(last for _, _, last in source_sequences)


@pytest.mark.postgres
def test_pg_dump_and_its_counts_see_one_snapshot_while_the_app_writes(
    committed_world, fresh_target, tmp_path, monkeypatch
):
    if connection.vendor != "postgresql":
        pytest.fail("PostgreSQL only: run with DATABASE_URL=postgres://…")
    before = source_rows()
    real_run = backup_module._run

    def run_while_the_app_writes(arguments: list[str], environment: Any, what: str) -> None:
        if what == "pg_dump":  # committed after the snapshot, before pg_dump reads
            factories.org(OrganisationKind.EMPLOYER, "Entreprise créée pendant la sauvegarde")
        real_run(arguments, environment, what)

    monkeypatch.setattr(backup_module, "_run", run_while_the_app_writes)
    path = backup_database(tmp_path)
    monkeypatch.undo()

    assert source_rows() != before
    assert Manifest.read(manifest_path(path)).tables == counts(before)
    restore_database(path, target=fresh_target)
    assert target_rows(fresh_target) == before
    assert verify_backup(path) == []
