"""URLs of the documents pages: a cohort's documents, generation, permission-checked download."""

from django.urls import path

from . import views

urlpatterns = [
    path("promotions/<int:cohort_id>/documents/", views.cohort_documents, name="cohort_documents"),
    path(
        "promotions/<int:cohort_id>/documents/generer/",
        views.cohort_documents_generate,
        name="cohort_documents_generate",
    ),
    path(
        "parcours/<int:enrolment_id>/documents/generer/",
        views.enrolment_document_generate,
        name="enrolment_document_generate",
    ),
    path("documents/<int:document_id>/", views.document_download, name="document_download"),
]
