"""Choices of the sensitive profile (benefits, housing) and of consents (purposes)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Benefit(models.TextChoices):
    RSA = "rsa", _("RSA (revenu de solidarité active)")
    ASS = "ass", _("ASS (allocation de solidarité spécifique)")
    AAH = "aah", _("AAH (allocation aux adultes handicapés)")
    ARE = "are", _("ARE (allocation d'aide au retour à l'emploi)")
    ACTIVITY_BONUS = "prime_activite", _("Prime d'activité")
    HOUSING_AID = "aide_logement", _("Aide au logement (APL, ALS, ALF)")
    OTHER = "autre", _("Autre aide")


class Housing(models.TextChoices):
    OWN = "own", _("Logement personnel (locataire ou propriétaire)")
    SOCIAL = "social", _("Logement social")
    HOSTED = "hosted", _("Hébergé·e par la famille ou des proches")
    SHELTER = "shelter", _("Hébergement d'urgence, CHRS ou foyer")
    NONE = "none", _("Sans domicile stable")
    OTHER = "other", _("Autre situation")


class ConsentPurpose(models.TextChoices):
    PROGRAMME = "programme", _("Partage de ses données avec le programme")
    EMPLOYERS = "employers", _("Transmission de son profil aux employeurs partenaires")
    SENSITIVE = "sensitive", _("Traitement de ses données de santé et de situation sociale")


class ReadPurpose(models.TextChoices):
    """Why sensitive data was read: written in each read's audit entry."""

    SUPPORT = "support", _("Accompagnement de la personne (aménagements, levée des freins)")
    OWN_DATA = "own_data", _("La personne consulte ses propres données")
    GDPR_EXPORT = "gdpr_export", _("Export des données de la personne (RGPD)")
