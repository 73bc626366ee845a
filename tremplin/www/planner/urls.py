"""URLs of the planner pages."""

from django.urls import path

from . import views

urlpatterns = [
    path(
        "promotions/<int:cohort_id>/planifier/",
        views.plan_cohort_start,
        name="plan_cohort_start",
    ),
    path("planification/<int:run_id>/", views.plan_run, name="plan_run"),
    path("planification/<int:run_id>/suivi/", views.plan_run_watch, name="plan_run_watch"),
    path("planification/<int:run_id>/valider/", views.plan_run_commit, name="plan_run_commit"),
    path("seances/<int:session_id>/verrou/", views.session_lock_view, name="session_lock"),
    path("plateau/sites/<int:site_id>/capacite/", views.plateau_capacity, name="plateau_capacity"),
    path(
        "plateau/sites/<int:site_id>/capacite/calculer/",
        views.plateau_capacity_start,
        name="plateau_capacity_start",
    ),
]
