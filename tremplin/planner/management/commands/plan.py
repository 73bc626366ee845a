"""``manage.py plan INPUT.json [options]``: the planner's command line inside the project.

The same program as ``python -m tremplin.engine.timetable`` (tremplin/engine/timetable/cli.py):
it reads a problem in the documented JSON format, prints the plan's figures and writes the
plan as JSON. Every argument is handed to it unchanged; its exit code is this command's.
"""

import argparse
import io
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from tremplin.engine.timetable import cli


class Command(BaseCommand):
    help = (
        "Planifie les promotions décrites dans un fichier JSON (format : "
        "tremplin/engine/timetable/problem.schema.json) ; « manage.py plan -- --help » "
        "donne les options."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("arguments", nargs=argparse.REMAINDER)

    def handle(self, *args: Any, **options: Any) -> None:
        arguments = [a for a in options["arguments"] if a != "--"]
        # The CLI prints with print(); the command's wrappers would add a line end to each.
        out, err = io.StringIO(), io.StringIO()
        try:
            code = cli.main(arguments, out=out, err=err)
        except SystemExit as exit_:  # argparse: --help, or a missing argument
            code = int(exit_.code or 0)
        self.stdout.write(out.getvalue(), ending="")
        self.stderr.write(err.getvalue(), ending="")
        if code:
            raise SystemExit(code)
