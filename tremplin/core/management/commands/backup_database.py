"""Back the configured database up, manifest beside it (tremplin/core/backup.py); run it from
cron or a systemd timer (docs/operations.md)."""

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from tremplin.core.backup import (
    BackupError,
    Manifest,
    backup_database,
    manifest_path,
    verify_backup,
)


class Command(BaseCommand):
    help = (
        "Sauvegarde la base configurée (SQLite : copie en ligne ; PostgreSQL : pg_dump) dans "
        "un fichier daté, avec son manifeste (lignes par table, migrations appliquées)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--dir",
            type=Path,
            default=None,
            help="Dossier des sauvegardes (par défaut var/backups).",
        )
        parser.add_argument(
            "--verify",
            action="store_true",
            help="Puis restaure la sauvegarde dans une base temporaire et la compare au manifeste.",
        )

    def handle(self, *args: Any, verify: bool, **options: Any) -> None:
        directory = options["dir"] or Path(settings.VAR_DIR) / "backups"
        try:
            path = backup_database(directory)
            manifest = Manifest.read(manifest_path(path))
            self.stdout.write(
                f"Sauvegarde écrite : {path} ({len(manifest.tables)} tables, "
                f"{manifest.rows} lignes ; manifeste {manifest_path(path).name})."
            )
            if verify:
                problems = verify_backup(path)
        except BackupError as error:
            raise CommandError(str(error)) from error
        if verify:
            if problems:
                raise CommandError(
                    "La sauvegarde ne correspond pas à son manifeste :\n" + "\n".join(problems)
                )
            self.stdout.write("Vérification : la base restaurée correspond au manifeste.")
