"""The indicator selectors: engine facts read from hand-built rows, in a bounded number of
queries, giving the figures docs/indicators.md defines."""

import dataclasses
import datetime
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests import factories
from tremplin.candidacies.models import Candidacy
from tremplin.cohorts.models import CohortFunding, CompetencyAssessment, Enrolment
from tremplin.organisations.models import Organisation, Site
from tremplin.outcomes.models import FollowUp
from tremplin.people.models import Person, identity_key
from tremplin.programmes.models import Competency, Track
from tremplin.quality.models import SurveyAnswer, SurveyInvitation
from tremplin.reports.facts import refresh_learner_facts
from tremplin.reports.reference import _latest_answers
from tremplin.reports.selectors import (
    IndicatorFilters,
    network_indicators,
    site_indicators,
)

pytestmark = pytest.mark.django_db

D = datetime.date


def person(qpv_code: str = "", **overrides: Any) -> Person:
    data = dataclasses.asdict(factories.person_data(**overrides)) | {"qpv_code": qpv_code}
    key = identity_key(data["first_name"], data["last_name"], data["birth_date"])
    return Person.objects.create(**data, identity_key=key)


def candidacy(cohort: Any, status: str, **person_fields: Any) -> Candidacy:
    return Candidacy.objects.create(
        person=person(**person_fields), cohort=cohort, source="public", status=status
    )


def enrolment(cohort: Any, status: str, ended_on: D | None, reason: str = "", **fields: Any) -> Any:
    return Enrolment.objects.create(
        cohort=cohort,
        candidacy=candidacy(cohort, "enrolled", **fields),
        status=status,
        ended_on=ended_on,
        end_reason=reason,
    )


def follow(world: Any, enrolment_: Any, milestone: str, situation: str, on: D) -> None:
    FollowUp.objects.create(
        enrolment=enrolment_,
        milestone=milestone,
        situation=situation,
        recorded_on=on,
        recorded_by=world.user("coordinator"),
    )


def survey(enrolment_: Any, *scores: int) -> None:
    invitation = SurveyInvitation.objects.create(
        enrolment=enrolment_, kind="hot", questionnaire="1", sent_at=timezone.now()
    )
    for code, score in zip(("objectifs", "contenus"), scores, strict=False):
        SurveyAnswer.objects.create(invitation=invitation, question=code, score=score)


@pytest.fixture
def past_cohort(world):
    """The past cohort (started 30 Nov 2025; today is 30 Nov 2026): ten candidacies, six
    enrolments that have ended, their follow-ups and end-of-training surveys."""
    cohort = world.past
    for status in ("accepted", "refused", "withdrawn", "new"):
        candidacy(cohort, status)
    exit_day = D(2026, 3, 31)
    e1 = enrolment(cohort, "completed", exit_day, qpv_declared=False, qpv_code="QN01301M")
    e2 = enrolment(cohort, "completed", exit_day, birth_date=D(2002, 1, 1))
    e3 = enrolment(cohort, "completed", exit_day, birth_date=D(1970, 5, 5))
    e4 = enrolment(
        cohort, "completed", exit_day, receives_rsa=False, qpv_declared=False, highest_diploma="bac"
    )
    dropped = enrolment(cohort, "dropped_out", D(2026, 2, 15), "found_job")
    excluded = enrolment(cohort, "excluded", D(2026, 1, 10), "absences")
    follow(world, e1, "exit", "cdi", D(2026, 4, 1))
    follow(world, e1, "m3", "cdi", D(2026, 6, 30))
    follow(world, e1, "m6", "cdi", D(2026, 9, 30))
    follow(world, e2, "exit", "job_seeking", D(2026, 4, 1))
    follow(world, e2, "m3", "interim", D(2026, 7, 1))
    follow(world, e2, "m6", "cdd_long", D(2026, 10, 1))
    follow(world, e3, "exit", "training", D(2026, 4, 2))
    follow(world, e3, "m6", "job_seeking", D(2026, 10, 1))
    follow(world, dropped, "m3", "cdi", D(2026, 5, 15))
    survey(e1, 5, 4)  # mean 4.5 → 5: satisfied
    survey(e2, 2, 3)  # mean 2.5 → 3
    survey(e3)  # asked, no answer
    return {"e1": e1, "e2": e2, "e3": e3, "e4": e4, "dropped": dropped, "excluded": excluded}


def pair(fig: Any) -> tuple[int, int]:
    return fig.numerator, fig.denominator


def test_pathway_figures(world, past_cohort):
    ind = site_indicators(world.site)
    assert ind.referrals.referred == 10
    assert pair(ind.referrals.acceptance) == (7, 8)  # accepted + enrolled / + refused
    assert pair(ind.referrals.enrolment) == (6, 7)
    assert pair(ind.completion.completed) == (4, 6)
    assert pair(ind.completion.dropped_out) == (1, 6)
    assert pair(ind.completion.excluded) == (1, 6)
    assert ind.completion.drop_out_reasons == (("found_job", 1),)


def test_employment_figures(world, past_cohort):
    ind = site_indicators(world.site)
    by_milestone = {rate.milestone: rate for rate in ind.employment}
    assert pair(by_milestone["exit"].rate) == (1, 6)
    assert by_milestone["exit"].unknown == 3  # e4, dropped, excluded: no follow-up at exit
    assert pair(by_milestone["m3"].rate) == (3, 6)  # e1 cdi, e2 interim, dropped cdi
    assert pair(by_milestone["m6"].rate) == (2, 6)
    # 12 months after the earliest exit (10 Jan 2026) is still to come: no data, not 0 %.
    assert by_milestone["m12"].not_yet_due == 6
    assert by_milestone["m12"].rate.value is None
    assert pair(ind.positive_outcomes.rate) == (1, 6)
    assert ind.positive_outcomes.undetermined == 1  # e3 in training at exit
    # Employed at 6 months: e1 and e2, whose 12-month follow-up is not due: no data.
    assert ind.retention.employed_at_6_months == 2
    assert ind.retention.rate.value is None


def test_time_to_first_job_censors_the_not_yet_hired(world, past_cohort):
    curve = site_indicators(world.site).time_to_job
    assert (curve.people, curve.events, curve.censored) == (6, 3, 3)
    # e4 and the excluded learner censored at exit (day 0); e1 hired on day 1, the drop-out
    # on day 89 (its 3-month follow-up), e2 on day 92 (interim at 3 months); e3 censored at 184.
    assert [(s.time, s.at_risk, s.events) for s in curve.steps] == [
        (1, 4, 1),
        (89, 3, 1),
        (92, 2, 1),
    ]
    assert [s.survival for s in curve.steps] == [0.75, 0.5, 0.25]
    assert curve.median == 89


def test_public_served(world, past_cohort):
    public = site_indicators(world.site).public
    assert public.entrants == 6
    assert pair(public.qpv) == (5, 6)  # e1 by its located address, not declared
    assert pair(public.rsa) == (5, 6)
    assert public.women.value is None and public.sex_unknown == 6
    assert [(key, pair(f)) for key, f in public.age_bands] == [
        ("under_26", (1, 6)),
        ("26_44", (4, 6)),
        ("45_plus", (1, 6)),
    ]
    assert dict((k, pair(f)) for k, f in public.diplomas)["bac"] == (1, 6)


def test_satisfaction_and_costs(world, past_cohort):
    CohortFunding.objects.all().delete()
    ind = site_indicators(world.site)
    assert pair(ind.satisfaction.satisfied) == (1, 2)
    assert pair(ind.satisfaction.response) == (2, 3)
    # No funding recorded on the cohort: costs are « no data », never 0.
    assert ind.costs.per_learner.value is None
    assert ind.costs.cohorts_without_budget == 1


def funding(cohort: Any, funder: Organisation, amount: str) -> CohortFunding:
    return CohortFunding.objects.create(cohort=cohort, funder=funder, amount=Decimal(amount))


def funder_org(name: str) -> Organisation:
    return Organisation.objects.create(name=name, kind="funder")


def test_costs_divide_the_cohorts_fundings(world, past_cohort):
    CohortFunding.objects.all().delete()
    funding(world.past, funder_org("France Travail"), "60000")
    funding(world.past, funder_org("Fonds social européen"), "12000.50")
    costs = site_indicators(world.site).costs
    assert costs.per_learner.budget == Decimal("72000.50")
    assert costs.per_learner.value == Decimal("12000.08")  # six learners entered
    # One positive outcome at exit (e1's CDI): the whole budget for it.
    assert costs.per_positive_outcome.value == Decimal("72000.50")
    # With a track filter a cohort's budget cannot be shared out: no data.
    track = Track.objects.filter(programme=world.programme).first()
    assert (
        site_indicators(world.site, IndicatorFilters(track_id=track.pk)).costs.per_learner.value
        is None
    )


def test_a_funder_scope_keeps_only_the_cohorts_it_funds(world, past_cohort):
    ours, theirs = funder_org("Région Sud"), funder_org("Fondation X")
    funding(world.past, theirs, "1000")
    candidacy(world.running, "refused")
    funding(world.running, ours, "5000")
    mine = site_indicators(world.site, IndicatorFilters(funder_id=ours.pk))
    assert mine.referrals.referred == 1  # the running cohort's candidacy only
    assert mine.completion.enrolled == 0
    assert (
        site_indicators(world.site, IndicatorFilters(funder_id=theirs.pk)).referrals.referred == 10
    )


def test_women_share_counts_the_stated_sex_only(world, past_cohort):
    Person.objects.filter(candidacies__enrolment=past_cohort["e1"]).update(sex="female")
    Person.objects.filter(candidacies__enrolment=past_cohort["e2"]).update(sex="male")
    # A raw edit bypasses the signals that keep the indicators' facts current.
    refresh_learner_facts(people=Person.objects.values_list("pk", flat=True))
    public = site_indicators(world.site).public
    assert pair(public.women) == (1, 2)
    assert public.sex_unknown == 4


def test_latest_answer_of_a_milestone_wins(world, past_cohort):
    # The follow-up history may hold several answers per milestone: the latest counts. The
    # unique constraint of today allows one row, so the later answer replaces the situation.
    FollowUp.objects.filter(enrolment=past_cohort["e2"], milestone="m6").update(
        situation="job_seeking", recorded_on=D(2026, 11, 1)
    )
    refresh_learner_facts(enrolments=[past_cohort["e2"].pk])  # the raw edit above
    by_milestone = {r.milestone: r for r in site_indicators(world.site).employment}
    assert pair(by_milestone["m6"].rate) == (1, 6)


def test_a_period_with_no_cohort_gives_no_data(world, past_cohort):
    ind = site_indicators(world.site, IndicatorFilters(start_from=D(2030, 1, 1)))
    assert ind.referrals.referred == 0
    assert ind.referrals.acceptance.value is None
    assert all(rate.rate.value is None for rate in ind.employment)
    assert ind.time_to_job.people == 0 and ind.time_to_job.median is None
    assert ind.public.qpv.value is None
    assert ind.satisfaction.satisfied.value is None


def test_period_filter_keeps_cohorts_started_within(world, past_cohort):
    candidacy(world.running, "refused")
    within = IndicatorFilters(start_from=D(2025, 11, 1), start_to=D(2025, 12, 31))
    assert site_indicators(world.site, within).referrals.referred == 10
    assert site_indicators(world.site).referrals.referred == 11


def test_track_filter_keeps_learners_assessed_in_the_track(world, past_cohort):
    track = Track.objects.filter(programme=world.programme).order_by("id").first()
    competency = Competency.objects.filter(block__certification=track.certification).first()
    CompetencyAssessment.objects.create(
        enrolment=past_cohort["e1"],
        competency=competency,
        level="acquired",
        assessed_on=D(2026, 2, 1),
        assessed_by=world.user("trainer"),
    )
    ind = site_indicators(world.site, IndicatorFilters(track_id=track.pk))
    assert ind.referrals.referred == 1
    assert ind.completion.enrolled == 1
    assert pair(ind.employment[0].rate) == (1, 1)


def aggregates(queries: int) -> int:
    # PostgreSQL: and a savepoint, SET LOCAL jit = off, its release (selectors._count_facts).
    return queries + (3 if connection.vendor == "postgresql" else 0)


def test_site_indicators_take_eight_queries(world, past_cohort, django_assert_max_num_queries):
    filters = IndicatorFilters(start_from=D(2025, 1, 1), track_id=1)
    # Unfiltered: first whether a rollup is built (none here: reports/rollup.py).
    with django_assert_max_num_queries(aggregates(1 + 8)):
        site_indicators(world.site)
    with django_assert_max_num_queries(aggregates(8)):
        site_indicators(world.site, filters)


def test_query_count_does_not_grow_with_people(world, past_cohort):
    with CaptureQueriesContext(connection) as before:
        site_indicators(world.site)
    for _ in range(5):
        e = enrolment(world.past, "completed", D(2026, 3, 31))
        follow(world, e, "exit", "cdi", D(2026, 4, 1))
        survey(e, 4)
    with CaptureQueriesContext(connection) as after:
        site_indicators(world.site)
    assert len(after) == len(before)


def test_network_indicators_compare_sites_in_ten_queries(
    world, past_cohort, django_assert_max_num_queries
):
    candidacy(world.other_cohort, "refused")
    # The sites, whether a rollup is built (none here), the 8 aggregates.
    with django_assert_max_num_queries(aggregates(10)):
        compared = network_indicators(Site.objects.all())
    by_site = {site.pk: ind for site, ind in compared}
    assert by_site[world.site.pk].referrals.referred == 10
    assert pair(by_site[world.other_site.pk].referrals.acceptance) == (0, 1)


def test_latest_answers_keep_the_last_row_per_milestone():
    # Rows come ordered by recorded_on, id: with several answers per enrolment × milestone
    # (the follow-up history), the last one read is the current situation.
    rows = [
        (1, "m6", "job_seeking", D(2026, 9, 30)),
        (1, "m6", "cdi", D(2026, 10, 2)),
        (1, "exit", "training", D(2026, 4, 1)),
        (2, "m6", "cdi", D(2026, 10, 1)),
        (2, "m6", "inactive", D(2026, 10, 1)),  # same day, later entry
    ]
    latest = _latest_answers(rows)
    assert latest[1]["m6"] == ("cdi", D(2026, 10, 2))
    assert latest[2]["m6"] == ("inactive", D(2026, 10, 1))
