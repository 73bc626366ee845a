"""Follow-ups in the Django admin (network admins only), for support."""

from django.contrib import admin

from .models import FollowUp, FollowUpRequest

admin.site.register(FollowUp)
admin.site.register(FollowUpRequest)
