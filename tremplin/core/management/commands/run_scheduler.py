"""Enqueue the daily jobs on time (tremplin/core/scheduler.py): run it next to the task worker
(``make run`` does), or from cron with ``--once``."""

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from tremplin.core.reaper import reap_lost_tasks
from tremplin.core.scheduler import run_due_jobs


class Command(BaseCommand):
    help = "Met en file les tâches quotidiennes (demandes de suivi) une fois par jour, à l'heure."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--once", action="store_true", help="Un seul passage, puis s'arrête.")
        parser.add_argument(
            "--interval", type=int, default=60, help="Secondes entre deux passages."
        )

    def handle(self, *args: Any, once: bool, interval: int, **options: Any) -> None:
        while True:
            for name in run_due_jobs():
                self.stdout.write(f"Tâche « {name} » mise en file.")
            # A worker killed mid-task leaves it running: each tick fails such tasks visibly.
            for pk in reap_lost_tasks():
                self.stdout.write(f"Tâche {pk} interrompue (travailleur arrêté) : en échec.")
            if once:
                return
            time.sleep(interval)
