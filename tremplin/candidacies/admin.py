from django.contrib import admin

from .models import Candidacy

admin.site.register(Candidacy)
