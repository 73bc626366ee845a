"""The documents app: PDFs issued to learners, stored and versioned."""

from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    name = "tremplin.documents"
    verbose_name = "Documents des apprenants"
