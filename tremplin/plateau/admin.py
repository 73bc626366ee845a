from django.contrib import admin

from .models import Lab

admin.site.register(Lab)
