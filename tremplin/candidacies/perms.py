"""One door to candidacies: prescribers see their referrals, coordinators their site."""

from typing import Any

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from tremplin.accounts.enums import Role
from tremplin.accounts.roles import is_network_admin, manages_site

from .models import Candidacy


def candidacies_for_user(user: Any) -> QuerySet[Candidacy]:
    qs = Candidacy.objects.select_related(
        "person", "cohort__site", "cohort__programme", "prescriber_organisation", "referred_by"
    )
    if is_network_admin(user):
        return qs.filter(cohort__site__network_id=user.organisation_id)
    if user.role == Role.COORDINATOR:
        return qs.filter(cohort__site_id=user.site_id)
    if user.role == Role.PRESCRIBER and user.organisation_id:
        # Advisors of one agency share their referrals, as colleagues cover for each other.
        return qs.filter(prescriber_organisation_id=user.organisation_id)
    if user.role == Role.LEARNER:
        return qs.filter(person__account=user)
    return qs.none()


def get_candidacy_for_user(user: Any, candidacy_id: int) -> Candidacy:
    return get_object_or_404(candidacies_for_user(user), pk=candidacy_id)


def can_refer(user: Any) -> bool:
    return user.role in (Role.PRESCRIBER, Role.COORDINATOR, Role.NETWORK_ADMIN)


def can_decide_candidacy(user: Any, candidacy: Candidacy) -> bool:
    return manages_site(user, candidacy.cohort.site)
