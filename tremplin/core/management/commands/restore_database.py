"""Restore a backup made by ``backup_database`` (tremplin/core/backup.py)."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from tremplin.core.backup import BackupError, restore_database


class Command(BaseCommand):
    help = (
        "Restaure une sauvegarde dans la base configurée ou dans une autre (--target : un "
        "fichier pour SQLite, un nom de base pour PostgreSQL, créée si besoin). Une base non "
        "vide n'est écrasée qu'avec --force ; arrêtez l'application avant de restaurer sur elle."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, help="Le fichier de sauvegarde.")
        parser.add_argument(
            "--target",
            default=None,
            help="Base cible (par défaut la base configurée).",
        )
        parser.add_argument(
            "--force",
            action="store_true",
            help="Écrase la base cible même si elle contient déjà des tables.",
        )

    def handle(
        self, *args: Any, file: Path, target: str | None, force: bool, **options: Any
    ) -> None:
        try:
            restored = restore_database(file, target=target, force=force)
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(f"Sauvegarde {file} restaurée dans {restored}.")
