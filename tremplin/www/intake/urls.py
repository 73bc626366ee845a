from django.urls import path

from . import views

urlpatterns = [
    path("importer/", views.import_upload, name="import_upload"),
    path("importer/colonnes/", views.import_columns, name="import_columns"),
    path(
        "importer/modele.xlsx",
        views.import_template,
        {"fmt": "xlsx"},
        name="import_template_xlsx",
    ),
    path("importer/modele.csv", views.import_template, {"fmt": "csv"}, name="import_template_csv"),
    path("importer/<int:batch_id>/", views.import_detail, name="import_detail"),
    path("importer/<int:batch_id>/confirmer/", views.import_confirm, name="import_confirm"),
]
