"""The public « Nos résultats » pages (Qualiopi, critère 1, indicateur 2): satisfaction,
réussite, insertion and abandon for the network, per site and per cohort, without login.

Figures only, never a name; small cells hidden for everyone, whoever is logged in. The figures
of a period are computed once and kept in the cache for ``CACHE_SECONDS``.
"""

import datetime

from django.contrib.auth.decorators import login_not_required
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.views.decorators.cache import cache_control

from tremplin.organisations.models import Site
from tremplin.reports.results import (
    NetworkResults,
    ResultsWindow,
    default_window,
    network_results,
    result_years,
    year_window,
)

from .cells import METRICS, NETWORK, Hidden, chart, site_key
from .forms import PeriodForm

# The figures of a period are recomputed at most this often (a follow-up answered in the
# meantime shows up on the next computation; the page says when its figures were computed).
CACHE_SECONDS = 3600


def _period(request: HttpRequest, today: datetime.date) -> tuple[PeriodForm, ResultsWindow]:
    form = PeriodForm(request.GET or None, years=result_years(today))
    year = form.year()
    return form, (year_window(year, today) if year else default_window(today))


def _results(
    window: ResultsWindow, today: datetime.date, *, site_id: int | None = None
) -> NetworkResults:
    key = f"public-results:{window.first_day}:{window.last_day}:{today}"
    results: NetworkResults | None = cache.get(key)
    if results is None or (
        # A site created since the figures were cached: compute them again.
        site_id is not None and all(s.site_id != site_id for s in results.sites)
    ):
        results = network_results(Site.objects.all(), window, as_of=today)
        cache.set(key, results, CACHE_SECONDS)
    return results


def _common(
    request: HttpRequest, site_id: int | None = None
) -> tuple[dict[str, object], NetworkResults, Hidden]:
    today = timezone.localdate()
    form, window = _period(request, today)
    results = _results(window, today, site_id=site_id)
    return {"form": form, "window": window, "as_of": results.as_of}, results, Hidden(results)


@login_not_required
@cache_control(max_age=300, private=True)
def network_results_view(request: HttpRequest) -> HttpResponse:
    context, results, hidden = _common(request)
    total = hidden.line(NETWORK, results.total)
    sites = [(site, hidden.line(site_key(site), site.total)) for site in results.sites]
    context |= {
        "total": total,
        "chart": chart(total.cells),
        "metrics": METRICS,
        "sites": sites,
        "cohort_count": sum(len(site.cohorts) for site in results.sites),
    }
    return render(request, "results/network.html", context)


@login_not_required
@cache_control(max_age=300, private=True)
def site_results_view(request: HttpRequest, site_id: int) -> HttpResponse:
    site_obj = get_object_or_404(Site, pk=site_id)
    context, results, hidden = _common(request, site_obj.pk)
    site = next(s for s in results.sites if s.site_id == site_obj.pk)
    total = hidden.line(site_key(site), site.total)
    context |= {
        "site": site_obj,
        "total": total,
        "chart": chart(total.cells),
        "metrics": METRICS,
        "cohorts": [(c, hidden.line(("cohort", c.cohort_id), c.results)) for c in site.cohorts],
        "cohort_count": len(site.cohorts),
    }
    return render(request, "results/site.html", context)
