"""Choices of the GDPR context: retention rules, notice states, why a person was anonymised."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class RetentionKind(models.TextChoices):
    CANDIDACY = "candidacy", _("Candidature sans entrée en formation")
    TRAINING = "training", _("Dossier de formation")
    CONTACT = "contact", _("Fiche sans candidature")


class NoticeStatus(models.TextChoices):
    PENDING = "pending", _("Anonymisation prévue")
    CANCELLED = "cancelled", _("Reportée (nouvelle activité)")
    DONE = "done", _("Anonymisée")


class AnonymisationReason(models.TextChoices):
    RETENTION = "retention", _("Fin de la durée de conservation")
    REQUEST = "request", _("Demande d'effacement de la personne")


class RetentionYears(models.IntegerChoices):
    THREE = 3, _("3 ans")
    SIX = 6, _("6 ans")
    TEN = 10, _("10 ans")
