"""Who may see which dashboard: figures only, never a name, so funders may too."""

from typing import Any

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from tremplin.accounts.enums import Role
from tremplin.organisations.models import Site


def dashboard_sites_for_user(user: Any) -> QuerySet[Site]:
    qs = Site.objects.select_related("network")
    if user.role == Role.NETWORK_ADMIN:
        return qs.filter(network_id=user.organisation_id)
    if user.role == Role.COORDINATOR:
        return qs.filter(pk=user.site_id)
    if user.role == Role.FUNDER:
        return qs
    return qs.none()


def get_dashboard_site_for_user(user: Any, site_id: int) -> Site:
    return get_object_or_404(dashboard_sites_for_user(user), pk=site_id)
