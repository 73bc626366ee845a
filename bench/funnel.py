"""Benchmark: the site funnel at national-network scale, one query vs. a per-candidacy baseline.

Builds a throwaway SQLite database (seeded, reproducible) with one site holding COHORTS cohorts
of 12-20 candidacies each, with enrolments, exits and 6-month follow-ups, then times:
- ours: ``reports.selectors.site_funnels`` (one aggregate query + the pure engine);
- baseline: the obvious ORM loop a view would write (one query per candidacy for its
  enrolment and follow-up).
Both must give the same funnel. Prints figures; the last line is the headline ratio.
Run: make bench-funnel  (COHORTS=... to change the scale).
"""

import os
import random
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
_tmp = tempfile.mkdtemp(prefix="tremplin-bench-")
os.environ["DATABASE_URL"] = f"sqlite:///{_tmp}/bench.sqlite3"
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tremplin.settings")

import django  # noqa: E402

django.setup()

import datetime  # noqa: E402

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402

from tremplin.candidacies.models import Candidacy  # noqa: E402
from tremplin.cohorts.models import Cohort, Enrolment  # noqa: E402
from tremplin.engine.indicators import CandidacyFacts, funnels  # noqa: E402
from tremplin.organisations.models import Organisation, Site  # noqa: E402
from tremplin.outcomes.enums import EMPLOYED_SITUATIONS, Situation  # noqa: E402
from tremplin.outcomes.models import FollowUp  # noqa: E402
from tremplin.people.models import Person, identity_key  # noqa: E402
from tremplin.programmes.models import Programme  # noqa: E402
from tremplin.reports.selectors import site_funnels  # noqa: E402

COHORTS = int(os.environ.get("COHORTS", "300"))
SEED = 20230605


def build() -> Site:
    call_command("migrate", verbosity=0)
    rng = random.Random(SEED)
    network = Organisation.objects.create(kind="network", name="Réseau")
    prescriber = Organisation.objects.create(kind="prescriber", name="France Travail")
    from tremplin.accounts.models import User

    staff = User.objects.create_user(
        "c@example.org",
        "x",
        role="coordinator",
        site=Site.objects.create(network=network, name="S", commune="M"),
    )
    site = staff.site
    programme = Programme.objects.create(network=network, name="P")
    people, candidacies, enrolments, follow_ups = [], [], [], []
    start = datetime.date(2017, 1, 9)
    cohorts = Cohort.objects.bulk_create(
        Cohort(
            programme=programme,
            site=site,
            name=f"Promo {i}",
            start_date=start + datetime.timedelta(weeks=2 * i),
            end_date=start + datetime.timedelta(weeks=2 * i + 17),
            capacity=20,
        )
        for i in range(COHORTS)
    )
    n = 0
    plan = []
    for cohort in cohorts:
        for _ in range(rng.randint(12, 20)):
            n += 1
            birth = datetime.date(1970 + n % 30, 1 + n % 12, 1 + n % 28)
            people.append(
                Person(
                    first_name=f"P{n}",
                    last_name=f"N{n}",
                    birth_date=birth,
                    commune="Marseille",
                    postal_code="13013",
                    highest_diploma="none",
                    mobility="car",
                    consent_programme=True,
                    identity_key=identity_key(f"P{n}", f"N{n}", birth),
                )
            )
            plan.append((cohort, rng.random()))
    people = Person.objects.bulk_create(people, batch_size=2000)
    for person, (cohort, luck) in zip(people, plan, strict=True):
        status = "enrolled" if luck < 0.6 else ("accepted" if luck < 0.65 else "refused")
        candidacies.append(
            Candidacy(
                person=person,
                cohort=cohort,
                source="prescriber",
                prescriber_organisation=prescriber,
                status=status,
            )
        )
    candidacies = Candidacy.objects.bulk_create(candidacies, batch_size=2000)
    for candidacy in candidacies:
        if candidacy.status == "enrolled":
            done = rng.random() < 0.85
            enrolments.append(
                Enrolment(
                    cohort=candidacy.cohort,
                    candidacy=candidacy,
                    status="completed" if done else "dropped_out",
                    ended_on=candidacy.cohort.end_date,
                )
            )
    enrolments = Enrolment.objects.bulk_create(enrolments, batch_size=2000)
    situations = list(Situation.values)
    for enrolment in enrolments:
        follow_ups.append(
            FollowUp(
                enrolment=enrolment,
                milestone="m6",
                situation=rng.choice(situations[:5] * 3 + situations),
                recorded_on=enrolment.ended_on,
                recorded_by=staff,
            )
        )
    FollowUp.objects.bulk_create(follow_ups, batch_size=2000)
    return site


def baseline(site: Site) -> list[CandidacyFacts]:
    """What a first version of the view would do: walk candidacies, ask for each one's data."""
    facts = []
    for candidacy in Candidacy.objects.filter(cohort__site=site).order_by(
        "cohort__start_date", "cohort_id"
    ):
        enrolment = Enrolment.objects.filter(candidacy=candidacy).first()
        employed = (
            bool(enrolment)
            and FollowUp.objects.filter(
                enrolment=enrolment, milestone="m6", situation__in=list(EMPLOYED_SITUATIONS)
            ).exists()
        )
        facts.append(
            CandidacyFacts(
                group=candidacy.cohort.name,
                accepted=candidacy.status in ("accepted", "enrolled"),
                enrolled=enrolment is not None,
                completed=enrolment is not None and enrolment.status == "completed",
                employed_6m=employed and enrolment is not None and enrolment.status == "completed",
            )
        )
    return facts


def timed(fn, repeat: int = 3):  # type: ignore[no-untyped-def]
    """Best wall time over ``repeat`` runs, the result, and the queries of one run."""
    best, result, queries = float("inf"), None, 0
    for _ in range(repeat):
        counted = [0]

        def count(execute, sql, params, many, context, counted=counted):  # type: ignore[no-untyped-def]
            counted[0] += 1
            return execute(sql, params, many, context)

        with connection.execute_wrapper(count):
            t0 = time.perf_counter()
            result = fn()
            best = min(best, time.perf_counter() - t0)
        queries = counted[0]
    return best, result, queries


def main() -> None:
    t0 = time.perf_counter()
    site = build()
    count = Candidacy.objects.count()
    print(
        f"seed {SEED}: {COHORTS} cohorts, {count} candidacies, "
        f"built in {time.perf_counter() - t0:.1f} s"
    )
    ours_s, (per_cohort, total), ours_queries = timed(lambda: site_funnels(site))
    base_s, facts, base_queries = timed(lambda: baseline(site), repeat=1)
    base_groups, base_total = funnels(facts, total_label=total.group)
    assert base_total == total and base_groups == per_cohort, "both ways must agree"
    print(f"funnel: {[s.count for s in total.stages]} over {len(per_cohort)} cohorts")
    print(f"ours:     {ours_s * 1000:8.1f} ms, {ours_queries} queries")
    print(f"baseline: {base_s * 1000:8.1f} ms, {base_queries} queries")
    print(
        f"site funnel on {count} candidacies: {ours_s * 1000:.0f} ms, "
        f"{base_s / ours_s:.0f}x faster than per-candidacy queries"
    )


if __name__ == "__main__":
    main()
