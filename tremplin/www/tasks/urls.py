from django.urls import path

from . import views

urlpatterns = [
    path("taches/<int:progress_id>/", views.task_progress, name="task_progress"),
    path("taches/<int:progress_id>/resultat/", views.task_download, name="task_download"),
]
