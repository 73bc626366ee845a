"""The audit journal's hash chain: built by the services' writes, checked by
``manage.py verify_audit_chain``, which names the first entry changed, removed or inserted;
the migration's backfill; and, on PostgreSQL, two transactions auditing at once."""

import datetime
import importlib
import threading
from io import StringIO
from types import SimpleNamespace
from typing import Any

import pytest
from django.apps import apps
from django.core.management import CommandError, call_command
from django.db import IntegrityError, connection, transaction
from django.db.models import CharField, Value
from django.db.models.functions import Cast, Concat
from django.test.utils import CaptureQueriesContext

from tests import factories
from tests.concurrency import in_thread
from tremplin.candidacies.services import candidacy_create_many
from tremplin.core.audit import audit, audit_entry
from tremplin.core.audit_chain import (
    COLUMNS,
    GENESIS,
    BreakKind,
    canonical,
    check_chain,
    digest,
    digest_of,
    rechain,
)
from tremplin.core.models import AuditEntry

migration = importlib.import_module("tremplin.core.migrations.0003_audit_chain")


def verify() -> str:
    out = StringIO()
    call_command("verify_audit_chain", stdout=out)
    return out.getvalue()


def verify_fails() -> str:
    with pytest.raises(CommandError) as failure:
        verify()
    return str(failure.value)


def chained(world: Any) -> list[AuditEntry]:
    """A few real writes: referrals, a diagnostic, a selection; their entries in id order."""
    factories.referral(world)
    factories.accepted(world)
    factories.referral(world, world.other_cohort)
    entries = list(AuditEntry.objects.order_by("id"))
    assert len(entries) >= 6
    return entries


@pytest.mark.django_db
class TestChainBuiltByServices:
    def test_each_entry_chains_to_the_one_before(self, world):
        entries = chained(world)
        assert entries[0].previous_hash == GENESIS
        for before, entry in zip(entries, entries[1:], strict=False):
            assert entry.previous_hash == before.entry_hash
        for entry in entries:
            # Re-read from the database: the hash covers the values as stored.
            assert len(entry.entry_hash) == 64
            assert digest_of(entry, entry.previous_hash) == entry.entry_hash

    def test_the_verification_reports_the_count(self, world):
        entries = chained(world)
        out = verify()
        assert f"Journal d'audit intact : {len(entries)} entrées vérifiées." in out
        assert entries[-1].entry_hash in out

    def test_an_empty_journal_is_intact(self, db):
        assert "intact : 0 entrées" in verify()

    def test_entries_written_in_bulk_are_chained_in_order(self, world):
        factories.referral(world)
        people = [(factories.person_data(), "") for _ in range(5)]
        candidacy_create_many(cohort=world.upcoming, people=people, by=world.user("prescriber"))
        entries = list(AuditEntry.objects.order_by("id"))
        assert [e.action for e in entries].count("candidacy.create") == 6
        for before, entry in zip(entries, entries[1:], strict=False):
            assert entry.previous_hash == before.entry_hash
        assert "intact" in verify()

    def test_the_canonical_form_is_sorted_compact_json_in_utc(self):
        paris = datetime.timezone(datetime.timedelta(hours=1))
        content = canonical(
            at=datetime.datetime(2026, 11, 30, 11, 0, 0, 5, tzinfo=paris),
            actor_id=None,
            action="a.b",
            object_type="cohort",
            object_id="7",
            details={"z": "1", "a": "é"},
            previous_hash=GENESIS,
        )
        assert content == (
            b'{"action":"a.b","actor":null,"at":"2026-11-30T10:00:00.000005+00:00",'
            b'"details":{"a":"\\u00e9","z":"1"},"object_id":"7","object_type":"cohort",'
            b'"previous_hash":"' + GENESIS.encode() + b'"}'
        )

    def test_one_audit_costs_one_read_more_than_its_insert(self, world):
        audit(actor=None, action="test.first", obj=world.upcoming)
        with CaptureQueriesContext(connection) as queries, transaction.atomic():
            audit(actor=world.user("coordinator"), action="test.second", obj=world.upcoming)
        sql = [q["sql"] for q in queries.captured_queries]
        # SAVEPOINT/RELEASE of the test's atomic aside: the last hash, then the insert
        # (PostgreSQL adds the advisory lock).
        reads = [s for s in sql if s.startswith("SELECT") and "advisory" not in s]
        inserts = [s for s in sql if s.startswith("INSERT")]
        assert len(reads) == 1 and "ORDER BY" in reads[0] and "LIMIT 1" in reads[0]
        assert len(inserts) == 1


@pytest.mark.django_db
class TestTamperingIsFound:
    def test_changed_details_name_the_entry(self, world):
        entries = chained(world)
        target = entries[3]
        AuditEntry.objects.filter(pk=target.pk).update(details={"motif": "falsifié"})
        message = verify_fails()
        assert f"altéré à l'entrée n° {target.pk}" in message
        assert "contenu modifié" in message

    def test_a_changed_date_is_found_too(self, world):
        entries = chained(world)
        earlier = entries[1].at - datetime.timedelta(days=3)
        AuditEntry.objects.filter(pk=entries[1].pk).update(at=earlier)
        assert f"altéré à l'entrée n° {entries[1].pk}" in verify_fails()

    def test_a_removed_entry_breaks_the_chain_at_the_next(self, world):
        entries = chained(world)
        AuditEntry.objects.filter(pk=entries[2].pk).delete()
        message = verify_fails()
        assert f"altéré à l'entrée n° {entries[3].pk}" in message
        assert f"ne suit pas l'entrée n° {entries[1].pk}" in message
        assert "chaîne rompue" in message

    def test_a_removed_first_entry_is_found(self, world):
        entries = chained(world)
        AuditEntry.objects.filter(pk=entries[0].pk).delete()
        message = verify_fails()
        assert f"n° {entries[1].pk}" in message and "première" in message

    def test_a_rehashed_entry_breaks_the_link_to_the_next(self, world):
        # Whoever rewrites an entry and its hash still breaks the next entry's link.
        entries = chained(world)
        forged = entries[2]
        forged.details = {"motif": "falsifié"}
        new_hash = digest_of(forged, forged.previous_hash)
        AuditEntry.objects.filter(pk=forged.pk).update(details=forged.details, entry_hash=new_hash)
        message = verify_fails()
        assert f"altéré à l'entrée n° {entries[3].pk}" in message

    def test_the_database_refuses_a_fork(self, world):
        entries = chained(world)
        with pytest.raises(IntegrityError), transaction.atomic():
            AuditEntry.objects.filter(pk=entries[-1].pk).update(
                previous_hash=entries[-2].previous_hash
            )


def rows_of(contents: list[dict[str, Any]]) -> list[tuple[Any, ...]]:
    """Stored rows (``COLUMNS`` order) of a well-chained journal of ``contents``."""
    rows, previous = [], GENESIS
    for n, content in enumerate(contents, start=1):
        entry_hash = digest(**content, previous_hash=previous)
        rows.append(
            (
                n * 10,
                content["at"],
                content["actor_id"],
                content["action"],
                content["object_type"],
                content["object_id"],
                content["details"],
                previous,
                entry_hash,
            )
        )
        previous = entry_hash
    assert len(rows[0]) == len(COLUMNS)
    return rows


def content(n: int) -> dict[str, Any]:
    return {
        "at": datetime.datetime(2026, 11, 30, 10, tzinfo=datetime.UTC)
        + datetime.timedelta(minutes=n),
        "actor_id": n,
        "action": "test.write",
        "object_type": "cohort",
        "object_id": str(n),
        "details": {"n": str(n)},
    }


class TestCheckChain:
    """The walk itself, on rows made by hand: an insertion needs the unique constraint gone."""

    def test_an_inserted_entry_is_named(self):
        rows = rows_of([content(n) for n in range(5)])
        # Slipped in between the 2nd and 3rd, chained to the 2nd with a valid hash of its own.
        forged = content(99)
        forged_hash = digest(**forged, previous_hash=rows[1][-1])
        inserted = (25, *list(forged.values()), rows[1][-1], forged_hash)
        report = check_chain([*rows[:2], inserted, *rows[2:]])
        assert report.broken is not None
        assert report.broken.kind == BreakKind.INSERTED
        assert report.broken.broken_id == 25
        assert "entrée insérée" in report.broken.describe()

    def test_a_whole_chain_holds(self):
        rows = rows_of([content(n) for n in range(5)])
        report = check_chain(rows)
        assert report.ok and report.count == 5 and report.last_hash == rows[-1][-1]


@pytest.mark.django_db
class TestBackfill:
    def test_the_migration_chains_existing_entries_as_the_writes_would(self, world):
        entries = chained(world)
        # As before the migration: no hashes (distinct placeholders: the fork constraint).
        AuditEntry.objects.update(
            previous_hash=Concat(Value("avant-"), Cast("id", CharField())), entry_hash=""
        )
        assert "empreinte absente : l'entrée n° " in verify_fails()
        migration.backfill(apps, SimpleNamespace(connection=connection))
        stored = list(AuditEntry.objects.order_by("id").values_list("previous_hash", "entry_hash"))
        assert stored == [(e.previous_hash, e.entry_hash) for e in entries]
        assert "intact" in verify()

    def test_the_backfill_pages_through_a_journal(self, world):
        chained(world)
        AuditEntry.objects.bulk_create(
            [
                audit_entry(actor=None, action="test.bulk", obj=world.upcoming, n=n)
                for n in range(30)
            ]
        )
        AuditEntry.objects.update(
            previous_hash=Concat(Value("avant-"), Cast("id", CharField())), entry_hash=""
        )
        assert rechain(AuditEntry, chunk=7) == AuditEntry.objects.count()
        assert "intact" in verify()


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
class TestConcurrentAudits:
    def test_a_second_transaction_waits_and_chains_after_the_first(self, world_pg):
        written, release = threading.Event(), threading.Event()
        results: dict[str, Any] = {}
        coordinator = world_pg.user("coordinator")

        def hold_first() -> Any:
            with transaction.atomic():
                entry = audit(actor=coordinator, action="test.first", obj=world_pg.upcoming)
                written.set()
                release.wait(timeout=10)
                return entry

        def audit_second() -> Any:
            written.wait(timeout=10)
            with transaction.atomic():
                return audit(actor=coordinator, action="test.second", obj=world_pg.running)

        t1 = in_thread(hold_first, results, "first")
        t2 = in_thread(audit_second, results, "second")
        written.wait(timeout=10)
        t2.join(timeout=1.0)
        assert t2.is_alive(), "the second audit must wait for the first one's lock"
        release.set()
        t1.join(timeout=10)
        t2.join(timeout=10)
        first, second = results["first"], results["second"]
        assert isinstance(first, AuditEntry), first
        assert isinstance(second, AuditEntry), second
        assert second.previous_hash == first.entry_hash
        assert second.pk > first.pk
        assert "intact : 2 entrées" in verify()

    def test_many_writers_at_once_leave_one_chain(self, world_pg):
        results: dict[str, Any] = {}
        start = threading.Barrier(4)
        prescriber = world_pg.user("prescriber")

        def writer(n: int) -> Any:
            def run() -> int:
                start.wait(timeout=10)
                for step in range(10):
                    with transaction.atomic():
                        audit(actor=prescriber, action="test.race", obj=world_pg.upcoming, n=n)
                        if step % 2:
                            factories.referral(world_pg)
                return n

            return run

        threads = [in_thread(writer(n), results, f"w{n}") for n in range(4)]
        for thread in threads:
            thread.join(timeout=60)
        assert sorted(results.values()) == [0, 1, 2, 3], results
        assert AuditEntry.objects.filter(action="test.race").count() == 40
        assert "intact" in verify()
