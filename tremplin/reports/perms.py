"""Who may see which dashboard: figures only, never a name, so funders may too; a funder sees
the sites of the cohorts it funds, and only those cohorts' figures (``funded_by``)."""

from typing import Any

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from tremplin.accounts.enums import Role
from tremplin.cohorts.models import Cohort
from tremplin.organisations.models import Site


def dashboard_sites_for_user(user: Any) -> QuerySet[Site]:
    qs = Site.objects.select_related("network")
    if user.role == Role.NETWORK_ADMIN:
        return qs.filter(network_id=user.organisation_id)
    if user.role == Role.COORDINATOR:
        return qs.filter(pk=user.site_id)
    if user.role == Role.FUNDER:
        return qs.filter(
            pk__in=Cohort.objects.filter(fundings__funder_id=user.organisation_id).values("site_id")
        )
    return qs.none()


def funded_by(user: Any) -> int | None:
    """The organisation whose funded cohorts alone count, for a funder; None for other roles,
    who see every cohort of their sites."""
    if user.role == Role.FUNDER:
        return int(user.organisation_id)
    return None


def get_dashboard_site_for_user(user: Any, site_id: int) -> Site:
    return get_object_or_404(dashboard_sites_for_user(user), pk=site_id)
