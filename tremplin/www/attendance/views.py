"""Attendance pages: the trainer's screen for a half-day, the learner's phone page reached by
QR code, corrections of sealed sheets, a cohort's attendance and its PDF sheets, alerts."""

import datetime
from itertools import chain
from typing import Any

import segno
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_POST

from tremplin.accounts.enums import Role
from tremplin.attendance import perms, services
from tremplin.attendance.enums import Presence
from tremplin.attendance.models import AbsenceAlert, AttendanceEntry, AttendanceSheet
from tremplin.attendance.pdf import monthly_pdf, weekly_pdf
from tremplin.attendance.selectors import (
    entries_of,
    hours_of,
    open_alerts,
    roster,
    seal_holds,
    standing,
)
from tremplin.cohorts.models import Enrolment
from tremplin.cohorts.perms import get_cohort_for_user
from tremplin.plateau.models import Session
from tremplin.plateau.perms import get_session_for_user, sessions_for_user
from tremplin.www.exports import export_response
from tremplin.www.forms import error_summary
from tremplin.www.http import AuthedRequest, client_device, client_ip

from .forms import AbsenceForm, AlertHandleForm, CorrectionForm
from .tables import alert_table

STAFF_ROLES = (Role.COORDINATOR, Role.TRAINER, Role.NETWORK_ADMIN)


def _sheet_url(session: Session) -> str:
    return reverse("attendance_sheet", args=[session.pk])


def attendance_today(request: AuthedRequest) -> HttpResponse:
    """The trainer's way in: today's half-days, and the sheets of the past still to seal."""
    if request.user.role not in STAFF_ROLES:
        raise PermissionDenied
    today = timezone.localdate()
    mine = sessions_for_user(request.user)
    if request.user.role == Role.TRAINER:
        mine = mine.filter(trainer=request.user)
    unsealed = (
        mine.filter(date__lt=today, date__gte=today - datetime.timedelta(days=31))
        .exclude(attendance_sheet__countersigned_at__isnull=False)
        .order_by("-date", "-half_day")
    )
    return render(
        request,
        "attendance/today.html",
        {
            "today": today,
            "sessions": mine.filter(date=today).order_by("half_day"),
            "unsealed": unsealed[:40],
        },
    )


def attendance_sheet(request: AuthedRequest, session_id: int) -> HttpResponse:
    session = get_session_for_user(request.user, session_id)
    sheet = AttendanceSheet.objects.filter(session=session).first()
    lines = {e.enrolment_id: e for e in entries_of(sheet)} if sheet else {}
    expected = list(roster(session))
    rows = []
    for enrolment in expected:
        entry = lines.pop(enrolment.pk, None)
        rows.append(
            {"enrolment": enrolment, "entry": entry, "now": standing(entry) if entry else None}
        )
    # Lines of learners no longer on the roster (ended since) stay visible.
    rows += [{"enrolment": e.enrolment, "entry": e, "now": standing(e)} for e in lines.values()]
    can_run = perms.can_run_sheet(request.user, session)
    sealed = sheet is not None and sheet.is_sealed
    return render(
        request,
        "attendance/sheet.html",
        {
            "session": session,
            "sheet": sheet,
            "rows": rows,
            "sealed": sealed,
            "seal_holds": sealed and sheet is not None and seal_holds(sheet),
            "can_run": can_run and not sealed,
            "can_countersign": perms.can_countersign(request.user, session) and not sealed,
            "can_correct": sealed and perms.can_correct(request.user, session),
            "missing": sum(1 for r in rows if r["entry"] is None),
        },
    )


def _runnable_session(request: AuthedRequest, session_id: int) -> Session:
    session = get_session_for_user(request.user, session_id)
    if not perms.can_run_sheet(request.user, session):
        raise PermissionDenied
    return session


def _enrolment_on(session: Session, raw: str) -> Enrolment | None:
    """The learner of this half-day named by the form, if it names one."""
    try:
        return roster(session).get(pk=int(raw))
    except (ValueError, Enrolment.DoesNotExist):
        return None


NOT_ON_SHEET = _lazy("Choisissez un·e apprenant·e attendu·e sur cette feuille.")


@require_POST
def attendance_sign(request: AuthedRequest, session_id: int) -> HttpResponse:
    """A learner signs on the trainer's screen."""
    session = _runnable_session(request, session_id)
    enrolment = _enrolment_on(session, request.POST.get("enrolment", ""))
    if enrolment is None:
        messages.error(request, NOT_ON_SHEET)
        return redirect(_sheet_url(session))
    try:
        entry = services.sign(
            session=session,
            enrolment=enrolment,
            by=request.user,
            method="trainer_screen",
            ip=client_ip(request),
            device=client_device(request),
        )
    except services.AttendanceError as error:
        messages.error(request, error.message)
    else:
        note = (
            _(" (retard de %(minutes)s min)") % {"minutes": entry.minutes_late}
            if entry.presence == Presence.LATE
            else ""
        )
        messages.success(
            request,
            _("Signature de %(name)s enregistrée à %(time)s%(note)s.")
            % {
                "name": enrolment.person.full_name,
                "time": timezone.localtime(entry.signed_at).strftime("%H:%M"),
                "note": note,
            },
        )
    return redirect(_sheet_url(session))


@require_POST
def attendance_absent(request: AuthedRequest, session_id: int) -> HttpResponse:
    session = _runnable_session(request, session_id)
    enrolment = _enrolment_on(session, request.POST.get("enrolment", ""))
    if enrolment is None:
        messages.error(request, NOT_ON_SHEET)
        return redirect(_sheet_url(session))
    form = AbsenceForm(request.POST)
    if not form.is_valid():
        messages.error(request, error_summary(form))
        return redirect(_sheet_url(session))
    try:
        services.mark_absent(
            session=session,
            enrolment=enrolment,
            by=request.user,
            justification=form.cleaned_data["justification"],
        )
    except services.AttendanceError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request, _("%(name)s est noté·e absent·e.") % {"name": enrolment.person.full_name}
        )
    return redirect(_sheet_url(session))


@require_POST
def attendance_countersign(request: AuthedRequest, session_id: int) -> HttpResponse:
    session = get_session_for_user(request.user, session_id)
    if not perms.can_countersign(request.user, session):
        raise PermissionDenied
    try:
        services.countersign(
            session=session, by=request.user, ip=client_ip(request), device=client_device(request)
        )
    except services.AttendanceError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Feuille contresignée : elle ne se modifie plus."))
    return redirect(_sheet_url(session))


@require_POST
def attendance_qr(request: AuthedRequest, session_id: int) -> HttpResponse:
    """Show a fresh QR code; the token is only in this response (only its hash is stored)."""
    session = _runnable_session(request, session_id)
    try:
        link, token = services.signing_link_create(session=session, by=request.user)
    except services.AttendanceError as error:
        messages.error(request, error.message)
        return redirect(_sheet_url(session))
    url = request.build_absolute_uri(reverse("attendance_sign_by_link", args=[token]))
    qr = segno.make(url, error="m")
    return render(
        request,
        "attendance/qr.html",
        {
            "session": session,
            "url": url,
            "qr_svg": qr.svg_inline(scale=8, dark="#000", light="#fff"),
            "expires_at": link.expires_at,
        },
    )


def attendance_sign_by_link(request: AuthedRequest, token: str) -> HttpResponse:
    """The learner's phone page: the QR code's link, after logging in."""
    link = services.signing_link_for(token)
    if link is None:
        return render(
            request,
            "attendance/sign_by_link.html",
            {
                "refused": _(
                    "Ce lien d'émargement n'existe pas : scannez le QR code affiché en salle."
                )
            },
            status=404,
        )
    session = link.sheet.session
    context: dict[str, Any] = {"session": session, "link": link}
    if request.method == "POST":
        raw = request.POST.get("enrolment")
        try:
            entry = services.sign_with_link(
                link=link,
                user=request.user,
                ip=client_ip(request),
                device=client_device(request),
                for_enrolment_id=int(raw) if raw else None,
            )
        except ValueError:
            context["refused"] = _(
                "Chacun·e signe pour soi : vous ne pouvez pas signer pour un·e autre."
            )
        except services.AttendanceError as error:
            context["refused"] = error.message
        else:
            context["signed"] = entry
        return render(
            request,
            "attendance/sign_by_link.html",
            context,
            status=400 if "refused" in context else 200,
        )
    refusal = services.link_refusal(link, request.user)
    if refusal is not None:
        context["refused"] = refusal
    return render(request, "attendance/sign_by_link.html", context)


def attendance_correct(request: AuthedRequest, entry_id: int) -> HttpResponse:
    entry = get_object_or_404(
        AttendanceEntry.objects.select_related(
            "sheet__session__cohort__site", "enrolment__candidacy__person"
        ).filter(sheet__session__in=sessions_for_user(request.user)),
        pk=entry_id,
    )
    session = entry.sheet.session
    if not perms.can_correct(request.user, session) or not entry.sheet.is_sealed:
        raise PermissionDenied
    data = request.POST if request.method == "POST" else None
    form = CorrectionForm(data, initial={"presence": standing(entry).presence})
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            services.correct(
                entry=entry,
                by=request.user,
                presence=d["presence"],
                minutes_late=d["minutes_late"],
                justification=d["justification"],
                reason=d["reason"],
            )
        except services.AttendanceError as error:
            form.add_error(None, error.message)
        else:
            messages.success(
                request,
                _("Rectification enregistrée pour %(name)s.")
                % {"name": entry.enrolment.person.full_name},
            )
            return redirect(_sheet_url(session))
    return render(
        request,
        "attendance/correct.html",
        {"form": form, "entry": entry, "session": session, "now": standing(entry)},
    )


def cohort_attendance(request: AuthedRequest, cohort_id: int) -> HttpResponse:
    cohort = get_cohort_for_user(request.user, cohort_id)
    sessions = sessions_for_user(request.user).filter(cohort=cohort)
    today = timezone.localdate()
    weeks: dict[datetime.date, dict[str, int]] = {}
    for session in sessions.select_related("attendance_sheet").order_by("date", "half_day"):
        monday = session.date - datetime.timedelta(days=session.date.weekday())
        week = weeks.setdefault(monday, {"sessions": 0, "sealed": 0, "past": 0})
        week["sessions"] += 1
        week["past"] += session.date <= today
        sheet = getattr(session, "attendance_sheet", None)
        week["sealed"] += bool(sheet and sheet.is_sealed)
    months = sorted(
        {(m.year, m.month) for m in weeks}
        | {
            ((m + datetime.timedelta(days=4)).year, (m + datetime.timedelta(days=4)).month)
            for m in weeks
        }
    )
    learners = [
        {"enrolment": e, "hours": hours_of(e)}
        for e in cohort.enrolments.select_related("candidacy__person").order_by(
            "candidacy__person__last_name", "candidacy__person__first_name"
        )
    ]
    return render(
        request,
        "attendance/cohort.html",
        {
            "cohort": cohort,
            "weeks": sorted(weeks.items()),
            "months": [datetime.date(y, m, 1) for y, m in months],
            "learners": learners,
            "alerts": open_alerts(perms.alert_sites(request.user)).filter(enrolment__cohort=cohort),
        },
    )


def _pdf_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def cohort_attendance_week_pdf(request: AuthedRequest, cohort_id: int, monday: str) -> HttpResponse:
    cohort = get_cohort_for_user(request.user, cohort_id)
    try:
        day = datetime.date.fromisoformat(monday)
    except ValueError as error:
        raise Http404 from error
    day -= datetime.timedelta(days=day.weekday())
    return _pdf_response(weekly_pdf(cohort, day), f"emargement-{cohort.pk}-{day:%Y-%m-%d}.pdf")


def cohort_attendance_month_pdf(
    request: AuthedRequest, cohort_id: int, year: int, month: int
) -> HttpResponse:
    cohort = get_cohort_for_user(request.user, cohort_id)
    if not 1 <= month <= 12 or not 2000 <= year <= 2100:
        raise Http404
    return _pdf_response(
        monthly_pdf(cohort, year, month), f"emargement-{cohort.pk}-{year}-{month:02d}.pdf"
    )


def attendance_alerts(request: AuthedRequest) -> HttpResponse:
    if request.user.role not in (Role.COORDINATOR, Role.NETWORK_ADMIN):
        raise PermissionDenied
    sites = perms.alert_sites(request.user)
    handled = (
        AbsenceAlert.objects.filter(enrolment__cohort__site__in=sites, handled_at__isnull=False)
        .select_related("enrolment__candidacy__person", "enrolment__cohort", "handled_by")
        .order_by("-handled_at", "-id")
    )
    # The page shows the last 30 handled alerts; the file keeps them all, after the open ones.
    export = export_response(
        request,
        table=alert_table,
        rows=chain(
            open_alerts(sites),
            handled.select_related("first_sheet__session", "second_sheet__session"),
        ),
        filename="alertes-absences",
    )
    if export:
        return export
    handled = handled[:30]
    return render(
        request,
        "attendance/alerts.html",
        {"alerts": open_alerts(sites), "handled": handled, "form": AlertHandleForm()},
    )


@require_POST
def attendance_alert_handle(request: AuthedRequest, alert_id: int) -> HttpResponse:
    alert = get_object_or_404(
        AbsenceAlert.objects.select_related("enrolment__cohort__site").filter(
            enrolment__cohort__site__in=perms.alert_sites(request.user)
        ),
        pk=alert_id,
    )
    if not perms.can_handle_alert(request.user, alert):
        raise PermissionDenied
    form = AlertHandleForm(request.POST)
    if not form.is_valid():
        messages.error(request, error_summary(form))
        return redirect("attendance_alerts")
    try:
        services.alert_handle(alert=alert, by=request.user, note=form.cleaned_data["note"])
    except services.AttendanceError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Alerte traitée."))
    return redirect("attendance_alerts")
