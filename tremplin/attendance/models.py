"""Attendance sheets: one per half-day session, a line per learner, then the trainer's seal.

A sheet is written in two stages. While it is open, each learner signs (on the trainer's
screen or on their phone through a short-lived link) or is marked absent; every signature
stores when, how, by which account, from which device and address, and the hash of the
sheet's content as it then stood. Once the trainer countersigns, the sheet is sealed: its
content hash is kept, nothing on it changes any more, and a later fact (an absence justified
by a sick note the next day) is an ``AttendanceCorrection`` linked to the line it corrects.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tremplin.cohorts.models import Enrolment
from tremplin.plateau.models import Session

from .enums import Presence, SignatureMethod


class AttendanceSheet(models.Model):
    """The attendance sheet of one half-day session."""

    session = models.OneToOneField(
        Session,
        verbose_name=_("séance"),
        on_delete=models.PROTECT,
        related_name="attendance_sheet",
    )
    opened_at = models.DateTimeField(_("ouverte le"), default=timezone.now)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("ouverte par"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    countersigned_at = models.DateTimeField(_("contresignée le"), null=True, blank=True)
    countersigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("contresignée par"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    countersign_ip = models.GenericIPAddressField(_("adresse IP"), null=True, blank=True)
    countersign_device = models.CharField(_("appareil"), max_length=300, blank=True)
    content_hash = models.CharField(_("empreinte du contenu"), max_length=64, blank=True)

    class Meta:
        ordering = ["session__date", "session__half_day", "id"]
        verbose_name = _("feuille d'émargement")
        verbose_name_plural = _("feuilles d'émargement")
        constraints = [
            # A sealed sheet has its seal whole: who, when and the hash of what they sealed.
            models.CheckConstraint(
                condition=models.Q(
                    countersigned_at__isnull=True, countersigned_by__isnull=True, content_hash=""
                )
                | (
                    models.Q(countersigned_at__isnull=False, countersigned_by__isnull=False)
                    & ~models.Q(content_hash="")
                ),
                name="sheet_seal_complete",
            )
        ]

    def __str__(self) -> str:
        return str(self.session)

    @property
    def is_sealed(self) -> bool:
        return self.countersigned_at is not None


class SigningLink(models.Model):
    """A short-lived link (shown as a QR code) through which learners sign on their phone.

    Only the sha256 of the token is stored: the link lives minutes, and is shown once.
    """

    sheet = models.ForeignKey(
        AttendanceSheet, on_delete=models.CASCADE, related_name="signing_links"
    )
    token_hash = models.CharField(_("empreinte du jeton"), max_length=64, unique=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("créé le"), default=timezone.now)
    expires_at = models.DateTimeField(_("expire le"))

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("lien d'émargement")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(expires_at__gt=models.F("created_at")),
                name="signing_link_expires_after_creation",
            )
        ]

    def __str__(self) -> str:
        return f"{self.sheet} — {self.expires_at:%H:%M}"


class AttendanceEntry(models.Model):
    """A learner's line on a sheet: their signature (present or late), or their absence."""

    sheet = models.ForeignKey(AttendanceSheet, on_delete=models.PROTECT, related_name="entries")
    enrolment = models.ForeignKey(
        Enrolment,
        verbose_name=_("inscription"),
        on_delete=models.PROTECT,
        related_name="attendance_entries",
    )
    presence = models.CharField(_("présence"), max_length=10, choices=Presence.choices)
    minutes_late = models.PositiveSmallIntegerField(_("minutes de retard"), null=True, blank=True)
    # The signature, when the learner signed.
    signed_at = models.DateTimeField(_("signé le"), null=True, blank=True)
    method = models.CharField(
        _("mode de signature"), max_length=20, choices=SignatureMethod.choices, blank=True
    )
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("compte authentifié"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    ip = models.GenericIPAddressField(_("adresse IP"), null=True, blank=True)
    device = models.CharField(_("appareil"), max_length=300, blank=True)
    sheet_hash = models.CharField(_("empreinte de la feuille"), max_length=64, blank=True)
    # The absence's justification, when there is one.
    justified = models.BooleanField(_("justifiée"), default=False)
    justification = models.CharField(_("justificatif"), max_length=300, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("saisi par"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("saisi le"), default=timezone.now)

    class Meta:
        ordering = ["sheet", "enrolment__candidacy__person__last_name", "id"]
        verbose_name = _("ligne d'émargement")
        verbose_name_plural = _("lignes d'émargement")
        constraints = [
            # Signing twice is refused by the service, and by this constraint under a race.
            models.UniqueConstraint(fields=["sheet", "enrolment"], name="entry_one_per_learner"),
            models.CheckConstraint(
                condition=(
                    models.Q(presence=Presence.ABSENT, signed_at__isnull=True, method="")
                    | (
                        models.Q(
                            presence__in=[Presence.PRESENT, Presence.LATE],
                            signed_at__isnull=False,
                            signed_by__isnull=False,
                        )
                        & ~models.Q(method="")
                        & ~models.Q(sheet_hash="")
                    )
                ),
                name="entry_signed_iff_present",
            ),
            models.CheckConstraint(
                condition=models.Q(presence=Presence.LATE, minutes_late__gt=0)
                | (~models.Q(presence=Presence.LATE) & models.Q(minutes_late__isnull=True)),
                name="entry_minutes_late_iff_late",
            ),
            models.CheckConstraint(
                condition=models.Q(justified=False) | ~models.Q(justification=""),
                name="entry_justified_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.enrolment.person} — {self.sheet}"


class AttendanceCorrection(models.Model):
    """A correction of a sealed sheet's line: the new facts, why, by whom. Never edited."""

    entry = models.ForeignKey(AttendanceEntry, on_delete=models.PROTECT, related_name="corrections")
    presence = models.CharField(_("présence"), max_length=10, choices=Presence.choices)
    minutes_late = models.PositiveSmallIntegerField(_("minutes de retard"), null=True, blank=True)
    justified = models.BooleanField(_("absence justifiée"), default=False)
    justification = models.CharField(_("justificatif"), max_length=300, blank=True)
    reason = models.CharField(_("motif de la rectification"), max_length=300)
    made_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("rectifiée par"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    made_at = models.DateTimeField(_("rectifiée le"), default=timezone.now)
    # Chains the correction to the sealed sheet: sha256(sheet hash + this correction).
    content_hash = models.CharField(_("empreinte"), max_length=64)

    class Meta:
        ordering = ["entry", "made_at", "id"]
        verbose_name = _("rectification d'émargement")
        constraints = [
            models.CheckConstraint(condition=~models.Q(reason=""), name="correction_has_reason"),
            models.CheckConstraint(
                condition=models.Q(presence=Presence.LATE, minutes_late__gt=0)
                | (~models.Q(presence=Presence.LATE) & models.Q(minutes_late__isnull=True)),
                name="correction_minutes_late_iff_late",
            ),
            models.CheckConstraint(
                condition=models.Q(justified=False)
                | (models.Q(presence=Presence.ABSENT) & ~models.Q(justification="")),
                name="correction_justified_absence_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.entry} — {self.get_presence_display()}"


class AbsenceAlert(models.Model):
    """Two unjustified absent half-days in a row: the coordinator calls the learner
    (drop-out prevention, Qualiopi indicator 12)."""

    enrolment = models.ForeignKey(
        Enrolment, verbose_name=_("inscription"), on_delete=models.PROTECT, related_name="+"
    )
    first_sheet = models.ForeignKey(AttendanceSheet, on_delete=models.PROTECT, related_name="+")
    second_sheet = models.ForeignKey(AttendanceSheet, on_delete=models.PROTECT, related_name="+")
    raised_at = models.DateTimeField(_("levée le"), default=timezone.now)
    handled_at = models.DateTimeField(_("traitée le"), null=True, blank=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("traitée par"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    handling_note = models.TextField(_("suite donnée"), blank=True)

    class Meta:
        ordering = ["handled_at", "-raised_at", "id"]
        verbose_name = _("alerte d'absences")
        constraints = [
            models.UniqueConstraint(
                fields=["enrolment", "second_sheet"], name="alert_one_per_absence_pair"
            ),
            models.CheckConstraint(
                condition=models.Q(handled_at__isnull=True, handled_by__isnull=True)
                | (
                    models.Q(handled_at__isnull=False, handled_by__isnull=False)
                    & ~models.Q(handling_note="")
                ),
                name="alert_handled_with_note",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.enrolment.person} — {self.second_sheet}"
