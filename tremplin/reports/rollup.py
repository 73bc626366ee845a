"""The rollup: each site's counts over its *settled* facts, built once a day, so the network
dashboard reads a few stored counts and counts live only what changed or may still change
(issue 7: p95 ≤ 1 s at 2,000,000 people; docs/performance.md).

A row is settled for a kind when nothing but a write can change what it adds to that kind:
every row for the candidacies and the time to first job (no date in them), a row whose
milestone was due on the build day for that milestone (due then, due on any later day), a
person entered once at the site for the public served (no earliest-entry window to share).

What the dashboard reads, on a day on or after the build day R, for each kind:

    stored counts (settled on R)
    − the retracted rows settled for the kind (rewritten since R: their old version)
    + the rows rewritten since R (``FactsChanged``), counted as the live path does
    + the other rows not settled for the kind on R (milestones not due on R, repeat entrants)

which equals counting every row live; tests/reports/test_rollup.py checks it after every kind
of write, and the bench at 20,000 people. Only unfiltered reads (whole sites) use it: a period,
programme, funder, track or cohort filter counts live (reports.selectors).

Consistency: ``refresh_learner_facts`` calls ``retract`` in its transaction, before rewriting
rows. On PostgreSQL both take an advisory lock on the rollup — shared by writers, exclusive for
the build — so no rewrite straddles a build; SQLite has one writer at a time anyway.
``rebuild_learner_facts`` drops the rollup (reads go live until the next build).
"""

import datetime
import json
from collections.abc import Iterable

from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone

from tremplin.engine.indicators.vocabulary import MILESTONE_MONTHS

from .counting import (
    CANDIDACIES,
    JOB_SEARCH,
    MILESTONES,
    PROFILES,
    Counts,
    count_kind,
    dump_kind,
    load_kind,
    new_counts,
)
from .models import FactsChanged, FactsRollup, FactsRollupState, LearnerFacts, RetractedFacts

__all__ = ["STORED_KINDS", "build_rollup", "drop_rollup", "read_counts", "retract"]

STORED_KINDS = (CANDIDACIES, *MILESTONES, JOB_SEARCH, PROFILES)
# Rewritten candidacies since the build beyond which reads count live until the next build.
MAX_CHANGED = 20_000
_LOCK_KEY = 7_020_261_202  # any constant of ours; pg_advisory locks are per database
# The columns a retracted copy takes from the row.
_COLUMNS = [
    f.attname
    for f in RetractedFacts._meta.concrete_fields
    if f.attname not in ("id", "candidacy_id")
]


def _lock(*, exclusive: bool) -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT pg_advisory_xact_lock(%s)"
                if exclusive
                else "SELECT pg_advisory_xact_lock_shared(%s)",
                [_LOCK_KEY],
            )


def _built_on() -> datetime.date | None:
    state = FactsRollupState.objects.order_by("pk").first()
    return state.built_on if state else None


def _settled(kind: str, built_on: datetime.date) -> Q | None:
    """The rows settled for ``kind`` on the build day; None: all of them."""
    if kind in MILESTONES:
        return Q(**{f"due_{kind}__lte": built_on})
    if kind == PROFILES:
        return Q(repeat_entrant=False)
    return None


def _unsettled(kind: str, built_on: datetime.date) -> Q | None:
    """The complement of ``_settled`` among the rows the kind reads; None: no row."""
    if kind in MILESTONES:
        # due > R implies an exit less than 31 days a month before R: the ended_on index
        # finds those few rows, the due date decides.
        recent = built_on - datetime.timedelta(days=31 * MILESTONE_MONTHS[kind])
        return Q(ended_on__gt=recent, **{f"due_{kind}__gt": built_on})
    if kind == PROFILES:
        return Q(repeat_entrant=True)
    return None


def build_rollup(as_of: datetime.date | None = None) -> int:
    """Rebuild the stored counts from every row, settled on ``as_of`` (today); forget the
    rows changed and retracted since the last build. Returns the number of sites."""
    as_of = as_of or timezone.localdate()
    with transaction.atomic():
        _lock(exclusive=True)
        # Written first: on SQLite the transaction then holds the write lock throughout.
        FactsRollupState.objects.all().delete()
        FactsRollup.objects.all().delete()
        FactsChanged.objects.all().delete()
        RetractedFacts.objects.all().delete()
        rows = LearnerFacts.objects.order_by()
        stored: list[FactsRollup] = []
        for kind in STORED_KINDS:
            counts = new_counts()
            settled = _settled(kind, as_of)
            count_kind(kind, rows if settled is None else rows.filter(settled), as_of, counts)
            stored += [
                FactsRollup(site_id=site_id, kind=kind, counts=json.dumps(dump_kind(kind, site)))
                for site_id, site in counts.items()
            ]
        FactsRollup.objects.bulk_create(stored, batch_size=1000)
        FactsRollupState.objects.create(built_on=as_of, built_at=timezone.now(), rows=rows.count())
    return len({row.site_id for row in stored})


def drop_rollup() -> None:
    """No rollup: every read counts live (after a bulk rebuild of the facts)."""
    with transaction.atomic():
        _lock(exclusive=True)
        FactsRollupState.objects.all().delete()
        FactsRollup.objects.all().delete()
        FactsChanged.objects.all().delete()
        RetractedFacts.objects.all().delete()


def retract(candidacy_ids: Iterable[int]) -> None:
    """Before the facts of these candidacies are rewritten: keep the version the rollup counted
    (first rewrite since the build only) and mark them to be read live. In the caller's
    transaction; nothing to do without a rollup."""
    _lock(exclusive=False)
    if _built_on() is None:
        return
    ids = set(candidacy_ids)
    ids -= set(
        FactsChanged.objects.filter(candidacy_id__in=ids).values_list("candidacy_id", flat=True)
    )
    if not ids:
        return
    RetractedFacts.objects.bulk_create(
        [
            RetractedFacts(candidacy_id=row.pk, **{c: getattr(row, c) for c in _COLUMNS})
            for row in LearnerFacts.objects.filter(pk__in=ids)
        ],
        batch_size=1000,
    )
    FactsChanged.objects.bulk_create(
        [FactsChanged(candidacy_id=pk) for pk in sorted(ids)], batch_size=1000
    )


def read_counts(site_q: Q, kinds: frozenset[str], as_of: datetime.date) -> Counts | None:
    """The counts of these sites, as a live count of all their rows on ``as_of`` would give;
    None without a rollup built on or before ``as_of``."""
    built_on = _built_on()
    if built_on is None or as_of < built_on:
        return None
    # The ids themselves rather than a subquery: the planner then looks them up in the primary
    # key instead of risking a pass over every row to join them. Past a day's worth of writes
    # many times over, counting live costs less than that list.
    changed = list(FactsChanged.objects.values_list("candidacy_id", flat=True)[: MAX_CHANGED + 1])
    if len(changed) > MAX_CHANGED:
        return None
    facts = LearnerFacts.objects.filter(site_q).order_by()
    rewritten = facts.filter(pk__in=changed)
    untouched = facts.exclude(pk__in=changed)
    counts = new_counts()
    stored = [kind for kind in STORED_KINDS if kind in kinds]
    for site_id, kind, data in FactsRollup.objects.filter(site_q, kind__in=stored).values_list(
        "site_id", "kind", "counts"
    ):
        load_kind(kind, json.loads(data), counts[site_id])
    retracted = RetractedFacts.objects.filter(site_q).order_by()
    for kind in stored:
        count_kind(kind, rewritten, as_of, counts)
        unsettled = _unsettled(kind, built_on)
        if unsettled is not None:
            count_kind(kind, untouched.filter(unsettled), as_of, counts)
        settled = _settled(kind, built_on)
        old = retracted if settled is None else retracted.filter(settled)
        count_kind(kind, old, as_of, counts, -1)
    return counts
