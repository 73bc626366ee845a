"""Choices of attendance: a learner's presence on a half-day, and how they signed."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Presence(models.TextChoices):
    PRESENT = "present", _("Présent·e")
    LATE = "late", _("En retard")
    ABSENT = "absent", _("Absent·e")


class SignatureMethod(models.TextChoices):
    TRAINER_SCREEN = "trainer_screen", _("Sur l'écran du formateur")
    OWN_PHONE = "own_phone", _("Sur son téléphone (QR code ou lien)")
