from django.db import models
from django.utils.translation import gettext_lazy as _


class ImportStatus(models.TextChoices):
    PREVIEW = "preview", _("À vérifier")
    IMPORTING = "importing", _("Import en cours")
    IMPORTED = "imported", _("Importé")
    FAILED = "failed", _("Échec de l'import")


class FileFormat(models.TextChoices):
    CSV = "csv", _("CSV")
    XLSX = "xlsx", _("XLSX (Excel)")


class RowOutcome(models.TextChoices):
    """What the import did with one valid row of the file."""

    CREATED = "created", _("Candidature créée")
    DUPLICATE_IN_FILE = "duplicate_in_file", _("Doublon dans le fichier, ignoré")
    ALREADY_REFERRED = "already_referred", _("Déjà orienté·e vers cette promotion, ignoré")
