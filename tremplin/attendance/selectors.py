"""Reads of attendance: who is expected on a half-day, a sheet's lines and content hash,
each line's standing presence after corrections, and the hours a learner attended."""

import datetime
import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from tremplin.cohorts.models import Enrolment
from tremplin.plateau.models import Session
from tremplin.plateau.services import half_day_hours

from .enums import Presence
from .models import AbsenceAlert, AttendanceCorrection, AttendanceEntry, AttendanceSheet


def roster(session: Session) -> QuerySet[Enrolment]:
    """The learners expected on ``session``: enrolled by its day and not gone before it."""
    return (
        Enrolment.objects.filter(cohort_id=session.cohort_id, enrolled_at__date__lte=session.date)
        .filter(Q(ended_on__isnull=True) | Q(ended_on__gte=session.date))
        .select_related("candidacy__person")
        .order_by("candidacy__person__last_name", "candidacy__person__first_name", "id")
    )


def half_day_start(session: Session) -> datetime.datetime:
    """When the half-day begins, as an aware datetime in the site's time zone."""
    start, _end = half_day_hours()[session.half_day]
    return timezone.make_aware(datetime.datetime.combine(session.date, start))


def half_day_minutes(half_day: str) -> int:
    start, end = half_day_hours()[half_day]
    return (end.hour * 60 + end.minute) - (start.hour * 60 + start.minute)


def content_of(sheet: AttendanceSheet, entries: Iterable[AttendanceEntry]) -> dict[str, Any]:
    """The sheet's content in a canonical form: what the signatures and the seal vouch for."""
    return content_of_session(sheet.session, entries)


def content_of_session(session: Session, entries: Iterable[AttendanceEntry]) -> dict[str, Any]:
    return {
        "session": session.pk,
        "cohort": session.cohort_id,
        "date": session.date.isoformat(),
        "half_day": session.half_day,
        "trainer": session.trainer_id,
        "subject": session.subject,
        "entries": sorted(
            (
                {
                    "enrolment": e.enrolment_id,
                    "presence": e.presence,
                    "minutes_late": e.minutes_late,
                    "signed_at": e.signed_at.isoformat() if e.signed_at else None,
                    "method": e.method,
                    "signed_by": e.signed_by_id,
                    "ip": e.ip,
                    "device": e.device,
                    "justified": e.justified,
                    "justification": e.justification,
                }
                for e in entries
            ),
            key=lambda line: line["enrolment"],
        ),
    }


def digest(content: dict[str, Any]) -> str:
    canonical = json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


def sheet_digest(sheet: AttendanceSheet) -> str:
    return digest(content_of(sheet, sheet.entries.all()))


def seal_holds(sheet: AttendanceSheet) -> bool:
    """Whether a sealed sheet's content still hashes to what the trainer countersigned."""
    return sheet.is_sealed and sheet_digest(sheet) == sheet.content_hash


def correction_digest(sheet_hash: str, correction: AttendanceCorrection) -> str:
    return digest(
        {
            "sheet": sheet_hash,
            "entry": correction.entry_id,
            "presence": correction.presence,
            "minutes_late": correction.minutes_late,
            "justified": correction.justified,
            "justification": correction.justification,
            "reason": correction.reason,
            "made_by": correction.made_by_id,
            "made_at": correction.made_at.isoformat(),
        }
    )


@dataclass(frozen=True)
class Standing:
    """A line's presence as it stands, after its latest correction if any."""

    presence: str
    minutes_late: int | None
    justified: bool
    justification: str
    corrected: bool

    @property
    def presence_label(self) -> str:
        return str(Presence(self.presence).label)

    @property
    def unjustified_absence(self) -> bool:
        return self.presence == Presence.ABSENT and not self.justified


def standing(entry: AttendanceEntry) -> Standing:
    """``entry``'s standing; prefetch ``corrections`` when reading many lines."""
    corrections = list(entry.corrections.all())
    if corrections:
        last = max(corrections, key=lambda c: (c.made_at, c.pk))
        return Standing(last.presence, last.minutes_late, last.justified, last.justification, True)
    return Standing(entry.presence, entry.minutes_late, entry.justified, entry.justification, False)


def entries_of(sheet: AttendanceSheet) -> QuerySet[AttendanceEntry]:
    return sheet.entries.select_related(
        "enrolment__candidacy__person", "signed_by", "recorded_by"
    ).prefetch_related("corrections__made_by")


def attended_minutes(entry: AttendanceEntry) -> int:
    now = standing(entry)
    if now.presence == Presence.ABSENT:
        return 0
    full = half_day_minutes(entry.sheet.session.half_day)
    return max(full - (now.minutes_late or 0), 0)


@dataclass(frozen=True)
class Hours:
    """A learner's hours: planned (half-days of their cohort while enrolled), attended on
    countersigned sheets, and still to be sealed (sheets open or not yet opened)."""

    planned: Decimal
    attended: Decimal
    absent_half_days: int
    unjustified_half_days: int
    unsealed_half_days: int


def _hours(minutes: int) -> Decimal:
    return (Decimal(minutes) / 60).quantize(Decimal("0.01"))


def hours_of(enrolment: Enrolment, until: datetime.date | None = None) -> Hours:
    """``enrolment``'s hours on the cohort's sessions up to ``until`` (every session if None)."""
    sessions = Session.objects.filter(cohort_id=enrolment.cohort_id).filter(
        date__gte=enrolment.enrolled_at.date()
    )
    if enrolment.ended_on:
        sessions = sessions.filter(date__lte=enrolment.ended_on)
    if until:
        sessions = sessions.filter(date__lte=until)
    planned = attended = absent = unjustified = unsealed = 0
    entries = {
        e.sheet.session_id: e
        for e in AttendanceEntry.objects.filter(enrolment=enrolment, sheet__session__in=sessions)
        .select_related("sheet__session")
        .prefetch_related("corrections")
    }
    for session in sessions.select_related("attendance_sheet"):
        planned += half_day_minutes(session.half_day)
        entry = entries.get(session.pk)
        sheet = getattr(session, "attendance_sheet", None)
        if entry is None or sheet is None or not sheet.is_sealed:
            unsealed += 1
            continue
        attended += attended_minutes(entry)
        now = standing(entry)
        if now.presence == Presence.ABSENT:
            absent += 1
            unjustified += not now.justified
    return Hours(_hours(planned), _hours(attended), absent, unjustified, unsealed)


def open_alerts(sites: Any) -> QuerySet[AbsenceAlert]:
    return (
        AbsenceAlert.objects.filter(handled_at__isnull=True, enrolment__cohort__site__in=sites)
        .select_related(
            "enrolment__candidacy__person",
            "enrolment__cohort",
            "first_sheet__session",
            "second_sheet__session",
        )
        .order_by("-raised_at", "id")
    )
