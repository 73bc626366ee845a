"""The public results pages, without login."""

from django.urls import path

from . import views

urlpatterns = [
    path("resultats/", views.network_results_view, name="results"),
    path("resultats/<int:site_id>/", views.site_results_view, name="site_results"),
]
