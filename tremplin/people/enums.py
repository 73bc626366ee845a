from django.db import models
from django.utils.translation import gettext_lazy as _


class Diploma(models.TextChoices):
    NONE = "none", _("Aucun diplôme")
    CAP_BEP = "cap_bep", _("CAP, BEP")
    BAC = "bac", _("Baccalauréat")
    BAC_2 = "bac2", _("Bac + 2")
    BAC_3_PLUS = "bac3", _("Bac + 3 ou plus")


class Sex(models.TextChoices):
    """Asked for the public-served statistics only (share of women); blank = not stated."""

    FEMALE = "female", _("Femme")
    MALE = "male", _("Homme")


class Mobility(models.TextChoices):
    CAR = "car", _("Véhicule personnel")
    TWO_WHEELER = "two_wheeler", _("Deux-roues")
    PUBLIC_TRANSPORT = "public_transport", _("Transports en commun")
    LIMITED = "limited", _("Mobilité réduite ou difficile")


class LocationSource(models.TextChoices):
    """How a person's coordinates were found; the QPV answer is only as good as this."""

    ADDRESS = "address", _("Adresse géocodée")
    COMMUNE = "commune", _("Centre de la commune (adresse non trouvée)")
    MANUAL = "manual", _("Saisie manuelle")


class MatchReason(models.TextChoices):
    """Why a known person may be the one being referred (tremplin.engine.people_matching)."""

    SAME_IDENTITY = "same_identity", _("mêmes nom, prénom et date de naissance")
    SAME_EMAIL = "same_email", _("même adresse électronique")
    SAME_PHONE = "same_phone", _("même numéro de téléphone")
    SWAPPED_NAMES = "swapped_names", _("même date de naissance, nom et prénom inversés")
    SWAPPED_DAY_MONTH = (
        "swapped_day_month",
        _("mêmes nom et prénom, jour et mois de naissance inversés"),
    )
    SAME_LAST_NAME_INITIAL = (
        "same_last_name_initial",
        _("même date de naissance, même nom et même initiale du prénom"),
    )
    SHARED_LAST_NAME = (
        "shared_last_name",
        _("même date de naissance, même prénom, un nom dans l'autre (nom composé ou d'usage)"),
    )
    CLOSE_SPELLING = (
        "close_spelling",
        _("même date de naissance, nom et prénom à une ou deux lettres près"),
    )


class MergeChoice(models.TextChoices):
    """Which record a merged person's value comes from."""

    KEPT = "kept", _("fiche conservée")
    OTHER = "other", _("autre fiche")
