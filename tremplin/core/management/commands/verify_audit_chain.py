"""Check the audit journal's hash chain (tremplin/core/audit_chain.py): every entry's hash is
recomputed in id order; exits with a non-zero status at the first entry that does not hold."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from tremplin.core.audit_chain import check_chain, stored_rows
from tremplin.core.models import AuditEntry


class Command(BaseCommand):
    help = (
        "Vérifie la chaîne d'empreintes du journal d'audit : recalcule l'empreinte de chaque "
        "entrée dans l'ordre et signale la première entrée modifiée, supprimée ou insérée."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--database", default="default", help="La base à vérifier (« default »)."
        )

    def handle(self, *args: Any, database: str, **options: Any) -> None:
        # One transaction: on PostgreSQL the rows stream from a server-side cursor.
        with transaction.atomic(using=database):
            report = check_chain(stored_rows(AuditEntry, using=database))
        if report.broken is not None:
            raise CommandError(
                f"Journal d'audit altéré à l'entrée n° {report.broken.broken_id} : "
                f"{report.broken.describe()} "
                f"({report.count} entrées lues jusque-là.)"
            )
        self.stdout.write(
            f"Journal d'audit intact : {report.count} entrées vérifiées. "
            f"Dernière empreinte : {report.last_hash}"
        )
