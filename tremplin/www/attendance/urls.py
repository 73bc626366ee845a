from django.urls import path

from . import views

urlpatterns = [
    path("emargement/", views.attendance_today, name="attendance_today"),
    path("emargement/alertes/", views.attendance_alerts, name="attendance_alerts"),
    path(
        "emargement/alertes/<int:alert_id>/traiter/",
        views.attendance_alert_handle,
        name="attendance_alert_handle",
    ),
    path(
        "emargement/signer/<str:token>/",
        views.attendance_sign_by_link,
        name="attendance_sign_by_link",
    ),
    path(
        "emargement/lignes/<int:entry_id>/rectifier/",
        views.attendance_correct,
        name="attendance_correct",
    ),
    path("seances/<int:session_id>/emargement/", views.attendance_sheet, name="attendance_sheet"),
    path(
        "seances/<int:session_id>/emargement/signer/",
        views.attendance_sign,
        name="attendance_sign",
    ),
    path(
        "seances/<int:session_id>/emargement/absent/",
        views.attendance_absent,
        name="attendance_absent",
    ),
    path("seances/<int:session_id>/emargement/qr/", views.attendance_qr, name="attendance_qr"),
    path(
        "seances/<int:session_id>/emargement/contresigner/",
        views.attendance_countersign,
        name="attendance_countersign",
    ),
    path(
        "promotions/<int:cohort_id>/emargement/",
        views.cohort_attendance,
        name="cohort_attendance",
    ),
    path(
        "promotions/<int:cohort_id>/emargement/semaine/<str:monday>.pdf",
        views.cohort_attendance_week_pdf,
        name="cohort_attendance_week_pdf",
    ),
    path(
        "promotions/<int:cohort_id>/emargement/mois/<int:year>-<int:month>.pdf",
        views.cohort_attendance_month_pdf,
        name="cohort_attendance_month_pdf",
    ),
]
