"""Benchmark: a cohort's end-of-training documents and its monthly attendance PDFs.

Builds a throwaway SQLite database: one network and site, the programme with the shipped
competency frameworks, a 4-month cohort of 12 learners with SESSION_MONTHS months (default 4)
of half-day sessions, every sheet signed through the attendance services at the half-day's own
time (time_machine), one absence a week and a late arrival a day, and countersigned; a third of
the competencies acquired by each learner. Then times, through the code the background task
runs (``documents.tasks.cohort_generate``: render, hash, store, one row per version):
- the 12 certificats de réalisation, then the 12 attestations de fin de formation;
- the cohort's 4 monthly attendance PDFs (``attendance.pdf.monthly_pdf``).
Prints totals and per-document figures.
Run: make bench-documents  (SESSION_MONTHS=1 for a quicker build).
"""

import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
_tmp = tempfile.mkdtemp(prefix="tremplin-bench-documents-")
os.environ["DATABASE_URL"] = f"sqlite:///{_tmp}/bench.sqlite3"
os.environ["MEDIA_ROOT"] = f"{_tmp}/private"
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tremplin.settings")

import django  # noqa: E402

django.setup()

import datetime  # noqa: E402
from zoneinfo import ZoneInfo  # noqa: E402

import time_machine  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from tremplin.accounts.models import User  # noqa: E402
from tremplin.attendance import services as attendance  # noqa: E402
from tremplin.attendance.pdf import monthly_pdf  # noqa: E402
from tremplin.candidacies.models import Candidacy  # noqa: E402
from tremplin.cohorts.models import Cohort, CompetencyAssessment, Enrolment  # noqa: E402
from tremplin.core.models import TaskProgress  # noqa: E402
from tremplin.documents.enums import DocumentKind  # noqa: E402
from tremplin.documents.tasks import cohort_generate  # noqa: E402
from tremplin.organisations.models import Organisation, Site  # noqa: E402
from tremplin.people.models import Person, identity_key  # noqa: E402
from tremplin.plateau.models import Lab  # noqa: E402
from tremplin.plateau.services import public_holiday, session_create  # noqa: E402
from tremplin.programmes.enums import TrackKind  # noqa: E402
from tremplin.programmes.frameworks import available_frameworks, install_framework  # noqa: E402
from tremplin.programmes.models import Programme, Track  # noqa: E402

LEARNERS = 12
SESSION_MONTHS = int(os.environ.get("SESSION_MONTHS", "4"))
START = datetime.date(2027, 1, 4)  # a Monday; the cohort runs January to April
PARIS = ZoneInfo("Europe/Paris")
SCREEN = {"method": "trainer_screen", "ip": "192.0.2.10", "device": "bench"}


def at(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=PARIS)


def build() -> tuple[Cohort, User]:
    call_command("migrate", verbosity=0)
    network = Organisation.objects.create(kind="network", name="Les Plombiers du Numérique")
    host = Organisation.objects.create(kind="training", name="AFPA Saint-Jérôme", network=network)
    site = Site.objects.create(network=network, host=host, name="Marseille", commune="Marseille")
    coordinator = User.objects.create_user(
        "coord@example.org",
        "x",
        role="coordinator",
        organisation=network,
        site=site,
        first_name="Camille",
        last_name="Coordinatrice",
    )
    trainer = User.objects.create_user(
        "formateur@example.org",
        "x",
        role="trainer",
        organisation=host,
        site=site,
        first_name="Karim",
        last_name="Formateur",
    )
    programme = Programme.objects.create(network=network, name="Techniciens du numérique")
    for data in available_frameworks():
        Track.objects.create(
            programme=programme, kind=TrackKind(data.track), certification=install_framework(data)
        )
    cohort = Cohort.objects.create(
        programme=programme,
        site=site,
        name="Promo bench",
        start_date=START,
        end_date=datetime.date(2027, 4, 30),
        capacity=LEARNERS,
    )
    cohort.trainers.add(trainer)
    lab = Lab.objects.create(site=site, name="Labo fibre", workstations=LEARNERS)
    before = at(START - datetime.timedelta(days=10), 10)
    competencies = list(competencies_of_programme(programme))
    for n in range(LEARNERS):
        birth = datetime.date(1990 + n, 1 + n % 12, 1 + n)
        first, last = f"Prénom{n:02d}", f"Nom{n:02d}"
        person = Person.objects.create(
            first_name=first,
            last_name=last,
            birth_date=birth,
            commune="Marseille",
            postal_code="13013",
            highest_diploma="none",
            mobility="car",
            consent_programme=True,
            identity_key=identity_key(first, last, birth),
        )
        candidacy = Candidacy.objects.create(
            person=person, cohort=cohort, source="public", status="enrolled"
        )
        enrolment = Enrolment.objects.create(cohort=cohort, candidacy=candidacy)
        Enrolment.objects.filter(pk=enrolment.pk).update(enrolled_at=before)
        CompetencyAssessment.objects.bulk_create(
            CompetencyAssessment(
                enrolment=enrolment,
                competency=c,
                level="acquired",
                assessed_on=START + datetime.timedelta(days=30),
                assessed_by=trainer,
            )
            for i, c in enumerate(competencies)
            if (i + n) % 3 == 0
        )
    learners = list(Enrolment.objects.filter(cohort=cohort).order_by("id"))
    day, last_day = START, min(cohort.end_date, add_months(START, SESSION_MONTHS))
    half_days = 0
    while day < last_day:
        if day.weekday() < 5 and not public_holiday(day):
            for half_day, (opens, ends) in (("am", (9, 12)), ("pm", (13, 17))):
                with time_machine.travel(at(START - datetime.timedelta(days=5), 9), tick=False):
                    session = session_create(
                        by=coordinator,
                        cohort=cohort,
                        date=day,
                        half_day=half_day,
                        trainer=trainer,
                        lab=lab,
                        title="Épissure et mesures",
                    )
                with time_machine.travel(at(day, opens, 2), tick=False) as clock:
                    week = (day - START).days // 7
                    for i, enrolment in enumerate(learners):
                        # One morning off every four weeks, one late afternoon a week.
                        if half_day == "am" and day.weekday() == i % 5 and (week + i) % 4 == 0:
                            attendance.mark_absent(session=session, enrolment=enrolment, by=trainer)
                            continue
                        late = half_day == "pm" and day.weekday() == i % 5
                        clock.move_to(at(day, opens, 25 if late else 2))
                        attendance.sign(session=session, enrolment=enrolment, by=trainer, **SCREEN)
                    clock.move_to(at(day, ends, 5))
                    attendance.countersign(
                        session=session, by=trainer, ip="192.0.2.10", device="bench"
                    )
                half_days += 1
        day += datetime.timedelta(days=1)
    print(
        f"built: {LEARNERS} learners, {half_days} countersigned half-days "
        f"over {SESSION_MONTHS} month(s)"
    )
    return cohort, coordinator


def competencies_of_programme(programme: Programme):  # type: ignore[no-untyped-def]
    from tremplin.programmes.models import Competency

    return Competency.objects.filter(block__certification__tracks__programme=programme).distinct()


def add_months(day: datetime.date, months: int) -> datetime.date:
    month = day.month - 1 + months
    return datetime.date(day.year + month // 12, month % 12 + 1, 1)


def timed_documents(cohort: Cohort, by: User, kind: DocumentKind) -> None:
    progress = TaskProgress.objects.create(owner=by, kind="cohort_documents", label=str(kind.label))
    started = time.perf_counter()
    with CaptureQueriesContext(connection) as queries:
        made = cohort_generate(cohort=cohort, kind=kind, by=by, progress=progress)
    elapsed = time.perf_counter() - started
    sizes = sum(d.size for d in made)
    print(
        f"{kind.label}: {len(made)} documents in {elapsed:.2f} s, {len(queries)} queries — "
        f"{1000 * elapsed / len(made):.0f} ms per document, {sizes / len(made) / 1024:.0f} KiB each"
    )


def main() -> None:
    started = time.perf_counter()
    cohort, coordinator = build()
    print(f"setup: {time.perf_counter() - started:.1f} s")
    # The documents are dated after the cohort's end, as they are issued in real life.
    with time_machine.travel(at(datetime.date(2027, 5, 3), 10), tick=True):
        timed_documents(cohort, coordinator, DocumentKind.CERTIFICAT)
        timed_documents(cohort, coordinator, DocumentKind.ATTESTATION)
        timings = []
        for month in range(1, 5):
            t0 = time.perf_counter()
            with CaptureQueriesContext(connection) as queries:
                content = monthly_pdf(cohort, 2027, month)
            timings.append((month, time.perf_counter() - t0, len(content), len(queries)))
    total = sum(t for _m, t, _s, _q in timings)
    for month, elapsed, size, count in timings:
        print(
            f"  attendance PDF 2027-{month:02d}: {elapsed:.2f} s, {count} queries, "
            f"{size / 1024:.0f} KiB"
        )
    print(f"monthly attendance PDFs: 4 in {total:.2f} s — {1000 * total / 4:.0f} ms per month")


if __name__ == "__main__":
    main()
