from django.urls import path

from . import views

urlpatterns = [
    path("orienter/", views.referral_create, name="referral_create"),
    path("candidater/", views.public_application, name="public_application"),
    path("candidatures/", views.candidacy_list, name="candidacy_list"),
    path("candidatures/<int:candidacy_id>/", views.candidacy_detail, name="candidacy_detail"),
    path(
        "candidatures/<int:candidacy_id>/decision/", views.candidacy_decide, name="candidacy_decide"
    ),
]
