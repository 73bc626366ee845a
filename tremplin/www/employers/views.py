"""Openings and proposals; employers only ever reach their own, with consenting people."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tremplin.accounts.enums import Role
from tremplin.cohorts.perms import enrolments_for_user
from tremplin.core.workflow import TransitionNotAllowed
from tremplin.employers import perms
from tremplin.employers.enums import ProposalStatus
from tremplin.employers.matching import unanswered
from tremplin.employers.rome import rome_label
from tremplin.employers.services import (
    PlacementError,
    opening_create,
    proposal_create,
    proposal_see,
    proposal_transition,
)
from tremplin.employers.workflow import (
    COORDINATOR_TRANSITIONS,
    EMPLOYER_TRANSITIONS,
    proposal_workflow,
)
from tremplin.www.exports import export_response
from tremplin.www.forms import error_summary
from tremplin.www.http import AuthedRequest

from . import pipeline
from .forms import OpeningForm, ProposalDecisionForm, ProposeForm
from .rankings import opening_rankings
from .tables import opening_table, proposal_table


def opening_list(request: AuthedRequest) -> HttpResponse:
    if not perms.can_create_opening(request.user):
        raise PermissionDenied
    openings = perms.openings_for_user(request.user).annotate(
        proposed=Count("proposals"),
        hired=Count("proposals", filter=Q(proposals__status=ProposalStatus.HIRED)),
    )
    if export := export_response(request, table=opening_table, rows=openings, filename="offres"):
        return export
    return render(
        request,
        "employers/opening_list.html",
        {"openings": openings, "can_import": perms.can_import_offers(request.user)},
    )


def opening_create_view(request: AuthedRequest) -> HttpResponse:
    if not perms.can_create_opening(request.user):
        raise PermissionDenied
    employer = request.user.organisation if request.user.role == Role.EMPLOYER else None
    form = OpeningForm(request.POST or None, employer=employer)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            opening = opening_create(
                by=request.user,
                employer=d["employer"],
                employer_site=d["employer_site"],
                title=d["title"],
                rome_code=d["rome_code"],
                contract_type=d["contract_type"],
                commune=d["commune"],
                postal_code=d["postal_code"],
                working_time=d["working_time"],
                starts_on=d["starts_on"],
                positions=d["positions"],
                description=d["description"],
                required_competencies=list(d["required_competencies"]),
                desired_competencies=list(d["desired_competencies"]),
            )
        except PlacementError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Offre « %(title)s » publiée.") % {"title": opening.title})
            return redirect("opening_detail", opening.pk)
    return render(request, "employers/opening_form.html", {"form": form})


def opening_detail(request: AuthedRequest, opening_id: int) -> HttpResponse:
    opening = perms.get_opening_for_user(request.user, opening_id)
    # The ranked candidates (named for coordinators, anonymised for the opening's employer)
    # come from the matching engine: tremplin/www/employers/rankings.py.
    return render(
        request,
        "employers/opening_detail.html",
        {
            "opening": opening,
            "rome_label": rome_label(opening.rome_code),
            "required": opening.required_competencies.select_related("block"),
            "desired": opening.desired_competencies.select_related("block"),
            "proposals": perms.proposals_for_user(request.user).filter(opening=opening),
            "can_propose": perms.can_propose_to(request.user, opening),
            **opening_rankings(request.user, opening),
        },
    )


@require_POST
def opening_propose(request: AuthedRequest, opening_id: int) -> HttpResponse:
    opening = perms.get_opening_for_user(request.user, opening_id)
    if not perms.can_propose_to(request.user, opening):
        raise PermissionDenied
    form = ProposeForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choisissez un apprenant à proposer."))
        return redirect("opening_detail", opening.pk)
    enrolment = enrolments_for_user(request.user).filter(pk=form.cleaned_data["enrolment"]).first()
    if enrolment is None:
        raise Http404(_("Apprenant introuvable."))
    try:
        proposal = proposal_create(
            opening=opening, enrolment=enrolment, by=request.user, note=form.cleaned_data["note"]
        )
    except PlacementError as error:
        messages.error(request, error.message)
        return redirect("opening_detail", opening.pk)
    messages.success(
        request,
        _("%(name)s est proposé·e à %(employer)s.")
        % {"name": enrolment.candidacy.person.full_name, "employer": opening.employer},
    )
    return redirect("proposal_detail", proposal.pk)


def proposal_list(request: AuthedRequest) -> HttpResponse:
    if request.user.role not in (Role.EMPLOYER, Role.COORDINATOR, Role.NETWORK_ADMIN):
        raise PermissionDenied
    proposals = perms.proposals_for_user(request.user)
    flagged = set(unanswered(proposals).values_list("pk", flat=True))
    only_unanswered = request.GET.get("sans_reponse") == "1"
    if only_unanswered:
        proposals = proposals.filter(pk__in=flagged)
    if export := export_response(
        request,
        table=proposal_table(request.user, flagged),
        rows=proposals,
        filename="propositions",
    ):
        return export
    rows = [
        {
            "proposal": p,
            "name": pipeline.candidate_name(p.enrolment.candidacy.person, request.user),
            "unanswered": p.pk in flagged,
        }
        for p in proposals
    ]
    return render(
        request,
        "employers/proposal_list.html",
        {
            "rows": rows,
            "only_unanswered": only_unanswered,
            "unanswered_days": settings.PROPOSAL_UNANSWERED_DAYS,
        },
    )


def proposal_detail(request: AuthedRequest, proposal_id: int) -> HttpResponse:
    proposal = perms.get_proposal_for_user(request.user, proposal_id)
    # Opening the page is how the employer takes note of a proposal (proposed → seen).
    proposal_see(proposal=proposal, by=request.user)
    allowed = (
        EMPLOYER_TRANSITIONS
        if request.user.role == Role.EMPLOYER
        else EMPLOYER_TRANSITIONS + COORDINATOR_TRANSITIONS
    )
    extra_templates = {
        "hire": "employers/hire_fields.html",
        "immersion": "employers/immersion_fields.html",
    }
    transitions = [
        {
            "transition": t,
            "reasons": proposal_workflow.reasons_for(t.name),
            "extra_template": extra_templates.get(t.name, ""),
        }
        for t in proposal_workflow.available(proposal.status)
        if t.name in allowed and perms.can_decide_proposal(request.user, proposal)
    ]
    person = proposal.enrolment.candidacy.person
    return render(
        request,
        "employers/proposal_detail.html",
        {
            "proposal": proposal,
            "person": person,
            # Employers see the shared profile only; the staff see the person in full.
            "full_profile": request.user.role != Role.EMPLOYER,
            "candidate_name": pipeline.candidate_name(person, request.user),
            "profile": pipeline.candidate_profile(proposal),
            "agreement": pipeline.agreement_rows(proposal),
            "show_agreement": proposal.immersion_start is not None,
            "can_sign": pipeline.can_sign_agreement(proposal, request.user),
            "can_record_paper": pipeline.can_record_paper_signature(proposal, request.user),
            "transitions": transitions,
            "history": proposal_workflow.history(proposal),
            "contract_types": proposal._meta.get_field("hired_contract_type").choices,
        },
    )


@require_POST
def proposal_decide(request: AuthedRequest, proposal_id: int) -> HttpResponse:
    proposal = perms.get_proposal_for_user(request.user, proposal_id)
    if not perms.can_decide_proposal(request.user, proposal):
        raise PermissionDenied
    form = ProposalDecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, error_summary(form))
        return redirect("proposal_detail", proposal.pk)
    d = form.cleaned_data
    try:
        proposal_transition(
            proposal=proposal,
            transition=d["transition"],
            by=request.user,
            reason=d["reason"],
            comment=d["comment"],
            contract_type=d["contract_type"],
            contract_months=d["contract_months"],
            start_date=d["start_date"],
            weekly_hours=d["weekly_hours"],
            immersion_start=d["immersion_start"],
            immersion_end=d["immersion_end"],
            immersion_tutor=d["immersion_tutor"],
        )
    except (PlacementError, TransitionNotAllowed) as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request, _("Proposition : %(status)s.") % {"status": proposal.get_status_display()}
        )
    return redirect("proposal_detail", proposal.pk)
