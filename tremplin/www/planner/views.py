"""Planner pages: plan a cohort automatically (progress, preview, commit), lock a session,
and the plateau's yearly capacity."""

import datetime

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_htmx.http import HttpResponseClientRefresh

from tremplin.cohorts.perms import get_cohort_for_user
from tremplin.core.models import TaskProgress
from tremplin.planner import perms
from tremplin.planner.models import PlanRun
from tremplin.planner.selectors import latest_capacity, preview_weeks
from tremplin.planner.services import (
    PlannerError,
    capacity_start,
    plan_commit,
    plan_start,
    session_lock,
)
from tremplin.planner.tasks import plan_cohort, study_capacity
from tremplin.plateau.perms import can_manage_plateau, get_session_for_user
from tremplin.www.http import AuthedRequest

from .charts import occupation_chart
from .forms import CapacityForm

RUNNING = (TaskProgress.Status.QUEUED, TaskProgress.Status.RUNNING)


@require_POST
def plan_cohort_start(request: AuthedRequest, cohort_id: int) -> HttpResponse:
    cohort = get_cohort_for_user(request.user, cohort_id)
    if not perms.can_plan(request.user, cohort.site):
        raise PermissionDenied
    try:
        run = plan_start(
            by=request.user,
            cohort=cohort,
            enqueue=lambda progress_id, run_id: plan_cohort.enqueue(progress_id, run_id),
        )
    except PlannerError as error:
        messages.error(request, error.message)
        return redirect("cohort_sessions", cohort.pk)
    return redirect("plan_run", run.pk)


def _day(value: str | None) -> datetime.date | None:
    return datetime.date.fromisoformat(value) if value else None


def _running(run: PlanRun) -> bool:
    return run.progress is not None and run.progress.status in RUNNING


def plan_run(request: AuthedRequest, run_id: int) -> HttpResponse:
    run = perms.get_run_for_user(request.user, run_id)
    if run.kind == PlanRun.Kind.CAPACITY:
        url = reverse("plateau_capacity", args=[run.site_id])
        return redirect(f"{url}?etude={run.pk}")
    ready = run.plan_status != "" and not _running(run)
    return render(
        request,
        "planner/plan_run.html",
        {
            "run": run,
            "running": _running(run),
            "ready": ready,
            "weeks": preview_weeks(run) if ready and run.found else [],
            "start": _day(run.result.get("cohort_starts", {}).get(str(run.cohort_id))),
            "end": _day(run.result.get("cohort_ends", {}).get(str(run.cohort_id))),
            "gap_percent": None if run.gap is None else round(100 * run.gap, 1),
            "can_commit": ready and run.found and run.committed_at is None,
        },
    )


def plan_run_watch(request: AuthedRequest, run_id: int) -> HttpResponse:
    """Polled by the run's page while the task runs: reloads the page once it is over."""
    run = perms.get_run_for_user(request.user, run_id)
    if _running(run):
        return HttpResponse(status=204)
    return HttpResponseClientRefresh()


@require_POST
def plan_run_commit(request: AuthedRequest, run_id: int) -> HttpResponse:
    run = perms.get_run_for_user(request.user, run_id)
    if run.kind != PlanRun.Kind.COHORT or run.cohort is None:
        messages.error(request, _("Seul le planning d'une promotion se valide."))
        return redirect("plan_run", run.pk)
    try:
        created = plan_commit(run=run, by=request.user)
    except PlannerError as error:
        messages.error(request, error.message)
        return redirect("plan_run", run.pk)
    messages.success(
        request, _("Planning validé : %(count)d séances créées.") % {"count": len(created)}
    )
    url = reverse("cohort_sessions", args=[run.cohort_id])
    first = min((s.date for s in created), default=None)
    return redirect(f"{url}?semaine={first.isoformat()}" if first else url)


@require_POST
def session_lock_view(request: AuthedRequest, session_id: int) -> HttpResponse:
    session = get_session_for_user(request.user, session_id)
    if not can_manage_plateau(request.user, session.cohort.site):
        raise PermissionDenied
    locked = request.POST.get("locked") == "1"
    session_lock(session=session, locked=locked, by=request.user)
    if locked:
        messages.success(request, _("Séance verrouillée : la re-planification la conservera."))
    else:
        messages.success(request, _("Séance déverrouillée."))
    url = reverse("cohort_sessions", args=[session.cohort_id])
    return redirect(f"{url}?semaine={session.date.isoformat()}")


def plateau_capacity(request: AuthedRequest, site_id: int) -> HttpResponse:
    site = perms.get_site_for_planner(request.user, site_id)
    if not perms.can_plan(request.user, site):
        raise PermissionDenied
    run = None
    wanted = request.GET.get("etude", "")
    if wanted.isdigit():
        run = PlanRun.objects.filter(pk=int(wanted), site=site, kind=PlanRun.Kind.CAPACITY).first()
    if run is None:
        run = latest_capacity(site)
    form = CapacityForm(initial={"year": timezone.localdate().year + 1})
    result = run.result if run is not None and not _running(run) else {}
    return render(
        request,
        "planner/capacity.html",
        {
            "site": site,
            "form": form,
            "run": run,
            "running": run is not None and _running(run),
            "result": result,
            "chart": occupation_chart(result) if result.get("occupation") else None,
        },
    )


@require_POST
def plateau_capacity_start(request: AuthedRequest, site_id: int) -> HttpResponse:
    site = perms.get_site_for_planner(request.user, site_id)
    if not perms.can_plan(request.user, site):
        raise PermissionDenied
    form = CapacityForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Indiquez l'année à étudier (par exemple 2027)."))
        return redirect("plateau_capacity", site.pk)
    try:
        run = capacity_start(
            by=request.user,
            site=site,
            year=form.cleaned_data["year"],
            enqueue=lambda progress_id, run_id: study_capacity.enqueue(progress_id, run_id),
        )
    except PlannerError as error:
        messages.error(request, error.message)
        return redirect("plateau_capacity", site.pk)
    return redirect(f"{reverse('plateau_capacity', args=[site.pk])}?etude={run.pk}")
