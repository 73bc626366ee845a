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


class TrainingObjective(models.TextChoices):
    """What a certification's training aims at, as the « bilan pédagogique et financier »
    (Cerfa 10443, cadre F-3) asks it; read by tremplin.reports.bpf."""

    RNCP = "rncp", _("Diplôme ou titre à finalité professionnelle inscrit au RNCP")
    RNCP_CQP_NO_LEVEL = "rncp_cqp", _("CQP inscrit au RNCP sans niveau de qualification")
    RS = "rs", _("Certification ou habilitation inscrite au Répertoire spécifique")
    CQP = "cqp", _("CQP non enregistré au RNCP ni au RS")
    OTHER = "other", _("Autre formation professionnelle")
