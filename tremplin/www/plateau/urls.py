from django.urls import path

from . import views

urlpatterns = [
    path("plateau/", views.plateau_home, name="plateau_home"),
    path("plateau/dons/", views.donations_report, name="donations_report"),
    path("plateau/fermetures/", views.closure_list, name="closure_list"),
    path("plateau/labos/<int:lab_id>/seances/", views.lab_sessions, name="lab_sessions"),
    path(
        "plateau/formateurs/<int:trainer_id>/seances/",
        views.trainer_sessions,
        name="trainer_sessions",
    ),
    path(
        "plateau/equipements/<int:equipment_id>/", views.equipment_detail, name="equipment_detail"
    ),
    path(
        "plateau/equipements/<int:equipment_id>/statut/",
        views.equipment_status,
        name="equipment_status",
    ),
    path("promotions/<int:cohort_id>/seances/", views.cohort_sessions, name="cohort_sessions"),
    path(
        "promotions/<int:cohort_id>/seances/nouvelle/",
        views.session_create_view,
        name="session_create",
    ),
    path(
        "programmes/<int:programme_id>/modules/",
        views.programme_modules,
        name="programme_modules",
    ),
    path("seances/<int:session_id>/modifier/", views.session_edit, name="session_edit"),
    path("calendrier/<str:token>.ics", views.calendar_feed, name="calendar_feed"),
    path(
        "promotions/<int:cohort_id>/calendrier/",
        views.cohort_feed_create,
        name="cohort_feed_create",
    ),
    path(
        "plateau/formateurs/<int:trainer_id>/calendrier/",
        views.trainer_feed_create,
        name="trainer_feed_create",
    ),
    path(
        "calendrier/<int:feed_id>/revoquer/",
        views.calendar_feed_revoke_view,
        name="calendar_feed_revoke",
    ),
]
