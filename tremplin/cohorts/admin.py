from django.contrib import admin

from .models import Cohort, CompetencyAssessment, Enrolment

admin.site.register(Cohort)

admin.site.register(Enrolment)

admin.site.register(CompetencyAssessment)
