"""Install (or update) the eligibility criteria catalogue and give programmes their default rule."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from tremplin.eligibility.catalogue import (
    CatalogueFile,
    available_catalogues,
    install_catalogue,
    install_default_rules,
    read_catalogue,
)


class Command(BaseCommand):
    help = (
        "Installe ou met à jour le catalogue des critères d'éligibilité (fichiers TOML) et "
        "donne la règle par défaut aux parcours qui n'en ont pas. Idempotent ; ne supprime rien."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "paths",
            nargs="*",
            type=Path,
            help="Fichiers à installer (par défaut : tous les catalogues livrés).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            catalogues: list[CatalogueFile] = (
                [read_catalogue(p) for p in options["paths"]]
                if options["paths"]
                else available_catalogues()
            )
        except (OSError, ValueError) as e:
            raise CommandError(str(e)) from e
        if not catalogues:
            raise CommandError("Aucun catalogue à installer.")
        for data in catalogues:
            install_catalogue(data)
            levels = [c.level for c in data.criteria]
            name = data.path.name if data.path else f"v{data.version}"
            self.stdout.write(
                f"{name}: v{data.version} « {data.title} » — {levels.count('1')} critères de "
                f"niveau 1, {levels.count('2')} de niveau 2"
            )
        newest = max(catalogues, key=lambda c: c.version)
        for rule in install_default_rules(newest.default_rule):
            self.stdout.write(f"Règle par défaut donnée au parcours « {rule.programme} »")
