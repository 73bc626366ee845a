from django.db import models
from django.utils.translation import gettext_lazy as _


class CandidacyStatus(models.TextChoices):
    NEW = "new", _("Nouvelle")
    INVITED = "invited", _("Invitée en réunion d'information")
    POSITIONING = "positioning", _("Test de positionnement / entretien")
    ACCEPTED = "accepted", _("Acceptée")
    WAITLISTED = "waitlisted", _("Liste d'attente")
    REFUSED = "refused", _("Refusée")
    WITHDRAWN = "withdrawn", _("Désistement")
    ENROLLED = "enrolled", _("Entrée en formation")


class CandidacySource(models.TextChoices):
    PRESCRIBER = "prescriber", _("Orientation par un prescripteur")
    PUBLIC = "public", _("Candidature spontanée")


class RefusalReason(models.TextChoices):
    NOT_ELIGIBLE = "not_eligible", _("Critères d'éligibilité non remplis")
    POSITIONING = "positioning", _("Niveau insuffisant au test de positionnement")
    PROJECT = "project", _("Projet professionnel non adapté au métier")
    AVAILABILITY = "availability", _("Indisponible aux dates de la promotion")
    NO_SHOW = "no_show", _("Absent·e aux rendez-vous")
    COHORT_FULL = "cohort_full", _("Promotion complète")
    OTHER = "other", _("Autre motif")


class WithdrawalReason(models.TextChoices):
    FOUND_JOB = "found_job", _("A trouvé un emploi")
    OTHER_TRAINING = "other_training", _("Autre formation")
    PERSONAL = "personal", _("Raisons personnelles")
    HEALTH = "health", _("Santé")
    OTHER = "other", _("Autre motif")
