"""Threads for tests that run real concurrent transactions on PostgreSQL (marker ``postgres``).

Their world comes from the ``world_pg`` fixture of tests/conftest.py.
"""

import threading
from collections.abc import Callable
from typing import Any

from django.db import connections


def in_thread(target: Callable[[], Any], results: dict[str, Any], key: str) -> threading.Thread:
    """Run ``target`` on its own connection; its result or exception lands in ``results[key]``."""

    def run() -> None:
        try:
            results[key] = target()
        except Exception as error:  # recorded for the assertions of the main thread
            results[key] = error
        finally:
            connections.close_all()

    thread = threading.Thread(target=run)
    thread.start()
    return thread
