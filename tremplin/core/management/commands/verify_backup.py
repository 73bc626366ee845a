"""Check a backup by restoring it into a scratch database compared with its manifest
(tremplin/core/backup.py); exits with a non-zero status when they differ."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from tremplin.core.backup import BackupError, Manifest, manifest_path, verify_backup


class Command(BaseCommand):
    help = (
        "Restaure une sauvegarde dans une base temporaire (supprimée ensuite) et compare le "
        "nombre de lignes de chaque table et les migrations à son manifeste."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, help="Le fichier de sauvegarde.")

    def handle(self, *args: Any, file: Path, **options: Any) -> None:
        try:
            problems = verify_backup(file)
            manifest = Manifest.read(manifest_path(file))
        except BackupError as error:
            raise CommandError(str(error)) from error
        if problems:
            raise CommandError(
                f"La sauvegarde {file} ne correspond pas à son manifeste :\n" + "\n".join(problems)
            )
        self.stdout.write(
            f"Sauvegarde {file} vérifiée : {len(manifest.tables)} tables et {manifest.rows} "
            "lignes retrouvées, migrations conformes."
        )
