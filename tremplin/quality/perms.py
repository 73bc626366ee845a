"""One door to survey results: who sees which cohort's figures and free-text answers.

Coordinators of the site and the network's admins see everything and send the surveys.
Trainers see their cohorts' figures; funders see every cohort's figures, as on the dashboards.
Free-text answers stay with the site's managers: in a cohort of twelve a sentence can name or
identify its author, and trainers and funders are meant to read aggregates only.
"""

from typing import Any

from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404

from tremplin.accounts.enums import Role
from tremplin.accounts.models import User
from tremplin.accounts.roles import is_network_admin, manages_site
from tremplin.cohorts.models import Cohort
from tremplin.organisations.models import Site

from .models import Complaint, ImprovementAction

QUALITY_ROLES = (Role.NETWORK_ADMIN, Role.COORDINATOR, Role.TRAINER, Role.FUNDER)


def can_see_quality(user: Any) -> bool:
    return bool(user.is_authenticated and user.is_active and user.role in QUALITY_ROLES)


def survey_cohorts_for_user(user: Any) -> QuerySet[Cohort]:
    qs = Cohort.objects.select_related("site", "programme")
    if not can_see_quality(user):
        return qs.none()
    if is_network_admin(user):
        return qs.filter(site__network_id=user.organisation_id)
    if user.role == Role.COORDINATOR:
        return qs.filter(site_id=user.site_id)
    if user.role == Role.TRAINER:
        return qs.filter(trainers=user)
    return qs  # funders


def get_survey_cohort_for_user(user: Any, cohort_id: int) -> Cohort:
    return get_object_or_404(survey_cohorts_for_user(user), pk=cohort_id)


def can_send_survey(user: Any, cohort: Cohort) -> bool:
    return manages_site(user, cohort.site)


def can_read_free_text(user: Any, cohort: Cohort) -> bool:
    return manages_site(user, cohort.site)


def can_handle_complaints(user: Any) -> bool:
    """Complaints name people and organisations: the site's managers only."""
    return bool(
        user.is_authenticated
        and user.is_active
        and user.role in (Role.NETWORK_ADMIN, Role.COORDINATOR)
    )


def complaints_for_user(user: Any) -> QuerySet[Complaint]:
    qs = Complaint.objects.select_related("site", "cohort")
    if is_network_admin(user):
        return qs.filter(site__network_id=user.organisation_id)
    if can_handle_complaints(user):
        return qs.filter(site_id=user.site_id)
    return qs.none()


def get_complaint_for_user(user: Any, complaint_id: int) -> Complaint:
    return get_object_or_404(complaints_for_user(user), pk=complaint_id)


def managed_sites(user: Any) -> QuerySet[Site]:
    if is_network_admin(user):
        return Site.objects.filter(network_id=user.organisation_id).order_by("name")
    if can_handle_complaints(user):
        return Site.objects.filter(pk=user.site_id or 0)
    return Site.objects.none()


def actions_for_user(user: Any) -> QuerySet[ImprovementAction]:
    """Improvement actions are handled with complaints: the site's managers only."""
    qs = ImprovementAction.objects.select_related("site", "owner", "complaint", "cohort")
    if is_network_admin(user):
        return qs.filter(site__network_id=user.organisation_id)
    if can_handle_complaints(user):
        return qs.filter(site_id=user.site_id)
    return qs.none()


def get_action_for_user(user: Any, action_id: int) -> ImprovementAction:
    return get_object_or_404(actions_for_user(user), pk=action_id)


def action_owners(site: Site) -> QuerySet[User]:
    """Who may own an action of the site: its coordinators and trainers, the network admins."""
    return User.objects.filter(
        Q(site=site, role__in=(Role.COORDINATOR, Role.TRAINER))
        | Q(organisation_id=site.network_id, role=Role.NETWORK_ADMIN),
        is_active=True,
    ).order_by("last_name", "first_name", "id")
