from django.contrib import admin

from .models import Cohort, CohortFunding, CompetencyAssessment, Enrolment, JuryResult

admin.site.register(Cohort)

admin.site.register(CohortFunding)

admin.site.register(Enrolment)

admin.site.register(CompetencyAssessment)

admin.site.register(JuryResult)
