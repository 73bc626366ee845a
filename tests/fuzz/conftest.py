"""Hypothesis settings for the fuzz tests, and one world shared by a module's tests.

The "ci" profile (the default; HYPOTHESIS_PROFILE chooses another) derandomizes the runs so CI
is stable, keeps no example database (nothing written into the repository), and has no
deadline: the two cores are shared. Each test sets its own ``max_examples`` so that the whole
package runs in about three minutes.

Building the world takes a second or two, so a module builds it once (``arena``) inside a
transaction rolled back at the end, and every example runs in a savepoint rolled back after it
(``rolled_back``): each example starts from the same database. The tests using it are marked
``django_db``, which is what makes pytest-django create the test database.
"""

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
import time_machine
from django.db import connection, transaction
from django.test import override_settings
from hypothesis import HealthCheck, settings
from hypothesis.configuration import set_hypothesis_home_dir

from tests.conftest import FROZEN_NOW

# Hypothesis keeps caches (constants, unicode tables) in its home directory: out of the repo.
set_hypothesis_home_dir(Path(tempfile.gettempdir()) / "tremplin-hypothesis")
settings.register_profile(
    "ci",
    deadline=None,
    database=None,
    derandomize=True,
    print_blob=False,
    # The client and the shared world are built once per test, not per example, on purpose.
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
    ],
)
settings.register_profile("dev", parent=settings.get_profile("ci"), derandomize=False)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))


@pytest.fixture(autouse=True)
def _immediate_tasks(settings: Any) -> None:
    # Overrides the suite's immediate backend: a fuzzed post must not run a solver or build a
    # PDF in the request; enqueueing is what the pages do.
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}


@contextmanager
def rolled_back() -> Iterator[None]:
    """A savepoint undone on exit, whatever the example wrote."""
    with transaction.atomic():
        yield
        transaction.set_rollback(True)


@pytest.fixture(scope="module")
def arena(
    django_db_setup: Any, django_db_blocker: Any, tmp_path_factory: Any
) -> Iterator[dict[str, Any]]:
    """The world and the access matrix's objects, built once for the module, then undone."""
    from tests import factories
    from tests.www.test_access_matrix import build_objects

    media = tmp_path_factory.mktemp("media")
    with (
        django_db_blocker.unblock(),
        override_settings(
            PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
            MEDIA_ROOT=media,
            TASKS={"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}},
        ),
        time_machine.travel(FROZEN_NOW, tick=False),
        transaction.atomic(),
    ):
        # pytest-django creates the test database only for tests marked django_db: never the
        # development database.
        if "memory" not in str(connection.settings_dict["NAME"]) and not str(
            connection.settings_dict["NAME"]
        ).startswith("test"):
            pytest.fail("The fuzz tests must be marked django_db (no test database here).")
        world = factories.build_world()
        objects = build_objects(world)
        yield {"world": world, "objects": objects, "media": media}
        transaction.set_rollback(True)
