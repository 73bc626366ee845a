"""Every page of the site, area by area."""

from django.urls import include, path

from .health import health

urlpatterns = [
    path("sante/", health, name="health"),
    path("", include("tremplin.www.accounts.urls")),
    path("", include("tremplin.www.candidacies.urls")),
    path("", include("tremplin.www.intake.urls")),
    path("", include("tremplin.www.eligibility.urls")),
    path("", include("tremplin.www.cohorts.urls")),
    path("", include("tremplin.www.assessments.urls")),
    path("", include("tremplin.www.employers.urls")),
    path("", include("tremplin.www.outcomes.urls")),
    path("", include("tremplin.www.reports.urls")),
    path("", include("tremplin.www.tasks.urls")),
    path("", include("tremplin.www.learner.urls")),
    path("", include("tremplin.www.geo.urls")),
    path("", include("tremplin.www.people.urls")),
    path("", include("tremplin.www.quality.urls")),
    path("", include("tremplin.www.plateau.urls")),
    path("", include("tremplin.www.attendance.urls")),
    path("", include("tremplin.www.documents.urls")),
    path("", include("tremplin.www.planner.urls")),
    path("", include("tremplin.www.results.urls")),
    path("", include("tremplin.www.audit.urls")),
    path("", include("tremplin.www.privacy.urls")),
    path("", include("tremplin.www.gdpr.urls")),
]
