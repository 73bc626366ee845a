from django.db import models
from django.utils.translation import gettext_lazy as _


class CommuneKind(models.TextChoices):
    COMMUNE = "commune", _("Commune")
    # Paris, Lyon and Marseille: each arrondissement has its own INSEE code (13201-13216).
    ARRONDISSEMENT = "arrondissement", _("Arrondissement municipal")


class CommunePosition(models.TextChoices):
    """Where a commune's point comes from."""

    TOWN_HALL = "mairie", _("Mairie")
    SURFACE = "surface", _("Point à l'intérieur du territoire")
