"""Build the daily rollup of the indicators' facts (reports/rollup.py) now: the scheduler does
it every night; run it by hand after ``rebuild_learner_facts`` so the dashboards read it again
at once."""

import time
from typing import Any

from django.core.management.base import BaseCommand

from tremplin.reports.rollup import build_rollup


class Command(BaseCommand):
    help = "Construit le cumul quotidien des faits des indicateurs, par site."

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.perf_counter()
        sites = build_rollup()
        elapsed = time.perf_counter() - started
        self.stdout.write(f"Cumul construit pour {sites} site(s) en {elapsed:.1f} s.")
