"""Login throttling (django-axes): who a failed login counts against, and from which address.

The settings (``AXES_*`` in tremplin/settings.py) lock a username on one client address after
repeated wrong passwords; this module gives axes the two keys it cannot guess on its own: the
username as the login form will match it, and the client's address behind a front proxy.
"""

import datetime
import math
from typing import Any

from axes.backends import AxesStandaloneBackend
from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


class LoginThrottleBackend(AxesStandaloneBackend):  # type: ignore[misc]  # axes is untyped
    """Refuses a locked-out username and address before the password is even checked.

    Logins made without a request (the test client's ``login()``, a shell) have no client
    address to count failures against, so they skip the throttle; every web login (the login
    page, the admin's) passes its request, and is throttled.
    """

    def authenticate(
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> None:
        # Returns nothing (the next backend checks the password) or raises for a locked-out pair.
        if request is not None:
            super().authenticate(request, username, password, **kwargs)


def lockout_username(request: HttpRequest, credentials: dict[str, Any] | None) -> str | None:
    """The address typed, as accounts store it (lower case): ``Coord@…`` counts as ``coord@…``."""
    username = (credentials or {}).get("username") or request.POST.get("username")
    return str(username).strip().lower() if username else None


def client_address(request: HttpRequest) -> str | None:
    """The client's address: REMOTE_ADDR, or behind ``TRUSTED_PROXY_COUNT`` proxies the entry of
    X-Forwarded-For that the outermost trusted proxy appended (entries left of it are whatever
    the client sent, so they are never trusted: a forged header must not reset the count)."""
    hops: int = settings.TRUSTED_PROXY_COUNT
    if hops > 0:
        header = str(request.META.get("HTTP_X_FORWARDED_FOR", ""))
        forwarded = [a.strip() for a in header.split(",")]
        forwarded = [a for a in forwarded if a]
        if len(forwarded) >= hops:
            return forwarded[-hops]
    address = request.META.get("REMOTE_ADDR")
    return str(address) if address else None


def lockout_response(
    request: HttpRequest, original_response: HttpResponse | None, credentials: dict[str, Any] | None
) -> HttpResponse:
    """The page a locked-out login gets: in French, status 429 (Too Many Requests)."""
    cool_off: datetime.timedelta = settings.AXES_COOLOFF_TIME
    context = {
        "failure_limit": settings.AXES_FAILURE_LIMIT,
        "cooloff_minutes": math.ceil(cool_off.total_seconds() / 60),
    }
    return render(
        request,
        "registration/locked_out.html",
        context,
        status=settings.AXES_HTTP_RESPONSE_CODE,
    )
