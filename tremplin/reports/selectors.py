"""Reads behind dashboards: facts for the funnel engine, in one query, placement counts, and
every impact indicator (issue 7 §2) counted by a few aggregate queries over ``LearnerFacts``
(reports.counting; reports.facts keeps the rows current, reports.rollup the nightly counts of
whole sites; reports.reference is the per-person path they must equal).

No names: funders see the dashboards.
"""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.db import connection, transaction
from django.db.models import (
    Count,
    Exists,
    OuterRef,
    Q,
    QuerySet,
)
from django.utils import timezone

from tremplin.candidacies.enums import CandidacyStatus
from tremplin.candidacies.models import Candidacy
from tremplin.cohorts.enums import EnrolmentStatus
from tremplin.cohorts.models import CohortFunding, CompetencyAssessment
from tremplin.employers.enums import ProposalStatus
from tremplin.employers.matching import unanswered
from tremplin.employers.models import Proposal
from tremplin.engine import indicators as engine
from tremplin.engine.indicators import CandidacyFacts, Funnel, funnels
from tremplin.organisations.models import Site
from tremplin.outcomes.enums import EMPLOYED_SITUATIONS, Milestone
from tremplin.outcomes.models import FollowUp
from tremplin.outcomes.selectors import current_follow_ups
from tremplin.reports import counting, rollup
from tremplin.reports.models import LearnerFacts


def site_funnel_facts(site: Site) -> list[CandidacyFacts]:
    # The current M6 answer only: a follow-up keeps every answer (tremplin/outcomes/models.py).
    employed_6m = current_follow_ups(
        FollowUp.objects.filter(enrolment__candidacy=OuterRef("pk"), milestone=Milestone.M6)
    ).filter(situation__in=list(EMPLOYED_SITUATIONS))
    rows = (
        Candidacy.objects.filter(cohort__site=site)
        .annotate(employed_6m=Exists(employed_6m))
        .order_by("cohort__start_date", "cohort_id")
        .values_list("cohort__name", "status", "enrolment__status", "employed_6m")
    )
    return [
        CandidacyFacts(
            group=cohort_name,
            accepted=status in (CandidacyStatus.ACCEPTED, CandidacyStatus.ENROLLED),
            enrolled=enrolment_status is not None,
            completed=enrolment_status == EnrolmentStatus.COMPLETED,
            employed_6m=bool(employed) and enrolment_status == EnrolmentStatus.COMPLETED,
        )
        for cohort_name, status, enrolment_status, employed in rows
    ]


def site_funnels(site: Site) -> tuple[list[Funnel], Funnel]:
    return funnels(site_funnel_facts(site), total_label=f"Site — {site.name}")


@dataclass(frozen=True)
class StatusCount:
    status: str
    label: str
    count: int


@dataclass(frozen=True)
class PlacementFigures:
    """Proposals of a site's learners to employers: counts only, never a name."""

    by_status: list[StatusCount]
    hires: int
    hires_per_cohort: list[tuple[str, int]]
    unanswered: int
    unanswered_days: int

    @property
    def total(self) -> int:
        return sum(s.count for s in self.by_status)


def site_placement(site: Site) -> PlacementFigures:
    """Proposals by status, hires (per cohort) and proposals left unanswered, in 3 queries."""
    proposals = Proposal.objects.filter(enrolment__cohort__site=site)
    counts = dict(
        proposals.order_by()
        .values_list("status")
        .annotate(n=Count("id"))
        .values_list("status", "n")
    )
    by_status = [StatusCount(s.value, str(s.label), counts.get(s.value, 0)) for s in ProposalStatus]
    per_cohort = (
        site.cohorts.order_by("start_date", "id")
        .annotate(
            hires=Count(
                "enrolments__proposals",
                filter=Q(enrolments__proposals__status=ProposalStatus.HIRED),
            )
        )
        .values_list("name", "hires")
    )
    return PlacementFigures(
        by_status=by_status,
        hires=counts.get(ProposalStatus.HIRED.value, 0),
        hires_per_cohort=[(name, n) for name, n in per_cohort],
        unanswered=unanswered(proposals).count(),
        unanswered_days=settings.PROPOSAL_UNANSWERED_DAYS,
    )


# ---------------------------------------------------------------------------------------------
# Impact indicators (issue 7 §2): filters and the SiteIndicators every page reads.
# Definitions: docs/indicators.md.
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class IndicatorFilters:
    """Which cohorts count: started between two dates (inclusive), of a programme, funded by an
    organisation (a funder's scope, reports.perms.funded_by), and which learners: those assessed
    on a competency of the track's certification."""

    start_from: datetime.date | None = None
    start_to: datetime.date | None = None
    programme_id: int | None = None
    track_id: int | None = None
    funder_id: int | None = None
    # One cohort (a funder's report per cohort, reports/pdf.py).
    cohort_id: int | None = None


@dataclass(frozen=True)
class SiteIndicators:
    """Every indicator the engine computes, for one site (or one site's filtered cohorts)."""

    as_of: datetime.date
    referrals: engine.Referrals
    completion: engine.Completion
    employment: tuple[engine.MilestoneRate, ...]
    positive_outcomes: engine.PositiveOutcomes
    retention: engine.Retention
    time_to_job: engine.SurvivalCurve
    public: engine.PublicServed
    satisfaction: engine.Satisfaction
    costs: engine.Costs
    # Longest time observed after exit (event or censoring), in days: where the curve ends.
    followed_days: int

    @property
    def employment_6m(self) -> engine.MilestoneRate:
        return self.employment[2]


def _cohort_q(filters: IndicatorFilters, prefix: str) -> Q:
    q = Q()
    if filters.start_from:
        q &= Q(**{f"{prefix}start_date__gte": filters.start_from})
    if filters.start_to:
        q &= Q(**{f"{prefix}start_date__lte": filters.start_to})
    if filters.programme_id:
        q &= Q(**{f"{prefix}programme_id": filters.programme_id})
    if filters.funder_id:
        q &= Q(**{f"{prefix}fundings__funder_id": filters.funder_id})
    if filters.cohort_id:
        q &= Q(**{f"{prefix}id": filters.cohort_id})
    return q


def _in_track(track_id: int, enrolment_ref: str) -> Exists:
    # A learner is not linked to a track; the competencies assessed tell which certification,
    # hence which track, they train for.
    return Exists(
        CompetencyAssessment.objects.filter(
            enrolment=OuterRef(enrolment_ref),
            competency__block__certification__tracks=track_id,
        )
    )


# ---------------------------------------------------------------------------------------------
# The aggregate path: each figure counted in the database from ``LearnerFacts`` (one row per
# candidacy, kept current by reports.facts), grouped by site — for whole sites, the nightly
# rollup plus the rows it does not settle (reports.rollup) — then turned into indicators by
# the engine's count-based entry points. Same SiteIndicators as reports.reference, checked by
# tests/reports/test_fast_indicators.py and test_rollup.py; ``as_of`` is compared with the
# stored due dates at query time, so nothing goes stale with the calendar.
# ---------------------------------------------------------------------------------------------


def _facts(site_q: Q, filters: IndicatorFilters) -> QuerySet[LearnerFacts]:
    """The rows the filters keep: the cohort's start, programme and funders, the track."""
    rows = LearnerFacts.objects.filter(site_q)
    if filters.start_from:
        rows = rows.filter(cohort_start__gte=filters.start_from)
    if filters.start_to:
        rows = rows.filter(cohort_start__lte=filters.start_to)
    if filters.programme_id:
        rows = rows.filter(programme_id=filters.programme_id)
    if filters.cohort_id:
        rows = rows.filter(cohort_id=filters.cohort_id)
    if filters.funder_id:
        rows = rows.filter(
            cohort_id__in=CohortFunding.objects.filter(funder_id=filters.funder_id).values(
                "cohort_id"
            )
        )
    if filters.track_id:
        rows = rows.filter(_in_track(filters.track_id, "enrolment_id"))
    return rows.order_by()


def _count_facts(
    site_q: Q,
    filters: IndicatorFilters,
    as_of: datetime.date,
    kinds: frozenset[str] = counting.ALL_KINDS,
) -> counting.Counts:
    """The counts of ``kinds`` by site id, one aggregate query per kind whatever the number of
    sites, cohorts or people. Whole sites (no filter) read the daily rollup plus the rows it
    does not settle (reports.rollup); filters count every row they keep."""
    if connection.vendor != "postgresql":
        return _count_rows(site_q, filters, as_of, kinds)
    with transaction.atomic(), connection.cursor() as cursor:
        # Each query is a cheap pass over millions of rows: compiling it (JIT, on by default
        # above a cost these passes reach) takes longer than it saves. And the planner, which
        # cannot know that statuses, reasons and scores combine into a few thousand groups,
        # must still be allowed to count them in memory (a hash) rather than sort on disk.
        cursor.execute(
            "SELECT set_config('jit', 'off', true), set_config('work_mem', '64MB', true)"
        )
        return _count_rows(site_q, filters, as_of, kinds)


def _count_rows(
    site_q: Q, filters: IndicatorFilters, as_of: datetime.date, kinds: frozenset[str]
) -> counting.Counts:
    rows = _facts(site_q, filters)
    counts = rollup.read_counts(site_q, kinds, as_of) if filters == IndicatorFilters() else None
    if counts is None:
        counts = counting.new_counts()
        for kind in sorted(kinds - {counting.BUDGETS}):
            counting.count_kind(kind, rows, as_of, counts)
    if counting.BUDGETS in kinds:
        counting.count_budgets(rows, counts, with_track=bool(filters.track_id))
    counting.prune(counts)
    return counts


def _indicators(counts: counting.SiteCounts, *, as_of: datetime.date) -> SiteIndicators:
    exit_outcomes = engine.positive_outcomes_from_counts(counts.milestones["exit"], "exit")
    completion = engine.completion_from_counts(counts.enrolments)
    return SiteIndicators(
        as_of=as_of,
        referrals=engine.referrals_from_counts(counts.statuses),
        completion=completion,
        employment=tuple(
            engine.employment_from_counts(m, counts.milestones[m]) for m in counting.MILESTONES
        ),
        positive_outcomes=exit_outcomes,
        retention=engine.retention_from_counts(counts.employed_at_6),
        time_to_job=engine.kaplan_meier_weighted(
            (days, hired, n) for (days, hired), n in counts.job_search.items()
        ),
        public=engine.public_served_from_counts(counts.profiles),
        satisfaction=engine.satisfaction_from_counts(counts.scores, invited=counts.surveyed),
        costs=engine.costs_from_totals(
            budget=counts.budget,
            learners=completion.enrolled,
            positive_outcomes=exit_outcomes.rate.numerator,
            without_budget=counts.cohorts_without_budget,
        ),
        followed_days=max((days for days, _hired in counts.job_search), default=0),
    )


def site_indicators(site: Site, filters: IndicatorFilters | None = None) -> SiteIndicators:
    """Every indicator of one site, one aggregate query per kind (see ``_count_facts``)."""
    as_of = timezone.localdate()
    counts = _count_facts(Q(site_id=site.pk), filters or IndicatorFilters(), as_of)
    return _indicators(counts.get(site.pk, counting.SiteCounts()), as_of=as_of)


def _sites_q(ordered: list[Site]) -> Q:
    # The ids as a list, not a subquery: PostgreSQL then filters each row with a hashed array
    # instead of joining every row of the facts with the sites.
    return Q(site_id__in=[site.pk for site in ordered])


def network_indicators(
    sites: QuerySet[Site], filters: IndicatorFilters | None = None
) -> list[tuple[Site, SiteIndicators]]:
    """Every indicator of each site, with as many queries whatever the number of sites."""
    as_of = timezone.localdate()
    ordered = list(sites.order_by("name", "id"))
    counts = (
        _count_facts(_sites_q(ordered), filters or IndicatorFilters(), as_of) if ordered else {}
    )
    return [
        (site, _indicators(counts.get(site.pk, counting.SiteCounts()), as_of=as_of))
        for site in ordered
    ]


@dataclass(frozen=True)
class SiteComparison:
    """The figures the network dashboard compares sites on (its table's columns)."""

    referrals: engine.Referrals
    completion: engine.Completion
    employment_6m: engine.MilestoneRate
    positive_outcomes: engine.PositiveOutcomes


# The kinds of counts the comparison reads: nothing else is counted for it.
COMPARISON_KINDS = frozenset({counting.CANDIDACIES, "exit", "m6"})


def network_comparison(
    sites: QuerySet[Site], filters: IndicatorFilters | None = None
) -> list[tuple[Site, SiteComparison]]:
    """The network dashboard: each site's comparison figures, computed as in
    ``network_indicators`` (equal to its fields) from the three kinds of counts they need."""
    as_of = timezone.localdate()
    ordered = list(sites.order_by("name", "id"))
    counts = (
        _count_facts(_sites_q(ordered), filters or IndicatorFilters(), as_of, COMPARISON_KINDS)
        if ordered
        else {}
    )
    compared = []
    for site in ordered:
        site_counts = counts.get(site.pk, counting.SiteCounts())
        compared.append(
            (
                site,
                SiteComparison(
                    referrals=engine.referrals_from_counts(site_counts.statuses),
                    completion=engine.completion_from_counts(site_counts.enrolments),
                    employment_6m=engine.employment_from_counts("m6", site_counts.milestones["m6"]),
                    positive_outcomes=engine.positive_outcomes_from_counts(
                        site_counts.milestones["exit"], "exit"
                    ),
                ),
            )
        )
    return compared
