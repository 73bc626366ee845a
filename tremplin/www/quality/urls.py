from django.urls import path

from . import views

urlpatterns = [
    path("qualite/", views.quality_home, name="quality_home"),
    path("qualite/promotions/<int:cohort_id>/", views.cohort_surveys, name="cohort_surveys"),
    path(
        "qualite/promotions/<int:cohort_id>/envoyer/",
        views.survey_send_view,
        name="survey_send",
    ),
    path("qualite/reclamations/", views.complaint_list, name="complaint_list"),
    path("qualite/reclamations/nouvelle/", views.complaint_create_view, name="complaint_create"),
    path(
        "qualite/reclamations/<int:complaint_id>/",
        views.complaint_detail,
        name="complaint_detail",
    ),
    path(
        "qualite/reclamations/<int:complaint_id>/etape/",
        views.complaint_step,
        name="complaint_step",
    ),
    path(
        "qualite/reclamations/<int:complaint_id>/action/",
        views.action_from_complaint,
        name="action_from_complaint",
    ),
    path(
        "qualite/promotions/<int:cohort_id>/<str:kind>/action/",
        views.action_from_survey,
        name="action_from_survey",
    ),
    path("qualite/actions/", views.action_list, name="action_list"),
    path("qualite/actions/<int:action_id>/", views.action_detail, name="action_detail"),
    path("qualite/actions/<int:action_id>/etape/", views.action_step, name="action_step"),
    path("enquete/<str:token>/", views.survey_answer_view, name="survey_answer"),
]
