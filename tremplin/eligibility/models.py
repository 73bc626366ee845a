"""The criteria catalogue, programmes' rules, diagnostics, their proofs, and acceptances."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models.functions import Length
from django.db.models.lookups import GreaterThanOrEqual
from django.utils.translation import gettext_lazy as _

from tremplin.candidacies.models import Candidacy
from tremplin.organisations.models import Organisation, Site
from tremplin.people.models import Person
from tremplin.programmes.models import Programme

from .enums import (
    AuthorKind,
    CriterionLevel,
    DerivedFact,
    DiagnosticRejectionReason,
    DiagnosticStatus,
    ProofType,
)
from .proofs import MAX_PROOF_BYTES, proof_upload_to

MIN_OVERRIDE_LENGTH = 10


class CriteriaCatalogue(models.Model):
    """One installed version of the criteria file (``criteria/criteria.v<version>.toml``)."""

    version = models.PositiveSmallIntegerField(_("version"), unique=True)
    title = models.CharField(_("intitulé"), max_length=200)
    source = models.CharField(_("source"), max_length=300, blank=True)
    installed_at = models.DateTimeField(_("installé le"), auto_now_add=True)

    class Meta:
        ordering = ["-version"]
        verbose_name = _("catalogue de critères")
        verbose_name_plural = _("catalogues de critères")

    def __str__(self) -> str:
        return f"{self.title} (v{self.version})"


class Criterion(models.Model):
    catalogue = models.ForeignKey(
        CriteriaCatalogue, on_delete=models.CASCADE, related_name="criteria"
    )
    code = models.SlugField(_("code"), max_length=40)
    label = models.CharField(_("libellé"), max_length=200)
    level = models.CharField(_("niveau"), max_length=1, choices=CriterionLevel.choices)
    proof = models.CharField(_("justificatif attendu"), max_length=300)
    proof_validity_days = models.PositiveSmallIntegerField(
        _("validité du justificatif (jours)"), help_text=_("0 : sans limite de durée.")
    )
    derived_fact = models.CharField(
        _("déduit du profil"), max_length=20, choices=DerivedFact.choices, blank=True
    )
    derive_min = models.SmallIntegerField(null=True, blank=True)
    derive_max = models.SmallIntegerField(null=True, blank=True)
    derive_values = models.JSONField(default=list, blank=True)
    derived_is_proof = models.BooleanField(
        _("la valeur déduite tient lieu de justificatif"), default=False
    )
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["catalogue", "level", "position", "id"]
        verbose_name = _("critère d'éligibilité")
        verbose_name_plural = _("critères d'éligibilité")
        constraints = [
            models.UniqueConstraint(fields=["catalogue", "code"], name="criterion_unique_code"),
            models.CheckConstraint(
                condition=models.Q(level__in=CriterionLevel.values), name="criterion_level_known"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.label} (niveau {self.level})"


class EligibilityRule(models.Model):
    """A programme's rule: N level-1 criteria or M level-2 criteria, registration, age."""

    programme = models.OneToOneField(
        Programme,
        verbose_name=_("parcours"),
        on_delete=models.CASCADE,
        related_name="eligibility_rule",
    )
    level1_needed = models.PositiveSmallIntegerField(_("critères de niveau 1 requis"), default=1)
    level2_needed = models.PositiveSmallIntegerField(_("ou critères de niveau 2 requis"), default=2)
    france_travail_required = models.BooleanField(
        _("inscription à France Travail obligatoire"), default=True
    )
    min_age = models.PositiveSmallIntegerField(_("âge minimum"), null=True, blank=True, default=18)
    max_age = models.PositiveSmallIntegerField(_("âge maximum"), null=True, blank=True, default=64)
    updated_at = models.DateTimeField(_("modifiée le"), auto_now=True)

    class Meta:
        ordering = ["programme__name", "id"]
        verbose_name = _("règle d'éligibilité")
        verbose_name_plural = _("règles d'éligibilité")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(level1_needed__gte=1, level2_needed__gte=1),
                name="rule_needs_criteria",
            ),
            models.CheckConstraint(
                condition=models.Q(min_age__isnull=True)
                | models.Q(max_age__isnull=True)
                | models.Q(min_age__lte=models.F("max_age")),
                name="rule_age_bounds_ordered",
            ),
        ]

    def __str__(self) -> str:
        return str(_("Règle d'éligibilité de %(programme)s") % {"programme": self.programme})


class Diagnostic(models.Model):
    """An eligibility diagnostic of a person: criteria met, proofs, author, validity."""

    person = models.ForeignKey(
        Person, verbose_name=_("personne"), on_delete=models.PROTECT, related_name="diagnostics"
    )
    # The candidacy it was made for; it decides the site a non-habilitated diagnostic counts for.
    candidacy = models.ForeignKey(
        Candidacy,
        verbose_name=_("candidature"),
        on_delete=models.PROTECT,
        related_name="diagnostics",
    )
    site = models.ForeignKey(
        Site,
        verbose_name=_("site où il vaut"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="diagnostics",
        help_text=_("Vide : diagnostic d'un prescripteur habilité, valable partout."),
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("auteur"),
        on_delete=models.PROTECT,
        related_name="diagnostics",
    )
    author_organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation de l'auteur"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="diagnostics",
    )
    author_kind = models.CharField(_("qualité de l'auteur"), max_length=20, choices=AuthorKind)
    status = models.CharField(_("statut"), max_length=20, choices=DiagnosticStatus)
    made_at = models.DateTimeField(_("établi le"))
    valid_until = models.DateField(_("valable jusqu'au"))
    registered_with_france_travail = models.BooleanField(
        _("inscrit·e à France Travail"), default=False
    )
    notes = models.TextField(_("observations"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("confirmé ou refusé par"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("confirmé ou refusé le"), null=True, blank=True)
    rejection_reason = models.CharField(
        _("motif du refus"), max_length=30, choices=DiagnosticRejectionReason, blank=True
    )

    class Meta:
        ordering = ["-made_at", "-id"]
        verbose_name = _("diagnostic d'éligibilité")
        verbose_name_plural = _("diagnostics d'éligibilité")
        constraints = [
            # Only a non-habilitated prescriber's diagnostic waits for the site's confirmation.
            models.CheckConstraint(
                condition=(
                    models.Q(author_kind=AuthorKind.PRESCRIBER)
                    & models.Q(
                        status__in=[
                            DiagnosticStatus.TO_CONFIRM,
                            DiagnosticStatus.CONFIRMED,
                            DiagnosticStatus.REJECTED,
                        ]
                    )
                )
                | (
                    models.Q(
                        author_kind__in=[AuthorKind.HABILITATED_PRESCRIBER, AuthorKind.COORDINATOR]
                    )
                    & models.Q(status=DiagnosticStatus.AUTHORITATIVE)
                ),
                name="diagnostic_status_fits_author",
            ),
            # A habilitated prescriber's diagnostic counts everywhere, the others at one site.
            models.CheckConstraint(
                condition=models.Q(author_kind=AuthorKind.HABILITATED_PRESCRIBER, site__isnull=True)
                | (
                    ~models.Q(author_kind=AuthorKind.HABILITATED_PRESCRIBER)
                    & models.Q(site__isnull=False)
                ),
                name="diagnostic_site_iff_not_habilitated",
            ),
            models.CheckConstraint(
                condition=~models.Q(status=DiagnosticStatus.REJECTED)
                | ~models.Q(rejection_reason=""),
                name="diagnostic_rejection_has_reason",
            ),
            models.CheckConstraint(
                condition=models.Q(
                    status__in=[DiagnosticStatus.CONFIRMED, DiagnosticStatus.REJECTED],
                    decided_at__isnull=False,
                )
                | ~models.Q(status__in=[DiagnosticStatus.CONFIRMED, DiagnosticStatus.REJECTED]),
                name="diagnostic_decision_dated",
            ),
            # One diagnostic at a time waits for a site's confirmation for a person.
            models.UniqueConstraint(
                fields=["person", "site"],
                condition=models.Q(status=DiagnosticStatus.TO_CONFIRM),
                name="diagnostic_one_pending_per_person_and_site",
            ),
        ]

    def __str__(self) -> str:
        return str(
            _("Diagnostic de %(person)s du %(day)s")
            % {"person": self.person, "day": f"{self.made_at:%d/%m/%Y}"}
        )


class DiagnosticCriterion(models.Model):
    """A criterion ticked in a diagnostic, and what the profile said about it."""

    diagnostic = models.ForeignKey(Diagnostic, on_delete=models.CASCADE, related_name="criteria")
    criterion = models.ForeignKey(
        Criterion, verbose_name=_("critère"), on_delete=models.PROTECT, related_name="+"
    )
    # « 58 », « Frais Vallon », « none »: the profile's value it was derived from, if any.
    derived_value = models.CharField(_("valeur déduite du profil"), max_length=200, blank=True)
    derived = models.BooleanField(_("déduit du profil"), default=False)
    declarative = models.BooleanField(_("déclaratif"), default=False)
    proof_required = models.BooleanField(_("justificatif exigé"), default=True)

    class Meta:
        ordering = ["diagnostic", "criterion__level", "criterion__position", "id"]
        verbose_name = _("critère retenu")
        verbose_name_plural = _("critères retenus")
        constraints = [
            models.UniqueConstraint(
                fields=["diagnostic", "criterion"], name="diagnostic_criterion_once"
            )
        ]

    def __str__(self) -> str:
        return str(self.criterion)


class Proof(models.Model):
    """A proof document of one ticked criterion, stored outside the web root."""

    diagnostic_criterion = models.ForeignKey(
        DiagnosticCriterion, on_delete=models.CASCADE, related_name="proofs"
    )
    file = models.FileField(upload_to=proof_upload_to, max_length=200)
    original_name = models.CharField(_("nom du fichier envoyé"), max_length=200)
    content_type = models.CharField(_("type"), max_length=30, choices=ProofType)
    size = models.PositiveIntegerField(_("taille (octets)"))
    sha256 = models.CharField(max_length=64)
    issued_on = models.DateField(_("date du document"))
    valid_until = models.DateField(_("valable jusqu'au"), null=True, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("déposé le"))

    class Meta:
        ordering = ["diagnostic_criterion", "uploaded_at", "id"]
        verbose_name = _("justificatif")
        verbose_name_plural = _("justificatifs")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(size__gt=0, size__lte=MAX_PROOF_BYTES),
                name="proof_size_within_limit",
            ),
            models.CheckConstraint(
                condition=models.Q(content_type__in=ProofType.values), name="proof_type_allowed"
            ),
            models.CheckConstraint(
                condition=models.Q(valid_until__isnull=True)
                | models.Q(valid_until__gte=models.F("issued_on")),
                name="proof_valid_after_issue",
            ),
        ]

    def __str__(self) -> str:
        return self.original_name


class Acceptance(models.Model):
    """Why a candidacy could be accepted: a valid diagnostic, or a coordinator's override."""

    candidacy = models.OneToOneField(
        Candidacy,
        verbose_name=_("candidature"),
        on_delete=models.CASCADE,
        related_name="acceptance",
    )
    diagnostic = models.ForeignKey(
        Diagnostic,
        verbose_name=_("diagnostic retenu"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="acceptances",
    )
    override_reason = models.TextField(_("motif de la dérogation"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(_("décidée le"))

    class Meta:
        ordering = ["-decided_at", "-id"]
        verbose_name = _("acceptation")
        constraints = [
            # Either a diagnostic, or a written reason of at least ten characters, never both.
            models.CheckConstraint(
                condition=(models.Q(diagnostic__isnull=False) & models.Q(override_reason=""))
                | (
                    models.Q(diagnostic__isnull=True)
                    & models.Q(GreaterThanOrEqual(Length("override_reason"), MIN_OVERRIDE_LENGTH))
                ),
                name="acceptance_diagnostic_or_override",
            )
        ]

    def __str__(self) -> str:
        return str(self.candidacy)

    @property
    def is_override(self) -> bool:
        return self.diagnostic_id is None
