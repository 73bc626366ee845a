from django.db import models
from django.utils.translation import gettext_lazy as _


class TrackKind(models.TextChoices):
    FIBRE = "fibre", _("Fibre optique")
    DATACENTER = "datacenter", _("Datacenter")
    IOT = "iot", _("Télésurveillance & objets connectés")


class CompetencyLevel(models.TextChoices):
    NOT_ASSESSED = "not_assessed", _("Non évaluée")
    IN_PROGRESS = "in_progress", _("En cours d'acquisition")
    ACQUIRED = "acquired", _("Acquise")
