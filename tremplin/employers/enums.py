from django.db import models
from django.utils.translation import gettext_lazy as _


class ContractType(models.TextChoices):
    CDI = "cdi", _("CDI")
    CDD = "cdd", _("CDD")
    INTERIM = "interim", _("Intérim")
    APPRENTICESHIP = "apprenticeship", _("Contrat d'apprentissage")
    PROFESSIONALISATION = "professionalisation", _("Contrat de professionnalisation")


class OpeningSource(models.TextChoices):
    MANUAL = "manual", _("Saisie")
    FRANCE_TRAVAIL = "france_travail", _("France Travail")


class OpeningStatus(models.TextChoices):
    OPEN = "open", _("Ouverte")
    CLOSED = "closed", _("Pourvue ou fermée")


class ProposalStatus(models.TextChoices):
    PROPOSED = "proposed", _("Proposée")
    INTERVIEW = "interview", _("Entretien")
    HIRED = "hired", _("Embauche")
    NOT_RETAINED = "not_retained", _("Non retenue")
    WITHDRAWN = "withdrawn", _("Retirée")


class NotRetainedReason(models.TextChoices):
    SKILLS = "skills", _("Compétences insuffisantes pour le poste")
    POSITION_FILLED = "position_filled", _("Poste déjà pourvu")
    MOBILITY = "mobility", _("Mobilité incompatible avec le poste")
    DECLINED = "declined", _("Le candidat a décliné")
    NO_SHOW = "no_show", _("Absent·e à l'entretien")
    OTHER = "other", _("Autre motif")
