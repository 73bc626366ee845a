"""Assessment pages: a cohort's progress matrix, a learner's readiness, positioning, evaluations."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from tremplin.assessments import perms, selectors
from tremplin.assessments.models import EntryPositioning
from tremplin.assessments.photos import CONTENT_TYPES
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
    data = request.POST if request.method == "POST" else None
    form = EvaluationForm(data, request.FILES or None, competencies=competencies)
    if request.method == "POST":
        if not can_record:
            raise PermissionDenied
        if form.is_valid():
            cleaned = form.cleaned_data
            try:
                evaluation_record(
                    enrolment=enrolment,
                    competency=cleaned["competency"],
                    title=cleaned["title"],
                    held_on=cleaned["held_on"],
                    criteria=form.criteria(),
                    passed=cleaned["passed"],
                    evidence=cleaned["evidence"],
                    by=request.user,
                    photo=form.photo_upload,
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


def evaluation_photo(request: AuthedRequest, evaluation_id: int) -> HttpResponse:
    """The evaluation's photo, for those who may read the evaluation; never cached."""
    evaluation = perms.get_evaluation_for_user(request.user, evaluation_id)
    if not evaluation.photo:
        raise Http404
    try:
        # Five megabytes at most: read whole, so the file is closed before the answer leaves.
        with evaluation.photo.open("rb") as handle:
            content = handle.read()
    except FileNotFoundError:
        raise Http404 from None
    extension = str(evaluation.photo.name).rsplit(".", 1)[-1]
    response = HttpResponse(content, content_type=CONTENT_TYPES.get(extension, "image/jpeg"))
    # The name is ours (digits and the detected extension): no quoting needed.
    response["Content-Disposition"] = f'inline; filename="evaluation-{evaluation.pk}.{extension}"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
