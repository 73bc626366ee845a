"""Sends a signed-in user who still owes the second login step to it, before any other page."""

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.http import urlencode

from .two_factor import is_verified, owes_second_step

# The pages a user who owes the second step may still reach.
OPEN_VIEWS = frozenset({"logout", "two_factor_setup", "two_factor_verify", "set_language"})


class TwoFactorRequiredMiddleware:
    """After django_otp's OTPMiddleware: ``request.user.otp_device`` says whether the session
    passed the second step. Roles that require 2FA go to the setup page (no device yet) or
    the code page; other roles only if they turned 2FA on."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self, request: HttpRequest, view: Any, args: Any, kwargs: Any
    ) -> HttpResponse | None:
        user: Any = request.user
        if not user.is_authenticated or is_verified(user):
            return None
        match = request.resolver_match
        if match is not None and match.url_name in OPEN_VIEWS:
            return None
        if request.path.startswith(settings.STATIC_URL or "/static/"):
            return None
        step = owes_second_step(request)
        if step is None:
            return None
        target = redirect(step)
        if request.method == "GET" and not getattr(request, "htmx", False):
            target["Location"] += "?" + urlencode({"next": request.get_full_path()})
        return target
