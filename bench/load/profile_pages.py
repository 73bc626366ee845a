"""Load test, diagnosis: what each page of the plan costs one request, without the load.

Run after `make load` has built its database (or with LOAD_KEEP=1 so it stays), against the
same DATABASE_URL: for one account per role of the plan, opens each page REPEAT times through
Django's test client (the whole middleware stack, DEBUG off), and prints per page the median
time, the queries and their share of the time. PROFILE=page_name adds a cProfile of that page;
ROLES=role,role keeps those roles of the plan only.

    DATABASE_URL=postgres://…:55461/tremplin .venv/bin/python bench/load/profile_pages.py \
        var/load/plan.json
"""

import cProfile
import io
import json
import os
import pstats
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tremplin.settings")
os.environ.setdefault("DEBUG", "0")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from tremplin.accounts.models import User  # noqa: E402

REPEAT = int(os.environ.get("REPEAT", "15"))
PROFILE = os.environ.get("PROFILE", "")
ROLES = set(filter(None, os.environ.get("ROLES", "").split(",")))


def signed_in(email: str) -> Client:
    """A client past both login steps, as the locust users are after on_start."""
    from tests.auth import log_in

    client = Client()
    log_in(client, User.objects.get(email=email))
    return client


def measure(client: Client, url: str) -> tuple[float, int, float]:
    times, query_time = [], 0.0
    queries = 0
    for _ in range(REPEAT):
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            response = client.get(url, follow=True)
            times.append(time.perf_counter() - started)
        assert response.status_code == 200, (url, response.status_code)
        queries = len(captured.captured_queries)
        query_time += sum(float(q["time"]) for q in captured.captured_queries)
    return statistics.median(times) * 1000, queries, query_time / REPEAT * 1000


def main() -> None:
    plan = json.loads(Path(sys.argv[1]).read_text(encoding="utf-8"))
    seen_roles = set()
    print(f"{'role':<18} {'page':<18} {'median ms':>9} {'queries':>7} {'SQL ms':>7}")
    for persona in plan["personas"]:
        if persona["role"] in seen_roles or (ROLES and persona["role"] not in ROLES):
            continue
        seen_roles.add(persona["role"])
        client = signed_in(persona["account"]["email"])
        for name, urls in [*persona["pages"].items(), ("health", ["/sante/"])]:
            if not urls:
                continue
            ms, queries, sql_ms = measure(client, urls[0])
            print(f"{persona['role']:<18} {name:<18} {ms:>9.1f} {queries:>7} {sql_ms:>7.1f}")
            if name == PROFILE:
                profiler = cProfile.Profile()
                profiler.enable()
                for _ in range(REPEAT):
                    client.get(urls[0])
                profiler.disable()
                out = io.StringIO()
                pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(40)
                print(out.getvalue())


if __name__ == "__main__":
    main()
