"""Re-encrypt every encrypted field with the newest key of TREMPLIN_FIELD_KEYS.

Run after putting a new key in front of TREMPLIN_FIELD_KEYS (the old ones after it) and
before removing an old key (docs/security.md, « Données sensibles »). Rows already under the
newest key are left alone, so the command can be re-run after an interruption. Each batch is
its own transaction, its rows locked while they are rewritten.
"""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import models, transaction

from tremplin.privacy.crypto import FieldDecryptionError, keyring
from tremplin.privacy.models import SensitiveProfile

# Every encrypted column: (model, field). A new encrypted model is added here.
ENCRYPTED: list[tuple[type[models.Model], str]] = [(SensitiveProfile, "ciphertext")]


class Command(BaseCommand):
    help = "Rechiffre les données sensibles avec la clé la plus récente de TREMPLIN_FIELD_KEYS."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--batch-size", type=int, default=500)

    def handle(self, *args: Any, **options: Any) -> None:
        ring = keyring()
        size = max(1, options["batch_size"])
        self.stdout.write(
            f"Clé courante : {ring.current_id} ({len(ring.key_ids)} clé(s) dans le trousseau)."
        )
        total_rotated = total_seen = 0
        failures: list[str] = []
        for model, field in ENCRYPTED:
            seen = rotated = current = 0
            last_pk: Any = 0
            while True:
                with transaction.atomic():
                    rows = list(
                        model._base_manager.select_for_update()
                        .filter(pk__gt=last_pk)
                        .order_by("pk")
                        .only("pk", field)[:size]
                    )
                    if not rows:
                        break
                    last_pk = rows[-1].pk
                    stale = []
                    for row in rows:
                        value = getattr(row, field)
                        if not value or ring.is_current(value):
                            current += 1
                            continue
                        try:
                            setattr(row, field, ring.rotate(value))
                        except FieldDecryptionError as error:
                            failures.append(f"{model._meta.label} n° {row.pk} : {error}")
                            continue
                        stale.append(row)
                    model._base_manager.bulk_update(stale, [field])
                seen += len(rows)
                rotated += len(stale)
            self.stdout.write(
                f"{model._meta.label}.{field} : {seen} ligne(s) lue(s), {rotated} rechiffrée(s), "
                f"{current} déjà à la clé courante."
            )
            total_seen += seen
            total_rotated += rotated
        if failures:
            for failure in failures:
                self.stderr.write(failure)
            raise CommandError(
                f"{len(failures)} valeur(s) qu'aucune clé ne déchiffre : ne retirez aucune "
                "ancienne clé avant de les avoir résolues."
            )
        self.stdout.write(
            self.style.SUCCESS(
                f"Rotation terminée : {total_rotated} rechiffrée(s) sur {total_seen} ligne(s)."
            )
        )
