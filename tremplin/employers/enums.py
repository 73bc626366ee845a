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
    FILLED = "filled", _("Pourvue")
    CLOSED = "closed", _("Fermée")


class OpeningCloseReason(models.TextChoices):
    FILLED_ELSEWHERE = "filled_elsewhere", _("Pourvue hors Tremplin")
    CANCELLED = "cancelled", _("Recrutement annulé")
    EXPIRED = "expired", _("Offre expirée")
    OTHER = "other", _("Autre motif")


class WorkingTime(models.TextChoices):
    FULL = "full", _("Temps plein")
    PART = "part", _("Temps partiel")


class WorkingTimeWish(models.TextChoices):
    """What a job seeker looks for; ``any`` suits both."""

    ANY = "any", _("Temps plein ou partiel")
    FULL = "full", _("Temps plein")
    PART = "part", _("Temps partiel")


class ProposalStatus(models.TextChoices):
    PROPOSED = "proposed", _("Proposée")
    SEEN = "seen", _("Vue par l'employeur")
    INTERVIEW = "interview", _("Entretien")
    IMMERSION = "immersion", _("Immersion (PMSMP)")
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
