from django.contrib import admin

from .models import FollowUp

admin.site.register(FollowUp)
