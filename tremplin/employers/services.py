"""Writes on openings and proposals: publish an opening, propose a learner, record the decision.

The placement pipeline: the employer sees a proposal, may hold an interview, offer an
immersion (PMSMP, whose agreement the employer, the learner and the site's coordinator
sign), hire or not retain; openings close and reopen by hand and fill with their last hire.
Emails go out once the transaction is committed (``notifications.py``).
"""

import datetime
import functools
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tremplin.accounts.enums import Role
from tremplin.accounts.roles import is_coordinator_of, manages_site
from tremplin.cohorts.enums import EnrolmentStatus
from tremplin.cohorts.models import Enrolment
from tremplin.core.audit import audit
from tremplin.core.models import TransitionLog
from tremplin.geo.communes import find_commune
from tremplin.organisations.enums import OrganisationKind
from tremplin.organisations.models import Organisation
from tremplin.programmes.models import Competency

from . import notifications
from .enums import ContractType, OpeningStatus, ProposalStatus, WorkingTime
from .models import EmployerSite, Opening, Proposal
from .perms import can_edit_opening
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
    postal_code: str = "",
    working_time: str = WorkingTime.FULL,
    starts_on: datetime.date | None = None,
    desired_competencies: list[Competency] | None = None,
) -> Opening:
    """Publish an opening at a commune of the reference table.

    The commune is looked up from its postal code and name: an opening the table cannot
    place is refused, since the matching would otherwise rank it with a made-up distance.
    """
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
    if working_time not in WorkingTime.values:
        raise PlacementError(_("Temps de travail inconnu."))
    if positions < 1:
        raise PlacementError(_("Il faut au moins un poste."))
    place = find_commune(postal_code=postal_code, name=commune)
    if place is None or place.latitude is None or place.longitude is None:
        raise PlacementError(
            _(
                "Commune introuvable : « %(commune)s » (code postal %(postal_code)s). "
                "Vérifiez le nom et le code postal : une offre doit être située pour être "
                "proposée aux apprenants."
            )
            % {"commune": commune, "postal_code": postal_code or "—"}
        )
    with transaction.atomic():
        opening = Opening.objects.create(
            employer=employer,
            employer_site=employer_site,
            title=title,
            rome_code=rome_code,
            contract_type=contract_type,
            commune=place.name,
            commune_code=place.insee_code,
            latitude=place.latitude,
            longitude=place.longitude,
            working_time=working_time,
            starts_on=starts_on,
            positions=positions,
            description=description,
        )
        if required_competencies:
            opening.required_competencies.set(required_competencies)
        if desired_competencies:
            opening.desired_competencies.set(desired_competencies)
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
        if locked.status == OpeningStatus.FILLED:
            raise PlacementError(_("Cette offre est pourvue : tous ses postes sont occupés."))
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
        transaction.on_commit(functools.partial(notifications.proposal_created, proposal.pk))
    return proposal


def _is_opening_employer(user: Any, proposal: Proposal) -> bool:
    return bool(
        user.is_active
        and user.role == Role.EMPLOYER
        and user.organisation_id is not None
        and proposal.opening.employer_id == user.organisation_id
    )


def proposal_see(*, proposal: Proposal, by: Any) -> Proposal:
    """The opening's employer opens the proposal: proposed → seen, once; otherwise nothing.

    Anyone else reading the page (a coordinator) leaves it untouched, so that « vue » always
    means that the employer has had it in front of them.
    """
    if not _is_opening_employer(by, proposal) or proposal.status != ProposalStatus.PROPOSED:
        return proposal
    with transaction.atomic():
        current = Proposal.objects.select_for_update().get(pk=proposal.pk)
        # Two tabs opened at once: the second finds it already seen and writes nothing.
        if current.status != ProposalStatus.PROPOSED:
            proposal.status, proposal.seen_at = current.status, current.seen_at
            return proposal
        proposal_workflow.apply(proposal, "see", by=by, extra_fields={"seen_at": timezone.now()})
        audit(actor=by, action="proposal.see", obj=proposal)
    return proposal


# Transitions that answer the coordinator: each one is mailed to them once committed.
ANSWERS = ("interview", "immersion", "hire", "not_retain")


def _immersion_fields(
    start: datetime.date | None, end: datetime.date | None, tutor: str
) -> dict[str, Any]:
    if start is None or end is None:
        raise PlacementError(_("Indiquez les dates de début et de fin de l'immersion."))
    if end < start:
        raise PlacementError(_("La fin de l'immersion ne peut pas précéder son début."))
    tutor = tutor.strip()
    if not tutor:
        raise PlacementError(_("Indiquez le nom du tuteur ou de la tutrice de l'immersion."))
    if len(tutor) > 200:
        raise PlacementError(_("Le nom du tuteur ou de la tutrice est trop long."))
    return {"immersion_start": start, "immersion_end": end, "immersion_tutor": tutor}


def _hire_fields(
    contract_type: str,
    contract_months: int | None,
    start_date: datetime.date | None,
    weekly_hours: Decimal | None,
) -> dict[str, Any]:
    if contract_type not in ContractType.values or start_date is None:
        raise PlacementError(_("Indiquez le type de contrat et la date d'embauche."))
    if contract_type == ContractType.CDD and not contract_months:
        raise PlacementError(_("Indiquez la durée du CDD en mois."))
    if weekly_hours is None or not (Decimal(1) <= weekly_hours <= Decimal(48)):
        raise PlacementError(_("Indiquez les heures par semaine (entre 1 et 48)."))
    return {
        "hired_contract_type": contract_type,
        # Only a fixed-term contract has a length; a stray value for a CDI is dropped.
        "hired_contract_months": contract_months if contract_type == ContractType.CDD else None,
        "hired_start_date": start_date,
        "hired_weekly_hours": weekly_hours,
    }


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
    immersion_start: datetime.date | None = None,
    immersion_end: datetime.date | None = None,
    immersion_tutor: str = "",
) -> TransitionLog:
    """An employer's decision (interview, immersion, hire, not retained) or a withdrawal.

    A hire from an immersion needs its agreement signed by the three parties; the last hire
    fills the opening. Nothing is written when any check fails.
    """
    allowed = (
        EMPLOYER_TRANSITIONS
        if by.role == Role.EMPLOYER
        else (EMPLOYER_TRANSITIONS + COORDINATOR_TRANSITIONS)
    )
    if transition not in allowed:
        raise PlacementError(_("Cette action n'est pas possible ici."))
    if by.role == Role.EMPLOYER and not _is_opening_employer(by, proposal):
        raise PlacementError(_("Seul l'employeur de l'offre peut répondre à cette proposition."))
    if by.role != Role.EMPLOYER and not manages_site(by, proposal.enrolment.cohort.site):
        raise PlacementError(_("Seule l'équipe du site de l'apprenant agit sur cette proposition."))
    extra: dict[str, Any] = {}
    if transition == "immersion":
        extra = _immersion_fields(immersion_start, immersion_end, immersion_tutor)
    elif transition == "hire":
        extra = _hire_fields(contract_type, contract_months, start_date, weekly_hours)
    with transaction.atomic():
        # Locks in a fixed order (opening, then proposal) so concurrent hires queue.
        opening = Opening.objects.select_for_update().get(pk=proposal.opening_id)
        current = Proposal.objects.select_for_update().get(pk=proposal.pk)
        if transition == "hire":
            if current.status == ProposalStatus.IMMERSION and not current.agreement_signed:
                raise PlacementError(
                    _(
                        "L'embauche après une immersion attend la convention signée par "
                        "l'employeur, l'apprenant et le prescripteur."
                    )
                )
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
        if transition in ANSWERS:
            transaction.on_commit(functools.partial(notifications.proposal_answered, log.pk, by.pk))
    return log


# The immersion agreement's parties, with the fields their signature fills.
AGREEMENT_PARTIES = ("employer", "learner", "prescriber")


def agreement_party(proposal: Proposal, user: Any) -> str | None:
    """Which party of the immersion agreement ``user`` signs for, if any.

    The opening's employer users sign as the employer; a coordinator of the learner's site
    as the prescriber; the learner with their own account.
    """
    if not user.is_authenticated or not user.is_active:
        return None
    if _is_opening_employer(user, proposal):
        return "employer"
    if is_coordinator_of(user, proposal.enrolment.cohort.site_id):
        return "prescriber"
    account_id = proposal.enrolment.candidacy.person.account_id
    if user.role == Role.LEARNER and account_id is not None and account_id == user.pk:
        return "learner"
    return None


def may_record_paper_signature(proposal: Proposal, user: Any) -> bool:
    """A coordinator of the learner's site records the learner's handwritten signature.

    Only for a learner without an active account: the PMSMP agreement is also a paper form,
    signed by hand on the plateau, and such a learner has no other way to sign here.
    """
    account = proposal.enrolment.candidacy.person.account
    return bool(
        user.is_authenticated
        and is_coordinator_of(user, proposal.enrolment.cohort.site_id)
        and (account is None or not account.is_active)
    )


def agreement_sign(*, proposal: Proposal, by: Any, learner_on_paper: bool = False) -> str:
    """Record ``by``'s signature of the immersion agreement; returns the party signed for.

    ``learner_on_paper``: the coordinator records that the learner (without an account)
    signed the paper agreement; the audit log keeps who recorded it.
    """
    if learner_on_paper:
        if not may_record_paper_signature(proposal, by):
            raise PlacementError(
                _(
                    "Seule la coordination du site enregistre une signature papier, et "
                    "seulement pour un apprenant sans compte : les autres signent en ligne."
                )
            )
        party: str | None = "learner"
    else:
        party = agreement_party(proposal, by)
    if party is None:
        raise PlacementError(_("Vous n'êtes pas partie à la convention de cette immersion."))
    at_field, by_field = f"agreement_{party}_at", f"agreement_{party}_by"
    with transaction.atomic():
        current = Proposal.objects.select_for_update().get(pk=proposal.pk)
        if current.status != ProposalStatus.IMMERSION:
            raise PlacementError(
                _("La convention ne se signe que pendant l'immersion (PMSMP) de la proposition.")
            )
        if getattr(current, at_field) is not None:
            raise PlacementError(_("Cette partie a déjà signé la convention."))
        now = timezone.now()
        for obj in (current, proposal):
            setattr(obj, at_field, now)
            setattr(obj, by_field, by)
        current.save(update_fields=[at_field, by_field])
        audit(
            actor=by,
            action="proposal.agreement_sign",
            obj=current,
            party=party,
            **({"on_paper": True} if learner_on_paper else {}),
        )
        transaction.on_commit(
            functools.partial(notifications.agreement_signed, proposal.pk, party, by.pk)
        )
    return party


def opening_close(*, opening: Opening, by: Any, reason: str, comment: str = "") -> TransitionLog:
    """Close an open opening by hand, with a reason from the list."""
    if not can_edit_opening(by, opening):
        raise PlacementError(_("Seuls l'employeur de l'offre et les coordinateurs la ferment."))
    with transaction.atomic():
        log = opening_workflow.apply(opening, "close", by=by, reason=reason, comment=comment)
        audit(actor=by, action="opening.close", obj=opening, reason=reason)
    return log


def opening_reopen(*, opening: Opening, by: Any) -> TransitionLog:
    """Reopen a closed or filled opening; a filled one only once a position is free again."""
    if not can_edit_opening(by, opening):
        raise PlacementError(_("Seuls l'employeur de l'offre et les coordinateurs la rouvrent."))
    with transaction.atomic():
        locked = Opening.objects.select_for_update().get(pk=opening.pk)
        hired = locked.proposals.filter(status=ProposalStatus.HIRED).count()
        if hired >= locked.positions:
            raise PlacementError(
                _(
                    "Tous les postes de cette offre sont pourvus (%(hired)s embauche(s) pour "
                    "%(positions)s poste(s)) : elle ne peut pas être rouverte."
                )
                % {"hired": hired, "positions": locked.positions}
            )
        log = opening_workflow.apply(opening, "reopen", by=by)
        audit(actor=by, action="opening.reopen", obj=opening)
    return log
