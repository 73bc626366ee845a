"""``manage.py apply_retention [--dry-run]``: announce and apply the retention rules today."""

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from tremplin.gdpr.services import apply_retention


class Command(BaseCommand):
    help = (
        "Annonce 30 jours avant les anonymisations à venir, reporte celles qu'une activité a "
        "repoussées et anonymise les personnes dont la durée de conservation est écoulée."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--dry-run", action="store_true", help="Dire ce qui serait fait, sans rien écrire."
        )

    def handle(self, *args: Any, dry_run: bool = False, **options: Any) -> None:
        run = apply_retention(dry_run=dry_run)
        prefix = "[essai] " if dry_run else ""
        self.stdout.write(
            f"{prefix}{len(run.anonymised)} personne(s) anonymisée(s), "
            f"{len(run.warned)} annonce(s) nouvelle(s), {len(run.postponed)} reportée(s)."
        )
        if run.failed:
            self.stderr.write(f"Échec pour {len(run.failed)} personne(s) : voir le journal.")
