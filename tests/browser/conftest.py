"""Browser tests: Debian's Chromium driven by Playwright against pytest-django's live server.

Playwright never downloads a browser here: it launches the system Chromium named by
``CHROMIUM_PATH``. Pages are asked for in French, in Paris time, like the users of the site.
"""

import os
from collections.abc import Iterator
from typing import Any

import pytest

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session", autouse=True)
def _django_allow_async_unsafe() -> Iterator[None]:
    """Let the test thread touch the database while Playwright's event loop is registered.

    Playwright's sync API keeps an asyncio loop marked as running in the test thread, which
    Django takes for an async context (SynchronousOnlyOperation). Nothing here is async: the
    test thread and the live server thread each use their own connection synchronously.
    """
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        yield


@pytest.fixture(scope="session")
def base_url(live_server: Any) -> str:
    """The live server, so pages are reached with ``page.goto("/")``.

    This also replaces pytest-playwright's fallback ``base_url`` fixture, a method of a plugin
    class, which pytest 9 deprecates with a PytestRemovedIn10Warning (an error under our
    ``filterwarnings = error``).
    """
    return str(live_server.url)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict[str, Any]) -> dict[str, Any]:
    return {
        **browser_type_launch_args,
        "executable_path": os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"),
        "args": CHROMIUM_ARGS,
    }


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args: dict[str, Any]) -> dict[str, Any]:
    return {
        **browser_context_args,
        "locale": "fr-FR",
        "timezone_id": "Europe/Paris",
        "viewport": {"width": 1280, "height": 900},
    }
