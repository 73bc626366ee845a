"""From referral to the end of training: acceptance, enrolment, completion and drop-out.

Fed with one fact per candidacy (its current status) and one per enrolment (its status and,
when it ended early, the reason). Definitions: docs/indicators.md, « Parcours ».
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from .figures import Figure
from .vocabulary import CANDIDACY_STATUSES, ENROLMENT_STATUSES

__all__ = [
    "Candidacy",
    "Completion",
    "Enrolment",
    "Referrals",
    "completion",
    "completion_from_counts",
    "referrals",
    "referrals_from_counts",
]

_ACCEPTED = frozenset({"accepted", "enrolled"})
# Still waiting for the programme's answer, or for a seat.
_PENDING = frozenset({"new", "invited", "positioning", "waitlisted"})
_ENDED = frozenset({"completed", "dropped_out", "excluded"})


@dataclass(frozen=True, slots=True)
class Candidacy:
    """One candidacy to a cohort: its status (``CandidacyStatus`` value)."""

    status: str

    def __post_init__(self) -> None:
        if self.status not in CANDIDACY_STATUSES:
            raise ValueError(f"unknown candidacy status: {self.status!r}")


@dataclass(frozen=True, slots=True)
class Referrals:
    referred: int
    pending: int
    withdrawn: int
    # Accepted (or enrolled since) out of the candidacies the programme answered.
    acceptance: Figure
    # Enrolled out of the candidacies accepted (or enrolled since).
    enrolment: Figure

    @property
    def enrolled(self) -> int:
        return self.enrolment.numerator


def referrals(candidacies: Iterable[Candidacy]) -> Referrals:
    return referrals_from_counts(Counter(c.status for c in candidacies))


def referrals_from_counts(counts: Mapping[str, int]) -> Referrals:
    """The same figures from the number of candidacies in each status (a GROUP BY)."""
    for status, count in counts.items():
        if status not in CANDIDACY_STATUSES:
            raise ValueError(f"unknown candidacy status: {status!r}")
        if count < 0:
            raise ValueError(f"negative count of {status!r}: {count}")
    by_status: Counter[str] = Counter(dict(counts))
    accepted = sum(by_status[s] for s in _ACCEPTED)
    answered = accepted + by_status["refused"]
    return Referrals(
        referred=by_status.total(),
        pending=sum(by_status[s] for s in _PENDING),
        withdrawn=by_status["withdrawn"],
        acceptance=Figure(accepted, answered),
        enrolment=Figure(by_status["enrolled"], accepted),
    )


@dataclass(frozen=True, slots=True)
class Enrolment:
    """One enrolment: its status (``EnrolmentStatus`` value), and the reason of an early end
    (a ``DropOutReason`` or ``ExclusionReason`` value, "" when none was given)."""

    status: str
    reason: str = ""

    def __post_init__(self) -> None:
        if self.status not in ENROLMENT_STATUSES:
            raise ValueError(f"unknown enrolment status: {self.status!r}")
        if self.reason and self.status not in {"dropped_out", "excluded"}:
            raise ValueError(f"only an early end has a reason: {self!r}")


@dataclass(frozen=True, slots=True)
class Completion:
    enrolled: int
    in_training: int
    # Each out of the enrolments that have ended: completed, dropped out or excluded.
    completed: Figure
    dropped_out: Figure
    excluded: Figure
    # (reason, count), most frequent first, then by reason; "" is « motif non renseigné ».
    drop_out_reasons: tuple[tuple[str, int], ...]
    exclusion_reasons: tuple[tuple[str, int], ...]


def _reasons(counter: Counter[str]) -> tuple[tuple[str, int], ...]:
    return tuple(sorted(counter.items(), key=lambda item: (-item[1], item[0])))


def completion(enrolments: Iterable[Enrolment]) -> Completion:
    return completion_from_counts(Counter((e.status, e.reason) for e in enrolments))


def completion_from_counts(counts: Mapping[tuple[str, str], int]) -> Completion:
    """The same figures from the number of enrolments per (status, reason) (a GROUP BY); the
    keys obey the rules of ``Enrolment``."""
    by_status: Counter[str] = Counter()
    drop_out_reasons: Counter[str] = Counter()
    exclusion_reasons: Counter[str] = Counter()
    for (status, reason), count in counts.items():
        Enrolment(status, reason)  # the same checks as one fact
        if count < 0:
            raise ValueError(f"negative count of {(status, reason)!r}: {count}")
        if not count:
            continue
        by_status[status] += count
        if status == "dropped_out":
            drop_out_reasons[reason] += count
        elif status == "excluded":
            exclusion_reasons[reason] += count
    ended = sum(by_status[s] for s in _ENDED)
    return Completion(
        enrolled=by_status.total(),
        in_training=by_status["in_training"],
        completed=Figure(by_status["completed"], ended),
        dropped_out=Figure(by_status["dropped_out"], ended),
        excluded=Figure(by_status["excluded"], ended),
        drop_out_reasons=_reasons(drop_out_reasons),
        exclusion_reasons=_reasons(exclusion_reasons),
    )
