"""Plateau pages: labs and equipment of a site, a cohort's week of half-day sessions."""

import datetime
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Max, Min, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tremplin.accounts.enums import Role
from tremplin.cohorts.perms import cohorts_for_user, get_cohort_for_user
from tremplin.organisations.models import Site
from tremplin.plateau import perms
from tremplin.plateau.enums import EquipmentType, HalfDay
from tremplin.plateau.feeds import feed_calendar, feed_for_token
from tremplin.plateau.models import CalendarFeed, Session
from tremplin.plateau.selectors import cohort_module_planning
from tremplin.plateau.services import (
    PlateauError,
    calendar_feed_create,
    calendar_feed_revoke,
    closure_create,
    equipment_transition,
    half_day_hours,
    session_create,
    session_update,
)
from tremplin.plateau.workflow import equipment_workflow
from tremplin.programmes.models import Module
from tremplin.programmes.perms import get_programme_for_user, programmes_for_user
from tremplin.www.exports import export_response
from tremplin.www.forms import error_summary
from tremplin.www.http import AuthedRequest

from .forms import ClosureForm, EquipmentStatusForm, InventoryFilterForm, SessionForm
from .tables import closure_table, donation_table

PLATEAU_ROLES = (Role.COORDINATOR, Role.TRAINER, Role.NETWORK_ADMIN)


def _monday(request: AuthedRequest, default: datetime.date) -> datetime.date:
    try:
        day = datetime.date.fromisoformat(request.GET.get("semaine", ""))
    except ValueError:
        day = default
    return day - datetime.timedelta(days=day.weekday())


def week_grid(sessions: QuerySet[Session], monday: datetime.date) -> dict[str, Any]:
    """Monday to Friday × morning / afternoon, each cell holding its sessions."""
    days = [monday + datetime.timedelta(days=n) for n in range(5)]
    cells: dict[tuple[datetime.date, str], list[Session]] = {}
    in_week = sessions.filter(date__range=(days[0], days[-1])).select_related("module")
    for session in in_week.prefetch_related("equipment"):
        cells.setdefault((session.date, session.half_day), []).append(session)
    hours = half_day_hours()
    return {
        "days": days,
        "rows": [
            {
                "label": label,
                "hours": hours[value],
                "cells": [cells.get((day, value), []) for day in days],
            }
            for value, label in HalfDay.choices
        ],
        "previous": (monday - datetime.timedelta(days=7)).isoformat(),
        "next": (monday + datetime.timedelta(days=7)).isoformat(),
    }


def plateau_home(request: AuthedRequest) -> HttpResponse:
    if request.user.role not in PLATEAU_ROLES:
        raise PermissionDenied
    labs = perms.labs_for_user(request.user).annotate(items=Count("equipment"))
    form = InventoryFilterForm(request.GET or None, labs=perms.labs_for_user(request.user))
    equipment = perms.equipment_for_user(request.user)
    if form.is_valid():
        d = form.cleaned_data
        if d["type"]:
            equipment = equipment.filter(type=d["type"])
        if d["status"]:
            equipment = equipment.filter(status=d["status"])
        if d["lab"]:
            equipment = equipment.filter(lab=d["lab"])
    return render(
        request,
        "plateau/plateau_home.html",
        {
            "labs": labs,
            "form": form,
            "equipment": equipment.order_by(
                "lab__site__name", "lab__name", "type", "serial_number"
            ),
            "cohorts": cohorts_for_user(request.user),
            "programmes": programmes_for_user(request.user),
        },
    )


def cohort_sessions(request: AuthedRequest, cohort_id: int) -> HttpResponse:
    cohort = get_cohort_for_user(request.user, cohort_id)
    today = timezone.localdate()
    monday = _monday(request, min(max(today, cohort.start_date), cohort.end_date))
    return render(
        request,
        "plateau/cohort_sessions.html",
        {
            "cohort": cohort,
            "week": week_grid(perms.sessions_for_user(request.user).filter(cohort=cohort), monday),
            # Every session of this grid is one the user may open (sessions_for_user).
            "sheet_links": True,
            "can_manage": perms.can_manage_plateau(request.user, cohort.site),
            "planning": cohort_module_planning(cohort),
            "feed_panel": _feed_panel(
                request,
                perms.can_manage_cohort_feed(request.user, cohort),
                CalendarFeed.objects.filter(cohort=cohort),
                reverse("cohort_feed_create", args=[cohort.pk]),
            ),
        },
    )


def session_create_view(request: AuthedRequest, cohort_id: int) -> HttpResponse:
    cohort = get_cohort_for_user(request.user, cohort_id)
    if not perms.can_manage_plateau(request.user, cohort.site):
        raise PermissionDenied
    # An empty POST is still a submission: it must show what is missing.
    data = request.POST if request.method == "POST" else None
    form = SessionForm(data, site=cohort.site, programme=cohort.programme)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            session = session_create(
                by=request.user,
                cohort=cohort,
                date=d["date"],
                half_day=d["half_day"],
                trainer=d["trainer"],
                lab=d["lab"],
                equipment=list(d["equipment"]),
                module=d["module"],
                title=d["title"],
            )
        except PlateauError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Séance planifiée : %(session)s.") % {"session": session})
            url = reverse("cohort_sessions", args=[cohort.pk])
            return redirect(f"{url}?semaine={session.date.isoformat()}")
    return render(request, "plateau/session_form.html", {"form": form, "cohort": cohort})


def equipment_detail(request: AuthedRequest, equipment_id: int) -> HttpResponse:
    equipment = perms.get_equipment_for_user(request.user, equipment_id)
    can_manage = perms.can_manage_plateau(request.user, equipment.lab.site)
    transitions = [
        {"transition": t, "reasons": [], "extra_template": ""}
        for t in equipment_workflow.available(equipment.status)
        if can_manage
    ]
    return render(
        request,
        "plateau/equipment_detail.html",
        {
            "equipment": equipment,
            "transitions": transitions,
            "history": equipment_workflow.history(equipment),
            "bookings": equipment.bookings.filter(date__gte=timezone.localdate())
            .select_related("session__cohort", "session__lab")
            .order_by("date", "half_day", "id")[:20],
        },
    )


@require_POST
def equipment_status(request: AuthedRequest, equipment_id: int) -> HttpResponse:
    equipment = perms.get_equipment_for_user(request.user, equipment_id)
    if not perms.can_manage_plateau(request.user, equipment.lab.site):
        raise PermissionDenied
    form = EquipmentStatusForm(request.POST)
    if not form.is_valid():
        messages.error(request, error_summary(form))
        return redirect("equipment_detail", equipment.pk)
    try:
        equipment_transition(
            equipment=equipment,
            transition=form.cleaned_data["transition"],
            by=request.user,
            notes=form.cleaned_data["comment"],
        )
    except PlateauError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request, _("Statut : %(status)s.") % {"status": equipment.get_status_display()}
        )
    return redirect("equipment_detail", equipment.pk)


def donations_report(request: AuthedRequest) -> HttpResponse:
    """What each partner gave, for the reports sent to donors: counts by type and dates."""
    if request.user.role not in PLATEAU_ROLES:
        raise PermissionDenied
    rows = (
        perms.equipment_for_user(request.user)
        .filter(donor__isnull=False)
        .values("donor__name", "type")
        .annotate(count=Count("id"), first=Min("donated_on"), last=Max("donated_on"))
        .order_by("donor__name", "type")
    )
    labels = dict(EquipmentType.choices)
    report = [row | {"type_label": labels.get(row["type"], row["type"])} for row in rows]
    if export := export_response(request, table=donation_table, rows=report, filename="dons"):
        return export
    return render(request, "plateau/donations_report.html", {"rows": report})


def lab_sessions(request: AuthedRequest, lab_id: int) -> HttpResponse:
    lab = perms.get_lab_for_user(request.user, lab_id)
    monday = _monday(request, timezone.localdate())
    return render(
        request,
        "plateau/calendar.html",
        {
            "heading": _("Occupation — %(lab)s (%(stations)s postes)")
            % {"lab": lab.name, "stations": lab.workstations},
            "week": week_grid(Session.objects.filter(lab=lab), monday),
            "can_manage": perms.can_manage_plateau(request.user, lab.site),
            "feed_panel": None,
        },
    )


def trainer_sessions(request: AuthedRequest, trainer_id: int) -> HttpResponse:
    trainer = perms.get_trainer_for_user(request.user, trainer_id)
    monday = _monday(request, timezone.localdate())
    return render(
        request,
        "plateau/calendar.html",
        {
            "heading": _("Planning de %(name)s") % {"name": trainer.get_full_name()},
            "week": week_grid(Session.objects.filter(trainer=trainer), monday),
            "can_manage": trainer.site is not None
            and perms.can_manage_plateau(request.user, trainer.site),
            "feed_panel": _feed_panel(
                request,
                perms.can_manage_trainer_feed(request.user, trainer),
                CalendarFeed.objects.filter(trainer=trainer),
                reverse("trainer_feed_create", args=[trainer.pk]),
            ),
        },
    )


def _managed_sites(user: Any) -> QuerySet[Site]:
    sites = Site.objects.order_by("name", "id")
    if user.role == Role.NETWORK_ADMIN:
        return sites.filter(network_id=user.organisation_id)
    return sites.filter(pk=user.site_id or 0)


def closure_list(request: AuthedRequest) -> HttpResponse:
    if request.user.role not in (Role.COORDINATOR, Role.NETWORK_ADMIN):
        raise PermissionDenied
    closures = perms.closures_for_user(request.user)
    if request.method != "POST" and (
        export := export_response(
            request, table=closure_table, rows=closures, filename="fermetures"
        )
    ):
        return export
    data = request.POST if request.method == "POST" else None
    form = ClosureForm(data, sites=_managed_sites(request.user))
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        if not perms.can_manage_plateau(request.user, d["site"]):
            raise PermissionDenied
        try:
            closure_create(
                by=request.user, site=d["site"], start=d["start"], end=d["end"], reason=d["reason"]
            )
        except PlateauError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Fermeture enregistrée."))
            return redirect("closure_list")
    return render(
        request,
        "plateau/closure_list.html",
        {"form": form, "closures": closures},
    )


def session_edit(request: AuthedRequest, session_id: int) -> HttpResponse:
    session = perms.get_session_for_user(request.user, session_id)
    cohort = session.cohort
    if not perms.can_manage_plateau(request.user, cohort.site):
        raise PermissionDenied
    data = request.POST if request.method == "POST" else None
    initial = {
        "date": session.date,
        "half_day": session.half_day,
        "trainer": session.trainer,
        "lab": session.lab,
        "equipment": list(session.equipment.all()),
        "module": session.module,
        "title": session.title,
    }
    form = SessionForm(data, site=cohort.site, programme=cohort.programme, initial=initial)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            session_update(
                by=request.user,
                session=session,
                date=d["date"],
                half_day=d["half_day"],
                trainer=d["trainer"],
                lab=d["lab"],
                equipment=list(d["equipment"]),
                module=d["module"],
                title=d["title"],
            )
        except PlateauError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Séance modifiée : %(session)s.") % {"session": session})
            url = reverse("cohort_sessions", args=[cohort.pk])
            return redirect(f"{url}?semaine={session.date.isoformat()}")
    return render(
        request, "plateau/session_form.html", {"form": form, "cohort": cohort, "session": session}
    )


def programme_modules(request: AuthedRequest, programme_id: int) -> HttpResponse:
    """A programme's modules: track, hours, lab, equipment, prerequisites."""
    programme = get_programme_for_user(request.user, programme_id)
    modules = Module.objects.filter(programme=programme).prefetch_related("prerequisites")
    return render(
        request,
        "plateau/programme_modules.html",
        {
            "programme": programme,
            "modules": modules.order_by("position", "id"),
            "total_hours": sum(m.hours for m in modules),
            "cohorts": cohorts_for_user(request.user)
            .filter(programme=programme)
            .order_by("-start_date", "id"),
        },
    )


# Calendar feeds: a secret link per cohort or trainer, for calendar applications.


def _feed_panel(
    request: AuthedRequest, allowed: bool, feeds: QuerySet[CalendarFeed], create_url: str
) -> dict[str, Any] | None:
    """The « Abonnement au calendrier » section, for those who manage the link only."""
    if not allowed:
        return None
    feed = feeds.filter(revoked_at__isnull=True).first()
    return {
        "feed": feed,
        "url": request.build_absolute_uri(reverse("calendar_feed", args=[feed.token]))
        if feed
        else "",
        "create_url": create_url,
    }


@login_not_required
def calendar_feed(request: HttpRequest, token: str) -> HttpResponse:
    feed = feed_for_token(token)
    if feed is None:
        raise Http404
    response = HttpResponse(feed_calendar(feed), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="tremplin.ics"'
    response["Cache-Control"] = "private, max-age=900"
    response["X-Robots-Tag"] = "noindex"
    return response


@require_POST
def cohort_feed_create(request: AuthedRequest, cohort_id: int) -> HttpResponse:
    cohort = get_cohort_for_user(request.user, cohort_id)
    if not perms.can_manage_cohort_feed(request.user, cohort):
        raise PermissionDenied
    calendar_feed_create(by=request.user, cohort=cohort)
    messages.success(request, _("Nouveau lien d'abonnement créé ; l'ancien ne fonctionne plus."))
    return redirect("cohort_sessions", cohort.pk)


@require_POST
def trainer_feed_create(request: AuthedRequest, trainer_id: int) -> HttpResponse:
    trainer = perms.get_trainer_for_user(request.user, trainer_id)
    if not perms.can_manage_trainer_feed(request.user, trainer):
        raise PermissionDenied
    calendar_feed_create(by=request.user, trainer=trainer)
    messages.success(request, _("Nouveau lien d'abonnement créé ; l'ancien ne fonctionne plus."))
    return redirect("trainer_sessions", trainer.pk)


@require_POST
def calendar_feed_revoke_view(request: AuthedRequest, feed_id: int) -> HttpResponse:
    feed = perms.get_feed_for_user(request.user, feed_id)
    if not perms.can_revoke_feed(request.user, feed):
        raise PermissionDenied
    try:
        calendar_feed_revoke(feed=feed, by=request.user)
    except PlateauError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Lien d'abonnement révoqué."))
    if feed.cohort_id is not None:
        return redirect("cohort_sessions", feed.cohort_id)
    return redirect("trainer_sessions", feed.trainer_id)
