"""Reads behind the public « Nos résultats » page (Qualiopi, critère 1, indicateur 2): the four
published figures — satisfaction, réussite, insertion, abandon — per cohort, per site and for
the network, in 7 queries whatever the number of sites or cohorts.

The period is a window on the cohorts' **end date** (results are about cohorts that have
ended), which the dashboards' ``IndicatorFilters`` (start date) cannot express; per-cohort rows
need one fact list per cohort too. So this module reads its own facts, with the same rules as
``reference.indicator_facts`` (current follow-up answer, one satisfaction score per respondent)
and hands them to the same engine functions. Definitions: docs/indicators.md, « Page publique
Nos résultats ». No names: only anonymous facts leave this module.
"""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Avg, QuerySet

from tremplin.cohorts.enums import EnrolmentStatus
from tremplin.cohorts.models import Cohort, Enrolment
from tremplin.engine import indicators as engine
from tremplin.organisations.models import Site
from tremplin.outcomes.models import FollowUp
from tremplin.quality.enums import SurveyKind
from tremplin.quality.models import SurveyInvitation

from .certification import learners_by_cohort

# The milestone of the published « taux d'insertion dans l'emploi ».
INSERTION_MILESTONE = "m6"


@dataclass(frozen=True)
class ResultsWindow:
    """Cohorts whose end date falls between two days, inclusive; ``year`` None: the default
    window, the twelve months up to today."""

    first_day: datetime.date
    last_day: datetime.date
    year: int | None = None


def default_window(today: datetime.date) -> ResultsWindow:
    """The cohorts ended in the last twelve months, today included."""
    return ResultsWindow(engine.add_months(today, -12) + datetime.timedelta(days=1), today)


def year_window(year: int, today: datetime.date) -> ResultsWindow:
    """The cohorts ended in ``year``, up to today: a cohort still running has no result yet."""
    return ResultsWindow(datetime.date(year, 1, 1), min(datetime.date(year, 12, 31), today), year)


def result_years(today: datetime.date) -> list[int]:
    """The years that have an ended cohort, latest first (the page's year selector)."""
    ended = Cohort.objects.filter(end_date__lte=today)
    return [day.year for day in ended.dates("end_date", "year", order="DESC")]


@dataclass
class ResultFacts:
    """The engine's facts for one cohort (or a sum of cohorts)."""

    enrolments: list[engine.Enrolment] = field(default_factory=list)
    follow_ups: list[engine.FollowUps] = field(default_factory=list)
    satisfaction_scores: list[int] = field(default_factory=list)
    surveyed: int = 0
    # Leavers with the jury's result; empty while the cohort's jury is not recorded.
    certifications: list[engine.LearnerCertification] = field(default_factory=list)

    def add(self, other: "ResultFacts") -> None:
        self.enrolments += other.enrolments
        self.certifications += other.certifications
        self.follow_ups += other.follow_ups
        self.satisfaction_scores += other.satisfaction_scores
        self.surveyed += other.surveyed


@dataclass(frozen=True)
class Results:
    """The four figures of a population of enrolments, computed on ``as_of``."""

    as_of: datetime.date
    # Entered training: the cohort size the figures are about.
    people: int
    satisfaction: engine.Satisfaction
    completion: engine.Completion
    insertion: engine.MilestoneRate
    certification: engine.Certification

    @property
    def satisfied(self) -> engine.Figure:
        return self.satisfaction.satisfied

    @property
    def success(self) -> engine.Figure:
        # « Réussite »: the certification obtained, from the jury's results (no data while a
        # cohort's jury is not recorded: reports/certification.py).
        return self.certification.certified

    @property
    def employed(self) -> engine.Figure:
        return self.insertion.rate

    @property
    def dropped_out(self) -> engine.Figure:
        return self.completion.dropped_out


def compute_results(facts: ResultFacts, *, as_of: datetime.date) -> Results:
    return Results(
        as_of=as_of,
        people=len(facts.enrolments),
        satisfaction=engine.satisfaction(facts.satisfaction_scores, invited=facts.surveyed),
        completion=engine.completion(facts.enrolments),
        insertion=engine.employment(facts.follow_ups, INSERTION_MILESTONE, as_of=as_of),
        certification=engine.certification(facts.certifications),
    )


@dataclass(frozen=True)
class CohortResults:
    cohort_id: int
    name: str
    start_date: datetime.date
    end_date: datetime.date
    results: Results


@dataclass(frozen=True)
class SiteResults:
    site_id: int
    site_name: str
    cohorts: list[CohortResults]
    total: Results


@dataclass(frozen=True)
class NetworkResults:
    window: ResultsWindow
    as_of: datetime.date
    sites: list[SiteResults]
    total: Results


def _facts_by_cohort(cohorts: QuerySet[Cohort]) -> dict[int, ResultFacts]:
    """Facts of every cohort of ``cohorts``, by cohort id: enrolments, follow-up answers,
    satisfaction invitations with their mean score, jury results (5 queries)."""
    facts: dict[int, ResultFacts] = {}
    enrolments = Enrolment.objects.filter(cohort__in=cohorts.values("pk"))
    rows = list(
        enrolments.order_by("cohort_id", "id").values_list(
            "id", "cohort_id", "status", "end_reason", "ended_on"
        )
    )
    # Per enrolment and milestone, the current answer: rows ordered by recorded_on, id, the
    # last one wins (outcomes.selectors.current_follow_ups, docs/indicators.md).
    answers: dict[int, dict[str, str]] = {}
    for enrolment_id, milestone, situation in (
        FollowUp.objects.filter(enrolment__in=enrolments.values("pk"))
        .order_by("recorded_on", "id")
        .values_list("enrolment_id", "milestone", "situation")
    ):
        answers.setdefault(enrolment_id, {})[milestone] = situation
    for enrolment_id, cohort_id, status, reason, ended_on in rows:
        cohort = facts.setdefault(cohort_id, ResultFacts())
        ended = status != EnrolmentStatus.IN_TRAINING
        cohort.enrolments.append(engine.Enrolment(status, reason if ended else ""))
        if ended and ended_on is not None:
            situations = answers.get(enrolment_id, {})
            cohort.follow_ups.append(engine.FollowUps(exited_on=ended_on, situations=situations))
    invitations = SurveyInvitation.objects.filter(
        kind=SurveyKind.HOT, enrolment__in=enrolments.values("pk")
    ).annotate(mean=Avg("answers__score"))
    for cohort_id, mean in invitations.order_by().values_list("enrolment__cohort_id", "mean"):
        cohort = facts.setdefault(cohort_id, ResultFacts())
        cohort.surveyed += 1
        if mean is not None:
            # One score per respondent: the mean of their scale answers, rounded half up.
            score = int(Decimal(mean).quantize(Decimal(1), ROUND_HALF_UP))
            cohort.satisfaction_scores.append(score)
    by_cohort, _awaiting = learners_by_cohort(enrolments)
    for cohort_id, learners in by_cohort.items():
        facts.setdefault(cohort_id, ResultFacts()).certifications = learners
    return facts


def _summed(parts: Iterable[ResultFacts]) -> ResultFacts:
    total = ResultFacts()
    for part in parts:
        total.add(part)
    return total


def network_results(
    sites: QuerySet[Site], window: ResultsWindow, *, as_of: datetime.date
) -> NetworkResults:
    """The results of the cohorts of ``sites`` ended in ``window``: per cohort, per site (every
    site of ``sites``, even without a cohort) and in total, in 7 queries."""
    cohorts = Cohort.objects.filter(
        site__in=sites.values("pk"),
        end_date__gte=window.first_day,
        end_date__lte=window.last_day,
    )
    facts = _facts_by_cohort(cohorts)
    by_site: dict[int, list[Cohort]] = {}
    for cohort in cohorts.order_by("end_date", "name", "id").only(
        "id", "site_id", "name", "start_date", "end_date"
    ):
        by_site.setdefault(cohort.site_id, []).append(cohort)
    site_results = []
    for site in sites.order_by("name", "id").only("id", "name"):
        own = by_site.get(site.pk, [])
        site_results.append(
            SiteResults(
                site_id=site.pk,
                site_name=site.name,
                cohorts=[
                    CohortResults(
                        cohort_id=c.pk,
                        name=c.name,
                        start_date=c.start_date,
                        end_date=c.end_date,
                        results=compute_results(facts.get(c.pk, ResultFacts()), as_of=as_of),
                    )
                    for c in own
                ],
                total=compute_results(
                    _summed(facts.get(c.pk, ResultFacts()) for c in own), as_of=as_of
                ),
            )
        )
    return NetworkResults(
        window=window,
        as_of=as_of,
        sites=site_results,
        total=compute_results(_summed(facts.values()), as_of=as_of),
    )
