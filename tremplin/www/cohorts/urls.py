from django.urls import path

from . import fundings, jury, views

urlpatterns = [
    path("promotions/", views.cohort_list, name="cohort_list"),
    path("promotions/nouvelle/", views.cohort_create_view, name="cohort_create"),
    path("promotions/<int:cohort_id>/", views.cohort_detail, name="cohort_detail"),
    path("promotions/<int:cohort_id>/inscrire/", views.cohort_enrol, name="cohort_enrol"),
    path(
        "promotions/<int:cohort_id>/financements/",
        fundings.cohort_funding_set_view,
        name="cohort_funding_set",
    ),
    path(
        "promotions/<int:cohort_id>/financements/<int:funding_id>/retirer/",
        fundings.cohort_funding_remove_view,
        name="cohort_funding_remove",
    ),
    path("promotions/<int:cohort_id>/jury/", jury.cohort_jury, name="cohort_jury"),
    path("parcours/<int:enrolment_id>/", views.enrolment_detail, name="enrolment_detail"),
    path("parcours/<int:enrolment_id>/evaluer/", views.enrolment_assess, name="enrolment_assess"),
    path("parcours/<int:enrolment_id>/sortie/", views.enrolment_end_view, name="enrolment_end"),
]
