from django.contrib import admin

from .models import Certification, Competency, CompetencyBlock, Programme, Track

admin.site.register(Certification)

admin.site.register(CompetencyBlock)

admin.site.register(Competency)

admin.site.register(Programme)

admin.site.register(Track)
