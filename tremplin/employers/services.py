"""Writes on openings and proposals: publish an opening, propose a learner, record the decision."""

import datetime
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from tremplin.accounts.enums import Role
from tremplin.cohorts.enums import EnrolmentStatus
from tremplin.cohorts.models import Enrolment
from tremplin.core.audit import audit
from tremplin.core.models import TransitionLog
from tremplin.organisations.enums import OrganisationKind
from tremplin.organisations.models import Organisation
from tremplin.programmes.models import Competency

from .enums import ContractType, OpeningStatus, ProposalStatus
from .models import EmployerSite, Opening, Proposal
from .rome import rome_label
from .workflow import (
    COORDINATOR_TRANSITIONS,
    EMPLOYER_TRANSITIONS,
    opening_workflow,
    proposal_workflow,
)


class PlacementError(Exception):
    """A refused write; ``message`` is translated into the active language, for the page."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def opening_create(
    *,
    by: Any,
    employer: Organisation,
    title: str,
    rome_code: str,
    contract_type: str,
    commune: str,
    positions: int,
    description: str = "",
    employer_site: EmployerSite | None = None,
    required_competencies: list[Competency] | None = None,
) -> Opening:
    if employer.kind != OrganisationKind.EMPLOYER:
        raise PlacementError(_("Choisissez un employeur."))
    if by.role == Role.EMPLOYER and by.organisation_id != employer.pk:
        raise PlacementError(_("Vous ne pouvez publier que les offres de votre entreprise."))
    if rome_label(rome_code) is None:
        raise PlacementError(_("Code ROME inconnu : %(code)s.") % {"code": rome_code})
    if employer_site is not None and employer_site.employer_id != employer.pk:
        raise PlacementError(_("Cet établissement n'appartient pas à l'employeur."))
    if contract_type not in ContractType.values:
        raise PlacementError(_("Type de contrat inconnu."))
    if positions < 1:
        raise PlacementError(_("Il faut au moins un poste."))
    with transaction.atomic():
        opening = Opening.objects.create(
            employer=employer,
            employer_site=employer_site,
            title=title,
            rome_code=rome_code,
            contract_type=contract_type,
            commune=commune,
            positions=positions,
            description=description,
        )
        if required_competencies:
            opening.required_competencies.set(required_competencies)
        audit(actor=by, action="opening.create", obj=opening)
    return opening


def proposal_create(*, opening: Opening, enrolment: Enrolment, by: Any, note: str = "") -> Proposal:
    person = enrolment.candidacy.person
    if not person.consent_employers:
        raise PlacementError(
            _("%(name)s n'a pas consenti à la transmission de son profil aux employeurs.")
            % {"name": person.full_name}
        )
    if enrolment.status not in (EnrolmentStatus.IN_TRAINING, EnrolmentStatus.COMPLETED):
        raise PlacementError(_("Seul un apprenant en formation ou diplômé peut être proposé."))
    with transaction.atomic():
        locked = Opening.objects.select_for_update().get(pk=opening.pk)
        if locked.status != OpeningStatus.OPEN:
            raise PlacementError(_("Cette offre est fermée."))
        if Proposal.objects.filter(opening=locked, enrolment=enrolment).exists():
            raise PlacementError(
                _("%(name)s est déjà proposé·e sur cette offre.") % {"name": person.full_name}
            )
        proposal = Proposal.objects.create(
            opening=locked, enrolment=enrolment, proposed_by=by, note=note
        )
        audit(actor=by, action="proposal.create", obj=proposal)
    return proposal


def proposal_transition(
    *,
    proposal: Proposal,
    transition: str,
    by: Any,
    reason: str = "",
    comment: str = "",
    contract_type: str = "",
    contract_months: int | None = None,
    start_date: datetime.date | None = None,
    weekly_hours: Decimal | None = None,
) -> TransitionLog:
    allowed = (
        EMPLOYER_TRANSITIONS
        if by.role == Role.EMPLOYER
        else (EMPLOYER_TRANSITIONS + COORDINATOR_TRANSITIONS)
    )
    if transition not in allowed:
        raise PlacementError(_("Cette action n'est pas possible ici."))
    extra: dict[str, Any] = {}
    if transition == "hire":
        if contract_type not in ContractType.values or start_date is None:
            raise PlacementError(_("Indiquez le type de contrat et la date d'embauche."))
        if contract_type == ContractType.CDD and not contract_months:
            raise PlacementError(_("Indiquez la durée du CDD en mois."))
        if weekly_hours is None or not (Decimal(1) <= weekly_hours <= Decimal(48)):
            raise PlacementError(_("Indiquez les heures par semaine (entre 1 et 48)."))
        extra = {
            "hired_contract_type": contract_type,
            "hired_contract_months": contract_months,
            "hired_start_date": start_date,
            "hired_weekly_hours": weekly_hours,
        }
    with transaction.atomic():
        opening = Opening.objects.select_for_update().get(pk=proposal.opening_id)
        if transition == "hire":
            hired = opening.proposals.filter(status=ProposalStatus.HIRED).count()
            if hired >= opening.positions:
                raise PlacementError(_("Tous les postes de cette offre sont déjà pourvus."))
        log = proposal_workflow.apply(
            proposal, transition, by=by, reason=reason, comment=comment, extra_fields=extra
        )
        if transition == "hire" and hired + 1 >= opening.positions:
            # The last position taken: the opening is filled, logged like any transition.
            opening_workflow.apply(opening, "fill", by=by)
        audit(actor=by, action=f"proposal.{transition}", obj=proposal, reason=reason)
    return log
