"""Sensitive data kept apart from the person's record and encrypted, and consents with their text.

``SensitiveProfile`` holds a person's health data (RQTH, workplace adjustments) and detailed
social situation (benefits, housing, family constraints, social follow-up) as ONE encrypted
JSON document (``crypto.py``), not one encrypted column per field, because:

- a column per field would still show in clear WHICH fields are filled (an empty RQTH column
  and a filled one differ in length): the blob hides even that;
- these data are never filtered or sorted on (nobody may search people by disability or
  benefits), so there is nothing to index; one decryption gives the whole page;
- adding a field changes the document, not the schema: no migration re-encrypting a table.

The person's ``receives_rsa`` and ``job_seeker_since`` stay on ``Person``: they are
eligibility criteria counted by funders' reports; the details live here.

Reads go through ``services.sensitive_profile_read`` (permission + one audit entry per read);
``data`` below is the raw decrypted content for services, never for views.
"""

import datetime
from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from . import crypto
from .consent_texts import text_of
from .enums import Benefit, ConsentPurpose, Housing

# The content of a profile: field name → French label, in display order.
SENSITIVE_FIELDS: dict[str, Any] = {
    "rqth": gettext_lazy("Reconnaissance de la qualité de travailleur handicapé (RQTH)"),
    "rqth_valid_until": gettext_lazy("RQTH valable jusqu'au"),
    "health_restrictions": gettext_lazy("Aménagements de poste et restrictions de santé"),
    "benefits": gettext_lazy("Allocations et aides perçues"),
    "housing": gettext_lazy("Situation de logement"),
    "family_constraints": gettext_lazy("Garde d'enfants et contraintes familiales"),
    "social_worker": gettext_lazy("Suivi par un travailleur social"),
    "notes": gettext_lazy("Observations"),
}
TEXT_FIELDS = ("health_restrictions", "family_constraints", "social_worker", "notes")


def empty_content() -> dict[str, Any]:
    return {
        "rqth": None,
        "rqth_valid_until": None,
        "health_restrictions": "",
        "benefits": [],
        "housing": "",
        "family_constraints": "",
        "social_worker": "",
        "notes": "",
    }


class SensitiveProfile(models.Model):
    # Another helper's GDPR erasure and export walk the models tied to a person through these.
    gdpr_erase = "delete"

    person = models.OneToOneField(
        "people.Person",
        verbose_name=gettext_lazy("personne"),
        on_delete=models.CASCADE,
        related_name="sensitive_profile",
    )
    # fk1:<key id>:<Fernet token> of the JSON content (crypto.py). Never plaintext.
    ciphertext = models.TextField(editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(gettext_lazy("mis à jour le"))
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=gettext_lazy("mis à jour par"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["id"]
        verbose_name = gettext_lazy("situation et santé (chiffrée)")
        verbose_name_plural = gettext_lazy("situations et santé (chiffrées)")

    def __str__(self) -> str:
        # Never the content: this shows in the admin, logs and error pages.
        return _("Données sensibles de la personne n° %(id)s") % {"id": self.person_id}

    @property
    def data(self) -> dict[str, Any]:
        content = empty_content()
        if self.ciphertext:
            content.update(crypto.decrypt_json(self.ciphertext))
        if content["rqth_valid_until"]:
            content["rqth_valid_until"] = datetime.date.fromisoformat(content["rqth_valid_until"])
        return content

    def set_data(self, content: dict[str, Any]) -> None:
        self.ciphertext = crypto.encrypt_json(content)

    def gdpr_export(self) -> dict[str, Any]:
        """The decrypted content with French labels, for the person's data export (the caller
        checks the permission and logs the export)."""
        return readable(self.data)


def readable(content: dict[str, Any]) -> dict[str, Any]:
    """Label → value as a person reads it (oui / non, dates dd/mm/yyyy, labels of choices)."""
    rqth = content["rqth"]
    until = content["rqth_valid_until"]
    values: dict[str, Any] = {
        "rqth": _("non renseigné") if rqth is None else (_("oui") if rqth else _("non")),
        "rqth_valid_until": until.strftime("%d/%m/%Y") if until else "",
        "benefits": [str(Benefit(code).label) for code in content["benefits"]],
        "housing": str(Housing(content["housing"]).label) if content["housing"] else "",
    }
    values.update({name: content[name] for name in TEXT_FIELDS})
    return {str(label): values[name] for name, label in SENSITIVE_FIELDS.items()}


class ConsentRecord(models.Model):
    """One consent given, with the version and hash of the text agreed to, and its withdrawal.

    ``given_by`` / ``withdrawn_by`` is the professional who recorded it (on the person's word),
    or empty when the person acted themself (public application, their own account). A consent
    given again after a withdrawal is a new record. The person's booleans
    (``consent_employers``...) stay the fast flag that every query filters on.
    """

    gdpr_erase = "delete"

    person = models.ForeignKey(
        "people.Person",
        verbose_name=gettext_lazy("personne"),
        on_delete=models.CASCADE,
        related_name="consent_records",
    )
    purpose = models.CharField(gettext_lazy("objet"), max_length=20, choices=ConsentPurpose.choices)
    text_version = models.CharField(gettext_lazy("version du texte"), max_length=20)
    # Empty when the text is unknown (consents recorded before the texts were versioned).
    text_sha256 = models.CharField(gettext_lazy("empreinte du texte"), max_length=64, blank=True)
    given_at = models.DateTimeField(gettext_lazy("donné le"))
    given_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=gettext_lazy("recueilli par"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    withdrawn_at = models.DateTimeField(gettext_lazy("retiré le"), null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=gettext_lazy("retrait enregistré par"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["person", "-given_at", "-id"]
        verbose_name = gettext_lazy("consentement")
        verbose_name_plural = gettext_lazy("consentements")
        indexes = [models.Index(fields=["person", "purpose"], name="consent_person_purpose")]
        # No "one active consent per purpose" constraint: merging two records of one person
        # brings both people's consents together, and a merge must not fail for that.
        constraints = [
            models.CheckConstraint(
                condition=models.Q(withdrawn_at__isnull=True)
                | models.Q(withdrawn_at__gte=models.F("given_at")),
                name="consent_withdrawn_after_given",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_purpose_display()} ({self.text_version})"

    @property
    def active(self) -> bool:
        return self.withdrawn_at is None

    @property
    def text(self) -> str:
        known = text_of(self.purpose, self.text_version)
        return known.text if known is not None else ""

    def gdpr_export(self) -> dict[str, Any]:
        return {
            _("Objet"): str(self.get_purpose_display()),
            _("Version du texte"): self.text_version,
            _("Texte"): self.text,
            _("Donné le"): self.given_at.isoformat(),
            _("Retiré le"): self.withdrawn_at.isoformat() if self.withdrawn_at else "",
        }
