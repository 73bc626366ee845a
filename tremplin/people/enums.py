from django.db import models
from django.utils.translation import gettext_lazy as _


class Diploma(models.TextChoices):
    NONE = "none", _("Aucun diplôme")
    CAP_BEP = "cap_bep", _("CAP, BEP")
    BAC = "bac", _("Baccalauréat")
    BAC_2 = "bac2", _("Bac + 2")
    BAC_3_PLUS = "bac3", _("Bac + 3 ou plus")


class Mobility(models.TextChoices):
    CAR = "car", _("Véhicule personnel")
    TWO_WHEELER = "two_wheeler", _("Deux-roues")
    PUBLIC_TRANSPORT = "public_transport", _("Transports en commun")
    LIMITED = "limited", _("Mobilité réduite ou difficile")


class LocationSource(models.TextChoices):
    """How a person's coordinates were found; the QPV answer is only as good as this."""

    ADDRESS = "address", _("Adresse géocodée")
    COMMUNE = "commune", _("Centre de la commune (adresse non trouvée)")
    MANUAL = "manual", _("Saisie manuelle")
