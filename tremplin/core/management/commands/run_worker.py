"""The task worker: django-tasks-db's ``db_worker``, named so a dead one can be told apart.

Its worker id is ``host:pid:random`` (tremplin/core/reaper.py), and it fails the tasks of dead
workers (``reap_lost_tasks``) before taking new ones: restarting the worker after a crash
settles what the crash left running.
"""

from argparse import ArgumentParser
from typing import Any

from django_tasks_db.management.commands.db_worker import Command as DbWorkerCommand

from tremplin.core.reaper import new_worker_id, reap_lost_tasks


class Command(DbWorkerCommand):
    help = (
        "Exécute les tâches en file (db_worker) ; au démarrage, marque en échec les tâches "
        "qu'un travailleur arrêté brutalement a laissées en cours."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        super().add_arguments(parser)
        parser.set_defaults(worker_id=new_worker_id())

    def handle(self, *args: Any, **options: Any) -> None:
        for pk in reap_lost_tasks():
            self.stderr.write(f"Tâche {pk} interrompue par l'arrêt d'un travailleur : en échec.")
        super().handle(*args, **options)
