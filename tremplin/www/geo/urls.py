from django.urls import path

from . import views

urlpatterns = [
    path("quartiers-prioritaires/", views.qpv_import, name="qpv_import"),
    path("quartiers-prioritaires/confirmer/", views.qpv_import_confirm, name="qpv_import_confirm"),
    path("localiser/", views.location_lookup, name="location_lookup"),
]
