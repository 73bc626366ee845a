"""A learner sees only their own path."""

from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import render

from tremplin.accounts.enums import Role
from tremplin.attendance.selectors import hours_of
from tremplin.candidacies.perms import candidacies_for_user
from tremplin.cohorts.perms import enrolments_for_user
from tremplin.documents.selectors import learner_documents
from tremplin.www.http import AuthedRequest


def learner_home(request: AuthedRequest) -> HttpResponse:
    if request.user.role != Role.LEARNER:
        raise PermissionDenied
    enrolments = list(enrolments_for_user(request.user))
    for enrolment in enrolments:
        enrolment.hours = hours_of(enrolment)  # type: ignore[attr-defined]
    return render(
        request,
        "learner/home.html",
        {
            "candidacies": candidacies_for_user(request.user),
            "enrolments": enrolments,
            "documents": learner_documents(enrolments),
        },
    )
