from django.urls import path

from . import views

urlpatterns = [
    path(
        "promotions/<int:cohort_id>/progression/",
        views.cohort_progress,
        name="cohort_progress",
    ),
    path(
        "parcours/<int:enrolment_id>/certification/",
        views.enrolment_readiness,
        name="enrolment_readiness",
    ),
    path(
        "parcours/<int:enrolment_id>/positionnement/",
        views.enrolment_positioning,
        name="enrolment_positioning",
    ),
    path(
        "parcours/<int:enrolment_id>/evaluations/",
        views.enrolment_evaluations,
        name="enrolment_evaluations",
    ),
    path(
        "evaluations/<int:evaluation_id>/photo/",
        views.evaluation_photo,
        name="evaluation_photo",
    ),
]
