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
