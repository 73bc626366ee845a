from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    NETWORK_ADMIN = "network_admin", _("Administrateur du réseau")
    COORDINATOR = "coordinator", _("Coordinateur de site")
    TRAINER = "trainer", _("Formateur")
    PRESCRIBER = "prescriber", _("Prescripteur (conseiller)")
    EMPLOYER = "employer", _("Recruteur employeur")
    FUNDER = "funder", _("Financeur")
    LEARNER = "learner", _("Apprenant")
