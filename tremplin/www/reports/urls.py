from django.urls import path

from . import bpf, drilldown, funder_report, views

urlpatterns = [
    path("tableau-de-bord/", views.dashboard, name="dashboard"),
    path("tableau-de-bord/bpf/", bpf.bpf_page, name="bpf"),
    path("tableau-de-bord/sites/<int:site_id>/", views.site_dashboard, name="site_dashboard"),
    path("tableau-de-bord/sites/<int:site_id>/export/", views.site_export, name="site_export"),
    path(
        "tableau-de-bord/sites/<int:site_id>/personnes/<slug:key>/",
        drilldown.site_drilldown,
        name="site_drilldown",
    ),
    path(
        "tableau-de-bord/sites/<int:site_id>/rapport/",
        funder_report.funder_report_request,
        name="funder_report_request",
    ),
]
