"""From a dashboard figure to the people it counts: names, so the site's coordinators and
network admins only; funders see aggregates and get 403 (issue 7 §3)."""

import dataclasses

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import render

from tremplin.organisations.models import Site
from tremplin.reports.drilldown import DRILLABLE, drill_down
from tremplin.reports.perms import get_dashboard_site_for_user
from tremplin.reports.selectors import site_indicators
from tremplin.www.http import AuthedRequest

from .forms import IndicatorFilterForm
from .indicators import figure_cell, indicator_rows
from .views import aggregates_only


def site_drilldown(request: AuthedRequest, site_id: int, key: str) -> HttpResponse:
    site = get_dashboard_site_for_user(request.user, site_id)
    if aggregates_only(request):
        raise PermissionDenied
    if key not in DRILLABLE:
        raise Http404
    form = IndicatorFilterForm(request.GET or None, sites=Site.objects.filter(pk=site.pk))
    filters = form.filters()
    found = drill_down(site, key, filters)
    row = next(
        r
        for r in indicator_rows(site_indicators(site, filters), aggregates_only=False)
        if r.key == key
    )
    return render(
        request,
        "reports/drilldown.html",
        {
            "site": site,
            "row": row,
            "found": found,
            "cell": figure_cell(found.figure, aggregates_only=False),
            "query": request.GET.urlencode(),
            "filtered": dataclasses.asdict(filters) != dataclasses.asdict(type(filters)()),
        },
    )
