"""Send the follow-up requests due today and the reminders to staff (run daily, e.g. from
cron); safe to run twice."""

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import translation

from tremplin.outcomes.services import send_due_follow_ups


class Command(BaseCommand):
    help = (
        "Envoie les demandes de suivi dues (sortie, 3, 6 et 12 mois) et les relances à l'équipe "
        "après 10 jours sans réponse."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        # No request here: emails go out in the site's language.
        with translation.override(settings.LANGUAGE_CODE):
            sent, reminded = send_due_follow_ups()
        self.stdout.write(f"{sent} demande(s) de suivi envoyée(s), {reminded} relance(s).")
