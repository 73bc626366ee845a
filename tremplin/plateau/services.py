"""Writes on the technical platform: equipment, its maintenance, site closures, sessions.

A session is checked here first, to say in French what is wrong; the unique constraints of
``models.py`` close the race between two coordinators: the loser's ``IntegrityError`` is
turned into the same message by checking again once the winner has committed.
"""

import datetime
import hashlib
import secrets
from typing import Any

import holidays
from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tremplin.accounts.enums import Role
from tremplin.cohorts.enums import EnrolmentStatus
from tremplin.cohorts.models import Cohort
from tremplin.core.audit import audit
from tremplin.core.models import TransitionLog
from tremplin.core.workflow import TransitionNotAllowed
from tremplin.organisations.models import Organisation, Site
from tremplin.programmes.models import Module

from .enums import EquipmentStatus, EquipmentType, FeedKind, HalfDay, LabKind
from .models import Booking, CalendarFeed, Equipment, Lab, Session, SiteClosure
from .workflow import equipment_workflow

# The hours of each half-day, for calendars and (later) attendance sheets; a site may
# override them with the setting PLATEAU_HALF_DAY_HOURS.
DEFAULT_HALF_DAY_HOURS = {
    HalfDay.AM: (datetime.time(9, 0), datetime.time(12, 30)),
    HalfDay.PM: (datetime.time(13, 30), datetime.time(17, 0)),
}


def half_day_hours() -> dict[str, tuple[datetime.time, datetime.time]]:
    return getattr(settings, "PLATEAU_HALF_DAY_HOURS", DEFAULT_HALF_DAY_HOURS)


class PlateauError(Exception):
    """A refused write; ``message`` is translated into the active language, for the page."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def public_holiday(day: datetime.date) -> str | None:
    """The name of the French public holiday on ``day``, if it is one."""
    return holidays.country_holidays("FR", years=day.year).get(day)


# Equipment.


def equipment_create(
    *,
    by: Any,
    lab: Lab,
    type: str,
    serial_number: str,
    label: str = "",
    donor: Organisation | None = None,
    donated_on: datetime.date | None = None,
) -> Equipment:
    serial_number = serial_number.strip()
    if not serial_number:
        raise PlateauError(_("Le numéro de série est obligatoire."))
    if (donor is None) != (donated_on is None):
        raise PlateauError(_("Un don se déclare avec son donateur et sa date."))
    if Equipment.objects.filter(type=type, serial_number=serial_number).exists():
        raise PlateauError(
            _("Un équipement de ce type porte déjà le numéro de série %(serial)s.")
            % {"serial": serial_number}
        )
    with transaction.atomic():
        equipment = Equipment.objects.create(
            lab=lab,
            type=type,
            serial_number=serial_number,
            label=label,
            donor=donor,
            donated_on=donated_on,
        )
        audit(actor=by, action="equipment.create", obj=equipment, lab=lab.pk)
    return equipment


def equipment_transition(
    *, equipment: Equipment, transition: str, by: Any, notes: str = ""
) -> TransitionLog:
    """Change the equipment's status; ``notes`` go to the maintenance log."""
    try:
        with transaction.atomic():
            log = equipment_workflow.apply(equipment, transition, by=by, comment=notes.strip())
            audit(actor=by, action=f"equipment.{transition}", obj=equipment)
    except TransitionNotAllowed as error:
        raise PlateauError(error.message) from None
    return log


# Site closures.


def closure_create(
    *, by: Any, site: Site, start: datetime.date, end: datetime.date, reason: str
) -> SiteClosure:
    reason = reason.strip()
    if end < start:
        raise PlateauError(_("La fin de la fermeture ne peut précéder son début."))
    if not reason:
        raise PlateauError(_("Indiquez le motif de la fermeture."))
    with transaction.atomic():
        closure = SiteClosure.objects.create(site=site, start=start, end=end, reason=reason)
        audit(actor=by, action="closure.create", obj=closure)
    return closure


# Sessions.


def _check_session(
    *,
    cohort: Cohort,
    date: datetime.date,
    half_day: str,
    trainer: Any,
    lab: Lab,
    equipment: list[Equipment],
    module: Module | None = None,
    exclude: int | None = None,
) -> None:
    """Every rule of a half-day session, in the order a coordinator would fix them."""
    if half_day not in HalfDay.values:
        raise PlateauError(_("Choisissez le matin ou l'après-midi."))
    if not cohort.start_date <= date <= cohort.end_date:
        raise PlateauError(
            _("La séance doit avoir lieu pendant la promotion (du %(start)s au %(end)s).")
            % {
                "start": cohort.start_date.strftime("%d/%m/%Y"),
                "end": cohort.end_date.strftime("%d/%m/%Y"),
            }
        )
    if name := public_holiday(date):
        raise PlateauError(
            _("Le %(date)s est un jour férié (%(name)s).")
            % {"date": date.strftime("%d/%m/%Y"), "name": name}
        )
    closure = SiteClosure.objects.filter(site_id=cohort.site_id, start__lte=date, end__gte=date)
    if closed := closure.first():
        raise PlateauError(
            _("Le site est fermé le %(date)s (%(reason)s).")
            % {"date": date.strftime("%d/%m/%Y"), "reason": closed.reason}
        )
    if lab.site_id != cohort.site_id:
        raise PlateauError(_("Ce laboratoire n'est pas sur le site de la promotion."))
    if trainer.role != Role.TRAINER or trainer.site_id != cohort.site_id:
        raise PlateauError(_("Choisissez un formateur du site de la promotion."))
    headcount = cohort.enrolments.filter(status=EnrolmentStatus.IN_TRAINING).count()
    if headcount > lab.workstations:
        raise PlateauError(
            _(
                "Le laboratoire « %(lab)s » a %(stations)s postes pour %(count)s "
                "apprenants en formation."
            )
            % {"lab": lab.name, "stations": lab.workstations, "count": headcount}
        )
    for item in equipment:
        if item.lab.site_id != cohort.site_id:
            raise PlateauError(
                _("L'équipement %(item)s appartient à un autre site.") % {"item": item}
            )
        if item.status != EquipmentStatus.IN_SERVICE:
            raise PlateauError(
                _("L'équipement %(item)s n'est pas en service (%(status)s).")
                % {"item": item, "status": item.get_status_display()}
            )
    if module is not None:
        _check_module(cohort=cohort, lab=lab, equipment=equipment, module=module)
    slot = Session.objects.filter(date=date, half_day=half_day)
    bookings = Booking.objects.filter(date=date, half_day=half_day, equipment__in=equipment)
    if exclude is not None:
        slot = slot.exclude(pk=exclude)
        bookings = bookings.exclude(session_id=exclude)
    if slot.filter(lab=lab).exists():
        raise PlateauError(
            _("Le laboratoire « %(lab)s » est déjà occupé sur cette demi-journée.")
            % {"lab": lab.name}
        )
    if slot.filter(cohort=cohort).exists():
        raise PlateauError(_("La promotion a déjà une séance sur cette demi-journée."))
    if slot.filter(trainer=trainer).exists():
        raise PlateauError(
            _("%(trainer)s anime déjà une séance sur cette demi-journée.")
            % {"trainer": trainer.get_full_name() or trainer.email}
        )
    taken = bookings.select_related("equipment").first()
    if taken is not None:
        raise PlateauError(
            _("L'équipement %(item)s est déjà réservé sur cette demi-journée.")
            % {"item": taken.equipment}
        )


def _check_module(*, cohort: Cohort, lab: Lab, equipment: list[Equipment], module: Module) -> None:
    """A module's session is in a lab of the kind it needs, with the equipment it needs."""
    if module.programme_id != cohort.programme_id:
        raise PlateauError(
            _("Le module « %(module)s » n'appartient pas au parcours de la promotion.")
            % {"module": module.title}
        )
    if lab.kind != module.lab_kind:
        kinds = dict(LabKind.choices)
        raise PlateauError(
            _(
                "Le module « %(module)s » se tient dans un laboratoire « %(needed)s » : "
                "« %(lab)s » est de type « %(kind)s »."
            )
            % {
                "module": module.title,
                "needed": kinds[module.lab_kind],
                "lab": lab.name,
                "kind": kinds.get(lab.kind, _("non renseigné")),
            }
        )
    booked = {item.type for item in equipment}
    missing = [t for t in module.equipment_types if t not in booked]
    if missing:
        labels = dict(EquipmentType.choices)
        raise PlateauError(
            _("Le module « %(module)s » demande de réserver aussi : %(missing)s.")
            % {"module": module.title, "missing": ", ".join(str(labels[t]) for t in missing)}
        )


def _write_bookings(session: Session, equipment: list[Equipment]) -> None:
    Booking.objects.bulk_create(
        Booking(session=session, equipment=item, date=session.date, half_day=session.half_day)
        for item in equipment
    )


def session_create(
    *,
    by: Any,
    cohort: Cohort,
    date: datetime.date,
    half_day: str,
    trainer: Any,
    lab: Lab,
    equipment: list[Equipment] | None = None,
    module: Module | None = None,
    title: str = "",
) -> Session:
    """Plan a half-day; refused with a message if any rule of ``_check_session`` fails."""
    equipment = list(equipment or [])
    rules = {
        "cohort": cohort,
        "date": date,
        "half_day": half_day,
        "trainer": trainer,
        "lab": lab,
        "equipment": equipment,
        "module": module,
    }
    _check_session(**rules)
    try:
        with transaction.atomic():
            session = Session.objects.create(
                cohort=cohort,
                date=date,
                half_day=half_day,
                trainer=trainer,
                lab=lab,
                module=module,
                title=title.strip(),
            )
            _write_bookings(session, equipment)
            audit(
                actor=by,
                action="session.create",
                obj=session,
                module=module.pk if module is not None else "",
                equipment=",".join(str(e.pk) for e in equipment),
            )
    except IntegrityError:
        # Another coordinator took the slot between our check and our insert; now that
        # their transaction has committed, the check names what they took.
        _check_session(**rules)
        raise PlateauError(_("Ce créneau vient d'être pris : rechargez le calendrier.")) from None
    return session


def session_update(
    *,
    by: Any,
    session: Session,
    date: datetime.date,
    half_day: str,
    trainer: Any,
    lab: Lab,
    equipment: list[Equipment],
    module: Module | None = None,
    title: str = "",
) -> Session:
    """Move or re-equip a session: the same rules as a new one, ignoring itself."""
    sheet_started = Session.objects.filter(
        pk=session.pk, attendance_sheet__entries__isnull=False
    ).exists()
    what_was_signed = (session.date, session.half_day, session.trainer_id, session.module_id)
    if sheet_started and what_was_signed != (
        date,
        half_day,
        trainer.pk,
        module.pk if module else None,
    ):
        # Signatures vouch for a day, a half-day, a trainer and a module: those stay put.
        raise PlateauError(
            _(
                "Des apprenant·es ont déjà émargé cette demi-journée : sa date, son formateur "
                "et son module ne changent plus."
            )
        )
    rules = {
        "cohort": session.cohort,
        "date": date,
        "half_day": half_day,
        "trainer": trainer,
        "lab": lab,
        "equipment": list(equipment),
        "module": module,
        "exclude": session.pk,
    }
    _check_session(**rules)
    try:
        with transaction.atomic():
            session.date, session.half_day, session.trainer, session.lab = (
                date,
                half_day,
                trainer,
                lab,
            )
            session.module = module
            session.title = title.strip()
            session.save(update_fields=["date", "half_day", "trainer", "lab", "module", "title"])
            session.bookings.all().delete()
            _write_bookings(session, list(equipment))
            audit(
                actor=by,
                action="session.update",
                obj=session,
                module=module.pk if module is not None else "",
            )
    except IntegrityError:
        session.refresh_from_db()
        _check_session(**rules)
        raise PlateauError(_("Ce créneau vient d'être pris : rechargez le calendrier.")) from None
    return session


# Calendar feeds.


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def calendar_feed_create(
    *, by: Any, cohort: Cohort | None = None, trainer: Any = None
) -> CalendarFeed:
    """A new secret link for the cohort or the trainer; the previous live one is revoked."""
    if (cohort is None) == (trainer is None):
        raise PlateauError(_("Un abonnement porte sur une promotion ou sur un formateur."))
    if trainer is not None and trainer.role != Role.TRAINER:
        raise PlateauError(_("Seul un formateur a un planning."))
    token = secrets.token_urlsafe(32)
    with transaction.atomic():
        live = CalendarFeed.objects.select_for_update().filter(
            cohort=cohort, trainer=trainer, revoked_at__isnull=True
        )
        for old in live:
            _revoke(old, by)
        feed = CalendarFeed.objects.create(
            kind=FeedKind.COHORT if cohort is not None else FeedKind.TRAINER,
            cohort=cohort,
            trainer=trainer,
            token=token,
            token_hash=token_digest(token),
            created_by=by,
        )
        audit(actor=by, action="calendar_feed.create", obj=feed, kind=feed.kind)
    return feed


def _revoke(feed: CalendarFeed, by: Any) -> None:
    feed.revoked_at = timezone.now()
    feed.save(update_fields=["revoked_at"])
    audit(actor=by, action="calendar_feed.revoke", obj=feed, kind=feed.kind)


def calendar_feed_revoke(*, feed: CalendarFeed, by: Any) -> CalendarFeed:
    """The link stops working at once; revoking twice is refused."""
    with transaction.atomic():
        feed = CalendarFeed.objects.select_for_update().get(pk=feed.pk)
        if feed.revoked_at is not None:
            raise PlateauError(_("Ce lien d'abonnement est déjà révoqué."))
        _revoke(feed, by)
    return feed
