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
        parser.add_argument(
            "--capacity-study",
            action="store_true",
            help=(
                "Mettre en file l'étude de capacité du plateau pour l'an prochain : le "
                "travailleur de tâches (make run) la calcule en deux minutes environ, et la "
                "page « Capacité du plateau » la montre ensuite."
            ),
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
        if options["capacity_study"]:
            self._enqueue_capacity_study()
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

    def _enqueue_capacity_study(self) -> None:
        # Not part of load_demo(): tests load the demo with tasks run immediately, and the
        # study takes minutes; make run asks for it, and its worker computes it.
        from django.utils import timezone

        from tremplin.accounts.enums import Role
        from tremplin.accounts.models import User
        from tremplin.planner.services import capacity_start
        from tremplin.planner.tasks import study_capacity

        coordinator = User.objects.filter(role=Role.COORDINATOR).select_related("site").first()
        if coordinator is None or coordinator.site is None:
            return
        year = timezone.localdate().year + 1
        capacity_start(
            by=coordinator,
            site=coordinator.site,
            year=year,
            enqueue=lambda progress_id, run_id: study_capacity.enqueue(progress_id, run_id),
        )
        self.stdout.write(
            f"Étude de capacité du plateau pour {year} mise en file (page « Capacité du "
            "plateau », environ deux minutes)."
        )
