"""Pages of tremplin.gdpr: a person's rights, the retention notices, a learner's own export."""

from django.urls import path

from . import views

urlpatterns = [
    path("personnes/<int:person_id>/donnees/", views.person_rights, name="person_rights"),
    path(
        "personnes/<int:person_id>/donnees/export.json",
        views.person_export_json_view,
        name="person_export_json",
    ),
    path(
        "personnes/<int:person_id>/donnees/export.pdf",
        views.person_export_pdf_view,
        name="person_export_pdf",
    ),
    path(
        "personnes/<int:person_id>/donnees/rectifier/",
        views.person_rectify_view,
        name="person_rectify",
    ),
    path(
        "personnes/<int:person_id>/donnees/effacer/",
        views.person_erase_view,
        name="person_erase",
    ),
    path("conservation/", views.retention_list, name="retention_list"),
    path("mon-parcours/mes-donnees.json", views.learner_export_json, name="learner_export_json"),
    path("mon-parcours/mes-donnees.pdf", views.learner_export_pdf, name="learner_export_pdf"),
]
