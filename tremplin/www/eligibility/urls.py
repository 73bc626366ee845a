from django.urls import path

from . import views

urlpatterns = [
    path("eligibilite/", views.eligibility_rules, name="eligibility_rules"),
    path(
        "candidatures/<int:candidacy_id>/diagnostic/",
        views.diagnostic_create_view,
        name="diagnostic_create",
    ),
    path("diagnostics/<int:diagnostic_id>/", views.diagnostic_detail, name="diagnostic_detail"),
    path(
        "diagnostics/<int:diagnostic_id>/decision/",
        views.diagnostic_decide_view,
        name="diagnostic_decide",
    ),
    path("justificatifs/<int:proof_id>/", views.proof_download, name="proof_download"),
]
