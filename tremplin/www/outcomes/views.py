"""Follow-ups due across the user's site, the form to record one with the milestone's
requests and answers, and the public page where a former learner answers through the link."""

import datetime

from dateutil.relativedelta import relativedelta
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from tremplin.accounts.enums import Role
from tremplin.cohorts.enums import EnrolmentStatus
from tremplin.cohorts.perms import enrolments_for_user, get_enrolment_for_user
from tremplin.outcomes.enums import MILESTONE_MONTHS, Milestone
from tremplin.outcomes.perms import can_record_follow_up
from tremplin.outcomes.services import (
    FollowUpError,
    FollowUpLinkRefused,
    follow_up_answer,
    follow_up_record,
    milestone_due_date,
    request_from_token,
)
from tremplin.www.exports import export_response
from tremplin.www.http import AuthedRequest

from .forms import FollowUpForm, LearnerAnswerForm
from .tables import follow_up_table

LATE_SHOWN = relativedelta(months=6)


def follow_up_list(request: AuthedRequest) -> HttpResponse:
    if request.user.role not in (Role.COORDINATOR, Role.NETWORK_ADMIN):
        raise PermissionDenied
    today = timezone.localdate()
    # Follow-ups late by more than LATE_SHOWN are listed on demand only (?tous=1): years of
    # exits would otherwise bury the month's work (and cost a request thousands of rows).
    show_all = request.GET.get("tous") == "1"
    oldest_due = today - LATE_SHOWN
    rows = []
    ended = (
        enrolments_for_user(request.user)
        .exclude(status=EnrolmentStatus.IN_TRAINING)
        .select_related("candidacy__person", "cohort")
        .prefetch_related("follow_ups", "follow_up_requests")
    )
    if not show_all:
        last_milestone = relativedelta(months=max(MILESTONE_MONTHS.values()))
        ended = ended.filter(ended_on__gte=oldest_due - last_milestone)
    for enrolment in ended:
        done = {f.milestone for f in enrolment.follow_ups.all()}
        requests = {r.milestone: r for r in enrolment.follow_up_requests.all()}
        for milestone in Milestone:
            due = milestone_due_date(enrolment, milestone.value)
            if (
                milestone.value not in done
                and due is not None
                and due <= today + datetime.timedelta(days=31)
                and (show_all or due >= oldest_due)
            ):
                rows.append(
                    {
                        "enrolment": enrolment,
                        "milestone": milestone,
                        "due": due,
                        "late": due < today,
                        "request": requests.get(milestone.value),
                    }
                )
    rows.sort(key=lambda r: r["due"])  # type: ignore[arg-type,return-value]
    if export := export_response(request, table=follow_up_table, rows=rows, filename="suivis"):
        return export
    return render(
        request,
        "outcomes/follow_up_list.html",
        {"rows": rows, "show_all": show_all, "oldest_due": oldest_due},
    )


def follow_up_record_view(
    request: AuthedRequest, enrolment_id: int, milestone: str
) -> HttpResponse:
    enrolment = get_enrolment_for_user(request.user, enrolment_id)
    if not can_record_follow_up(request.user, enrolment):
        raise PermissionDenied
    if milestone not in Milestone.values:
        raise Http404(_("Échéance inconnue."))
    # Oldest first; the last one is the current answer (outcomes.models).
    answers = list(enrolment.follow_ups.filter(milestone=milestone).select_related("recorded_by"))
    current = answers[-1] if answers else None
    initial = (
        {
            "situation": current.situation,
            "employer_name": current.employer_name,
            "weekly_hours": current.weekly_hours,
            "wage_band": current.wage_band,
        }
        if current
        else {}
    )
    form = FollowUpForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            follow_up_record(
                enrolment=enrolment,
                milestone=milestone,
                situation=d["situation"],
                recorded_on=d["recorded_on"],
                by=request.user,
                employer_name=d["employer_name"],
                weekly_hours=d["weekly_hours"],
                wage_band=d["wage_band"],
                note=d["note"],
            )
        except FollowUpError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Suivi enregistré."))
            return redirect("enrolment_detail", enrolment.pk)
    return render(
        request,
        "outcomes/follow_up_form.html",
        {
            "form": form,
            "enrolment": enrolment,
            "milestone_label": Milestone(milestone).label,
            "due": milestone_due_date(enrolment, milestone),
            "answers": answers,
            "current": current,
            "follow_up_request": enrolment.follow_up_requests.filter(milestone=milestone).first(),
        },
    )


def _refused(request: HttpRequest, refused: FollowUpLinkRefused) -> HttpResponse:
    return render(
        request,
        "outcomes/follow_up_refused.html",
        {"message": refused.message},
        status=refused.status,
    )


@login_not_required
def follow_up_answer_view(request: HttpRequest, token: str) -> HttpResponse:
    try:
        follow_up_request = request_from_token(token)
    except FollowUpLinkRefused as refused:
        return _refused(request, refused)
    form = LearnerAnswerForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            follow_up_answer(
                token=token,
                situation=d["situation"],
                employer_name=d["employer_name"],
                weekly_hours=d["weekly_hours"],
                wage_band=d["wage_band"],
            )
        except FollowUpLinkRefused as refused:
            return _refused(request, refused)
        except FollowUpError as error:
            form.add_error(None, error.message)
        else:
            return render(request, "outcomes/follow_up_thanks.html")
    return render(
        request,
        "outcomes/follow_up_answer.html",
        {
            "form": form,
            "programme": follow_up_request.enrolment.cohort.programme.name,
            "milestone_label": follow_up_request.get_milestone_display(),
        },
    )
