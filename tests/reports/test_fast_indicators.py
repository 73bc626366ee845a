"""The aggregate path (reports.selectors over reports.LearnerFacts) gives exactly the
SiteIndicators of the per-person reference (reports.reference), on random hand-built worlds:
several sites and cohorts, people enrolled twice, follow-up histories with ties, surveys with
blank answers, fundings, every filter. The same check runs on PostgreSQL (marker postgres),
where the rebuild is one INSERT … SELECT."""

import dataclasses
import datetime
import random
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests import factories
from tremplin.candidacies.models import Candidacy
from tremplin.cohorts.enums import DropOutReason, ExclusionReason
from tremplin.cohorts.models import CohortFunding, CompetencyAssessment, Enrolment
from tremplin.engine.indicators import vocabulary
from tremplin.organisations.enums import OrganisationKind
from tremplin.organisations.models import Site
from tremplin.outcomes.models import FollowUp
from tremplin.people.enums import Diploma
from tremplin.people.models import Person, identity_key
from tremplin.programmes.models import Competency, Programme, Track
from tremplin.quality.models import SurveyAnswer, SurveyInvitation
from tremplin.reports.facts import rebuild_learner_facts
from tremplin.reports.models import LearnerFacts
from tremplin.reports.reference import network_indicators_reference, site_indicators_reference
from tremplin.reports.selectors import IndicatorFilters, network_indicators, site_indicators

pytestmark = pytest.mark.django_db

D = datetime.date
TODAY = D(2026, 11, 30)  # the frozen clock


@dataclasses.dataclass
class RandomWorld:
    programmes: list[Programme]
    funders: list[Any]
    track: Track
    other_track: Track


def _person(rng: random.Random, n: int) -> Person:
    birth = rng.choice(
        [D(2000, 2, 29), D(2008, 6, 1), D(2026, 6, 1)]  # leap day, just 18, born « after entry »
        + [D(rng.randint(1958, 2006), rng.randint(1, 12), rng.randint(1, 28)) for _ in range(6)]
    )
    data = dataclasses.asdict(
        factories.person_data(
            first_name=f"Aléa{n}",
            last_name=f"Monde{n}",
            birth_date=birth,
            receives_rsa=rng.random() < 0.4,
            qpv_declared=rng.random() < 0.2,
            highest_diploma=rng.choice([*Diploma.values, ""]),
            sex=rng.choice(["", "female", "male"]),
        )
    )
    data["qpv_code"] = rng.choice(["", "", "QN01312M"])
    key = identity_key(data["first_name"], data["last_name"], data["birth_date"])
    return Person.objects.create(**data, identity_key=key)


def build_random_world(world: Any, seed: int, people: int = 40) -> RandomWorld:
    """Cohorts on both sites (two programmes, month-end starts), candidacies of a pool of
    people (many in two cohorts), enrolments in every state, follow-up histories, surveys,
    fundings by two funders, assessments in two tracks. Written through the ORM: the
    signals keep the facts current as the services' writes do."""
    rng = random.Random(seed)
    other_programme = Programme.objects.create(network=world.network, name=f"Autre {seed}")
    other_funder = factories.org(OrganisationKind.FUNDER, f"Région {seed}", world.network)
    funders = [world.funder, other_funder]
    tracks = list(Track.objects.filter(programme=world.programme).order_by("id")[:2])
    competencies = {
        t.pk: list(Competency.objects.filter(block__certification=t.certification)[:2])
        for t in tracks
    }
    cohorts = [world.past, world.running, world.upcoming, world.other_cohort]
    for i in range(6):
        start = rng.choice([D(2024, 1, 31), D(2025, 3, 31), D(2025, 8, 31), D(2026, 2, 28)])
        cohorts.append(
            factories.cohort(
                rng.choice([world.programme, other_programme]),
                rng.choice([world.site, world.other_site]),
                f"Aléa {seed}-{i}",
                start + datetime.timedelta(days=rng.randint(0, 40)),
            )
        )
    for cohort in cohorts[4:]:
        for funder in funders:
            if rng.random() < 0.4:
                CohortFunding.objects.create(
                    cohort=cohort,
                    funder=funder,
                    amount=Decimal(rng.randint(0, 9_000_000)) / 100,
                )
    pool = [_person(rng, seed * 1000 + n) for n in range(people)]
    coordinator = world.user("coordinator")
    for person in pool:
        for cohort in rng.sample(cohorts, rng.choice([1, 1, 2, 3])):
            status = rng.choice([*vocabulary.CANDIDACY_STATUSES, "enrolled", "enrolled"])
            candidacy = Candidacy.objects.create(
                person=person, cohort=cohort, source="public", status=status
            )
            if status != "enrolled" and rng.random() > 0.05:
                continue
            _enrol(rng, candidacy, cohort, coordinator, tracks, competencies)
    return RandomWorld([world.programme, other_programme], funders, tracks[0], tracks[1])


def _enrol(rng, candidacy, cohort, coordinator, tracks, competencies) -> None:
    state = rng.choice(["in_training", "completed", "completed", "dropped_out", "excluded"])
    reason = ""
    if state == "dropped_out":
        reason = rng.choice([*DropOutReason.values, DropOutReason.FOUND_JOB, ""])
    elif state == "excluded":
        reason = rng.choice([*ExclusionReason.values, ""])
    ended_on = None
    if state != "in_training":
        latest = max(cohort.start_date, min(TODAY, cohort.end_date + datetime.timedelta(days=20)))
        ended_on = cohort.start_date + datetime.timedelta(
            days=rng.randint(0, (latest - cohort.start_date).days)
        )
        if rng.random() < 0.2:  # a month's end: 31 Aug + 6 months is the end of February
            ended_on = D(2025, 8, 31) if ended_on.year == 2025 else ended_on
    enrolment = Enrolment.objects.create(
        cohort=cohort, candidacy=candidacy, status=state, ended_on=ended_on, end_reason=reason
    )
    for track in tracks:
        if rng.random() < 0.3:
            CompetencyAssessment.objects.create(
                enrolment=enrolment,
                competency=rng.choice(competencies[track.pk]),
                level="acquired",
                assessed_on=cohort.start_date,
                assessed_by=coordinator,
            )
    base = ended_on or cohort.start_date
    for milestone, months in vocabulary.MILESTONE_MONTHS.items():
        if rng.random() < 0.4:
            continue
        due = base + datetime.timedelta(days=30 * months)
        day = due + datetime.timedelta(days=rng.randint(-30, 45))
        for _ in range(rng.choice([1, 1, 2, 3])):
            FollowUp.objects.create(
                enrolment=enrolment,
                milestone=milestone,
                situation=rng.choice(vocabulary.SITUATIONS),
                recorded_on=day,
                recorded_by=coordinator,
            )
            day += datetime.timedelta(days=rng.choice([0, 0, 5, -3]))  # ties: the later entry
    for kind in ("hot", "mid"):
        if rng.random() < 0.5:
            invitation = SurveyInvitation.objects.create(
                enrolment=enrolment, kind=kind, questionnaire="1", sent_at=timezone.now()
            )
            for question in rng.sample(["objectifs", "contenus", "formateurs", "texte"], 3):
                if rng.random() < 0.7:
                    score = None if question == "texte" else rng.randint(1, 5)
                    SurveyAnswer.objects.create(
                        invitation=invitation, question=question, score=score, text="ok"
                    )


def filters_of(world: Any, random_world: RandomWorld) -> list[IndicatorFilters]:
    programme, other_programme = random_world.programmes
    return [
        IndicatorFilters(),
        IndicatorFilters(start_from=D(2025, 1, 1)),
        IndicatorFilters(start_from=D(2025, 3, 1), start_to=D(2025, 12, 31)),
        IndicatorFilters(programme_id=programme.pk),
        IndicatorFilters(programme_id=other_programme.pk, start_to=D(2026, 1, 1)),
        IndicatorFilters(funder_id=random_world.funders[0].pk),
        IndicatorFilters(funder_id=random_world.funders[1].pk, start_from=D(2025, 1, 1)),
        IndicatorFilters(track_id=random_world.track.pk),
        IndicatorFilters(track_id=random_world.other_track.pk, start_to=D(2025, 12, 31)),
        IndicatorFilters(start_from=D(2031, 1, 1)),  # nothing at all
        IndicatorFilters(cohort_id=world.past.pk),
        IndicatorFilters(cohort_id=world.running.pk, funder_id=random_world.funders[0].pk),
    ]


def assert_fast_equals_reference(world: Any, filters: list[IndicatorFilters]) -> None:
    sites = Site.objects.all()
    for f in filters:
        fast = network_indicators(sites, f)
        reference = network_indicators_reference(sites, f)
        assert [s.pk for s, _ in fast] == [s.pk for s, _ in reference]
        for (site, mine), (_site, theirs) in zip(fast, reference, strict=True):
            for name in (f.name for f in dataclasses.fields(theirs)):
                assert getattr(mine, name) == getattr(theirs, name), (site.name, f, name)
        for site in sites:
            assert site_indicators(site, f) == site_indicators_reference(site, f), (site, f)


def facts_rows() -> list[tuple[Any, ...]]:
    return list(LearnerFacts.objects.order_by("pk").values_list())


@pytest.mark.parametrize("seed", [1, 2, 3, 4])
def test_fast_path_equals_the_reference(world, seed):
    random_world = build_random_world(world, seed)
    assert LearnerFacts.objects.count() == Candidacy.objects.count()
    # Not vacuous: people enrolled twice at a site, several answers to a milestone.
    assert LearnerFacts.objects.filter(repeat_entrant=True).exists()
    assert Enrolment.objects.filter(status="completed").exists()
    assert_fast_equals_reference(world, filters_of(world, random_world))


def test_rebuild_gives_the_rows_the_signals_keep(world):
    build_random_world(world, 7)
    kept = facts_rows()
    LearnerFacts.objects.all().delete()
    assert rebuild_learner_facts() == len(kept)
    assert facts_rows() == kept


@pytest.mark.postgres
@pytest.mark.parametrize("seed", [11, 12])
def test_fast_path_equals_the_reference_on_postgresql(world, seed):
    if connection.vendor != "postgresql":
        pytest.fail("PostgreSQL only: run with DATABASE_URL=postgres://…")
    random_world = build_random_world(world, seed, people=60)
    kept = facts_rows()
    # The rebuild's INSERT … SELECT computes every column in SQL (month ends, ages, latest
    # answers, rounding): the same rows as the per-candidacy code the signals run.
    assert rebuild_learner_facts() == len(kept)
    assert facts_rows() == kept
    assert_fast_equals_reference(world, filters_of(world, random_world))


def test_network_indicators_take_ten_queries_whatever_the_sites(world):
    build_random_world(world, 5, people=15)
    for i in range(3):
        site = Site.objects.create(
            network=world.network, host=world.site.host, name=f"Site {i}", commune="Nice"
        )
        factories.cohort(world.programme, site, f"Nice {i}", D(2025, 5, 1))
    for f in (IndicatorFilters(), IndicatorFilters(start_from=D(2025, 1, 1), track_id=1)):
        with CaptureQueriesContext(connection) as queries:
            network_indicators(Site.objects.all(), f)
        # The sites, whether a rollup is built (unfiltered only), then 8 aggregates
        # (PostgreSQL: in a savepoint, after set_config).
        sql = [q["sql"] for q in queries.captured_queries]
        assert len([q for q in sql if q.startswith("SELECT") and "set_config" not in q]) <= 10
