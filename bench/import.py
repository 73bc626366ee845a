"""Benchmark: a bulk referral of 10,000 rows, through the same code path as the pages.

Builds a throwaway SQLite database (seeded, reproducible): one network, site, France Travail
agency with its advisor and an upcoming cohort. Generates a 10,000-row XLSX in a temp dir,
5 % of whose rows repeat an earlier person (with other contact details, as a second export
would), then, as the advisor:
- upload: ``import_batch_create`` reads and checks the file and looks up duplicates (the
  preview page);
- import: ``import_batch_confirm``, which runs the background task (the immediate task
  backend here) that reads and checks the kept file again, then writes every candidacy through
  the referral service in one transaction (``candidacies.services.candidacy_create_many``);
  once committed, the location task of the new people (``geo.tasks.locate_people``) runs here too,
  where production queues it for a worker: its share is printed apart.
Prints timings per phase; the last line is the headline: rows of the file per second through
the import (read + check + write + location tasks).
Run: make bench-import  (ROWS=... to change the size).
"""

import io
import os
import random
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
_tmp = tempfile.mkdtemp(prefix="tremplin-bench-import-")
os.environ["DATABASE_URL"] = f"sqlite:///{_tmp}/bench.sqlite3"
os.environ["TASKS_BACKEND"] = "django.tasks.backends.immediate.ImmediateBackend"
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tremplin.settings")

import django  # noqa: E402

django.setup()

import logging  # noqa: E402

# The immediate task backend logs each task it runs, which would follow the headline.
logging.getLogger("django.tasks").setLevel(logging.WARNING)

import datetime  # noqa: E402

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.tasks.signals import task_finished, task_started  # noqa: E402
from django.utils import timezone  # noqa: E402
from openpyxl import Workbook  # noqa: E402

from tremplin.accounts.models import User  # noqa: E402
from tremplin.candidacies.models import Candidacy  # noqa: E402
from tremplin.cohorts.models import Cohort  # noqa: E402
from tremplin.intake.analysis import analyse  # noqa: E402
from tremplin.intake.columns import columns  # noqa: E402
from tremplin.intake.models import ImportBatch  # noqa: E402
from tremplin.intake.services import import_batch_confirm, import_batch_create  # noqa: E402
from tremplin.organisations.models import Organisation, Site  # noqa: E402
from tremplin.programmes.models import Programme  # noqa: E402

ROWS = int(os.environ.get("ROWS", "10000"))
DUPLICATE_SHARE = 0.05
LOCATION_TASKS = {"locate_person", "locate_people"}
SEED = 20230605
FIRST = [
    "Camille",
    "Léa",
    "Inès",
    "Karim",
    "Rayan",
    "Awa",
    "Marc",
    "Lina",
    "Yanis",
    "Sofia",
    "Nordine",
    "Manon",
    "Ibrahima",
    "Chloé",
]
LAST = [
    "Ferrand",
    "Haddad",
    "Benali",
    "Ouali",
    "Rossi",
    "Diallo",
    "Martin",
    "Nguyen",
    "Garcia",
    "Mercier",
    "Traoré",
    "Petit",
]
DIPLOMAS = ["Aucun diplôme", "CAP, BEP", "Baccalauréat", "Bac + 2"]
MOBILITY = ["Transports en commun", "Véhicule personnel", "Deux-roues"]


def build() -> tuple[User, Cohort]:
    call_command("migrate", verbosity=0)
    network = Organisation.objects.create(kind="network", name="Les Plombiers du Numérique")
    agency = Organisation.objects.create(
        kind="prescriber", name="France Travail Marseille 13e", network=network
    )
    site = Site.objects.create(network=network, name="Marseille", commune="Marseille")
    programme = Programme.objects.create(network=network, name="Infrastructures numériques")
    start = timezone.localdate() + datetime.timedelta(days=30)
    cohort = Cohort.objects.create(
        programme=programme,
        site=site,
        name="Promo bench",
        start_date=start,
        end_date=start + datetime.timedelta(days=122),
        capacity=12,
    )
    advisor = User.objects.create_user(
        "conseiller@example.org", "x", role="prescriber", organisation=agency
    )
    return advisor, cohort


def generate(rng: random.Random) -> tuple[bytes, int]:
    """The XLSX and how many rows repeat an earlier person."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Orientations")
    sheet.append([column.header for column in columns()])
    duplicates = int(ROWS * DUPLICATE_SHARE)
    people: list[list[object]] = []
    for n in range(ROWS - duplicates):
        birth = datetime.date(1966, 1, 1) + datetime.timedelta(days=rng.randrange(13000))
        # Unique surnames: a suffix of letters, as real lists have no two identical people.
        suffix = "".join(chr(97 + int(d)) for d in str(n))
        people.append(
            [
                f"{rng.choice(LAST)}-{suffix}",
                rng.choice(FIRST),
                birth,
                f"130{rng.randint(1, 16):02d}",
                "Marseille",
                rng.choice(DIPLOMAS),
                rng.choice(MOBILITY),
                "oui",
                f"personne{n}@example.org",
                f"06 {rng.randint(10, 99)} {rng.randint(10, 99)} {rng.randint(10, 99)} 00",
                f"{rng.randint(1, 200)} boulevard National",
                datetime.date(2024, 1, 1) + datetime.timedelta(days=rng.randrange(600)),
                rng.choice(["oui", "non"]),
                rng.choice(["oui", "non"]),
                rng.choice(["oui", "non"]),
                rng.choice(["oui", "non"]),
                "Veut se former aux métiers de la fibre optique.",
            ]
        )
    rows = list(people)
    for _ in range(duplicates):
        again = list(rng.choice(people))
        again[8] = "autre.adresse@example.org"
        rows.insert(rng.randrange(len(rows) + 1), again)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue(), duplicates


def main() -> None:
    rng = random.Random(SEED)
    t0 = time.perf_counter()
    advisor, cohort = build()
    content, duplicates = generate(rng)
    path = Path(_tmp) / "orientations.xlsx"
    path.write_bytes(content)
    print(
        f"seed {SEED}: {ROWS} rows ({duplicates} duplicates), XLSX of {len(content) / 1e6:.1f} MB "
        f"built in {time.perf_counter() - t0:.1f} s"
    )

    queries = [0]
    # The location tasks (immediate backend: run at the commit, in this thread), apart.
    locating = {"on": False, "since": 0.0, "seconds": 0.0, "tasks": 0, "queries": 0}

    def count(execute, sql, params, many, context):  # type: ignore[no-untyped-def]
        queries[0] += 1
        locating["queries"] += locating["on"]
        return execute(sql, params, many, context)

    def started(sender, task_result, **kwargs):  # type: ignore[no-untyped-def]
        if task_result.task.name in LOCATION_TASKS:
            locating.update(on=True, since=time.perf_counter())

    def finished(sender, task_result, **kwargs):  # type: ignore[no-untyped-def]
        if locating["on"] and task_result.task.name in LOCATION_TASKS:
            locating["seconds"] += time.perf_counter() - locating["since"]
            locating["tasks"] += 1
            locating["on"] = False

    task_started.connect(started)
    task_finished.connect(finished)

    with connection.execute_wrapper(count):
        t = time.perf_counter()
        batch = import_batch_create(
            owner=advisor, cohort=cohort, filename=path.name, content=path.read_bytes()
        )
        upload_s = time.perf_counter() - t
        upload_queries, queries[0] = queries[0], 0
        assert batch.invalid_count == 0, batch.analysis["problems"][:3]
        assert (batch.new_count, batch.duplicate_count) == (ROWS - duplicates, duplicates)

        # The import's first phase alone (it reads and checks the kept file again).
        t = time.perf_counter()
        analyse(bytes(batch.content), cohort, today=timezone.localdate())
        read_s = time.perf_counter() - t
        queries[0] = 0

        t = time.perf_counter()
        import_batch_confirm(batch=batch, by=advisor)
        import_s = time.perf_counter() - t
    batch = ImportBatch.objects.get(pk=batch.pk)
    created = Candidacy.objects.filter(cohort=cohort).count()
    assert batch.status == "imported", batch.message
    assert created == batch.created_count == ROWS - duplicates
    locate_s = float(locating["seconds"])
    locate_queries = int(locating["queries"])
    write_s = import_s - read_s - locate_s
    write_queries = queries[0] - locate_queries
    lines = [
        ("upload, the preview (read, check, duplicates)", upload_s, f"{upload_queries} queries"),
        ("import, the task (read, check, write, locate)", import_s, f"{queries[0]} queries"),
        ("  read + check (measured alone)", read_s, f"{ROWS / read_s:.0f} rows/s"),
        (
            "  write, one transaction (the rest)",
            write_s,
            f"{created / write_s:.0f} candidacies/s, {write_queries} queries "
            f"({write_queries / created:.2f} each)",
        ),
        (
            "  location tasks after the commit",
            locate_s,
            f"{locating['tasks']} tasks, {locate_queries} queries",
        ),
    ]
    for label, seconds, detail in lines:
        print(f"{label:<48}{seconds:7.2f} s, {detail}")
    # A worker runs the location tasks in production: the import itself, without them.
    print(f"without the location tasks: {ROWS / (import_s - locate_s):.0f} rows/s")
    print(
        f"imported {created:,} rows from a {ROWS:,}-row XLSX "
        f"({DUPLICATE_SHARE * 100:.0f} % duplicates): {ROWS / import_s:.0f} rows/s"
    )


if __name__ == "__main__":
    main()
