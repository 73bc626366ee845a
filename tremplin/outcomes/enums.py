"""Milestones, situations and wage bands of follow-ups, and the definition of employment."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Milestone(models.TextChoices):
    EXIT = "exit", _("À la sortie")
    M3 = "m3", _("À 3 mois")
    M6 = "m6", _("À 6 mois")
    M12 = "m12", _("À 12 mois")


MILESTONE_MONTHS = {Milestone.EXIT: 0, Milestone.M3: 3, Milestone.M6: 6, Milestone.M12: 12}


class Situation(models.TextChoices):
    CDI = "cdi", _("CDI")
    CDD_LONG = "cdd_long", _("CDD de 6 mois ou plus")
    CDD_SHORT = "cdd_short", _("CDD de moins de 6 mois")
    INTERIM = "interim", _("Intérim")
    APPRENTICESHIP = "apprenticeship", _("Alternance (apprentissage, professionnalisation)")
    TRAINING = "training", _("Autre formation")
    JOB_SEEKING = "job_seeking", _("En recherche d'emploi")
    INACTIVE = "inactive", _("Inactif·ve")
    UNKNOWN = "unknown", _("Situation inconnue")


# Definition in docs/indicators.md: any paid work counts as employment.
EMPLOYED_SITUATIONS = frozenset(
    {
        Situation.CDI,
        Situation.CDD_LONG,
        Situation.CDD_SHORT,
        Situation.INTERIM,
        Situation.APPRENTICESHIP,
    }
)
# "Sortie dynamique" minus further training: lasting employment (CDI, CDD ≥ 6 months, alternance).
LASTING_EMPLOYMENT_SITUATIONS = frozenset(
    {Situation.CDI, Situation.CDD_LONG, Situation.APPRENTICESHIP}
)


class FollowUpSource(models.TextChoices):
    """Who gave an answer: the former learner through the emailed link, or staff."""

    LEARNER = "learner", _("La personne (lien reçu par courriel)")
    COORDINATOR = "coordinator", _("L'équipe (saisie)")


class WageBand(models.TextChoices):
    """Monthly net wage bands (salaire mensuel net, primes comprises, avant impôt).

    Bands, not amounts: people answer a band more readily, and a band is enough for the
    indicators (docs/indicators.md). The 1 400 € boundary sits at about the full-time net
    SMIC, so the first two bands read as « below the minimum wage » (part time) or not.
    """

    UNDER_1000 = "lt_1000", _("Moins de 1 000 €")
    FROM_1000 = "1000_1399", _("De 1 000 à 1 399 €")
    FROM_1400 = "1400_1799", _("De 1 400 à 1 799 €")
    FROM_1800 = "1800_2199", _("De 1 800 à 2 199 €")
    FROM_2200 = "2200_2599", _("De 2 200 à 2 599 €")
    FROM_2600 = "ge_2600", _("2 600 € ou plus")
    UNDISCLOSED = "undisclosed", _("Je préfère ne pas répondre")


# Weekly hours a follow-up accepts: 48 h is the legal weekly maximum (Code du travail L3121-20).
WEEKLY_HOURS_MIN = 1
WEEKLY_HOURS_MAX = 48
