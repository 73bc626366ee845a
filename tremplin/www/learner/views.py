"""A learner sees only their own path, the openings that suit them and their job search."""

from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render

from tremplin.accounts.enums import Role
from tremplin.attendance.selectors import hours_of
from tremplin.candidacies.perms import candidacies_for_user
from tremplin.cohorts.enums import EnrolmentStatus
from tremplin.cohorts.perms import enrolments_for_user
from tremplin.documents.selectors import learner_documents
from tremplin.employers.matching import openings_for_enrolment
from tremplin.www.employers.rankings import (
    JobSearchForm,
    available_on,
    job_search_from_post,
    job_search_initial,
)
from tremplin.www.http import AuthedRequest


def learner_home(request: AuthedRequest) -> HttpResponse:
    if request.user.role != Role.LEARNER:
        raise PermissionDenied
    enrolments = list(enrolments_for_user(request.user))
    for enrolment in enrolments:
        enrolment.hours = hours_of(enrolment)  # type: ignore[attr-defined]
    # Offers and the job search follow the learner's current path: in training, or the
    # latest one completed (their newest cohort first).
    current = max(
        (
            e
            for e in enrolments
            if e.status in (EnrolmentStatus.IN_TRAINING, EnrolmentStatus.COMPLETED)
        ),
        key=lambda e: (e.cohort.start_date, e.pk),
        default=None,
    )
    form = None
    offers = None
    if current is not None:
        form = JobSearchForm(request.POST or None, initial=job_search_initial(current))
        if request.method == "POST" and job_search_from_post(request, current, form):
            return redirect("learner_home")
        offers = openings_for_enrolment(current)
    elif request.method == "POST":
        raise PermissionDenied
    person = current.candidacy.person if current is not None else None
    return render(
        request,
        "learner/home.html",
        {
            "candidacies": candidacies_for_user(request.user),
            "enrolments": enrolments,
            "documents": learner_documents(enrolments),
            "current": current,
            "offers": offers.rows if offers is not None else [],
            # Why no offer can be shown: the person's own facts, said to them.
            "not_consenting": person is not None and not person.consent_employers,
            "not_located": person is not None
            and (person.latitude is None or person.longitude is None),
            "available_on": available_on(current) if current is not None else None,
            "job_search_form": form,
        },
    )
