"""Reads behind dashboards: facts for the funnel engine, in one query, placement counts, and
the facts of every impact indicator (issue 7 §2) in 5 queries.

No names: funders see the dashboards.
"""

import datetime
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.db.models import Avg, Count, Exists, OuterRef, Q, QuerySet, Sum
from django.utils import timezone

from tremplin.candidacies.enums import CandidacyStatus
from tremplin.candidacies.models import Candidacy
from tremplin.cohorts.enums import DropOutReason, EnrolmentStatus
from tremplin.cohorts.models import CohortFunding, CompetencyAssessment, Enrolment
from tremplin.employers.enums import ProposalStatus
from tremplin.employers.matching import unanswered
from tremplin.employers.models import Proposal
from tremplin.engine import indicators as engine
from tremplin.engine.indicators import CandidacyFacts, Funnel, funnels
from tremplin.engine.indicators import vocabulary as engine_vocabulary
from tremplin.organisations.models import Site
from tremplin.outcomes.enums import EMPLOYED_SITUATIONS, Milestone
from tremplin.outcomes.models import FollowUp
from tremplin.outcomes.selectors import current_follow_ups
from tremplin.people.enums import Sex
from tremplin.quality.enums import SurveyKind
from tremplin.quality.models import SurveyInvitation


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
# Impact indicators (issue 7 §2): the engine's facts read from the database, in 5 queries
# whatever the number of sites, cohorts or people. Definitions: docs/indicators.md.
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


@dataclass
class SiteFacts:
    """The engine's facts for one site, one list per fact type."""

    candidacies: list[engine.Candidacy] = field(default_factory=list)
    enrolments: list[engine.Enrolment] = field(default_factory=list)
    follow_ups: list[engine.FollowUps] = field(default_factory=list)
    job_searches: list[engine.JobSearch] = field(default_factory=list)
    entrants: list[engine.Entrant] = field(default_factory=list)
    satisfaction_scores: list[int] = field(default_factory=list)
    surveyed: int = 0
    # Enrolments per cohort id, with their positive outcomes, and each cohort's budget (the
    # sum of its fundings; absent = not recorded): the cost facts.
    cohorts: dict[int, list[int]] = field(default_factory=dict)
    budgets: dict[int, Decimal] = field(default_factory=dict)


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


def _latest_answers(
    rows: list[tuple[int, str, str, datetime.date]],
) -> dict[int, dict[str, tuple[str, datetime.date]]]:
    """Per enrolment and milestone, the latest answer: rows come ordered by recorded_on, id,
    and a follow-up may hold several answers (its history), so the last one wins."""
    latest: dict[int, dict[str, tuple[str, datetime.date]]] = {}
    for enrolment_id, milestone, situation, recorded_on in rows:
        latest.setdefault(enrolment_id, {})[milestone] = (situation, recorded_on)
    return latest


def _job_search(
    exited_on: datetime.date, reason: str, answers: dict[str, tuple[str, datetime.date]]
) -> engine.JobSearch:
    employed_on = [day for situation, day in answers.values() if situation in EMPLOYED_SITUATIONS]
    first_job: datetime.date | None = min(employed_on) if employed_on else None
    if first_job is None and reason == DropOutReason.FOUND_JOB:
        # Left the training for a job: hired on the day of exit at the latest.
        first_job = exited_on
    last_known = max([exited_on, *(day for _situation, day in answers.values())])
    return engine.JobSearch(exited_on=exited_on, first_job_on=first_job, last_known_on=last_known)


def indicator_facts(
    sites: QuerySet[Site], filters: IndicatorFilters | None = None
) -> dict[int, SiteFacts]:
    """The facts of every site of ``sites``, by site id, in 5 queries (candidacies; enrolments
    with their person; follow-up answers; cohort budgets; satisfaction invitations with their
    mean score)."""
    filters = filters or IndicatorFilters()
    facts: dict[int, SiteFacts] = {}
    cohort_q = Q(cohort__site__in=sites.values("pk")) & _cohort_q(filters, "cohort__")

    candidacies = Candidacy.objects.filter(cohort_q)
    if filters.track_id:
        candidacies = candidacies.filter(_in_track(filters.track_id, "enrolment"))
    for site_id, status in candidacies.order_by().values_list("cohort__site_id", "status"):
        facts.setdefault(site_id, SiteFacts()).candidacies.append(engine.Candidacy(status))

    enrolments = Enrolment.objects.filter(cohort_q)
    if filters.track_id:
        enrolments = enrolments.filter(_in_track(filters.track_id, "pk"))
    rows = list(
        enrolments.order_by("cohort__start_date", "id").values_list(
            "id",
            "cohort__site_id",
            "cohort_id",
            "cohort__start_date",
            "status",
            "end_reason",
            "ended_on",
            "candidacy__person_id",
            "candidacy__person__birth_date",
            "candidacy__person__qpv_code",
            "candidacy__person__qpv_declared",
            "candidacy__person__receives_rsa",
            "candidacy__person__highest_diploma",
            "candidacy__person__sex",
        )
    )
    answers = _latest_answers(
        list(
            FollowUp.objects.filter(enrolment__in=enrolments.values("pk"))
            .order_by("recorded_on", "id")
            .values_list("enrolment_id", "milestone", "situation", "recorded_on")
        )
    )
    as_of = timezone.localdate()
    seen: set[tuple[int, int]] = set()
    for (
        enrolment_id,
        site_id,
        cohort_id,
        start_date,
        status,
        reason,
        ended_on,
        person_id,
        birth_date,
        qpv_code,
        qpv_declared,
        rsa,
        diploma,
        sex,
    ) in rows:
        site = facts.setdefault(site_id, SiteFacts())
        ended = status != EnrolmentStatus.IN_TRAINING
        site.enrolments.append(engine.Enrolment(status, reason if ended else ""))
        cohort = site.cohorts.setdefault(cohort_id, [0, 0])
        cohort[0] += 1
        if (site_id, person_id) not in seen and birth_date <= start_date:
            # One entrant per person, even enrolled twice in the period (docs/indicators.md).
            seen.add((site_id, person_id))
            site.entrants.append(
                engine.Entrant(
                    entered_on=start_date,
                    birth_date=birth_date,
                    in_qpv=bool(qpv_code) or qpv_declared,
                    receives_rsa=rsa,
                    woman=None if not sex else sex == Sex.FEMALE,  # blank: not stated
                    diploma=diploma,
                )
            )
        if ended and ended_on is not None:
            own = answers.get(enrolment_id, {})
            situations = {m: s for m, (s, _day) in own.items()}
            follow = engine.FollowUps(exited_on=ended_on, situations=situations)
            site.follow_ups.append(follow)
            site.job_searches.append(_job_search(ended_on, reason, own))
            if follow.is_due("exit", as_of) and follow.situation("exit") in (
                engine_vocabulary.POSITIVE_OUTCOME_SITUATIONS
            ):
                cohort[1] += 1

    if not filters.track_id:
        # A track keeps part of a cohort's learners, whose share of the budget is not known:
        # with a track filter every cost is « no data » (docs/indicators.md, « Coûts »).
        budgets = (
            CohortFunding.objects.filter(cohort_q)
            .order_by()
            .values("cohort__site_id", "cohort_id")
            .annotate(total=Sum("amount"))
            .values_list("cohort__site_id", "cohort_id", "total")
        )
        for site_id, cohort_id, total in budgets:
            facts.setdefault(site_id, SiteFacts()).budgets[cohort_id] = total

    invitations = SurveyInvitation.objects.filter(
        kind=SurveyKind.HOT, enrolment__in=enrolments.values("pk")
    ).annotate(mean=Avg("answers__score"))
    for site_id, mean in invitations.order_by().values_list("enrolment__cohort__site_id", "mean"):
        site = facts.setdefault(site_id, SiteFacts())
        site.surveyed += 1
        if mean is not None:
            # One score per respondent: the mean of their scale answers, rounded half up.
            site.satisfaction_scores.append(int(Decimal(mean).quantize(Decimal(1), ROUND_HALF_UP)))
    return facts


def compute_indicators(facts: SiteFacts, *, as_of: datetime.date) -> SiteIndicators:
    return SiteIndicators(
        as_of=as_of,
        referrals=engine.referrals(facts.candidacies),
        completion=engine.completion(facts.enrolments),
        employment=engine.employment_by_milestone(facts.follow_ups, as_of=as_of),
        positive_outcomes=engine.positive_outcomes(facts.follow_ups, as_of=as_of),
        retention=engine.retention(facts.follow_ups, as_of=as_of),
        time_to_job=engine.time_to_first_job(facts.job_searches),
        public=engine.public_served(facts.entrants),
        satisfaction=engine.satisfaction(facts.satisfaction_scores, invited=facts.surveyed),
        costs=engine.costs(
            engine.CohortBudget(facts.budgets.get(cohort_id), learners, outcomes)
            for cohort_id, (learners, outcomes) in facts.cohorts.items()
        ),
        followed_days=max((search.days for search in facts.job_searches), default=0),
    )


def site_indicators(site: Site, filters: IndicatorFilters | None = None) -> SiteIndicators:
    """Every indicator of one site, in 5 queries (see ``indicator_facts``)."""
    facts = indicator_facts(Site.objects.filter(pk=site.pk), filters).get(site.pk, SiteFacts())
    return compute_indicators(facts, as_of=timezone.localdate())


def network_indicators(
    sites: QuerySet[Site], filters: IndicatorFilters | None = None
) -> list[tuple[Site, SiteIndicators]]:
    """The indicators of each site, for comparison, in 6 queries whatever the number of sites."""
    facts = indicator_facts(sites, filters)
    as_of = timezone.localdate()
    return [
        (site, compute_indicators(facts.get(site.pk, SiteFacts()), as_of=as_of))
        for site in sites.order_by("name", "id")
    ]
