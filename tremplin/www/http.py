"""Typing for views: every page but the public ones runs behind LoginRequiredMiddleware."""

from django.http import HttpRequest
from django_htmx.middleware import HtmxDetails

from tremplin.accounts.models import User


class AuthedRequest(HttpRequest):
    user: User
    htmx: HtmxDetails


def client_ip(request: HttpRequest) -> str | None:
    """The address the request came from. REMOTE_ADDR only: a proxy in front sets it through
    its own configuration (e.g. uvicorn's --forwarded-allow-ips), never a client's header."""
    return request.META.get("REMOTE_ADDR") or None


def client_device(request: HttpRequest) -> str:
    return str(request.META.get("HTTP_USER_AGENT", ""))[:300]
