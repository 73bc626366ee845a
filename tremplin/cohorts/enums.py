from django.db import models
from django.utils.translation import gettext_lazy as _


class EnrolmentStatus(models.TextChoices):
    IN_TRAINING = "in_training", _("En formation")
    COMPLETED = "completed", _("Parcours terminé")
    DROPPED_OUT = "dropped_out", _("Abandon")
    EXCLUDED = "excluded", _("Exclusion")


class DropOutReason(models.TextChoices):
    FOUND_JOB = "found_job", _("Reprise d'emploi")
    HEALTH = "health", _("Santé")
    FAMILY = "family", _("Raisons familiales")
    MOBILITY = "mobility", _("Difficultés de transport")
    MOTIVATION = "motivation", _("Perte de motivation")
    OTHER = "other", _("Autre motif")


class ExclusionReason(models.TextChoices):
    ABSENCES = "absences", _("Absences répétées injustifiées")
    CONDUCT = "conduct", _("Manquement au règlement intérieur")
    SAFETY = "safety", _("Manquement aux règles de sécurité")
    OTHER = "other", _("Autre motif")
