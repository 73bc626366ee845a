"""One door to openings and proposals: employers see only their own, and only consenting people."""

from typing import Any

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from tremplin.accounts.enums import Role
from tremplin.accounts.roles import is_network_admin, manages_site

from .enums import OpeningStatus
from .models import Opening, Proposal


def openings_for_user(user: Any) -> QuerySet[Opening]:
    qs = Opening.objects.select_related("employer", "employer_site")
    if user.role in (Role.NETWORK_ADMIN, Role.COORDINATOR):
        # Partner employers recruit nationally: every site's coordinators see every opening.
        return qs
    if user.role == Role.EMPLOYER and user.organisation_id:
        return qs.filter(employer_id=user.organisation_id)
    return qs.none()


def get_opening_for_user(user: Any, opening_id: int) -> Opening:
    return get_object_or_404(openings_for_user(user), pk=opening_id)


def can_import_offers(user: Any) -> bool:
    """Coordinators and network admins publish openings for the whole network."""
    return bool(
        user.is_authenticated
        and user.is_active
        and user.role in (Role.COORDINATOR, Role.NETWORK_ADMIN)
    )


def can_create_opening(user: Any) -> bool:
    return user.role in (Role.EMPLOYER, Role.COORDINATOR, Role.NETWORK_ADMIN)


def can_edit_opening(user: Any, opening: Opening) -> bool:
    if user.role == Role.EMPLOYER:
        return bool(opening.employer_id == user.organisation_id)
    return user.role in (Role.COORDINATOR, Role.NETWORK_ADMIN)


def can_propose_to(user: Any, opening: Opening) -> bool:
    return (
        user.role in (Role.COORDINATOR, Role.NETWORK_ADMIN) and opening.status == OpeningStatus.OPEN
    )


def proposals_for_user(user: Any) -> QuerySet[Proposal]:
    qs = Proposal.objects.select_related(
        "opening__employer", "enrolment__cohort__site", "enrolment__candidacy__person"
    )
    if is_network_admin(user):
        return qs.filter(enrolment__cohort__site__network_id=user.organisation_id)
    if user.role == Role.COORDINATOR:
        return qs.filter(enrolment__cohort__site_id=user.site_id)
    if user.role == Role.EMPLOYER and user.organisation_id:
        return qs.filter(
            opening__employer_id=user.organisation_id,
            enrolment__candidacy__person__consent_employers=True,
        )
    return qs.none()


def get_proposal_for_user(user: Any, proposal_id: int) -> Proposal:
    return get_object_or_404(proposals_for_user(user), pk=proposal_id)


def can_decide_proposal(user: Any, proposal: Proposal) -> bool:
    if user.role == Role.EMPLOYER:
        return bool(proposal.opening.employer_id == user.organisation_id)
    return manages_site(user, proposal.enrolment.cohort.site)
