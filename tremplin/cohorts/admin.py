from django.contrib import admin

from .models import Cohort, CohortFunding, CompetencyAssessment, Enrolment

admin.site.register(Cohort)

admin.site.register(CohortFunding)

admin.site.register(Enrolment)

admin.site.register(CompetencyAssessment)
