"""Shared fixtures: a small world with one named user per role, a frozen clock, strict templates.

The world: one network with the Marseille site and an outside site (Lyon); a programme with the
shipped competency frameworks; an upcoming cohort and a running cohort in Marseille; prescriber,
employer and funder organisations; and one user per role, plus "outsiders" of the same roles
attached to other organisations, who must see nothing of the first ones.
"""

import datetime
import os
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
import time_machine
from django.db import connection
from django.utils import translation

from tests import factories
from tests.auth import log_in

FROZEN_NOW = datetime.datetime(2026, 11, 30, 10, 0, tzinfo=datetime.UTC)


class UndefinedTemplateVariable(str):
    """Makes any undefined template variable fail the test that rendered it."""

    def __mod__(self, other: object) -> str:
        raise AssertionError(f"Undefined template variable: {other!r}")

    def __contains__(self, item: object) -> bool:
        return item == "%s"


@pytest.fixture(autouse=True)
def _strict_templates(settings: Any) -> None:
    for template in settings.TEMPLATES:
        template["OPTIONS"]["string_if_invalid"] = UndefinedTemplateVariable("%s")


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings: Any) -> None:
    # The real hasher is slow by design; tests log a dozen users in per test.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _immediate_tasks(settings: Any) -> None:
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture(autouse=True)
def _site_language() -> Iterator[None]:
    # A request in English leaves English active in the thread (LocaleMiddleware activates the
    # request's language and nothing resets it): each test starts and ends in the default.
    translation.deactivate()
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def _private_media(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path / "private"


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup: Any, django_db_blocker: Any) -> Iterator[None]:
    """pytest-django's test database, whose other sessions are ended before it is dropped.

    Tests start threads, live servers and subprocesses (a task worker killed on purpose, the
    deployed stack) with connections of their own. One still open when the process ends made
    DROP DATABASE fail on PostgreSQL ("being accessed by other users") in a CI run, and failed
    the run though every test had passed."""
    yield
    with django_db_blocker.unblock():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                    " WHERE datname = current_database() AND pid <> pg_backend_pid()"
                )


@pytest.fixture
def frozen_clock() -> Any:
    with time_machine.travel(FROZEN_NOW, tick=False) as traveller:
        yield traveller


@dataclass
class World:
    network: Any
    site: Any
    other_site: Any
    programme: Any
    upcoming: Any
    running: Any
    past: Any
    other_cohort: Any
    france_travail: Any
    mission_locale: Any
    employer: Any
    other_employer: Any
    funder: Any
    users: dict[str, Any]

    def user(self, role: str) -> Any:
        return self.users[role]


@pytest.fixture
def world(db: Any, frozen_clock: Any) -> World:
    return factories.build_world()


@pytest.fixture
def world_pg(transactional_db: Any, frozen_clock: Any) -> World:
    """The world committed for real, for tests of concurrent transactions (marker postgres)."""
    if connection.vendor != "postgresql":
        pytest.fail("These tests need PostgreSQL: run them with DATABASE_URL (make test-postgres).")
    return factories.build_world()


@pytest.fixture
def client_for(client: Any, world: World) -> Any:
    def login(role: str) -> Any:
        return log_in(client, world.user(role))

    return login


def pytest_configure(config: Any) -> None:
    os.environ.setdefault("CHROMIUM_PATH", "/usr/bin/chromium")
