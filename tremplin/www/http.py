"""Typing for views: every page but the public ones runs behind LoginRequiredMiddleware."""

from django.http import HttpRequest
from django_htmx.middleware import HtmxDetails

from tremplin.accounts.models import User


class AuthedRequest(HttpRequest):
    user: User
    htmx: HtmxDetails
