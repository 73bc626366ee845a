"""Dashboard pages; figures only, so funders may see them too."""

from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from django.views.decorators.http import require_POST

from tremplin.core.progress import progress_start
from tremplin.reports.perms import dashboard_sites_for_user, get_dashboard_site_for_user
from tremplin.reports.selectors import site_funnels, site_placement
from tremplin.reports.tasks import export_site_indicators
from tremplin.www.http import AuthedRequest

from .charts import count_bars, funnel_bars

# The funnel's stage labels come from tremplin.engine.indicators.STAGES, which knows nothing of
# Django: the dashboard template translates them, and this tuple puts them in the catalogue
# (tests/www/test_i18n.py checks that the two lists agree).
FUNNEL_STAGE_LABELS = (
    gettext_noop("Orientés"),
    gettext_noop("Acceptés"),
    gettext_noop("Entrés en formation"),
    gettext_noop("Parcours terminé"),
    gettext_noop("En emploi à 6 mois"),
)


def dashboard(request: AuthedRequest) -> HttpResponse:
    sites = list(dashboard_sites_for_user(request.user))
    if not sites:
        raise PermissionDenied
    if len(sites) == 1:
        return redirect("site_dashboard", sites[0].pk)
    return render(request, "reports/site_choice.html", {"sites": sites})


def site_dashboard(request: AuthedRequest, site_id: int) -> HttpResponse:
    site = get_dashboard_site_for_user(request.user, site_id)
    per_cohort, total = site_funnels(site)
    placement = site_placement(site)
    return render(
        request,
        "reports/site_dashboard.html",
        {
            "site": site,
            "per_cohort": per_cohort,
            "total": total,
            "chart": funnel_bars(total),
            "placement": placement,
            "placement_chart": count_bars([(s.label, s.count) for s in placement.by_status]),
        },
    )


@require_POST
def site_export(request: AuthedRequest, site_id: int) -> HttpResponse:
    site = get_dashboard_site_for_user(request.user, site_id)
    progress = progress_start(
        owner=request.user,
        kind="site_indicators_export",
        label=_("Export des indicateurs — %(site)s") % {"site": site.name},
        enqueue=lambda pk: export_site_indicators.enqueue(pk, site.pk),
    )
    return redirect("task_progress", progress.pk)
