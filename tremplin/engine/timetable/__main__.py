"""``python -m tremplin.engine.timetable INPUT.json``: see cli.py."""

import sys

from tremplin.engine.timetable.cli import main

sys.exit(main())
