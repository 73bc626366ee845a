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


def report_cohorts_for_user(user: Any, site: Site) -> QuerySet[Cohort]:
    """The cohorts of ``site`` a report of ``user``'s may cover: a funder's funded ones, every
    one for the staff who see the site's dashboard, none for others."""
    if not dashboard_sites_for_user(user).filter(pk=site.pk).exists():
        return Cohort.objects.none()
    qs = Cohort.objects.filter(site=site).select_related("programme")
    funder = funded_by(user)
    if funder is not None:
        qs = qs.filter(fundings__funder_id=funder)
    return qs.order_by("start_date", "name", "id")


def bpf_sites_for_user(user: Any) -> QuerySet[Site]:
    """The sites whose « bilan pédagogique et financier » a user may read: the training
    organisation's own filing, so its staff only (a network admin: every site of the network;
    a coordinator: theirs), never a funder."""
    qs = Site.objects.select_related("network").order_by("name", "id")
    if user.role == Role.NETWORK_ADMIN:
        return qs.filter(network_id=user.organisation_id)
    if user.role == Role.COORDINATOR:
        return qs.filter(pk=user.site_id)
    return qs.none()
