"""The per-person path of the impact indicators, kept as the reference: every candidacy,
enrolment (with its person), follow-up answer, cohort budget and survey invitation read into
Python (5 queries), the engine's facts built per person, the engine computing each indicator.

This is how the figures were computed before ``reports.LearnerFacts``; it stays exactly as it
was so that tests (and ``make bench-reports``, as the « naive per-person Python computation »)
can check that the aggregate path of ``selectors`` gives the same ``SiteIndicators``. Pages do
not call it: at two million people it takes minutes. Definitions: docs/indicators.md.
"""

import datetime
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Avg, Q, QuerySet, Sum
from django.utils import timezone

from tremplin.candidacies.models import Candidacy
from tremplin.cohorts.enums import DropOutReason, EnrolmentStatus
from tremplin.cohorts.models import CohortFunding, Enrolment
from tremplin.engine import indicators as engine
from tremplin.engine.indicators import vocabulary as engine_vocabulary
from tremplin.organisations.models import Site
from tremplin.outcomes.enums import EMPLOYED_SITUATIONS
from tremplin.outcomes.models import FollowUp
from tremplin.people.enums import Sex
from tremplin.quality.enums import SurveyKind
from tremplin.quality.models import SurveyInvitation
from tremplin.reports.selectors import IndicatorFilters, SiteIndicators, _cohort_q, _in_track


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


def site_indicators_reference(
    site: Site, filters: IndicatorFilters | None = None
) -> SiteIndicators:
    """Every indicator of one site, in 5 queries (see ``indicator_facts``)."""
    facts = indicator_facts(Site.objects.filter(pk=site.pk), filters).get(site.pk, SiteFacts())
    return compute_indicators(facts, as_of=timezone.localdate())


def network_indicators_reference(
    sites: QuerySet[Site], filters: IndicatorFilters | None = None
) -> list[tuple[Site, SiteIndicators]]:
    """The indicators of each site, for comparison, in 6 queries whatever the number of sites."""
    facts = indicator_facts(sites, filters)
    as_of = timezone.localdate()
    return [
        (site, compute_indicators(facts.get(site.pk, SiteFacts()), as_of=as_of))
        for site in sites.order_by("name", "id")
    ]
