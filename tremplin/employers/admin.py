from django.contrib import admin

from .models import EmployerSite, Opening, Proposal

admin.site.register(EmployerSite)

admin.site.register(Opening)

admin.site.register(Proposal)
