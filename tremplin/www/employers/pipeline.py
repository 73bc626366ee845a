"""Pages of the placement pipeline beyond the decision form: what an employer may read of a
candidate, the immersion agreement's signatures, and closing or reopening an opening.

An employer reads only what the learner agreed to share for a job: their first name and
the initial of their last name, the competencies acquired with the evidence behind them,
and when and how they can work. Contact details, address, birth date and the facts of
selection (RSA, QPV, diplomas...) stay with the training staff.
"""

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tremplin.accounts.enums import Role
from tremplin.assessments.models import PracticalEvaluation
from tremplin.core.workflow import TransitionNotAllowed
from tremplin.employers import perms
from tremplin.employers.enums import ContractType, ProposalStatus
from tremplin.employers.models import JobSearch, Proposal
from tremplin.employers.services import (
    PlacementError,
    agreement_party,
    agreement_sign,
    may_record_paper_signature,
    opening_close,
    opening_reopen,
)
from tremplin.people.models import Person
from tremplin.programmes.enums import CompetencyLevel
from tremplin.www.forms import error_summary
from tremplin.www.http import AuthedRequest

from .forms import OpeningCloseForm


def first_name_and_initial(person: Person) -> str:
    """« Inès B. »: all an employer reads of a candidate's name."""
    initial = person.last_name.strip()[:1].upper()
    return f"{person.first_name} {initial}." if initial else person.first_name


def candidate_name(person: Person, user: Any) -> str:
    """« Inès B. » for an employer, the full name for the training staff."""
    if user.role == Role.EMPLOYER:
        return first_name_and_initial(person)
    return person.full_name


def candidate_profile(proposal: Proposal) -> dict[str, Any]:
    """The competencies and availability shown to the employer (and to coordinators)."""
    enrolment = proposal.enrolment
    acquired = list(
        enrolment.assessments.filter(level=CompetencyLevel.ACQUIRED)
        .select_related("competency__block")
        # One certification after the other (fibre, datacenter…), each in its own order.
        .order_by(
            "competency__block__certification_id",
            "competency__block__position",
            "competency__position",
        )
    )
    evaluations: dict[int, list[PracticalEvaluation]] = {}
    for evaluation in PracticalEvaluation.objects.filter(enrolment=enrolment).order_by(
        "competency_id", "-held_on", "-id"
    ):
        evaluations.setdefault(evaluation.competency_id, []).append(evaluation)
    competencies = [
        {"assessment": a, "evaluations": evaluations.get(a.competency_id, [])} for a in acquired
    ]
    search = JobSearch.objects.filter(enrolment=enrolment).first()
    return {
        "competencies": competencies,
        "available_from": (search.available_from if search else None) or enrolment.cohort.end_date,
        "working_time": search.get_working_time_display() if search else None,
        "contracts": [ContractType(c).label for c in search.contracts] if search else [],
    }


def agreement_rows(proposal: Proposal) -> list[dict[str, Any]]:
    """The three parties of the immersion agreement, with who signed and when."""
    labels = {
        "employer": _("Employeur"),
        "learner": _("Apprenant·e"),
        "prescriber": _("Prescripteur (coordination du site)"),
    }
    return [
        {
            "party": party,
            "label": label,
            "at": getattr(proposal, f"agreement_{party}_at"),
            "by": getattr(proposal, f"agreement_{party}_by"),
        }
        for party, label in labels.items()
    ]


def can_sign_agreement(proposal: Proposal, user: Any) -> bool:
    """The user is a party of the agreement who has not signed it yet, during the immersion."""
    if proposal.status != ProposalStatus.IMMERSION:
        return False
    party = agreement_party(proposal, user)
    return party is not None and getattr(proposal, f"agreement_{party}_at") is None


def can_record_paper_signature(proposal: Proposal, user: Any) -> bool:
    """The learner has no account and has not signed: the coordinator records it on paper."""
    return (
        proposal.status == ProposalStatus.IMMERSION
        and proposal.agreement_learner_at is None
        and may_record_paper_signature(proposal, user)
    )


@require_POST
def proposal_sign(request: AuthedRequest, proposal_id: int) -> HttpResponse:
    """The employer or the site's coordinator signs the immersion agreement; the coordinator
    also records the paper signature of a learner who has no account."""
    proposal = perms.get_proposal_for_user(request.user, proposal_id)
    on_paper = request.POST.get("party") == "learner_on_paper"
    try:
        agreement_sign(proposal=proposal, by=request.user, learner_on_paper=on_paper)
    except PlacementError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            _("La signature papier de l'apprenant·e est enregistrée.")
            if on_paper
            else _("Votre signature de la convention d'immersion est enregistrée."),
        )
    return redirect("proposal_detail", proposal.pk)


@require_POST
def opening_close_view(request: AuthedRequest, opening_id: int) -> HttpResponse:
    opening = perms.get_opening_for_user(request.user, opening_id)
    if not perms.can_edit_opening(request.user, opening):
        raise PermissionDenied
    form = OpeningCloseForm(request.POST)
    if not form.is_valid():
        messages.error(request, error_summary(form))
        return redirect("opening_detail", opening.pk)
    try:
        opening_close(
            opening=opening,
            by=request.user,
            reason=form.cleaned_data["reason"],
            comment=form.cleaned_data["comment"],
        )
    except (PlacementError, TransitionNotAllowed) as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Offre « %(title)s » fermée.") % {"title": opening.title})
    return redirect("opening_detail", opening.pk)


@require_POST
def opening_reopen_view(request: AuthedRequest, opening_id: int) -> HttpResponse:
    opening = perms.get_opening_for_user(request.user, opening_id)
    if not perms.can_edit_opening(request.user, opening):
        raise PermissionDenied
    try:
        opening_reopen(opening=opening, by=request.user)
    except (PlacementError, TransitionNotAllowed) as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Offre « %(title)s » rouverte.") % {"title": opening.title})
    return redirect("opening_detail", opening.pk)
