"""The counts behind every impact indicator, by site, each kind one aggregate query over a set
of facts rows (``LearnerFacts``, or the ``RetractedFacts`` the rollup subtracts).

Counts are additive: the live path (reports.selectors) counts the rows the filters keep, the
rollup path (reports.rollup) adds the stored counts of the settled rows to the counts of the
others. Both end in the same ``SiteCounts``, which the engine's ``*_from_counts`` read.
"""

import dataclasses
import datetime
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import BooleanField, Count, ExpressionWrapper, F, Q, QuerySet, Sum, Window
from django.db.models.functions import RowNumber

from tremplin.cohorts.models import Cohort
from tremplin.engine import indicators as engine
from tremplin.engine.indicators import vocabulary as engine_vocabulary
from tremplin.outcomes.enums import EMPLOYED_SITUATIONS

MILESTONES = tuple(engine_vocabulary.MILESTONE_MONTHS)

# What a page may ask for: each kind is one query. « candidacies »: statuses, enrolments and
# their ends, surveys; a milestone: the people who left, by due and situation; « job_search »:
# the Kaplan–Meier counts; « profiles »: the public served; « budgets »: cohorts and fundings.
CANDIDACIES, JOB_SEARCH, PROFILES, BUDGETS = "candidacies", "job_search", "profiles", "budgets"
ALL_KINDS = frozenset({CANDIDACIES, *MILESTONES, JOB_SEARCH, PROFILES, BUDGETS})


@dataclass
class SiteCounts:
    """What the database counted for one site, keyed as the engine's ``*_from_counts`` read."""

    statuses: Counter[str] = field(default_factory=Counter)
    enrolments: Counter[tuple[str, str]] = field(default_factory=Counter)
    milestones: dict[str, Counter[tuple[bool, str]]] = field(
        default_factory=lambda: {m: Counter() for m in MILESTONES}
    )
    employed_at_6: Counter[tuple[bool, str]] = field(default_factory=Counter)
    job_search: Counter[tuple[int, bool]] = field(default_factory=Counter)
    profiles: Counter[engine.EntrantProfile] = field(default_factory=Counter)
    scores: Counter[int] = field(default_factory=Counter)
    surveyed: int = 0
    cohorts: int = 0
    cohorts_without_budget: int = 0
    budget: Decimal = Decimal(0)


Counts = dict[int, SiteCounts]


def new_counts() -> Counts:
    return defaultdict(SiteCounts)


def prune(counts: Counts) -> None:
    """Drop the keys whose additions and subtractions cancel out: the engine must see the same
    counters as a direct count (no time point of nobody on a curve, no reason counted 0)."""
    for site in counts.values():
        counters: tuple[Counter[Any], ...] = (
            site.statuses,
            site.enrolments,
            *site.milestones.values(),
            site.employed_at_6,
            site.job_search,
            site.profiles,
            site.scores,
        )
        for counter in counters:
            for key, n in list(counter.items()):
                if n < 0:
                    raise AssertionError(f"negative count {n} for {key!r}: rollup out of step")
                if n == 0:
                    del counter[key]


def count_candidacies(rows: QuerySet[Any], counts: Counts, sign: int = 1) -> None:
    """Candidacies by status, enrolments by status and reason, end-of-training surveys."""
    keys = (
        "site_id",
        "candidacy_status",
        "enrolment_status",
        "end_reason",
        "surveyed",
        "satisfaction",
    )
    for site_id, status, enrolment_status, reason, surveyed, score, n in (
        rows.values(*keys).annotate(n=Count("pk")).values_list(*keys, "n")
    ):
        site, n = counts[site_id], sign * n
        site.statuses[status] += n
        if enrolment_status:
            site.enrolments[(enrolment_status, reason)] += n
        if surveyed:
            site.surveyed += n
        if score is not None:
            site.scores[score] += n


def _due(milestone: str, as_of: datetime.date) -> "ExpressionWrapper[Q]":
    return ExpressionWrapper(Q(**{f"due_{milestone}__lte": as_of}), output_field=BooleanField())


def count_milestone(
    rows: QuerySet[Any], milestone: str, as_of: datetime.date, counts: Counts, sign: int = 1
) -> None:
    """The people who left, per (due on as_of, current situation); at 12 months also whether
    they were due and in work at 6 (retention)."""
    keys = ["site_id", "due", f"situation_{milestone}"]
    grouped = rows.filter(ended_on__isnull=False).annotate(due=_due(milestone, as_of))
    if milestone == "m12":
        employed_6 = ExpressionWrapper(
            Q(due_m6__lte=as_of, situation_m6__in=sorted(EMPLOYED_SITUATIONS)),
            output_field=BooleanField(),
        )
        grouped, keys = grouped.annotate(employed_6=employed_6), [*keys, "employed_6"]
    for site_id, due, situation, *employed, n in (
        grouped.values(*keys).annotate(n=Count("pk")).values_list(*keys, "n")
    ):
        key = (bool(due), situation or engine_vocabulary.UNKNOWN_SITUATION)
        counts[site_id].milestones[milestone][key] += sign * n
        if employed and employed[0]:
            counts[site_id].employed_at_6[key] += sign * n


def count_job_search(rows: QuerySet[Any], counts: Counts, sign: int = 1) -> None:
    """Time to first job: the people who left, by days to the job (or to the last day known)
    and whether they found one."""
    for site_id, days, hired, n in (
        rows.filter(ended_on__isnull=False)
        .values("site_id", "job_days", "hired")
        .annotate(n=Count("pk"))
        .values_list("site_id", "job_days", "hired", "n")
    ):
        assert days is not None  # set on every row that has left
        counts[site_id].job_search[(days, hired)] += sign * n


_PROFILE = ("age_band", "in_qpv", "receives_rsa", "woman", "diploma")


def count_profiles(rows: QuerySet[Any], counts: Counts, sign: int = 1) -> None:
    """The public served: one entrant per person and site, at their earliest entry among
    ``rows``. Only people who entered several cohorts of a site need the window, so ``rows``
    must hold all or none of each such person's rows at a site."""
    entrants = rows.exclude(age_band="")
    first_entries = (
        entrants.filter(repeat_entrant=True)
        .annotate(
            entry=Window(
                RowNumber(),
                partition_by=[F("site_id"), F("person_id")],
                order_by=[F("cohort_start").asc(), F("enrolment_id").asc()],
            )
        )
        .filter(entry=1)
        .values("pk")
    )
    for site_id, band, qpv, rsa, woman, diploma, n in (
        entrants.filter(Q(repeat_entrant=False) | Q(pk__in=first_entries))
        .values("site_id", *_PROFILE)
        .annotate(n=Count("pk"))
        .values_list("site_id", *_PROFILE, "n")
    ):
        counts[site_id].profiles[engine.EntrantProfile(band, qpv, rsa, woman, diploma)] += sign * n


def count_budgets(rows: QuerySet[Any], counts: Counts, *, with_track: bool) -> None:
    """The cohorts with at least one learner among ``rows``, the sum of their fundings, and
    how many have none. With a track, no budget applies (docs/indicators.md, « Coûts »)."""
    cohorts = Cohort.objects.filter(pk__in=rows.exclude(enrolment_status="").values("cohort_id"))
    for site_id, n, unfunded, total in (
        cohorts.order_by()
        .values("site_id")
        .annotate(
            n=Count("pk", distinct=True),
            unfunded=Count("pk", distinct=True, filter=Q(fundings__isnull=True)),
            total=Sum("fundings__amount"),
        )
        .values_list("site_id", "n", "unfunded", "total")
    ):
        site = counts[site_id]
        site.cohorts = n
        if with_track:
            site.cohorts_without_budget = n
        else:
            site.cohorts_without_budget = unfunded
            site.budget = total if total is not None else Decimal(0)


def count_kind(
    kind: str, rows: QuerySet[Any], as_of: datetime.date, counts: Counts, sign: int = 1
) -> None:
    """One kind but budgets (not additive: a cohort counts once however its rows are split)."""
    if kind == CANDIDACIES:
        count_candidacies(rows, counts, sign)
    elif kind in MILESTONES:
        count_milestone(rows, kind, as_of, counts, sign)
    elif kind == JOB_SEARCH:
        count_job_search(rows, counts, sign)
    elif kind == PROFILES:
        count_profiles(rows, counts, sign)
    else:
        raise ValueError(f"not an additive kind: {kind}")


# --- Stored form of a kind's counts (the rollup): [[*key, n], ...] -----------------------------


def dump_kind(kind: str, site: SiteCounts) -> list[list[Any]]:
    if kind == CANDIDACIES:
        return [
            *(["s", status, n] for status, n in site.statuses.items()),
            *(["e", status, reason, n] for (status, reason), n in site.enrolments.items()),
            *(["q", score, n] for score, n in site.scores.items()),
            ["v", site.surveyed],
        ]
    if kind in MILESTONES:
        return [
            *(["m", due, situation, n] for (due, situation), n in site.milestones[kind].items()),
            *(
                ["w", due, situation, n]
                for (due, situation), n in (site.employed_at_6.items() if kind == "m12" else ())
            ),
        ]
    if kind == JOB_SEARCH:
        return [[days, hired, n] for (days, hired), n in site.job_search.items()]
    if kind == PROFILES:
        return [[*dataclasses.astuple(profile), n] for profile, n in site.profiles.items()]
    raise ValueError(f"not a stored kind: {kind}")


def load_kind(kind: str, entries: list[list[Any]], site: SiteCounts) -> None:
    """Add stored counts to ``site``."""
    if kind == CANDIDACIES:
        for tag, *key, n in entries:
            if tag == "s":
                site.statuses[key[0]] += n
            elif tag == "e":
                site.enrolments[(key[0], key[1])] += n
            elif tag == "q":
                site.scores[key[0]] += n
            else:
                site.surveyed += n
    elif kind in MILESTONES:
        for tag, due, situation, n in entries:
            target = site.milestones[kind] if tag == "m" else site.employed_at_6
            target[(due, situation)] += n
    elif kind == JOB_SEARCH:
        for days, hired, n in entries:
            site.job_search[(days, hired)] += n
    elif kind == PROFILES:
        for *profile, n in entries:
            site.profiles[engine.EntrantProfile(*profile)] += n
    else:
        raise ValueError(f"not a stored kind: {kind}")
