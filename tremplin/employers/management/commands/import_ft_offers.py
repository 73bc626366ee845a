"""Import France Travail job offers as openings, from a JSON file or the API: all or nothing."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from tremplin.employers.francetravail import OfferFileReport, read_offer_file, read_offers
from tremplin.employers.ft_client import FranceTravailClient, FranceTravailError
from tremplin.employers.imports import OffersImportRejected, offers_import, offers_preview


def _problems(report: OfferFileReport) -> list[str]:
    lines = []
    for error in report.errors:
        if error.index is None:
            where = "fichier"
        else:
            where = f"offre n° {error.index}" + (
                f" (id {error.offer_id})" if error.offer_id else ""
            )
        field = f" [{error.field}]" if error.field else ""
        lines.append(f"  {where}{field} : {error.message}")
    if report.more_errors:
        lines.append(f"  … et {report.more_errors} autre(s)")
    return lines


class Command(BaseCommand):
    help = (
        "Importe des offres d'emploi France Travail (format JSON de l'API « Offres d'emploi "
        "v2 ») comme offres du réseau, depuis un fichier ou depuis l'API (--api). Une offre "
        "déjà importée est mise à jour. Au moindre problème, rien n'est écrit."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "file", nargs="?", type=Path, help="Fichier JSON (réponse de l'API ou liste d'offres)."
        )
        parser.add_argument(
            "--api",
            metavar="CODES_ROME",
            help="Interroger l'API pour ces codes ROME, séparés par des virgules (I1315,F1605).",
        )
        parser.add_argument("--departement", default="", help="Département (ex. 13).")
        parser.add_argument(
            "--limit", type=int, default=None, help="Nombre maximal d'offres lues depuis l'API."
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Vérifier et compter sans rien écrire."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path | None = options["file"]
        if (path is None) == (options["api"] is None):
            raise CommandError("Indiquez soit un fichier, soit --api avec des codes ROME.")
        if path is not None:
            try:
                content = path.read_bytes()
            except OSError as error:
                raise CommandError(f"Lecture impossible de {path} : {error.strerror}") from error
            report = read_offer_file(content)
            origin = path.name
        else:
            try:
                client = FranceTravailClient.from_settings()
                found = client.search(
                    rome_codes=options["api"].split(","),
                    departement=options["departement"],
                    limit=options["limit"],
                )
            except FranceTravailError as error:
                raise CommandError(error.message) from None
            if not found.offers:
                self.stdout.write("Aucune offre France Travail pour cette recherche.")
                return
            if found.truncated:
                self.stderr.write(
                    f"L'API limite une recherche à {len(found.offers)} offres sur "
                    f"{found.total} : affinez par département."
                )
            report = read_offers(found.offers)
            origin = "l'API France Travail"

        if report.errors or report.more_errors:
            lines = [
                f"{len(report.errors) + report.more_errors} problème(s) dans {origin} : "
                "aucune offre n'a été importée."
            ]
            raise CommandError("\n".join(lines + _problems(report)))
        if options["dry_run"]:
            plan = offers_preview(report)
            self.stdout.write(
                f"{len(report.offers)} offres valides dans {origin} : {plan.created} à créer, "
                f"{plan.updated} à mettre à jour (rien n'a été écrit)."
            )
            return
        try:
            result = offers_import(by=None, report=report)
        except OffersImportRejected as error:
            raise CommandError(error.message) from None
        self.stdout.write(
            f"{result.created} offre(s) créée(s), {result.updated} mise(s) à jour depuis {origin}."
        )
        if result.employers_created:
            self.stdout.write(f"Employeurs ajoutés : {', '.join(result.employers_created)}.")
