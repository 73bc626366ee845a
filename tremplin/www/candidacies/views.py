"""Candidacy pages: refer, apply, list, detail and selection decisions."""

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tremplin.candidacies import perms
from tremplin.candidacies.enums import CandidacyStatus
from tremplin.candidacies.services import (
    CandidacyError,
    DuplicateCandidacy,
    candidacy_create,
    candidacy_transition,
)
from tremplin.candidacies.workflow import MANUAL_TRANSITIONS, candidacy_workflow
from tremplin.cohorts.perms import can_manage_cohort
from tremplin.core.workflow import TransitionNotAllowed
from tremplin.www.http import AuthedRequest

from .forms import PublicApplicationForm, ReferralForm, TransitionForm


def _duplicate_message(request: AuthedRequest, error: DuplicateCandidacy) -> str:
    existing = error.existing
    text = _("Cette personne est déjà orientée vers cette promotion.")
    if perms.candidacies_for_user(request.user).filter(pk=existing.pk).exists():
        return format_html(
            '{} <a href="{}">{}</a>.',
            text,
            reverse("candidacy_detail", args=[existing.pk]),
            _("Voir la candidature existante"),
        )
    return text + " " + _("Contactez le coordinateur du site.")


def referral_create(request: AuthedRequest) -> HttpResponse:
    if not perms.can_refer(request.user):
        raise PermissionDenied
    form = ReferralForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            candidacy = candidacy_create(
                cohort=form.cleaned_data["cohort"],
                person_data=form.person_data(),
                motivation=form.cleaned_data["motivation"],
                by=request.user,
            )
        except DuplicateCandidacy as error:
            form.add_error(None, _duplicate_message(request, error))
        except CandidacyError as error:
            form.add_error(None, error.message)
        else:
            messages.success(
                request,
                _("%(name)s est orienté·e vers %(cohort)s.")
                % {"name": candidacy.person.full_name, "cohort": candidacy.cohort.name},
            )
            return redirect("candidacy_detail", candidacy.pk)
    return render(request, "candidacies/referral_form.html", {"form": form})


@login_not_required
def public_application(request: HttpRequest) -> HttpResponse:
    form = PublicApplicationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            candidacy_create(
                cohort=form.cleaned_data["cohort"],
                person_data=form.person_data(),
                motivation=form.cleaned_data["motivation"],
                by=None,
            )
        except DuplicateCandidacy:
            # An anonymous visitor learns nothing about who applied: same answer as a success.
            return render(request, "candidacies/public_application_done.html")
        except CandidacyError as error:
            form.add_error(None, error.message)
        else:
            return render(request, "candidacies/public_application_done.html")
    return render(request, "candidacies/public_application.html", {"form": form})


def candidacy_list(request: AuthedRequest) -> HttpResponse:
    if not perms.can_refer(request.user):
        raise PermissionDenied
    qs = perms.candidacies_for_user(request.user)
    status = request.GET.get("statut", "")
    if status in CandidacyStatus.values:
        qs = qs.filter(status=status)
    return render(
        request,
        "candidacies/candidacy_list.html",
        {
            "candidacies": qs,
            "statuses": CandidacyStatus.choices,
            "current_status": status,
        },
    )


def candidacy_detail(request: AuthedRequest, candidacy_id: int) -> HttpResponse:
    candidacy = perms.get_candidacy_for_user(request.user, candidacy_id)
    can_decide = perms.can_decide_candidacy(request.user, candidacy)
    transitions = [
        {"transition": t, "reasons": candidacy_workflow.reasons_for(t.name)}
        for t in candidacy_workflow.available(candidacy.status)
        if can_decide and t.name in MANUAL_TRANSITIONS
    ]
    return render(
        request,
        "candidacies/candidacy_detail.html",
        {
            "candidacy": candidacy,
            "person": candidacy.person,
            "history": candidacy_workflow.history(candidacy),
            "transitions": transitions,
            "can_enrol": candidacy.status == CandidacyStatus.ACCEPTED
            and can_manage_cohort(request.user, candidacy.cohort),
        },
    )


@require_POST
def candidacy_decide(request: AuthedRequest, candidacy_id: int) -> HttpResponse:
    candidacy = perms.get_candidacy_for_user(request.user, candidacy_id)
    if not perms.can_decide_candidacy(request.user, candidacy):
        raise PermissionDenied
    form = TransitionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Décision incomplète : choisissez une action."))
        return redirect("candidacy_detail", candidacy.pk)
    try:
        candidacy_transition(
            candidacy=candidacy,
            transition=form.cleaned_data["transition"],
            by=request.user,
            reason=form.cleaned_data["reason"],
            comment=form.cleaned_data["comment"],
        )
    except (CandidacyError, TransitionNotAllowed) as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request, _("Candidature : %(status)s.") % {"status": candidacy.get_status_display()}
        )
    return redirect("candidacy_detail", candidacy.pk)
