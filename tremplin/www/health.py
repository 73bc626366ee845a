"""The health check: the smallest page the site serves, for probes and the load test's yardstick."""

from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe


@login_not_required
@never_cache
@require_safe
def health(request: HttpRequest) -> HttpResponse:
    # No database query on purpose: it measures the request path (middleware, workers) alone.
    return HttpResponse("ok", content_type="text/plain; charset=utf-8")
