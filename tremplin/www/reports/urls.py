from django.urls import path

from . import views

urlpatterns = [
    path("tableau-de-bord/", views.dashboard, name="dashboard"),
    path("tableau-de-bord/sites/<int:site_id>/", views.site_dashboard, name="site_dashboard"),
    path("tableau-de-bord/sites/<int:site_id>/export/", views.site_export, name="site_export"),
]
