"""Dashboard pages: the site funnel and impact indicators, the network comparison; figures
only, small cells hidden for funders, so funders may see them too."""

import dataclasses

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from django.views.decorators.http import require_POST

from tremplin.accounts.enums import Role
from tremplin.core.progress import progress_start
from tremplin.engine.indicators import suppressed
from tremplin.organisations.models import Site
from tremplin.reports.certification import site_certification
from tremplin.reports.drilldown import DRILLABLE
from tremplin.reports.perms import (
    dashboard_sites_for_user,
    funded_by,
    get_dashboard_site_for_user,
)
from tremplin.reports.selectors import (
    IndicatorFilters,
    network_comparison,
    site_funnels,
    site_indicators,
    site_placement,
)
from tremplin.reports.tasks import export_site_indicators
from tremplin.www.http import AuthedRequest

from .charts import count_bars, funnel_bars
from .forms import IndicatorFilterForm, NetworkFilterForm
from .indicators import (
    comparison_cells,
    count_cell,
    curve_chart,
    curve_rows,
    indicator_rows,
    public_chart,
    public_rows,
    reason_label,
)

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


def aggregates_only(request: AuthedRequest) -> bool:
    """Funders see aggregates only: small cells hidden (issue 7 §3)."""
    return bool(request.user.role == Role.FUNDER)


def dashboard(request: AuthedRequest) -> HttpResponse:
    sites_qs = dashboard_sites_for_user(request.user)
    sites = list(sites_qs)
    if not sites:
        raise PermissionDenied
    if len(sites) == 1:
        return redirect("site_dashboard", sites[0].pk)
    hide = aggregates_only(request)
    form = NetworkFilterForm(request.GET or None, sites=sites_qs)
    if form.is_bound and not form.is_valid():
        messages.error(request, _("Filtres non valides, toutes les données sont affichées."))
    filters = form.filters()
    compared = form.chosen_sites(sites_qs)
    scoped = dataclasses.replace(filters, funder_id=funded_by(request.user))
    comparison = [
        (site, comparison_cells(indicators, aggregates_only=hide))
        for site, indicators in network_comparison(compared, scoped)
    ]
    return render(
        request,
        "reports/site_choice.html",
        {
            "sites": sites,
            "form": form,
            "filtered": bool(request.GET) and form.is_valid(),
            "comparison": comparison,
            "aggregates_only": hide,
        },
    )


def site_dashboard(request: AuthedRequest, site_id: int) -> HttpResponse:
    site = get_dashboard_site_for_user(request.user, site_id)
    hide = aggregates_only(request)
    form = IndicatorFilterForm(request.GET or None, sites=Site.objects.filter(pk=site.pk))
    if form.is_bound and not form.is_valid():
        messages.error(request, _("Filtres non valides, toutes les données sont affichées."))
    filters = form.filters()
    scoped = dataclasses.replace(filters, funder_id=funded_by(request.user))
    indicators = site_indicators(site, scoped)
    public = public_rows(indicators, aggregates_only=hide)
    curve_hidden = hide and suppressed(indicators.time_to_job.people)
    context = {
        "site": site,
        "form": form,
        "filtered": filters != IndicatorFilters(),
        "indicators": indicators,
        "aggregates_only": hide,
        "rows": indicator_rows(
            indicators, aggregates_only=hide, certification=site_certification(site, scoped)
        ),
        "drop_out_reasons": [
            (reason_label(reason), count_cell(n, aggregates_only=hide))
            for reason, n in indicators.completion.drop_out_reasons
        ],
        "curve_hidden": curve_hidden,
        "curve_rows": curve_rows(indicators.time_to_job, aggregates_only=hide),
        "curve_chart": curve_chart(
            indicators.time_to_job, indicators.followed_days, aggregates_only=hide
        ),
        "public": public,
        "public_chart": public_chart(public),
        "public_entrants": count_cell(indicators.public.entrants, aggregates_only=hide),
        # Staff may open a figure to the people it counts (reports/drilldown.py).
        "drillable": {} if hide else DRILLABLE,
    }
    if not hide:
        # The funnel and placement blocks count every cohort of the site, per cohort, small
        # counts included: staff only.
        per_cohort, total = site_funnels(site)
        placement = site_placement(site)
        context |= {
            "per_cohort": per_cohort,
            "total": total,
            "chart": funnel_bars(total),
            "placement": placement,
            "placement_chart": count_bars([(s.label, s.count) for s in placement.by_status]),
        }
    return render(request, "reports/site_dashboard.html", context)


@require_POST
def site_export(request: AuthedRequest, site_id: int) -> HttpResponse:
    site = get_dashboard_site_for_user(request.user, site_id)
    if aggregates_only(request):
        # Counts per cohort, small ones included: funders get the PDF report instead.
        raise PermissionDenied
    progress = progress_start(
        owner=request.user,
        kind="site_indicators_export",
        label=_("Export des indicateurs — %(site)s") % {"site": site.name},
        enqueue=lambda pk: export_site_indicators.enqueue(pk, site.pk),
    )
    return redirect("task_progress", progress.pk)
