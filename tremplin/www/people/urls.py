from django.urls import path

from . import views

urlpatterns = [
    path("personnes/", views.person_list, name="person_list"),
    path("personnes/<int:person_id>/", views.person_detail, name="person_detail"),
    path(
        "personnes/<int:kept_id>/fusionner/<int:removed_id>/",
        views.person_merge_view,
        name="person_merge",
    ),
    path("fusions/", views.merge_list, name="merge_list"),
    path("fusions/<int:merge_id>/", views.merge_detail, name="merge_detail"),
    path("fusions/<int:merge_id>/annuler/", views.merge_undo, name="merge_undo"),
]
