"""Follow-up pages: staff's list and entry, and the public answer page."""

from django.urls import path

from . import views

urlpatterns = [
    path("suivis/", views.follow_up_list, name="follow_up_list"),
    path(
        "parcours/<int:enrolment_id>/suivi/<str:milestone>/",
        views.follow_up_record_view,
        name="follow_up_record",
    ),
    path("suivi/<str:token>/", views.follow_up_answer_view, name="follow_up_answer"),
]
