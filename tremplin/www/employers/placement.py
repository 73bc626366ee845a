"""A cohort's optimal placement pages: start a run, follow it, read why, re-run, propose.

The run page shows the background task's progress bar while it runs (a watcher reloads the
page once it is over), then the placement: each learner's opening with its score and the
reasons, the best alternative, who was left out and why; checkboxes lock or forbid pairs
for the next run; one button turns the placement into proposals. Only the managers of the
cohort's site reach these pages: other sites' coordinators get 404, other roles 403.
"""

import re
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST
from django_htmx.http import HttpResponseClientRefresh

from tremplin.cohorts.models import Enrolment
from tremplin.cohorts.perms import get_cohort_for_user
from tremplin.core.models import TaskProgress
from tremplin.employers.match_runs import (
    ID_MAX,
    can_place_cohort,
    get_match_run_for_user,
    is_finished,
    match_propose,
    match_runs_for_user,
    match_start,
    may_place,
    placed_entries,
)
from tremplin.employers.matching import Explanation
from tremplin.employers.models import MatchRun, Opening
from tremplin.employers.services import PlacementError
from tremplin.employers.tasks import match_cohort
from tremplin.www.http import AuthedRequest

RUNNING = (TaskProgress.Status.QUEUED, TaskProgress.Status.RUNNING)
# Longest note to employers kept from the form (the proposal's « mot du coordinateur »).
NOTE_MAX = 2000
# A checkbox's value: « enrolment id:opening id ».
PAIR = re.compile(r"(\d{1,10}):(\d{1,10})", re.ASCII)


def _pairs_from(values: list[str]) -> list[list[int]]:
    """Checkbox values « enrolment:opening » → pairs of ints; ValueError when unreadable."""
    pairs = []
    for value in values:
        match = PAIR.fullmatch(value.strip())
        pair = [int(match[1]), int(match[2])] if match else []
        if not pair or not all(0 < i <= ID_MAX for i in pair):
            raise ValueError(value)
        pairs.append(pair)
    return pairs


def _running(run: MatchRun) -> bool:
    return run.progress is not None and run.progress.status in RUNNING


@require_POST
def match_start_view(request: AuthedRequest, cohort_id: int) -> HttpResponse:
    if not may_place(request.user):
        raise PermissionDenied
    cohort = get_cohort_for_user(request.user, cohort_id)
    if not can_place_cohort(request.user, cohort):
        raise PermissionDenied
    # A re-run comes from a run's page: errors go back there, with its checkboxes.
    previous_id = request.POST.get("previous", "")
    previous = (
        match_runs_for_user(request.user).filter(cohort=cohort, pk=int(previous_id)).first()
        if re.fullmatch(r"\d{1,9}", previous_id, re.ASCII)
        else None
    )
    back = redirect("match_run", previous.pk) if previous else redirect("cohort_detail", cohort.pk)
    try:
        locked = _pairs_from(request.POST.getlist("locked"))
        forbidden = _pairs_from(request.POST.getlist("forbidden"))
    except ValueError:
        messages.error(
            request,
            _(
                "Choix illisibles : chaque couple imposé ou interdit doit désigner un apprenant "
                "et une offre par leurs numéros. Rien n'a été relancé."
            ),
        )
        return back
    try:
        run = match_start(
            by=request.user,
            cohort=cohort,
            locked=locked,
            forbidden=forbidden,
            enqueue=lambda progress_id, run_id: match_cohort.enqueue(progress_id, run_id),
        )
    except PlacementError as error:
        messages.error(request, error.message)
        return back
    return redirect("match_run", run.pk)


def _rows(run: MatchRun) -> list[dict[str, Any]]:
    """The result's learners for the table, with their explanation as an object."""
    rows = []
    for entry in run.result.get("placements", []):
        explanation = entry.get("explanation")
        alternative = entry.get("alternative")
        rows.append(
            entry
            | {
                # Checkbox values for the next run: this pair, or the unplaced learner's best.
                "pair": f"{entry['enrolment']}:{entry['opening']}" if entry["opening"] else "",
                "alternative_pair": f"{entry['enrolment']}:{alternative}" if alternative else "",
                "explanation": Explanation.from_json(explanation) if explanation else None,
                "better_elsewhere": entry["opening"] is not None
                and entry.get("alternative_score") is not None
                and entry["alternative_score"] > entry["score"],
            }
        )
    return rows


def _named_pairs(pairs: list[list[int]]) -> list[dict[str, Any]]:
    """The coordinator's pairs by name, so that the next run can keep or lift them."""
    if not pairs:
        return []
    names = {
        e.pk: e.candidacy.person.full_name
        for e in Enrolment.objects.filter(pk__in=[pair[0] for pair in pairs]).select_related(
            "candidacy__person"
        )
    }
    openings = Opening.objects.select_related("employer").in_bulk([pair[1] for pair in pairs])
    return [
        {
            "pair": f"{enrolment_id}:{opening_id}",
            "name": names.get(enrolment_id, "—"),
            "opening": openings[opening_id].title if opening_id in openings else "—",
            "employer": str(openings[opening_id].employer) if opening_id in openings else "",
        }
        for enrolment_id, opening_id in pairs
    ]


def match_run(request: AuthedRequest, run_id: int) -> HttpResponse:
    if not may_place(request.user):
        raise PermissionDenied
    run = get_match_run_for_user(request.user, run_id)
    running = _running(run)
    if request.htmx and "suivi" in request.GET:
        # The watcher of the page: nothing while the task runs, then reload the page.
        return HttpResponse(status=204) if running else HttpResponseClientRefresh()
    finished = is_finished(run) and not running
    placed = placed_entries(run) if finished else []
    return render(
        request,
        "employers/placement_run.html",
        {
            "run": run,
            "running": running,
            "finished": finished,
            "rows": _rows(run) if finished else [],
            "placed_count": len(placed),
            "refused": run.result.get("refused", []) if finished else [],
            "notes": run.result.get("notes", []) if finished else [],
            # A finished run shows its locks on its rows; a failed one lists them to fix.
            "locked_pairs": [] if finished or running else _named_pairs(run.locked),
            "forbidden_pairs": [] if running else _named_pairs(run.forbidden),
            "can_propose": finished and placed and run.proposed_at is None,
        },
    )


@require_POST
def match_propose_view(request: AuthedRequest, run_id: int) -> HttpResponse:
    if not may_place(request.user):
        raise PermissionDenied
    run = get_match_run_for_user(request.user, run_id)
    try:
        proposals = match_propose(
            by=request.user, run=run, note=request.POST.get("note", "").strip()[:NOTE_MAX]
        )
    except PlacementError as error:
        messages.error(request, error.message)
        return redirect("match_run", run.pk)
    messages.success(
        request,
        ngettext(
            "%(count)d proposition créée à partir du placement optimal.",
            "%(count)d propositions créées à partir du placement optimal.",
            len(proposals),
        )
        % {"count": len(proposals)},
    )
    return redirect("proposal_list")
