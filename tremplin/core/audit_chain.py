"""The audit journal as a hash chain: each entry's SHA-256 covers its content and the hash of
the entry before it, so changing, removing or slipping in an entry shows (docs/security.md).

An entry's hash is the SHA-256 of a canonical serialisation: JSON with sorted keys and no
whitespace of the date (ISO 8601 in UTC to the microsecond, ``2026-11-30T10:00:00.000000+00:00``),
the actor's id (or null), the action, the object's type and id, the details, and the previous
entry's hash. The first entry chains to 64 zeros. ``link`` chains new entries under a lock
(PostgreSQL: a transaction-level advisory lock; SQLite has one writer at a time), ``rechain``
recomputes a whole journal (the migration), ``check_chain`` walks stored rows and names the
first break. Nothing here imports the models: the migration passes its historical model.
"""

import datetime
import hashlib
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from django.db import connections
from django.utils import timezone
from django.utils.translation import gettext as _

GENESIS = "0" * 64
# Any constant of ours (pg_advisory locks are per database); 7_020_261_202 is the reports'.
LOCK_KEY = 7_020_261_203
# The columns of a stored entry that ``check_chain`` reads, in this order.
COLUMNS = (
    "id",
    "at",
    "actor_id",
    "action",
    "object_type",
    "object_id",
    "details",
    "previous_hash",
    "entry_hash",
)
_ENCODER = json.JSONEncoder(sort_keys=True, separators=(",", ":"))


def canonical(
    *,
    at: datetime.datetime,
    actor_id: int | None,
    action: str,
    object_type: str,
    object_id: str,
    details: Any,
    previous_hash: str,
) -> bytes:
    if timezone.is_naive(at):
        at = timezone.make_aware(at, datetime.UTC)
    return _ENCODER.encode(
        {
            "at": at.astimezone(datetime.UTC).isoformat(timespec="microseconds"),
            "actor": actor_id,
            "action": action,
            "object_type": object_type,
            "object_id": object_id,
            "details": details,
            "previous_hash": previous_hash,
        }
    ).encode()


def digest(**fields: Any) -> str:
    """SHA-256, in hex, of ``canonical(**fields)``: the same keyword arguments."""
    return hashlib.sha256(canonical(**fields)).hexdigest()


def digest_of(entry: Any, previous_hash: str) -> str:
    """The hash of an entry (a model instance) chained after ``previous_hash``."""
    return digest(
        at=entry.at,
        actor_id=entry.actor_id,
        action=entry.action,
        object_type=entry.object_type,
        object_id=entry.object_id,
        details=entry.details,
        previous_hash=previous_hash,
    )


def _last_hash(model: Any, using: str) -> str:
    last = (
        model._default_manager.using(using)
        .order_by("-id")
        .values_list("entry_hash", flat=True)
        .first()
    )
    return str(last) if last else GENESIS


def link(entries: Sequence[Any], *, using: str) -> None:
    """Set ``previous_hash`` and ``entry_hash`` of unsaved entries, in order, after the last
    stored one. Call it inside the transaction that inserts them, right before the insert."""
    if not entries:
        return
    connection = connections[using]
    if not connection.in_atomic_block:
        raise RuntimeError("Audit entries are chained inside the transaction that writes them.")
    if connection.vendor == "postgresql":
        # Held until the transaction ends: a second writer waits here, then reads our last
        # entry as its predecessor (the read below runs after the lock, in a new snapshot).
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [LOCK_KEY])
    previous = _last_hash(type(entries[0]), using)
    for entry in entries:
        if entry.at is None:
            entry.at = timezone.now()
        entry.previous_hash = previous
        entry.entry_hash = previous = digest_of(entry, previous)


def rechain(model: Any, *, using: str = "default", chunk: int = 2_000) -> int:
    """Recompute the chain of every stored entry in id order (the migration's backfill, which
    passes its historical model). Keyset pages: memory stays flat on a large journal."""
    manager = model._default_manager.using(using)
    previous, after, count = GENESIS, 0, 0
    while True:
        rows = list(manager.filter(id__gt=after).order_by("id").values_list(*COLUMNS[:-2])[:chunk])
        if not rows:
            return count
        changed = []
        for entry_id, at, actor_id, action, object_type, object_id, details in rows:
            entry_hash = digest(
                at=at,
                actor_id=actor_id,
                action=action,
                object_type=object_type,
                object_id=object_id,
                details=details,
                previous_hash=previous,
            )
            changed.append(model(id=entry_id, previous_hash=previous, entry_hash=entry_hash))
            previous = entry_hash
        manager.bulk_update(changed, ["previous_hash", "entry_hash"])
        after, count = rows[-1][0], count + len(rows)


class BreakKind(StrEnum):
    CONTENT = "content"  # the entry's content (or its own hash) was changed
    REMOVED = "removed"  # the entry does not follow the one before it: entries missing
    INSERTED = "inserted"  # the previous entry was slipped in between two chained ones
    UNHASHED = "unhashed"  # no hash at all: written around the application


@dataclass(frozen=True)
class ChainBreak:
    kind: BreakKind
    entry_id: int
    # The entry stored before ``entry_id`` (None: ``entry_id`` is the first one).
    previous_id: int | None

    def describe(self) -> str:
        if self.kind == BreakKind.UNHASHED:
            return _(
                "empreinte absente : l'entrée n° %(id)s a été écrite sans passer par l'application."
            ) % {"id": self.entry_id}
        if self.kind == BreakKind.CONTENT:
            return _(
                "contenu modifié : l'empreinte recalculée de l'entrée n° %(id)s ne correspond "
                "pas à l'empreinte enregistrée."
            ) % {"id": self.entry_id}
        if self.kind == BreakKind.INSERTED:
            return _(
                "entrée insérée : l'entrée n° %(id)s ne faisait pas partie de la chaîne, "
                "l'entrée suivante suit directement celle d'avant."
            ) % {"id": self.previous_id}
        if self.previous_id is None:
            return _(
                "chaîne rompue : l'entrée n° %(id)s est la première enregistrée mais ne "
                "commence pas la chaîne (les entrées précédentes ont été supprimées)."
            ) % {"id": self.entry_id}
        return _(
            "chaîne rompue : l'entrée n° %(id)s ne suit pas l'entrée n° %(previous)s (une ou "
            "plusieurs entrées supprimées entre les deux, ou l'empreinte de la précédente "
            "réécrite)."
        ) % {"id": self.entry_id, "previous": self.previous_id}

    @property
    def broken_id(self) -> int:
        """The entry to look at first: the inserted one, or the one that fails."""
        if self.kind == BreakKind.INSERTED and self.previous_id is not None:
            return self.previous_id
        return self.entry_id


@dataclass(frozen=True)
class ChainReport:
    count: int  # entries checked (up to and including the break)
    last_hash: str
    broken: ChainBreak | None

    @property
    def ok(self) -> bool:
        return self.broken is None


def check_chain(rows: Iterable[Sequence[Any]]) -> ChainReport:
    """Walk stored entries (tuples in ``COLUMNS`` order, by increasing id) and stop at the
    first one whose link or hash does not hold."""
    expected = GENESIS  # the hash the next entry must chain to
    before = None  # the previous entry's own previous_hash
    previous_id: int | None = None
    count = 0
    for entry_id, at, actor_id, action, object_type, object_id, details, prev, stored in rows:
        count += 1
        if not stored:
            broken = ChainBreak(BreakKind.UNHASHED, entry_id, previous_id)
            return ChainReport(count, expected, broken)
        if prev != expected:
            # Chained to the entry before the previous one: the previous one was slipped in.
            kind = (
                BreakKind.INSERTED if before is not None and prev == before else BreakKind.REMOVED
            )
            return ChainReport(count, expected, ChainBreak(kind, entry_id, previous_id))
        recomputed = digest(
            at=at,
            actor_id=actor_id,
            action=action,
            object_type=object_type,
            object_id=object_id,
            details=details,
            previous_hash=prev,
        )
        if recomputed != stored:
            return ChainReport(
                count, expected, ChainBreak(BreakKind.CONTENT, entry_id, previous_id)
            )
        before, expected, previous_id = prev, stored, entry_id
    return ChainReport(count, expected, None)


def stored_rows(model: Any, *, using: str = "default", chunk: int = 5_000) -> Iterable[Any]:
    """Every stored entry in id order, streamed in chunks (a server-side cursor on PostgreSQL)."""
    rows: Iterable[Any] = (
        model._default_manager.using(using)
        .order_by("id")
        .values_list(*COLUMNS)
        .iterator(chunk_size=chunk)
    )
    return rows
