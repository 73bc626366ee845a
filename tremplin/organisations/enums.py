from django.db import models
from django.utils.translation import gettext_lazy as _


class OrganisationKind(models.TextChoices):
    NETWORK = "network", _("Réseau (association nationale)")
    TRAINING = "training", _("Organisme de formation")
    PRESCRIBER = "prescriber", _("Prescripteur")
    EMPLOYER = "employer", _("Employeur")
    FUNDER = "funder", _("Financeur")


class PrescriberKind(models.TextChoices):
    FRANCE_TRAVAIL = "france_travail", _("France Travail")
    MISSION_LOCALE = "mission_locale", _("Mission locale")
    CAP_EMPLOI = "cap_emploi", _("Cap emploi")
    DEPARTEMENT = "departement", _("Département (services sociaux)")
    ASSOCIATION = "association", _("Association")
    OTHER = "other", _("Autre")
