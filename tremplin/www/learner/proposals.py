"""« Mes propositions »: the learner's own proposals to employers, and their signature of an
immersion agreement.

A learner reaches only the proposals of their own enrolments (the person their account is
linked to); anyone else's is a 404.
"""

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tremplin.accounts.enums import Role
from tremplin.employers.models import Proposal
from tremplin.employers.services import PlacementError, agreement_sign
from tremplin.www.employers.pipeline import agreement_rows, can_sign_agreement
from tremplin.www.http import AuthedRequest


def own_proposals(user: Any) -> QuerySet[Proposal]:
    return Proposal.objects.filter(enrolment__candidacy__person__account=user).select_related(
        "opening__employer", "enrolment__cohort", "enrolment__candidacy__person"
    )


def learner_proposals(request: AuthedRequest) -> HttpResponse:
    if request.user.role != Role.LEARNER:
        raise PermissionDenied
    rows = [
        {
            "proposal": p,
            "agreement": agreement_rows(p),
            "can_sign": can_sign_agreement(p, request.user),
        }
        for p in own_proposals(request.user)
    ]
    return render(request, "learner/proposals.html", {"rows": rows})


@require_POST
def learner_proposal_sign(request: AuthedRequest, proposal_id: int) -> HttpResponse:
    if request.user.role != Role.LEARNER:
        raise PermissionDenied
    proposal = get_object_or_404(own_proposals(request.user), pk=proposal_id)
    try:
        agreement_sign(proposal=proposal, by=request.user)
    except PlacementError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request, _("Votre signature de la convention d'immersion est enregistrée.")
        )
    return redirect("learner_proposals")
