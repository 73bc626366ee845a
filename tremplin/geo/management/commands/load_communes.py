"""Load (or refresh) the communes reference table from tremplin/geo/data/communes.csv.gz."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from tremplin.geo.communes import COMMUNES_PATH, load_communes


class Command(BaseCommand):
    help = (
        "Charge la table des communes (et arrondissements municipaux) depuis le fichier livré. "
        "Idempotent ; un chargement complet retire les communes disparues du fichier."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--department",
            action="append",
            dest="departments",
            metavar="CODE",
            help="Ne charger que ce département (répétable), par exemple --department 13.",
        )
        parser.add_argument("--file", type=Path, default=COMMUNES_PATH, help="Autre fichier.")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            loaded = load_communes(path=options["file"], departments=options["departments"])
        except (OSError, KeyError, ValueError) as error:
            raise CommandError(f"Lecture impossible : {error}") from error
        if not loaded.communes:
            raise CommandError("Aucune commune chargée : vérifiez le code du département.")
        self.stdout.write(
            f"{loaded.communes} communes et arrondissements, {loaded.postal_codes} codes postaux"
            + (f", {loaded.removed} retirées" if loaded.removed else "")
        )
