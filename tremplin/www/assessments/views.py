"""Assessment pages: a cohort's progress matrix, a learner's readiness, positioning, evaluations."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from tremplin.assessments import perms, selectors
from tremplin.assessments.models import EntryPositioning
from tremplin.assessments.services import (
    AssessmentError,
    evaluation_record,
    positioning_record,
)
from tremplin.cohorts.services import competencies_of
from tremplin.www.http import AuthedRequest

from .forms import EvaluationForm, PositioningForm


def cohort_progress(request: AuthedRequest, cohort_id: int) -> HttpResponse:
    cohort = perms.get_cohort_progress_for_user(request.user, cohort_id)
    return render(
        request,
        "assessments/cohort_progress.html",
        {
            "cohort": cohort,
            "matrix": selectors.progress_matrix(cohort),
            "almost_within": selectors.ALMOST_WITHIN,
        },
    )


def enrolment_readiness(request: AuthedRequest, enrolment_id: int) -> HttpResponse:
    enrolment = perms.get_enrolment_readiness_for_user(request.user, enrolment_id)
    return render(
        request,
        "assessments/enrolment_readiness.html",
        {
            "enrolment": enrolment,
            "person": enrolment.candidacy.person,
            "verdicts": selectors.enrolment_readiness(enrolment),
            "almost_within": selectors.ALMOST_WITHIN,
        },
    )


def enrolment_positioning(request: AuthedRequest, enrolment_id: int) -> HttpResponse:
    enrolment = perms.get_enrolment_readiness_for_user(request.user, enrolment_id)
    can_record = perms.can_record_positioning(request.user, enrolment)
    positioning = EntryPositioning.objects.filter(enrolment=enrolment).first()
    form = PositioningForm(request.POST or None)
    if request.method == "POST":
        if not can_record:
            raise PermissionDenied
        if form.is_valid():
            try:
                positioning_record(enrolment=enrolment, by=request.user, **form.cleaned_data)
            except AssessmentError as error:
                form.add_error(None, error.message)
            else:
                messages.success(request, _("Positionnement à l'entrée enregistré."))
                return redirect("enrolment_positioning", enrolment.pk)
    return render(
        request,
        "assessments/enrolment_positioning.html",
        {
            "enrolment": enrolment,
            "person": enrolment.candidacy.person,
            "positioning": positioning,
            "form": form if can_record and positioning is None else None,
        },
    )


def enrolment_evaluations(request: AuthedRequest, enrolment_id: int) -> HttpResponse:
    enrolment = perms.get_enrolment_readiness_for_user(request.user, enrolment_id)
    can_record = perms.can_record_evaluation(request.user, enrolment)
    competencies = competencies_of(enrolment).order_by(
        "block__certification__title", "block__position", "position", "id"
    )
    form = EvaluationForm(request.POST or None, competencies=competencies)
    if request.method == "POST":
        if not can_record:
            raise PermissionDenied
        if form.is_valid():
            data = form.cleaned_data
            try:
                evaluation_record(
                    enrolment=enrolment,
                    competency=data["competency"],
                    title=data["title"],
                    held_on=data["held_on"],
                    criteria=form.criteria(),
                    passed=data["passed"],
                    evidence=data["evidence"],
                    by=request.user,
                )
            except AssessmentError as error:
                form.add_error(None, error.message)
            else:
                messages.success(request, _("Évaluation enregistrée."))
                return redirect("enrolment_evaluations", enrolment.pk)
    return render(
        request,
        "assessments/enrolment_evaluations.html",
        {
            "enrolment": enrolment,
            "person": enrolment.candidacy.person,
            "evaluations": selectors.evaluations_of(enrolment),
            "grids": selectors.grids_for(competencies) if can_record else [],
            "form": form if can_record else None,
        },
    )
