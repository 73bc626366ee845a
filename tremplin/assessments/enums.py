from django.db import models
from django.utils.translation import gettext_lazy as _


class ReadinessState(models.TextChoices):
    """Readiness of a learner for one block; the values are ``engine.readiness.Readiness``'s."""

    READY = "ready", _("Prêt pour la certification")
    ALMOST = "almost", _("Presque prêt")
    NOT_YET = "not_yet", _("Pas encore prêt")


class PositioningMethod(models.TextChoices):
    TEST = "test", _("Test de positionnement")
    INTERVIEW = "interview", _("Entretien")


class PositioningDecision(models.TextChoices):
    STANDARD = "standard", _("Parcours standard")
    ADAPTED = "adapted", _("Parcours adapté")
    PREREQUISITES = "prerequisites", _("Module de prérequis")
    OTHER = "other", _("Autre")
