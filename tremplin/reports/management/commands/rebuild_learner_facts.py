"""Rebuild ``reports.LearnerFacts`` from the tables it copies: after a bulk load (imports,
``make bench-reports``) or a raw edit of the database, which bypass the signals that keep it
current. Safe to run any time; the dashboards read the old rows until it commits."""

import time
from typing import Any

from django.core.management.base import BaseCommand

from tremplin.reports.facts import rebuild_learner_facts


class Command(BaseCommand):
    help = "Reconstruit la table des faits des indicateurs (une ligne par candidature)."

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.perf_counter()
        count = rebuild_learner_facts()
        elapsed = time.perf_counter() - started
        self.stdout.write(f"{count} ligne(s) de faits reconstruites en {elapsed:.1f} s.")
