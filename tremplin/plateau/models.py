"""The technical platform (plateau technique): labs, donated equipment, half-day sessions.

Booking rules held by the database (portable: a half-day is a discrete slot, so plain unique
constraints hold on PostgreSQL and SQLite alike, no range exclusion needed):

- a lab holds one session per half-day (``session_one_per_lab_slot``); together with the
  service's check that the cohort's headcount fits the lab's workstations, a lab never holds
  more learners than its workstations;
- a cohort and a trainer are in one session per half-day;
- a piece of equipment is booked once per half-day (``booking_one_per_equipment_slot``): the
  booking copies its session's date and half-day so the constraint can see them.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tremplin.organisations.models import Organisation, Site

from .enums import EquipmentStatus, EquipmentType, FeedKind, HalfDay, LabKind


class Lab(models.Model):
    """A lab of the site's technical platform (plateau technique)."""

    site = models.ForeignKey(Site, on_delete=models.CASCADE, related_name="labs")
    name = models.CharField(_("nom"), max_length=120)
    # Blank for a lab created before kinds existed: no module that needs a kind may use it
    # until someone says what it is.
    kind = models.CharField(
        _("type de laboratoire"), max_length=20, choices=LabKind.choices, blank=True
    )
    description = models.TextField(_("description"), blank=True)
    workstations = models.PositiveSmallIntegerField(_("postes de travail"), default=6)

    class Meta:
        ordering = ["site", "name", "id"]
        verbose_name = _("laboratoire")
        constraints = [
            models.UniqueConstraint(fields=["site", "name"], name="lab_unique_per_site"),
            models.CheckConstraint(
                condition=models.Q(kind__in=[*LabKind.values, ""]), name="lab_kind_known"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Equipment(models.Model):
    """One item of equipment, usually donated by a partner (donations are reported to them)."""

    lab = models.ForeignKey(
        Lab, verbose_name=_("laboratoire"), on_delete=models.PROTECT, related_name="equipment"
    )
    type = models.CharField(_("type"), max_length=20, choices=EquipmentType.choices)
    serial_number = models.CharField(_("numéro de série"), max_length=80)
    label = models.CharField(_("désignation"), max_length=120, blank=True)
    donor = models.ForeignKey(
        Organisation,
        verbose_name=_("donateur"),
        on_delete=models.PROTECT,
        related_name="donated_equipment",
        null=True,
        blank=True,
    )
    donated_on = models.DateField(_("date du don"), null=True, blank=True)
    status = models.CharField(
        _("statut"),
        max_length=20,
        choices=EquipmentStatus.choices,
        default=EquipmentStatus.IN_SERVICE,
    )

    class Meta:
        ordering = ["lab", "type", "serial_number", "id"]
        verbose_name = _("équipement")
        constraints = [
            # Serial numbers are unique per manufacturer, not across kinds of device.
            models.UniqueConstraint(
                fields=["type", "serial_number"], name="equipment_unique_serial_per_type"
            ),
            models.CheckConstraint(
                condition=models.Q(donor__isnull=True, donated_on__isnull=True)
                | models.Q(donor__isnull=False, donated_on__isnull=False),
                name="equipment_donor_iff_donation_date",
            ),
            models.CheckConstraint(
                condition=~models.Q(serial_number=""), name="equipment_serial_not_empty"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_type_display()} {self.serial_number}"


class SiteClosure(models.Model):
    """Days the site is closed (summer, end of year): no session is planned on them."""

    site = models.ForeignKey(
        Site, verbose_name=_("site"), on_delete=models.CASCADE, related_name="closures"
    )
    start = models.DateField(_("du"))
    end = models.DateField(_("au"))
    reason = models.CharField(_("motif"), max_length=200)

    class Meta:
        ordering = ["site", "start", "id"]
        verbose_name = _("fermeture du site")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end__gte=models.F("start")), name="closure_end_not_before_start"
            )
        ]

    def __str__(self) -> str:
        return f"{self.site} : {self.start} → {self.end} ({self.reason})"


class Session(models.Model):
    """A half-day of training of one cohort, with its trainer, lab and booked equipment."""

    cohort = models.ForeignKey(
        "cohorts.Cohort",
        verbose_name=_("promotion"),
        on_delete=models.CASCADE,
        related_name="sessions",
    )
    date = models.DateField(_("date"))
    half_day = models.CharField(_("demi-journée"), max_length=2, choices=HalfDay.choices)
    trainer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("formateur"),
        on_delete=models.PROTECT,
        related_name="plateau_sessions",
    )
    lab = models.ForeignKey(
        Lab, verbose_name=_("laboratoire"), on_delete=models.PROTECT, related_name="sessions"
    )
    module = models.ForeignKey(
        "programmes.Module",
        verbose_name=_("module"),
        on_delete=models.PROTECT,
        related_name="sessions",
        null=True,
        blank=True,
    )
    # Free text: the session's own title when it has no module (an information meeting),
    # or a precision beside its module.
    title = models.CharField(_("intitulé"), max_length=200, blank=True)
    equipment = models.ManyToManyField(
        Equipment, through="Booking", related_name="sessions", verbose_name=_("équipements")
    )
    # Set by a coordinator: automatic re-planning (tremplin/planner) keeps this session.
    locked = models.BooleanField(_("verrouillée"), default=False)

    class Meta:
        ordering = ["date", "half_day", "lab", "id"]
        verbose_name = _("séance")
        constraints = [
            models.UniqueConstraint(
                fields=["lab", "date", "half_day"], name="session_one_per_lab_slot"
            ),
            models.UniqueConstraint(
                fields=["cohort", "date", "half_day"], name="session_one_per_cohort_slot"
            ),
            models.UniqueConstraint(
                fields=["trainer", "date", "half_day"], name="session_one_per_trainer_slot"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.cohort.name} — {self.date} {self.get_half_day_display()}"

    @property
    def subject(self) -> str:
        """What the session teaches: its module's title, else its free-text title."""
        return self.module.title if self.module is not None else self.title


class Booking(models.Model):
    """A piece of equipment reserved for a session's half-day."""

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="bookings")
    equipment = models.ForeignKey(Equipment, on_delete=models.PROTECT, related_name="bookings")
    # Copied from the session (services write both) so the database sees the slot.
    date = models.DateField(_("date"))
    half_day = models.CharField(_("demi-journée"), max_length=2, choices=HalfDay.choices)

    class Meta:
        ordering = ["date", "half_day", "equipment", "id"]
        verbose_name = _("réservation d'équipement")
        constraints = [
            models.UniqueConstraint(
                fields=["equipment", "date", "half_day"], name="booking_one_per_equipment_slot"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.equipment} — {self.date} {self.get_half_day_display()}"


class CalendarFeed(models.Model):
    """A secret iCalendar URL for a cohort's or a trainer's sessions, revocable.

    The token is stored as it is (not only its hash): a calendar application re-reads the URL
    for months, so its owner must be able to copy it again from the page. A reader of the
    database could read the feeds, nothing more: a feed shows sessions, never people's data.
    Lookups go through ``token_hash`` (sha256) so the database's comparison never works on the
    secret itself, and the view compares the token in constant time. Revoking keeps the row
    (audit); a new link is a new row, and one live feed per cohort or trainer is held by
    the partial unique constraints.
    """

    kind = models.CharField(_("type"), max_length=10, choices=FeedKind.choices)
    cohort = models.ForeignKey(
        "cohorts.Cohort",
        verbose_name=_("promotion"),
        on_delete=models.CASCADE,
        related_name="calendar_feeds",
        null=True,
        blank=True,
    )
    trainer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("formateur"),
        on_delete=models.CASCADE,
        related_name="calendar_feeds",
        null=True,
        blank=True,
    )
    token = models.CharField(_("jeton"), max_length=64)
    token_hash = models.CharField(_("empreinte du jeton"), max_length=64, unique=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("créé par"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("créé le"), default=timezone.now)
    revoked_at = models.DateTimeField(_("révoqué le"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("abonnement au calendrier")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind=FeedKind.COHORT, cohort__isnull=False, trainer__isnull=True)
                | models.Q(kind=FeedKind.TRAINER, trainer__isnull=False, cohort__isnull=True),
                name="feed_one_subject_matching_kind",
            ),
            models.UniqueConstraint(
                fields=["cohort"],
                condition=models.Q(revoked_at__isnull=True, cohort__isnull=False),
                name="feed_one_live_per_cohort",
            ),
            models.UniqueConstraint(
                fields=["trainer"],
                condition=models.Q(revoked_at__isnull=True, trainer__isnull=False),
                name="feed_one_live_per_trainer",
            ),
            models.CheckConstraint(condition=~models.Q(token=""), name="feed_token_not_empty"),
        ]

    def __str__(self) -> str:
        subject = self.cohort.name if self.cohort is not None else str(self.trainer)
        return f"{self.get_kind_display()} — {subject}"
