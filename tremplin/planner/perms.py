"""One door to the planner: who plans a site's cohorts and reads its runs.

The site's coordinators and the network's admins plan (they also plan sessions by hand,
``plateau.perms.can_manage_plateau``); a run is seen by those who may plan its site, nobody
else: a preview shows trainers' calendars before they are announced.
"""

from typing import Any

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from tremplin.accounts.roles import is_network_admin, manages_site
from tremplin.organisations.models import Site

from .models import PlanRun


def can_plan(user: Any, site: Site) -> bool:
    return manages_site(user, site)


def sites_for_planner(user: Any) -> QuerySet[Site]:
    """Sites whose planning ``user`` runs: their network's (admin) or their own (coordinator)."""
    if is_network_admin(user):
        return Site.objects.filter(network_id=user.organisation_id)
    if user.is_authenticated and user.is_active and user.site_id:
        return Site.objects.filter(pk=user.site_id)
    return Site.objects.none()


def get_site_for_planner(user: Any, site_id: int) -> Site:
    """The site, if ``user`` sees its plateau (404 otherwise); ``can_plan`` says the rest."""
    return get_object_or_404(sites_for_planner(user), pk=site_id)


def runs_for_user(user: Any) -> QuerySet[PlanRun]:
    runs = PlanRun.objects.select_related("site", "cohort", "requested_by", "progress")
    sites = [site for site in sites_for_planner(user) if can_plan(user, site)]
    return runs.filter(site__in=sites)


def get_run_for_user(user: Any, run_id: int) -> PlanRun:
    return get_object_or_404(runs_for_user(user), pk=run_id)
