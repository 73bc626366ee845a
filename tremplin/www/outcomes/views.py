"""Follow-ups due across the user's site, and the form to record one."""

import datetime

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from tremplin.accounts.enums import Role
from tremplin.cohorts.enums import EnrolmentStatus
from tremplin.cohorts.perms import enrolments_for_user, get_enrolment_for_user
from tremplin.outcomes.enums import Milestone
from tremplin.outcomes.perms import can_record_follow_up
from tremplin.outcomes.services import FollowUpError, follow_up_record, milestone_due_date
from tremplin.www.http import AuthedRequest

from .forms import FollowUpForm


def follow_up_list(request: AuthedRequest) -> HttpResponse:
    if request.user.role not in (Role.COORDINATOR, Role.NETWORK_ADMIN):
        raise PermissionDenied
    today = timezone.localdate()
    rows = []
    ended = (
        enrolments_for_user(request.user)
        .exclude(status=EnrolmentStatus.IN_TRAINING)
        .prefetch_related("follow_ups")
    )
    for enrolment in ended:
        done = {f.milestone for f in enrolment.follow_ups.all()}
        for milestone in Milestone:
            due = milestone_due_date(enrolment, milestone.value)
            if (
                milestone.value not in done
                and due is not None
                and due <= today + datetime.timedelta(days=31)
            ):
                rows.append(
                    {
                        "enrolment": enrolment,
                        "milestone": milestone,
                        "due": due,
                        "late": due < today,
                    }
                )
    rows.sort(key=lambda r: r["due"])  # type: ignore[arg-type,return-value]  # type: ignore[arg-type,return-value]
    return render(request, "outcomes/follow_up_list.html", {"rows": rows})


def follow_up_record_view(
    request: AuthedRequest, enrolment_id: int, milestone: str
) -> HttpResponse:
    enrolment = get_enrolment_for_user(request.user, enrolment_id)
    if not can_record_follow_up(request.user, enrolment):
        raise PermissionDenied
    if milestone not in Milestone.values:
        raise Http404(_("Échéance inconnue."))
    existing = enrolment.follow_ups.filter(milestone=milestone).first()
    initial = (
        {
            "situation": existing.situation,
            "employer_name": existing.employer_name,
            "note": existing.note,
        }
        if existing
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
        },
    )
