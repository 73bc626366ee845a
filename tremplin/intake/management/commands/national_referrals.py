"""Write the best-placed people of the national batch's result as a bulk-referral file."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from tremplin.intake.national import ShortlistError, referral_csv, shortlist


class Command(BaseCommand):
    help = (
        "Écrit, au format du fichier d'orientations (page « Importer une liste »), les "
        "personnes des départements choisis que le rapprochement national classe le mieux : "
        "meilleure offre d'abord, puis le plus d'offres au-dessus du score minimal. Seules "
        "les personnes ayant donné leur accord (consent_programme) sont écrites."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--job-seekers", type=Path, required=True, help="Liste (Parquet).")
        parser.add_argument(
            "--matches", type=Path, required=True, help="Dossier matches/ du rapprochement."
        )
        parser.add_argument(
            "--departement",
            action="append",
            required=True,
            help="Département de résidence (répéter l'option pour plusieurs).",
        )
        parser.add_argument("--limit", type=int, default=200, help="Nombre de personnes.")
        parser.add_argument("--min-score", type=float, default=0.6, help="Score minimal (0–1).")
        parser.add_argument("--output", type=Path, required=True, help="Fichier CSV à écrire.")

    def handle(self, *args: Any, **options: Any) -> None:
        if not 0.0 <= options["min_score"] <= 1.0:
            raise CommandError("Le score minimal doit être compris entre 0 et 1.")
        try:
            chosen = shortlist(
                job_seekers=options["job_seekers"],
                matches=options["matches"],
                departments=set(options["departement"]),
                limit=options["limit"],
                min_score=options["min_score"],
            )
        except ShortlistError as error:
            raise CommandError(str(error)) from None
        if not chosen.people:
            raise CommandError(
                "Personne à orienter : aucune personne de ces départements n'a d'offre au-dessus "
                f"du score minimal avec son accord ({chosen.ranked} classée(s), "
                f"{len(chosen.without_consent)} sans accord enregistré)."
            )
        options["output"].write_bytes(referral_csv(chosen, min_score=options["min_score"]))
        self.stdout.write(
            f"{len(chosen.people)} personne(s) écrite(s) dans {options['output']} ; "
            f"{chosen.ranked} classée(s) dans ces départements, {chosen.below_min_score} sous "
            f"le score minimal, {len(chosen.without_consent)} sans accord enregistré (à "
            "contacter d'abord)."
        )
