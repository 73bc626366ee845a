"""A person referred to a programme, with the facts selection and eligibility rely on."""

import datetime
import unicodedata

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.db.models.functions import Lower, Replace, Right
from django.utils.translation import gettext_lazy as _

from .enums import Diploma, LocationSource, Mobility, Sex


def normalise_name(name: str) -> str:
    """« Rose-Marie  D'ÉTIENNE » → « rose-marie d'etienne »: how people compare names."""
    decomposed = unicodedata.normalize("NFKD", name)
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(bare.casefold().split())


def identity_key(first_name: str, last_name: str, birth_date: datetime.date) -> str:
    return f"{normalise_name(last_name)}|{normalise_name(first_name)}|{birth_date.isoformat()}"


# What people type between the digits of a phone number.
PHONE_SEPARATORS = (" ", ".", "-", "/", "(", ")")


def phone_digits_expression(field: str = "phone") -> models.Func | models.F:
    """The phone as stored, without the separators people type between digits."""
    expression: models.Func | models.F = models.F(field)
    for separator in PHONE_SEPARATORS:
        expression = Replace(expression, models.Value(separator), models.Value(""))
    return expression


def phone_tail_expression(field: str = "phone") -> models.Func:
    """The phone's last nine characters once separators are gone: « 06 12 34 56 78 » and
    « +33 6 12 34 56 78 » both give « 612345678 ». The database computes (and indexes) it the
    way ``tremplin.engine.people_matching.phone_tail`` does, so a lookup finds both forms.
    """
    return Right(phone_digits_expression(field), 9)


class Person(models.Model):
    first_name = models.CharField(_("prénom"), max_length=80)
    last_name = models.CharField(_("nom"), max_length=80)
    birth_date = models.DateField(_("date de naissance"))
    email = models.EmailField(_("adresse électronique"), blank=True)
    phone = models.CharField(_("téléphone"), max_length=20, blank=True)
    address = models.CharField(_("adresse"), max_length=250, blank=True)
    commune = models.CharField(_("commune"), max_length=120)
    postal_code = models.CharField(_("code postal"), max_length=5)
    # Where the address lies, found in the background (tremplin.geo): empty until located.
    commune_insee = models.CharField(_("code INSEE de la commune"), max_length=5, blank=True)
    latitude = models.FloatField(_("latitude"), null=True, blank=True)
    longitude = models.FloatField(_("longitude"), null=True, blank=True)
    location_source = models.CharField(
        _("origine de la localisation"), max_length=20, choices=LocationSource.choices, blank=True
    )
    qpv_code = models.CharField(_("quartier prioritaire (détecté)"), max_length=20, blank=True)
    qpv_name = models.CharField(_("nom du quartier prioritaire"), max_length=200, blank=True)
    located_at = models.DateTimeField(_("localisé le"), null=True, blank=True)
    job_seeker_since = models.DateField(
        _("inscrit·e à France Travail depuis"), null=True, blank=True
    )
    receives_rsa = models.BooleanField(_("bénéficiaire du RSA"), default=False)
    qpv_declared = models.BooleanField(
        _("réside en quartier prioritaire (déclaratif)"), default=False
    )
    highest_diploma = models.CharField(
        _("diplôme le plus élevé"), max_length=10, choices=Diploma.choices
    )
    # Optional, for the public-served figures only (docs/indicators.md); blank = not stated.
    sex = models.CharField(_("sexe"), max_length=10, choices=Sex.choices, blank=True)
    has_driving_licence = models.BooleanField(_("permis B"), default=False)
    mobility = models.CharField(_("mobilité"), max_length=20, choices=Mobility.choices)
    consent_programme = models.BooleanField(
        _("consent au partage de ses données avec le programme"), default=False
    )
    consent_employers = models.BooleanField(
        _("consent à la transmission de son profil aux employeurs partenaires"), default=False
    )
    consent_at = models.DateTimeField(_("date du consentement"), null=True, blank=True)
    # Same person = same names (ignoring case, accents, spacing) and birth date; see identity_key.
    identity_key = models.CharField(max_length=200, unique=True, editable=False)
    account = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("compte apprenant"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="person",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["last_name", "first_name", "id"]
        verbose_name = _("personne")
        # Likely duplicates are looked up by birth date, email and phone (people.selectors).
        indexes = [
            models.Index(fields=["birth_date"], name="person_birth_date"),
            models.Index(Lower("email"), name="person_email_lower"),
            models.Index(phone_tail_expression(), name="person_phone_tail"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(consent_programme=True), name="person_consented_to_programme"
            ),
        ]

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name.upper()}"

    def age_on(self, day: datetime.date) -> int:
        before_birthday = (day.month, day.day) < (self.birth_date.month, self.birth_date.day)
        return day.year - self.birth_date.year - int(before_birthday)

    def unemployed_months_on(self, day: datetime.date) -> int | None:
        if not self.job_seeker_since:
            return None
        start = self.job_seeker_since
        return (day.year - start.year) * 12 + day.month - start.month - int(day.day < start.day)


class PersonMerge(models.Model):
    """Two records of one person made one, with what a network admin needs to undo it.

    The people are referred to by id, not by foreign key: the removed person no longer
    exists, the kept one may be merged again later, and the log must outlive both.
    ``snapshot`` holds both people's fields before the merge, the kept one's after it, and
    every row that moved from the removed person to the kept one (model label, pk, field).
    """

    at = models.DateTimeField(_("date"), db_index=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("fusionnée par"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    network = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("réseau"),
        on_delete=models.PROTECT,
        related_name="person_merges",
    )
    kept_person_id = models.PositiveBigIntegerField(_("personne conservée"), db_index=True)
    removed_person_id = models.PositiveBigIntegerField(_("personne retirée"), db_index=True)
    snapshot = models.JSONField(encoder=DjangoJSONEncoder)
    undone_at = models.DateTimeField(_("annulée le"), null=True, blank=True)
    undone_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("annulée par"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("fusion de personnes")
        verbose_name_plural = _("fusions de personnes")
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(kept_person_id=models.F("removed_person_id")),
                name="personmerge_two_people",
            ),
            models.CheckConstraint(
                condition=models.Q(undone_by__isnull=True) | models.Q(undone_at__isnull=False),
                name="personmerge_undone_by_iff_undone",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.removed_name} → {self.kept_name}"

    @staticmethod
    def _name(fields: dict[str, object]) -> str:
        return f"{fields.get('first_name', '')} {str(fields.get('last_name', '')).upper()}"

    @property
    def kept_name(self) -> str:
        return self._name(self.snapshot.get("kept_after", {}))

    @property
    def removed_name(self) -> str:
        return self._name(self.snapshot.get("removed", {}))

    @property
    def moved_count(self) -> int:
        return len(self.snapshot.get("moved", []))
