"""Print the demo's logins, one per role, and the address to open."""

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand

from tremplin.accounts.models import User
from tremplin.demo.builder import DEMO_LOGINS, DEMO_PASSWORD


class Command(BaseCommand):
    help = "Affiche les comptes de la démo (un par rôle) et l'adresse du site."

    def handle(self, *args: Any, **options: Any) -> None:
        existing = set(
            User.objects.filter(email__in=[login.email for login in DEMO_LOGINS]).values_list(
                "email", flat=True
            )
        )
        rows = [("Rôle", "Adresse électronique", "Mot de passe")] + [
            (login.label, login.email, DEMO_PASSWORD) for login in DEMO_LOGINS
        ]
        widths = [max(len(row[i]) for row in rows) for i in range(3)]
        rule = "  ".join("-" * w for w in widths)
        self.stdout.write(rule)
        for n, row in enumerate(rows):
            line = "  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True))
            if n and row[1] not in existing:
                line += "  (absent : lancez « manage.py load_demo »)"
            self.stdout.write(line.rstrip())
            if n == 0:
                self.stdout.write(rule)
        self.stdout.write(rule)
        self.stdout.write(f"Ouvrez {settings.SITE_URL}/")
