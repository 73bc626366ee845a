"""Reset the development database and load the demo (the Marseille Saint-Jérôme case)."""

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from tremplin.demo.builder import DEMO_PASSWORD, load_demo


class Command(BaseCommand):
    help = (
        "EFFACE toutes les données de Tremplin puis charge la démo (cas de référence de "
        "Marseille Saint-Jérôme). Réservé à la base de développement : refuse de s'exécuter "
        "sans DEBUG, sauf avec --force."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--force",
            action="store_true",
            help="Charger la démo même sans DEBUG (toutes les données sont effacées).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEBUG and not options["force"]:
            raise CommandError(
                "load_demo efface toutes les données de Tremplin avant de charger la démo : "
                "il ne s'exécute qu'avec DEBUG=1 (base de développement). "
                "Ajoutez --force si c'est bien voulu."
            )
        try:
            summary = load_demo()
        except ModuleNotFoundError as e:
            if e.name != "time_machine":
                raise
            raise CommandError(
                "La démo rejoue le passé avec time-machine, une dépendance de développement : "
                "installez-les avec « make install »."
            ) from e
        counts = summary.counts
        self.stdout.write(f"Base remise à zéro : {summary.deleted} lignes supprimées.")
        self.stdout.write("Démo chargée — Marseille – AFPA Saint-Jérôme :")
        for name in summary.cohorts:
            self.stdout.write(f"  · {name}")
        for label, key in (
            ("organisations", "organisations.Organisation"),
            ("laboratoires", "plateau.Lab"),
            ("personnes", "people.Person"),
            ("candidatures", "candidacies.Candidacy"),
            ("inscriptions", "cohorts.Enrolment"),
            ("évaluations de compétences", "cohorts.CompetencyAssessment"),
            ("offres", "employers.Opening"),
            ("propositions", "employers.Proposal"),
            ("suivis", "outcomes.FollowUp"),
            ("comptes", "accounts.User"),
        ):
            self.stdout.write(f"  {counts.get(key, 0):>5} {label}")
        self.stdout.write(
            self.style.SUCCESS(
                f"Mot de passe commun à tous les comptes de démo : « {DEMO_PASSWORD} » "
                "(acceptable pour une démo locale seulement). Liste : manage.py demo_logins."
            )
        )
