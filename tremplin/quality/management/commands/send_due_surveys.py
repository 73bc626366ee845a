"""Send the satisfaction surveys due today (run daily, e.g. from cron); safe to run twice."""

from typing import Any

from django.core.management.base import BaseCommand

from tremplin.quality.services import send_due_surveys


class Command(BaseCommand):
    help = (
        "Envoie les enquêtes de satisfaction dues (fin de formation, +3 mois) non encore envoyées."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        sent = send_due_surveys()
        self.stdout.write(f"{sent} invitation(s) envoyée(s).")
