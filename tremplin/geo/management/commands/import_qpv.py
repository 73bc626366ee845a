"""Import the official QPV GeoJSON (ANCT), replacing the current set: all or nothing."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from tremplin.geo.services import QpvFileRejected, qpv_import


class Command(BaseCommand):
    help = (
        "Importe le fichier GeoJSON officiel des quartiers prioritaires (QPV, WGS84) et "
        "remplace l'ensemble en vigueur. Au moindre problème, rien n'est écrit."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, help="Fichier GeoJSON (FeatureCollection).")

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        try:
            content = path.read_bytes()
        except OSError as error:
            raise CommandError(f"Lecture impossible de {path} : {error.strerror}") from error
        try:
            batch = qpv_import(content=content, source_name=path.name, by=None)
        except QpvFileRejected as error:
            lines = [error.message]
            for problem in error.report.errors:
                where = f"quartier n° {problem.feature}" if problem.feature else "fichier"
                lines.append(f"  {where} : {problem.message}")
            if error.report.more_errors:
                lines.append(f"  … et {error.report.more_errors} autre(s)")
            raise CommandError("\n".join(lines)) from None
        self.stdout.write(
            f"{batch.neighbourhood_count} quartiers prioritaires importés "
            f"({batch.commune_count} communes) depuis {batch.source_name}"
        )
