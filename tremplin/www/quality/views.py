"""Quality pages: satisfaction survey results per cohort, sending, and the public answer page."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tremplin.core.progress import progress_start
from tremplin.core.workflow import TransitionNotAllowed
from tremplin.organisations.models import Site
from tremplin.quality import perms
from tremplin.quality.enums import ActionStatus, SurveyKind
from tremplin.quality.questionnaires import questionnaire
from tremplin.quality.selectors import cohorts_with_survey_counts, survey_results
from tremplin.quality.services import (
    ActionError,
    ComplaintError,
    SurveyError,
    SurveyLinkRefused,
    action_create,
    action_transition,
    complaint_create,
    complaint_transition,
    invitation_from_token,
    survey_answer,
    survey_send,
)
from tremplin.quality.tasks import deliver_survey_invitations
from tremplin.quality.workflow import STEP_FIELDS, action_workflow, complaint_workflow
from tremplin.www.exports import export_response
from tremplin.www.forms import error_summary
from tremplin.www.http import AuthedRequest

from .charts import mean_bars
from .forms import (
    ActionForm,
    ActionStepForm,
    ComplaintFilterForm,
    ComplaintForm,
    ComplaintStepForm,
    SendSurveyForm,
    SurveyForm,
)
from .tables import action_table, complaint_table


def quality_home(request: AuthedRequest) -> HttpResponse:
    if not perms.can_see_quality(request.user):
        raise PermissionDenied
    cohorts = cohorts_with_survey_counts(perms.survey_cohorts_for_user(request.user))
    return render(
        request,
        "quality/quality_home.html",
        {"cohorts": cohorts, "can_handle_complaints": perms.can_handle_complaints(request.user)},
    )


def cohort_surveys(request: AuthedRequest, cohort_id: int) -> HttpResponse:
    if not perms.can_see_quality(request.user):
        raise PermissionDenied
    cohort = perms.get_survey_cohort_for_user(request.user, cohort_id)
    with_texts = perms.can_read_free_text(request.user, cohort)
    surveys = []
    for kind in SurveyKind.values:
        results = survey_results(cohort, kind, with_texts=with_texts)
        actions = (
            perms.actions_for_user(request.user)
            .filter(cohort=cohort, survey_kind=kind)
            .order_by("due_on", "id")
        )
        surveys.append({"results": results, "chart": mean_bars(results.scales), "actions": actions})
    return render(
        request,
        "quality/cohort_surveys.html",
        {
            "cohort": cohort,
            "surveys": surveys,
            "with_texts": with_texts,
            "can_send": perms.can_send_survey(request.user, cohort),
        },
    )


@require_POST
def survey_send_view(request: AuthedRequest, cohort_id: int) -> HttpResponse:
    if not perms.can_see_quality(request.user):
        raise PermissionDenied
    cohort = perms.get_survey_cohort_for_user(request.user, cohort_id)
    if not perms.can_send_survey(request.user, cohort):
        raise PermissionDenied
    form = SendSurveyForm(request.POST)
    if not form.is_valid():
        messages.error(request, error_summary(form))
        return redirect("cohort_surveys", cohort_id=cohort.pk)
    kind = form.cleaned_data["kind"]
    try:
        sent = survey_send(cohort=cohort, kind=kind, by=request.user, deliver=False)
    except SurveyError as error:
        messages.error(request, error.message)
        return redirect("cohort_surveys", cohort_id=cohort.pk)
    if not sent:
        messages.info(request, _("Tous les apprenants ont déjà reçu cette enquête."))
        return redirect("cohort_surveys", cohort_id=cohort.pk)
    ids = [invitation.pk for invitation in sent]
    progress = progress_start(
        owner=request.user,
        kind="survey_invitations",
        label=_("Enquête %(kind)s — %(cohort)s")
        % {"kind": SurveyKind(kind).label, "cohort": cohort.name},
        enqueue=lambda pk: deliver_survey_invitations.enqueue(pk, ids),
    )
    return redirect("task_progress", progress.pk)


@login_not_required
def survey_answer_view(request: HttpRequest, token: str) -> HttpResponse:
    try:
        invitation = invitation_from_token(token)
    except SurveyLinkRefused as refused:
        return render(
            request,
            "quality/survey_refused.html",
            {"message": refused.message},
            status=refused.status,
        )
    form = SurveyForm(
        request.POST or None,
        questions=questionnaire(invitation.kind, invitation.questionnaire),
    )
    if request.method == "POST" and form.is_valid():
        try:
            survey_answer(token=token, answers=form.cleaned_data)
        except SurveyLinkRefused as refused:
            return render(
                request,
                "quality/survey_refused.html",
                {"message": refused.message},
                status=refused.status,
            )
        except SurveyError as error:
            form.add_error(None, error.message)
        else:
            return render(request, "quality/survey_done.html")
    return render(
        request,
        "quality/survey_answer.html",
        {
            "form": form,
            "programme": invitation.enrolment.cohort.programme.name,
            "kind_label": invitation.get_kind_display(),
        },
    )


def complaint_list(request: AuthedRequest) -> HttpResponse:
    if not perms.can_handle_complaints(request.user):
        raise PermissionDenied
    sites = perms.managed_sites(request.user)
    form = ComplaintFilterForm(request.GET or None, sites=sites)
    complaints = perms.complaints_for_user(request.user).order_by("-received_on", "-id")
    if form.is_valid():
        if form.cleaned_data["status"]:
            complaints = complaints.filter(status=form.cleaned_data["status"])
        if form.cleaned_data["site"]:
            complaints = complaints.filter(site=form.cleaned_data["site"])
    if export := export_response(
        request, table=complaint_table, rows=complaints, filename="reclamations"
    ):
        return export
    return render(request, "quality/complaint_list.html", {"complaints": complaints, "form": form})


def complaint_create_view(request: AuthedRequest) -> HttpResponse:
    if not perms.can_handle_complaints(request.user):
        raise PermissionDenied
    form = ComplaintForm(
        request.POST or None,
        sites=perms.managed_sites(request.user),
        initial={"received_on": timezone.localdate()},
    )
    if request.method == "POST" and form.is_valid():
        try:
            complaint = complaint_create(by=request.user, **form.cleaned_data)
        except ComplaintError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Réclamation enregistrée."))
            return redirect("complaint_detail", complaint_id=complaint.pk)
    return render(request, "quality/complaint_form.html", {"form": form})


def complaint_detail(request: AuthedRequest, complaint_id: int) -> HttpResponse:
    if not perms.can_handle_complaints(request.user):
        raise PermissionDenied
    complaint = perms.get_complaint_for_user(request.user, complaint_id)
    transitions: list[dict[str, Any]] = [
        {
            "transition": t,
            "reasons": [],
            "extra_template": "quality/step_text.html" if STEP_FIELDS[t.name][1] else "",
        }
        for t in complaint_workflow.available(complaint.status)
    ]
    return render(
        request,
        "quality/complaint_detail.html",
        {
            "complaint": complaint,
            "transitions": transitions,
            "history": complaint_workflow.history(complaint),
            "actions": complaint.actions.order_by("due_on", "id"),
        },
    )


@require_POST
def complaint_step(request: AuthedRequest, complaint_id: int) -> HttpResponse:
    if not perms.can_handle_complaints(request.user):
        raise PermissionDenied
    complaint = perms.get_complaint_for_user(request.user, complaint_id)
    form = ComplaintStepForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choisissez une étape."))
        return redirect("complaint_detail", complaint_id=complaint.pk)
    try:
        complaint_transition(
            complaint=complaint,
            transition=form.cleaned_data["transition"],
            by=request.user,
            text=form.cleaned_data["text"],
            comment=form.cleaned_data["comment"],
        )
    except (ComplaintError, TransitionNotAllowed) as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request, _("Réclamation : %(status)s.") % {"status": complaint.get_status_display()}
        )
    return redirect("complaint_detail", complaint_id=complaint.pk)


def action_list(request: AuthedRequest) -> HttpResponse:
    if not perms.can_handle_complaints(request.user):
        raise PermissionDenied
    actions = perms.actions_for_user(request.user).order_by("due_on", "id")
    status = request.GET.get("status", "")
    if status in ActionStatus.values:
        actions = actions.filter(status=status)
    if export := export_response(request, table=action_table, rows=actions, filename="actions"):
        return export
    return render(
        request,
        "quality/action_list.html",
        {"actions": actions, "status": status, "statuses": ActionStatus.choices},
    )


def _action_form_page(
    request: AuthedRequest, site: Site, origin: dict[str, Any], back: str
) -> HttpResponse:
    form = ActionForm(request.POST or None, owners=perms.action_owners(site))
    if request.method == "POST" and form.is_valid():
        try:
            action = action_create(by=request.user, **form.cleaned_data, **origin)
        except ActionError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Action d'amélioration enregistrée."))
            return redirect("action_detail", action_id=action.pk)
    return render(request, "quality/action_form.html", {"form": form, "back": back})


def action_from_complaint(request: AuthedRequest, complaint_id: int) -> HttpResponse:
    if not perms.can_handle_complaints(request.user):
        raise PermissionDenied
    complaint = perms.get_complaint_for_user(request.user, complaint_id)
    back = reverse("complaint_detail", args=[complaint.pk])
    return _action_form_page(request, complaint.site, {"complaint": complaint}, back)


def action_from_survey(request: AuthedRequest, cohort_id: int, kind: str) -> HttpResponse:
    if not perms.can_see_quality(request.user):
        raise PermissionDenied
    cohort = perms.get_survey_cohort_for_user(request.user, cohort_id)
    if not perms.can_send_survey(request.user, cohort):
        raise PermissionDenied
    if kind not in SurveyKind.values:
        raise Http404
    back = reverse("cohort_surveys", args=[cohort.pk])
    return _action_form_page(request, cohort.site, {"cohort": cohort, "survey_kind": kind}, back)


def action_detail(request: AuthedRequest, action_id: int) -> HttpResponse:
    if not perms.can_handle_complaints(request.user):
        raise PermissionDenied
    action = perms.get_action_for_user(request.user, action_id)
    transitions: list[dict[str, Any]] = [
        {
            "transition": t,
            "reasons": [],
            "extra_template": "quality/outcome_text.html" if t.name == "finish" else "",
        }
        for t in action_workflow.available(action.status)
    ]
    return render(
        request,
        "quality/action_detail.html",
        {"action": action, "transitions": transitions, "history": action_workflow.history(action)},
    )


@require_POST
def action_step(request: AuthedRequest, action_id: int) -> HttpResponse:
    if not perms.can_handle_complaints(request.user):
        raise PermissionDenied
    action = perms.get_action_for_user(request.user, action_id)
    form = ActionStepForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choisissez une étape."))
        return redirect("action_detail", action_id=action.pk)
    try:
        action_transition(
            action=action,
            transition=form.cleaned_data["transition"],
            by=request.user,
            outcome=form.cleaned_data["text"],
            comment=form.cleaned_data["comment"],
        )
    except (ActionError, TransitionNotAllowed) as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request, _("Action : %(status)s.") % {"status": action.get_status_display()}
        )
    return redirect("action_detail", action_id=action.pk)
