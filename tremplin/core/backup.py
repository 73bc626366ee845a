"""Scripted backup and restore of the ``default`` database (docs/operations.md).

SQLite: an online copy through SQLite's backup API, one step under a read lock, so it is
consistent while the web server and the task worker keep writing (WAL lets them). PostgreSQL:
``pg_dump --format=custom`` from a snapshot exported by a repeatable-read transaction, in which
the row counts are taken too, so they describe exactly what the dump holds.

Each backup gets a manifest beside it (``<name>.manifest.json``): the file's size and SHA-256,
every table's row count and the last applied migration per app. A restore checks the file
against it (a truncated or altered file is refused); ``verify_backup`` restores into a scratch
database and compares that database with it.

Errors are ``BackupError``, with a French message for the command line. A failed restore
leaves the target as it was: a new SQLite file is written aside and renamed at the end, a new
PostgreSQL database is dropped again, an existing one is restored in a single transaction.
"""

import datetime
import hashlib
import json
import os
import re
import secrets
import shutil
import sqlite3
import subprocess
import tempfile
from collections.abc import Callable, Iterable
from contextlib import closing
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import psycopg
from django.db import connections
from django.db.backends.base.base import BaseDatabaseWrapper
from django.utils import timezone
from psycopg import sql

MANIFEST_FORMAT = 1
SQLITE_SUFFIX = ".sqlite3"
POSTGRESQL_SUFFIX = ".dump"
MANIFEST_SUFFIX = ".manifest.json"
PREFIX = "tremplin"
_SQLITE_MAGIC = b"SQLite format 3\x00"
_POSTGRESQL_MAGIC = b"PGDMP"
_VENDOR_NAMES = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}
# libpq reads these from the environment: the subprocesses get the settings' OPTIONS there.
_LIBPQ_ENVIRONMENT = {
    "sslmode": "PGSSLMODE",
    "sslrootcert": "PGSSLROOTCERT",
    "sslcert": "PGSSLCERT",
    "sslkey": "PGSSLKEY",
    "service": "PGSERVICE",
    "passfile": "PGPASSFILE",
    "connect_timeout": "PGCONNECT_TIMEOUT",
}
_POSTGRESQL_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_$-]{0,62}")


class BackupError(Exception):
    """A backup, restore or check that cannot go on; the message is French."""


@dataclass(frozen=True)
class Manifest:
    """What a backup holds, written beside it as JSON."""

    vendor: str
    database: str
    created_at: str
    file: str
    size: int
    sha256: str
    tables: dict[str, int]
    migrations: dict[str, str]
    format: int = MANIFEST_FORMAT

    @property
    def rows(self) -> int:
        return sum(self.tables.values())

    def write(self, path: Path) -> None:
        partial = path.with_name(path.name + ".partial")
        partial.write_text(json.dumps(asdict(self), indent=2, ensure_ascii=False) + "\n")
        partial.replace(path)

    @classmethod
    def read(cls, path: Path) -> "Manifest":
        try:
            data = json.loads(path.read_text())
            manifest = cls(
                vendor=str(data["vendor"]),
                database=str(data["database"]),
                created_at=str(data["created_at"]),
                file=str(data["file"]),
                size=int(data["size"]),
                sha256=str(data["sha256"]),
                tables={str(k): int(v) for k, v in data["tables"].items()},
                migrations={str(k): str(v) for k, v in data["migrations"].items()},
                format=int(data["format"]),
            )
        except FileNotFoundError as error:
            raise BackupError(f"Manifeste introuvable : {path}.") from error
        except (OSError, ValueError, KeyError, TypeError, AttributeError) as error:
            raise BackupError(f"Manifeste illisible : {path} ({error}).") from error
        if manifest.format != MANIFEST_FORMAT:
            raise BackupError(f"Manifeste d'un format inconnu ({manifest.format}) : {path}.")
        return manifest


def manifest_path(backup_path: Path | str) -> Path:
    """The manifest beside a backup: ``tremplin-….sqlite3`` → ``tremplin-….manifest.json``."""
    path = Path(backup_path)
    name = path.name
    for suffix in (SQLITE_SUFFIX, POSTGRESQL_SUFFIX):
        if name.endswith(suffix):
            name = name.removesuffix(suffix)
            break
    return path.with_name(name + MANIFEST_SUFFIX)


def backup_database(destination_dir: Path | str, *, using: str = "default") -> Path:
    """Back the database up into ``destination_dir`` (created if needed), manifest beside it.

    The file is named after the time (UTC), ``tremplin-20261130T100000Z.sqlite3`` or ``.dump``;
    it appears under that name only once complete.
    """
    wrapper = _wrapper(using)
    directory = Path(destination_dir)
    try:
        directory.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise BackupError(f"Dossier de sauvegarde inaccessible : {directory} ({error}).") from error
    if wrapper.vendor == "sqlite":
        final = _new_backup_path(directory, SQLITE_SUFFIX)
        tables, migrations = _write_aside(final, lambda partial: _sqlite_backup(wrapper, partial))
    else:
        final = _new_backup_path(directory, POSTGRESQL_SUFFIX)
        tables, migrations = _write_aside(
            final, lambda partial: _postgresql_backup(wrapper, partial)
        )
    Manifest(
        vendor=wrapper.vendor,
        database=str(wrapper.settings_dict["NAME"]),
        created_at=timezone.now().isoformat(),
        file=final.name,
        size=final.stat().st_size,
        sha256=_sha256(final),
        tables=tables,
        migrations=migrations,
    ).write(manifest_path(final))
    return final


def restore_database(
    backup_path: Path | str,
    *,
    target: str | None = None,
    force: bool = False,
    using: str = "default",
) -> str:
    """Restore a backup into ``target`` (a file for SQLite, a database name for PostgreSQL;
    by default the configured database) and return the target.

    A target that holds tables is refused unless ``force``. The backup is checked first
    (type, integrity, manifest when there is one): a bad file writes nothing anywhere.
    """
    wrapper = _wrapper(using)
    backup = _existing_file(backup_path)
    _check_against_manifest(backup, wrapper.vendor)
    if wrapper.vendor == "sqlite":
        if target is None:
            name = str(wrapper.settings_dict["NAME"])
            if _is_in_memory(name):
                raise BackupError("La base configurée est en mémoire : indiquez --target.")
            target = name
        return str(_sqlite_restore(backup, Path(target), force=force))
    return _postgresql_restore(
        wrapper, backup, target or str(wrapper.settings_dict["NAME"]), force=force
    )


def verify_backup(backup_path: Path | str, *, using: str = "default") -> list[str]:
    """Restore a backup into a scratch database, dropped afterwards, and compare it with the
    manifest: the differences, in French (none when the backup is sound)."""
    wrapper = _wrapper(using)
    backup = _existing_file(backup_path)
    _check_against_manifest(backup, wrapper.vendor)
    manifest = Manifest.read(manifest_path(backup))
    if wrapper.vendor == "sqlite":
        with tempfile.TemporaryDirectory(prefix="tremplin-verification-") as scratch:
            target = _sqlite_restore(backup, Path(scratch) / "verification.sqlite3", force=False)
            with closing(sqlite3.connect(target, isolation_level=None)) as conn:
                tables, migrations = _sqlite_summary(conn)
    else:
        name = f"{str(wrapper.settings_dict['NAME'])[:40]}_verif_{secrets.token_hex(4)}"
        try:
            _postgresql_restore(wrapper, backup, name, force=False)
            with _postgresql_connect(wrapper, name) as conn:
                tables, migrations = _postgresql_summary(conn)
        finally:
            _postgresql_drop(wrapper, name)
    return differences(manifest, tables, migrations)


def differences(
    manifest: Manifest, tables: dict[str, int], migrations: dict[str, str]
) -> list[str]:
    """What a restored database has that its manifest does not say, in French."""
    found: list[str] = []
    for table in sorted(manifest.tables.keys() | tables.keys()):
        expected, actual = manifest.tables.get(table), tables.get(table)
        if actual is None:
            found.append(f"Table {table} absente de la base restaurée.")
        elif expected is None:
            found.append(f"Table {table} inattendue : le manifeste ne la mentionne pas.")
        elif expected != actual:
            found.append(f"Table {table} : {expected} lignes attendues, {actual} trouvées.")
    for app in sorted(manifest.migrations.keys() | migrations.keys()):
        expected_migration = manifest.migrations.get(app, "aucune")
        actual_migration = migrations.get(app, "aucune")
        if expected_migration != actual_migration:
            found.append(
                f"Migrations de {app} : {expected_migration} attendue, {actual_migration} trouvée."
            )
    return found


# Shared -----------------------------------------------------------------------------------


def _wrapper(using: str) -> BaseDatabaseWrapper:
    wrapper = connections[using]
    if wrapper.vendor not in _VENDOR_NAMES:
        raise BackupError(f"Moteur de base non pris en charge : {wrapper.vendor}.")
    return wrapper


def _existing_file(backup_path: Path | str) -> Path:
    path = Path(backup_path)
    if not path.is_file():
        raise BackupError(f"Fichier de sauvegarde introuvable : {path}.")
    return path


def _new_backup_path(directory: Path, suffix: str) -> Path:
    stamp = timezone.now().astimezone(datetime.UTC).strftime("%Y%m%dT%H%M%SZ")
    for n in range(1, 1000):
        path = directory / f"{PREFIX}-{stamp}{'' if n == 1 else f'-{n}'}{suffix}"
        if not (path.exists() or manifest_path(path).exists()):
            return path
    raise BackupError(f"Trop de sauvegardes datées {stamp} dans {directory}.")


def _write_aside[T](final: Path, write: Callable[[Path], T]) -> T:
    """Write into ``<final>.partial`` and rename once complete; nothing is left on failure."""
    partial = final.with_name(final.name + ".partial")
    try:
        result = write(partial)
        partial.replace(final)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    return result


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as file:
        while chunk := file.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def _head(path: Path) -> bytes:
    with path.open("rb") as file:
        return file.read(len(_SQLITE_MAGIC))


def _check_against_manifest(backup: Path, vendor: str) -> None:
    """Refuse a backup of the other engine, or one that no longer matches its manifest."""
    head = _head(backup)
    expected_magic = _SQLITE_MAGIC if vendor == "sqlite" else _POSTGRESQL_MAGIC
    if not head.startswith(expected_magic):
        other = "postgresql" if vendor == "sqlite" else "sqlite"
        other_magic = _POSTGRESQL_MAGIC if vendor == "sqlite" else _SQLITE_MAGIC
        if head.startswith(other_magic):
            raise BackupError(
                f"{backup} est une sauvegarde {_VENDOR_NAMES[other]}, or la base configurée "
                f"est {_VENDOR_NAMES[vendor]}."
            )
        raise BackupError(
            f"{backup} n'est pas une sauvegarde {_VENDOR_NAMES[vendor]} "
            "(fichier corrompu ou d'un autre type)."
        )
    path = manifest_path(backup)
    if not path.exists():
        return
    manifest = Manifest.read(path)
    if manifest.size != backup.stat().st_size or manifest.sha256 != _sha256(backup):
        raise BackupError(
            f"{backup} ne correspond plus à son manifeste (fichier tronqué ou modifié) : "
            "restauration refusée."
        )


def _last_migrations(rows: Iterable[tuple[str, str]]) -> dict[str, str]:
    # Migration names start with their number, so the greatest name is the last one.
    last: dict[str, str] = {}
    for app, name in rows:
        last[app] = max(name, last.get(app, name))
    return dict(sorted(last.items()))


def _is_in_memory(name: str) -> bool:
    return name == ":memory:" or "mode=memory" in name


# SQLite -----------------------------------------------------------------------------------


def _quote_sqlite(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _sqlite_tables(conn: sqlite3.Connection) -> list[str]:
    rows = conn.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' "
        "AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY name"
    ).fetchall()
    return [str(row[0]) for row in rows]


def _sqlite_summary(conn: sqlite3.Connection) -> tuple[dict[str, int], dict[str, str]]:
    tables = {
        # The name comes from sqlite_master and is quoted: no injection.
        name: int(conn.execute(f"SELECT count(*) FROM {_quote_sqlite(name)}").fetchone()[0])  # noqa: S608
        for name in _sqlite_tables(conn)
    }
    migrations = (
        _last_migrations(conn.execute("SELECT app, name FROM django_migrations").fetchall())
        if "django_migrations" in tables
        else {}
    )
    return tables, migrations


def _sqlite_backup(
    wrapper: BaseDatabaseWrapper, partial: Path
) -> tuple[dict[str, int], dict[str, str]]:
    # Through the application's own connection: it is the one the settings describe (the
    # tests' in-memory database included). pages=-1 copies everything in one step, so the
    # copy is one consistent state even if another connection writes meanwhile.
    wrapper.ensure_connection()
    source = wrapper.connection
    assert source is not None
    try:
        with closing(sqlite3.connect(partial, isolation_level=None)) as target:
            source.backup(target, pages=-1)
            # A single self-contained file, whatever the live database's journal mode.
            target.execute("PRAGMA journal_mode = DELETE")
            return _sqlite_summary(target)
    except sqlite3.Error as error:
        raise BackupError(f"Sauvegarde SQLite impossible : {error}.") from error


def _open_sqlite_backup(backup: Path) -> sqlite3.Connection:
    return sqlite3.connect(f"{backup.resolve().as_uri()}?mode=ro", uri=True, isolation_level=None)


def _check_sqlite_backup(backup: Path) -> None:
    try:
        with closing(_open_sqlite_backup(backup)) as conn:
            check = conn.execute("PRAGMA quick_check").fetchall()
            tables = _sqlite_tables(conn)
    except sqlite3.Error as error:
        raise BackupError(f"{backup} est illisible : {error}.") from error
    if check != [("ok",)]:
        raise BackupError(f"{backup} est corrompu : {check[0][0]}.")
    if "django_migrations" not in tables:
        raise BackupError(f"{backup} n'est pas une base Tremplin (pas de table django_migrations).")


def _sqlite_has_tables(target: Path) -> bool:
    """Whether ``target`` holds anything a restore would destroy."""
    if not target.exists() or target.stat().st_size == 0:
        return False
    if _head(target) != _SQLITE_MAGIC:
        return True
    try:
        with closing(sqlite3.connect(target, isolation_level=None)) as conn:
            return bool(conn.execute("SELECT count(*) FROM sqlite_master").fetchone()[0])
    except sqlite3.Error:
        return True


def _sqlite_restore(backup: Path, target: Path, *, force: bool) -> Path:
    _check_sqlite_backup(backup)
    if target.exists() and target.samefile(backup):
        raise BackupError("La cible est le fichier de sauvegarde lui-même.")
    if _sqlite_has_tables(target):
        if not force:
            raise BackupError(
                f"La base {target} n'est pas vide : restauration refusée "
                "(ajoutez --force pour l'écraser)."
            )
        if _head(target) != _SQLITE_MAGIC:
            raise BackupError(f"{target} n'est pas une base SQLite : supprimez-le d'abord.")
        # Through SQLite, not by copying the file: the live database may be open (WAL), and
        # the backup API replaces its content in one transaction, under its locks.
        try:
            with (
                closing(_open_sqlite_backup(backup)) as source,
                closing(sqlite3.connect(target, isolation_level=None, timeout=20)) as conn,
            ):
                source.backup(conn, pages=-1)
        except sqlite3.Error as error:
            raise BackupError(f"Restauration impossible dans {target} : {error}.") from error
        return target
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise BackupError(f"Dossier cible inaccessible : {target.parent} ({error}).") from error

    def copy(partial: Path) -> None:
        try:
            with (
                closing(_open_sqlite_backup(backup)) as source,
                closing(sqlite3.connect(partial, isolation_level=None)) as conn,
            ):
                source.backup(conn, pages=-1)
        except sqlite3.Error as error:
            raise BackupError(f"Restauration impossible dans {target} : {error}.") from error

    _write_aside(target, copy)
    return target


# PostgreSQL -------------------------------------------------------------------------------


def postgresql_program(name: str) -> str:
    """A PostgreSQL client program, found as scripts/pg-common.sh finds the server's: the
    directory in ``PG_BINDIR`` if set, then PATH, then the newest /usr/lib/postgresql/N/bin
    (Debian)."""
    if bindir := os.environ.get("PG_BINDIR"):
        candidate = Path(bindir) / name
        if os.access(candidate, os.X_OK):
            return str(candidate)
    if found := shutil.which(name):
        return found
    installed = [
        path
        for path in Path("/usr/lib/postgresql").glob(f"*/bin/{name}")
        if os.access(path, os.X_OK)
    ]
    if installed:
        return str(max(installed, key=lambda p: [int(n) for n in re.findall(r"\d+", str(p))]))
    raise BackupError(
        f"{name} introuvable : installez le client PostgreSQL (apt-get install "
        "postgresql-client) ou indiquez son dossier dans PG_BINDIR."
    )


def _postgresql_environment(wrapper: BaseDatabaseWrapper) -> dict[str, str]:
    """The connection settings for pg_dump/pg_restore: the password in PGPASSWORD, never on
    the command line (which any user of the machine can read)."""
    settings = wrapper.settings_dict
    environment = dict(os.environ)
    for key, variable in (
        ("HOST", "PGHOST"),
        ("PORT", "PGPORT"),
        ("USER", "PGUSER"),
        ("PASSWORD", "PGPASSWORD"),
    ):
        if settings.get(key):
            environment[variable] = str(settings[key])
    for option, variable in _LIBPQ_ENVIRONMENT.items():
        if option in settings.get("OPTIONS", {}):
            environment[variable] = str(settings["OPTIONS"][option])
    return environment


def _conninfo_dbname(name: str) -> str:
    # pg_restore --dbname takes a connection string: quote the name so it stays a name.
    return "dbname='" + name.replace("\\", "\\\\").replace("'", "\\'") + "'"


def _run(arguments: list[str], environment: dict[str, str], what: str) -> None:
    try:
        result = subprocess.run(  # noqa: S603 -- a fixed program, arguments as a list
            arguments, env=environment, capture_output=True, text=True, check=False
        )
    except OSError as error:
        raise BackupError(f"{what} n'a pas pu être lancé : {error}.") from error
    if result.returncode != 0:
        detail = "\n".join(result.stderr.strip().splitlines()[-5:])
        raise BackupError(f"{what} a échoué (code {result.returncode}) : {detail}")


def _postgresql_connect(
    wrapper: BaseDatabaseWrapper, dbname: str, *, autocommit: bool = True
) -> psycopg.Connection[Any]:
    """A new connection to ``dbname`` with the settings' parameters (closed by ``with``)."""
    params = wrapper.get_connection_params()
    params["dbname"] = dbname
    try:
        return psycopg.connect(**params, autocommit=autocommit)
    except psycopg.Error as error:
        raise BackupError(
            f"Connexion à la base PostgreSQL {dbname} impossible : {error}"
        ) from error


def _postgresql_admin(wrapper: BaseDatabaseWrapper) -> psycopg.Connection[Any]:
    """A connection from which to create and drop databases: the configured database, or the
    server's maintenance databases when it does not exist yet."""
    refused: list[BackupError] = []
    for dbname in (str(wrapper.settings_dict["NAME"]), "postgres", "template1"):
        try:
            return _postgresql_connect(wrapper, dbname)
        except BackupError as error:
            refused.append(error)
    raise refused[0]


def _postgresql_table_names(conn: psycopg.Connection[Any]) -> list[tuple[str, str]]:
    rows = conn.execute(
        "SELECT n.nspname, c.relname FROM pg_class c "
        "JOIN pg_namespace n ON n.oid = c.relnamespace "
        "WHERE c.relkind = 'r' AND n.nspname <> 'information_schema' "
        "AND n.nspname NOT LIKE 'pg\\_%' ORDER BY 1, 2"
    ).fetchall()
    return [(str(schema), str(name)) for schema, name in rows]


def _postgresql_summary(conn: psycopg.Connection[Any]) -> tuple[dict[str, int], dict[str, str]]:
    tables: dict[str, int] = {}
    for schema, name in _postgresql_table_names(conn):
        count = conn.execute(
            sql.SQL("SELECT count(*) FROM {}").format(sql.Identifier(schema, name))
        ).fetchone()
        assert count is not None
        tables[name if schema == "public" else f"{schema}.{name}"] = int(count[0])
    migrations = (
        _last_migrations(conn.execute("SELECT app, name FROM django_migrations").fetchall())
        if "django_migrations" in tables
        else {}
    )
    return tables, migrations


def _postgresql_backup(
    wrapper: BaseDatabaseWrapper, partial: Path
) -> tuple[dict[str, int], dict[str, str]]:
    pg_dump = postgresql_program("pg_dump")
    dbname = str(wrapper.settings_dict["NAME"])
    environment = _postgresql_environment(wrapper)
    # The database name through PGDATABASE: as an argument, libpq would read a name with
    # "=" in it as a connection string.
    environment["PGDATABASE"] = dbname
    with _postgresql_connect(wrapper, dbname, autocommit=False) as conn:
        # The counts and pg_dump see the same snapshot: the manifest describes the dump.
        conn.isolation_level = psycopg.IsolationLevel.REPEATABLE_READ
        conn.read_only = True
        row = conn.execute("SELECT pg_export_snapshot()").fetchone()
        assert row is not None
        summary = _postgresql_summary(conn)
        _run(
            [
                pg_dump,
                "--format=custom",
                "--no-password",
                f"--snapshot={row[0]}",
                f"--file={partial}",
            ],
            environment,
            "pg_dump",
        )
        conn.rollback()
    return summary


def _postgresql_exists(conn: psycopg.Connection[Any], name: str) -> bool:
    return (
        conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone() is not None
    )


def _postgresql_drop(wrapper: BaseDatabaseWrapper, name: str) -> None:
    with _postgresql_admin(wrapper) as admin:
        admin.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )


def _postgresql_restore(
    wrapper: BaseDatabaseWrapper, backup: Path, target: str, *, force: bool
) -> str:
    if not _POSTGRESQL_NAME.fullmatch(target):
        raise BackupError(
            f"Nom de base cible invalide : {target!r} (lettres, chiffres, _ et -, "
            "63 caractères au plus)."
        )
    pg_restore = postgresql_program("pg_restore")
    environment = _postgresql_environment(wrapper)
    try:
        _run([pg_restore, "--list", str(backup)], environment, "pg_restore --list")
    except BackupError as error:
        raise BackupError(
            f"{backup} n'est pas une sauvegarde PostgreSQL lisible. {error}"
        ) from error
    with _postgresql_admin(wrapper) as admin:
        exists = _postgresql_exists(admin, target)
    if exists:
        with _postgresql_connect(wrapper, target) as conn:
            has_tables = bool(_postgresql_table_names(conn))
        if has_tables and not force:
            raise BackupError(
                f"La base {target} n'est pas vide : restauration refusée "
                "(ajoutez --force pour l'écraser)."
            )
    else:
        with _postgresql_admin(wrapper) as admin:
            # template0: an empty database, whatever was added to template1.
            admin.execute(
                sql.SQL("CREATE DATABASE {} TEMPLATE template0").format(sql.Identifier(target))
            )
    arguments = [
        pg_restore,
        "--no-owner",
        "--no-password",
        "--exit-on-error",
        "--single-transaction",
        f"--dbname={_conninfo_dbname(target)}",
    ]
    if exists:
        arguments += ["--clean", "--if-exists"]
    try:
        _run([*arguments, str(backup)], environment, "pg_restore")
    except BaseException:
        if not exists:
            _postgresql_drop(wrapper, target)
        raise
    return target
