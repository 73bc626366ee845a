"""Install (or update) the competency frameworks shipped under tremplin/programmes/frameworks/."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from tremplin.programmes.frameworks import (
    FrameworkFile,
    available_frameworks,
    install_framework,
    read_framework,
)
from tremplin.programmes.models import Competency


class Command(BaseCommand):
    help = (
        "Installe ou met à jour les référentiels de compétences (fichiers TOML). "
        "Idempotent ; ne supprime jamais une compétence."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "paths",
            nargs="*",
            type=Path,
            help="Fichiers à installer (par défaut : tous les référentiels livrés).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            frameworks: list[FrameworkFile] = (
                [read_framework(p) for p in options["paths"]]
                if options["paths"]
                else available_frameworks()
            )
        except (OSError, ValueError) as e:
            raise CommandError(str(e)) from e
        if not frameworks:
            raise CommandError("Aucun référentiel à installer.")

        for fw in frameworks:
            certification = install_framework(fw)
            in_db = Competency.objects.filter(block__certification=certification).count()
            kept = in_db - fw.competency_count
            name = fw.path.name if fw.path else fw.code
            line = (
                f"{name}: {fw.code} v{fw.version} « {fw.title} » — "
                f"{len(fw.blocks)} blocs, {fw.competency_count} compétences"
            )
            if kept:
                line += f" ({kept} absente(s) du fichier conservée(s) en base)"
            self.stdout.write(line)
