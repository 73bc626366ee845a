"""Attendance sheets as PDF (WeasyPrint): a cohort's week, or its month one week a page.

The layout follows what funders audit on a paper sheet: the organisation and the course,
then per half-day its date, module and trainer; a line per learner with their signature (an
electronic one, shown with its time and method) or their absence; the trainer's
countersignature; and the corrections made after sealing, each with its reason.
"""

import calendar
import datetime
from dataclasses import dataclass, field
from typing import Any

from django.template.loader import render_to_string
from django.utils import timezone, translation

from tremplin.cohorts.models import Cohort, Enrolment
from tremplin.plateau.models import Session

from .models import AttendanceEntry, AttendanceSheet
from .selectors import content_of_session, digest, standing


@dataclass
class WeekPage:
    """One page: a week's half-days in columns, a line per learner, corrections below."""

    monday: datetime.date
    columns: list[dict[str, Any]]
    rows: list[dict[str, Any]]
    corrections: list[dict[str, Any]] = field(default_factory=list)

    @property
    def sessions(self) -> list[Session]:
        return [column["session"] for column in self.columns]


def _expected(enrolment: Enrolment, day: datetime.date) -> bool:
    """Whether ``enrolment`` is on the roster of ``day`` (selectors.roster, in memory)."""
    return enrolment.enrolled_at.date() <= day and (
        enrolment.ended_on is None or enrolment.ended_on >= day
    )


def pages_between(cohort: Cohort, first: datetime.date, last: datetime.date) -> list[WeekPage]:
    """The weekly pages of ``cohort`` from ``first`` to ``last``, in a fixed number of
    queries whatever the number of half-days (a month's sheets are read in one go)."""
    sessions = list(
        Session.objects.filter(cohort=cohort, date__range=(first, last))
        .select_related("trainer", "lab", "module")
        .order_by("date", "half_day", "id")
    )
    sheets = {
        sheet.session_id: sheet
        for sheet in AttendanceSheet.objects.filter(session__in=sessions).select_related(
            "countersigned_by"
        )
    }
    entries: dict[int, list[AttendanceEntry]] = {}
    for entry in (
        AttendanceEntry.objects.filter(sheet__in=sheets.values())
        .select_related("enrolment__candidacy__person", "signed_by")
        .prefetch_related("corrections__made_by")
    ):
        entries.setdefault(entry.sheet_id, []).append(entry)
    enrolments = list(cohort.enrolments.select_related("candidacy__person"))
    weeks: dict[datetime.date, list[Session]] = {}
    for session in sessions:
        monday = session.date - datetime.timedelta(days=session.date.weekday())
        weeks.setdefault(monday, []).append(session)
    pages = []
    for monday, week in sorted(weeks.items()):
        cells: dict[tuple[int, int], AttendanceEntry] = {}
        learners = {e.pk: e for e in enrolments if any(_expected(e, s.date) for s in week)}
        columns, corrections = [], []
        for session in week:
            sheet = sheets.get(session.pk)
            lines = entries.get(sheet.pk, []) if sheet else []
            for entry in lines:
                entry.sheet = sheet  # type: ignore[assignment]
                cells[entry.enrolment_id, session.pk] = entry
                learners.setdefault(entry.enrolment_id, entry.enrolment)
                corrections += [
                    {"entry": entry, "session": session, "correction": c}
                    for c in entry.corrections.all()
                ]
            sealed_ok = (
                sheet is not None
                and sheet.is_sealed
                and digest(content_of_session(session, lines)) == sheet.content_hash
            )
            columns.append({"session": session, "sheet": sheet, "sealed_ok": sealed_ok})
        ordered = sorted(
            learners.values(), key=lambda e: (e.person.last_name, e.person.first_name, e.pk)
        )
        rows = []
        for enrolment in ordered:
            line = []
            for session in week:
                cell = cells.get((enrolment.pk, session.pk))
                line.append({"entry": cell, "now": standing(cell) if cell else None})
            rows.append({"enrolment": enrolment, "cells": line})
        pages.append(WeekPage(monday, columns, rows, corrections))
    return pages


def _render(cohort: Cohort, pages: list[WeekPage], title: str) -> bytes:
    from weasyprint import HTML

    # The legal document is in French whatever the reader's language.
    with translation.override("fr"):
        html = render_to_string(
            "attendance/sheet_pdf.html",
            {
                "cohort": cohort,
                "organisation": cohort.site.network,
                "pages": pages,
                "title": title,
                "printed_at": timezone.localtime(),
            },
        )
    pdf: bytes = HTML(string=html).write_pdf()
    return pdf


def weekly_pdf(cohort: Cohort, monday: datetime.date) -> bytes:
    pages = pages_between(cohort, monday, monday + datetime.timedelta(days=6))
    title = f"Feuille d'émargement — semaine du {monday:%d/%m/%Y}"
    return _render(cohort, pages or [WeekPage(monday, [], [])], title)


def monthly_pdf(cohort: Cohort, year: int, month: int) -> bytes:
    first = datetime.date(year, month, 1)
    last = datetime.date(year, month, calendar.monthrange(year, month)[1])
    pages = pages_between(cohort, first, last)
    title = f"Feuilles d'émargement — {first:%m/%Y}"
    return _render(cohort, pages or [WeekPage(first, [], [])], title)
