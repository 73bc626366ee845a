from django.db import models
from django.utils.translation import gettext_lazy as _


class SurveyKind(models.TextChoices):
    MID = "mid", _("À mi-parcours")
    HOT = "hot", _("À chaud (fin de formation)")
    COLD = "cold", _("À froid (3 mois après)")


class QuestionKind(models.TextChoices):
    SCALE = "scale", _("Échelle de 1 à 5")
    TEXT = "text", _("Texte libre")


class ComplaintStatus(models.TextChoices):
    RECEIVED = "received", _("Reçue")
    ACKNOWLEDGED = "acknowledged", _("Accusé de réception envoyé")
    ANALYSED = "analysed", _("Analysée")
    ANSWERED = "answered", _("Réponse apportée")
    CLOSED = "closed", _("Action menée, close")


class ComplaintChannel(models.TextChoices):
    EMAIL = "email", _("Courriel")
    PHONE = "phone", _("Téléphone")
    LETTER = "letter", _("Courrier")
    IN_PERSON = "in_person", _("En personne")
    SURVEY = "survey", _("Enquête de satisfaction")


class ComplainantKind(models.TextChoices):
    LEARNER = "learner", _("Apprenant·e")
    PRESCRIBER = "prescriber", _("Prescripteur")
    EMPLOYER = "employer", _("Employeur")
    FUNDER = "funder", _("Financeur")
    STAFF = "staff", _("Équipe ou formateur")
    OTHER = "other", _("Autre")


class ActionStatus(models.TextChoices):
    PLANNED = "planned", _("Prévue")
    IN_PROGRESS = "in_progress", _("En cours")
    DONE = "done", _("Réalisée")
