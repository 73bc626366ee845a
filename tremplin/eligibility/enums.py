from django.db import models
from django.utils.translation import gettext_lazy as _


class CriterionLevel(models.TextChoices):
    LEVEL_1 = "1", _("Niveau 1")
    LEVEL_2 = "2", _("Niveau 2")


class DerivedFact(models.TextChoices):
    """The profile facts a criterion may be derived from (engine.eligibility.Fact)."""

    AGE = "age", _("âge (date de naissance)")
    UNEMPLOYED_MONTHS = "unemployed_months", _("durée d'inscription à France Travail")
    QPV = "qpv", _("quartier prioritaire")
    RSA = "rsa", _("RSA")
    DIPLOMA = "diploma", _("diplôme le plus élevé")
    MOBILITY = "mobility", _("mobilité")


class AuthorKind(models.TextChoices):
    HABILITATED_PRESCRIBER = "habilitated", _("Prescripteur habilité")
    PRESCRIBER = "prescriber", _("Prescripteur non habilité")
    COORDINATOR = "coordinator", _("Coordinateur du site")


class DiagnosticStatus(models.TextChoices):
    # Made by a habilitated prescriber (counts everywhere) or a site's coordinator (counts for
    # that site): nobody needs to confirm it.
    AUTHORITATIVE = "authoritative", _("Fait foi")
    TO_CONFIRM = "to_confirm", _("À confirmer par le site")
    CONFIRMED = "confirmed", _("Confirmé par le site")
    REJECTED = "rejected", _("Refusé par le site")


class DiagnosticRejectionReason(models.TextChoices):
    PROOF_UNREADABLE = "proof_unreadable", _("Justificatif illisible ou incomplet")
    PROOF_MISMATCH = "proof_mismatch", _("Justificatif sans rapport avec le critère")
    PROOF_OTHER_PERSON = "proof_other_person", _("Justificatif au nom d'une autre personne")
    CRITERIA_NOT_MET = "criteria_not_met", _("Critères non remplis")
    OTHER = "other", _("Autre motif")


class ProofType(models.TextChoices):
    PDF = "application/pdf", "PDF"
    JPEG = "image/jpeg", "JPEG"
    PNG = "image/png", "PNG"
