"""Writes of attendance: signing, marking absent, sealing, correcting, alerting.

Every write locks the session's row first, so two signatures on one sheet (the trainer's
screen and a phone at the same second) are written one after the other and each one's
``sheet_hash`` covers the lines before it. The unique line per learner stays the last guard.
"""

import datetime
import functools
import hashlib
import secrets
from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from tremplin.accounts.enums import Role
from tremplin.accounts.models import User
from tremplin.cohorts.models import Enrolment
from tremplin.core.audit import audit
from tremplin.plateau.models import Session

from .enums import Presence, SignatureMethod
from .models import (
    AbsenceAlert,
    AttendanceCorrection,
    AttendanceEntry,
    AttendanceSheet,
    SigningLink,
)
from .selectors import (
    content_of,
    correction_digest,
    digest,
    half_day_minutes,
    half_day_start,
    roster,
    sheet_digest,
    standing,
)

# A learner who signs within this many minutes of the start is on time.
DEFAULT_LATE_TOLERANCE_MINUTES = 10
# How long a QR code shown on the trainer's screen can be used.
DEFAULT_SIGNING_LINK_MINUTES = 10
# Signatures open this long before the half-day starts (learners arrive early).
SIGNING_OPENS_BEFORE = datetime.timedelta(minutes=30)
DEVICE_MAX = 300


class AttendanceError(Exception):
    """A refused write; ``message`` is translated into the active language, for the page."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def late_tolerance() -> int:
    return int(
        getattr(settings, "ATTENDANCE_LATE_TOLERANCE_MINUTES", DEFAULT_LATE_TOLERANCE_MINUTES)
    )


def signing_link_minutes() -> int:
    return int(getattr(settings, "ATTENDANCE_SIGNING_LINK_MINUTES", DEFAULT_SIGNING_LINK_MINUTES))


def _locked_sheet(session: Session, by: Any) -> AttendanceSheet:
    """The session's sheet, created on first write, with the session's row locked."""
    Session.objects.select_for_update().get(pk=session.pk)
    sheet, _created = AttendanceSheet.objects.get_or_create(
        session=session, defaults={"opened_by": by}
    )
    return sheet


def _check_open(sheet: AttendanceSheet) -> None:
    if sheet.is_sealed:
        raise AttendanceError(
            _(
                "La feuille de cette demi-journée est contresignée : elle ne se modifie plus. "
                "Saisissez une rectification."
            )
        )


def _check_on_roster(session: Session, enrolment: Enrolment) -> None:
    if not roster(session).filter(pk=enrolment.pk).exists():
        raise AttendanceError(
            _("%(name)s n'est pas inscrit·e à la promotion ce jour-là.")
            % {"name": enrolment.person.full_name}
        )


def _check_signing_hours(session: Session, now: datetime.datetime) -> None:
    opens = half_day_start(session) - SIGNING_OPENS_BEFORE
    if timezone.localdate(now) != session.date or now < opens:
        raise AttendanceError(
            _("On signe le jour même, à partir de %(time)s : cette demi-journée est le %(date)s.")
            % {
                "time": timezone.localtime(opens).strftime("%H:%M"),
                "date": session.date.strftime("%d/%m/%Y"),
            }
        )


def _lateness(session: Session, now: datetime.datetime) -> int | None:
    minutes = int((now - half_day_start(session)).total_seconds() // 60)
    if minutes <= late_tolerance():
        return None
    return min(minutes, half_day_minutes(session.half_day))


def sign(
    *,
    session: Session,
    enrolment: Enrolment,
    by: Any,
    method: str,
    ip: str | None,
    device: str,
) -> AttendanceEntry:
    """``enrolment``'s learner signs ``session``'s sheet, now. Late after the tolerance."""
    now = timezone.now()
    _check_signing_hours(session, now)
    _check_on_roster(session, enrolment)
    with transaction.atomic():
        sheet = _locked_sheet(session, by)
        _check_open(sheet)
        entries = list(sheet.entries.all())
        existing = next((e for e in entries if e.enrolment_id == enrolment.pk), None)
        if existing is not None and existing.presence != Presence.ABSENT:
            raise AttendanceError(
                _("%(name)s a déjà signé cette demi-journée, à %(time)s.")
                % {
                    "name": enrolment.person.full_name,
                    "time": timezone.localtime(existing.signed_at).strftime("%H:%M"),
                }
            )
        minutes_late = _lateness(session, now)
        # A learner first marked absent who turns up signs on the same line, late.
        entry = existing or AttendanceEntry(sheet=sheet, enrolment=enrolment)
        entry.presence = Presence.LATE if minutes_late else Presence.PRESENT
        entry.minutes_late = minutes_late
        entry.signed_at, entry.method, entry.signed_by = now, method, by
        entry.ip, entry.device = ip, device[:DEVICE_MAX]
        entry.justified, entry.justification = False, ""
        entry.recorded_by, entry.recorded_at = by, now
        others = [e for e in entries if e.enrolment_id != enrolment.pk]
        entry.sheet_hash = digest(content_of(sheet, [*others, entry]))
        try:
            with transaction.atomic():
                entry.save()
        except IntegrityError as error:
            raise AttendanceError(
                _("%(name)s a déjà signé cette demi-journée.")
                % {"name": enrolment.person.full_name}
            ) from error
        audit(actor=by, action="attendance.sign", obj=entry, method=method, ip=ip or "")
    return entry


def mark_absent(
    *, session: Session, enrolment: Enrolment, by: Any, justification: str = ""
) -> AttendanceEntry:
    """Mark the learner absent, with the reason given if the absence is justified."""
    justification = justification.strip()
    if timezone.now() < half_day_start(session):
        raise AttendanceError(_("Une absence se constate une fois la demi-journée commencée."))
    _check_on_roster(session, enrolment)
    with transaction.atomic():
        sheet = _locked_sheet(session, by)
        _check_open(sheet)
        entry = sheet.entries.filter(enrolment=enrolment).first()
        if entry is not None and entry.presence != Presence.ABSENT:
            raise AttendanceError(
                _("%(name)s a signé cette demi-journée : une signature ne s'efface pas.")
                % {"name": enrolment.person.full_name}
            )
        entry = entry or AttendanceEntry(sheet=sheet, enrolment=enrolment)
        entry.presence, entry.minutes_late = Presence.ABSENT, None
        entry.justified, entry.justification = bool(justification), justification[:300]
        entry.recorded_by, entry.recorded_at = by, timezone.now()
        entry.save()
        audit(actor=by, action="attendance.absent", obj=entry, justified=entry.justified)
        _alert_if_absent_twice(entry)
    return entry


def countersign(*, session: Session, by: Any, ip: str | None, device: str) -> AttendanceSheet:
    """The trainer seals the sheet; every expected learner must have signed or be absent."""
    if by.pk != session.trainer_id:
        raise AttendanceError(
            _("Seul le formateur de la séance, %(name)s, contresigne sa feuille.")
            % {"name": session.trainer.get_full_name()}
        )
    if timezone.now() < half_day_start(session):
        raise AttendanceError(_("La feuille se contresigne une fois la demi-journée commencée."))
    with transaction.atomic():
        sheet = _locked_sheet(session, by)
        _check_open(sheet)
        signed = set(sheet.entries.values_list("enrolment_id", flat=True))
        missing = [e.person.full_name for e in roster(session) if e.pk not in signed]
        if missing:
            raise AttendanceError(
                _("Avant de contresigner, faites signer ou marquez absent·e : %(names)s.")
                % {"names": ", ".join(missing)}
            )
        sheet.countersigned_at, sheet.countersigned_by = timezone.now(), by
        sheet.countersign_ip, sheet.countersign_device = ip, device[:DEVICE_MAX]
        sheet.content_hash = sheet_digest(sheet)
        sheet.save()
        audit(actor=by, action="attendance.countersign", obj=sheet, hash=sheet.content_hash)
    return sheet


def correct(
    *,
    entry: AttendanceEntry,
    by: Any,
    presence: str,
    reason: str,
    minutes_late: int | None = None,
    justification: str = "",
) -> AttendanceCorrection:
    """Correct a sealed sheet's line with a new, linked entry: the sheet stays as sealed."""
    reason, justification = reason.strip(), justification.strip()
    entry.sheet = AttendanceSheet.objects.select_related("session").get(pk=entry.sheet_id)
    if not entry.sheet.is_sealed:
        raise AttendanceError(
            _("La feuille est encore ouverte : modifiez la ligne sur la feuille elle-même.")
        )
    if not reason:
        raise AttendanceError(_("Une rectification dit pourquoi : le motif est obligatoire."))
    if presence not in Presence.values:
        raise AttendanceError(_("Choisissez présent·e, en retard ou absent·e."))
    if presence == Presence.LATE and not minutes_late:
        raise AttendanceError(_("Un retard se rectifie avec sa durée en minutes."))
    if (
        presence == Presence.LATE
        and minutes_late
        and minutes_late > half_day_minutes(entry.sheet.session.half_day)
    ):
        raise AttendanceError(_("Le retard dépasse la durée de la demi-journée."))
    if presence != Presence.ABSENT and justification:
        raise AttendanceError(_("Seule une absence se justifie."))
    correction = AttendanceCorrection(
        entry=entry,
        presence=presence,
        minutes_late=minutes_late if presence == Presence.LATE else None,
        justified=bool(justification),
        justification=justification[:300],
        reason=reason[:300],
        made_by=by,
        made_at=timezone.now(),
    )
    correction.content_hash = correction_digest(entry.sheet.content_hash, correction)
    with transaction.atomic():
        correction.save()
        audit(actor=by, action="attendance.correct", obj=correction, presence=presence)
        _alert_if_absent_twice(entry)
    return correction


def signing_link_create(*, session: Session, by: Any) -> tuple[SigningLink, str]:
    """A link for learners to sign on their phone, valid a few minutes; returns its token."""
    _check_signing_hours(session, timezone.now())
    token = secrets.token_urlsafe(24)
    with transaction.atomic():
        sheet = _locked_sheet(session, by)
        _check_open(sheet)
        now = timezone.now()
        link = SigningLink.objects.create(
            sheet=sheet,
            token_hash=hashlib.sha256(token.encode()).hexdigest(),
            created_by=by,
            created_at=now,
            expires_at=now + datetime.timedelta(minutes=signing_link_minutes()),
        )
        audit(actor=by, action="attendance.link", obj=sheet, expires=link.expires_at)
    return link, token


def signing_link_for(token: str) -> SigningLink | None:
    """The link of ``token``, expired or not; None for an unknown or altered token."""
    token_hash = hashlib.sha256(token.encode()).hexdigest()
    return (
        SigningLink.objects.select_related("sheet__session__cohort", "sheet__session__trainer")
        .filter(token_hash=token_hash)
        .first()
    )


def _own_enrolment(link: SigningLink, user: Any) -> Enrolment | None:
    """The enrolment in the link's cohort of ``user``, if ``user`` is one of its learners."""
    if not (user.is_authenticated and user.role == Role.LEARNER):
        return None
    return (
        Enrolment.objects.filter(
            cohort_id=link.sheet.session.cohort_id, candidacy__person__account=user
        )
        .select_related("candidacy__person")
        .first()
    )


def link_refusal(link: SigningLink, user: Any) -> str | None:
    """Why ``user`` cannot sign through ``link`` now, or None: the page says it before the
    learner taps, ``sign_with_link`` refuses on the same grounds."""
    if timezone.now() >= link.expires_at:
        return _("Ce QR code a expiré : demandez au formateur d'en afficher un nouveau.")
    if _own_enrolment(link, user) is None:
        return _("Ce QR code sert aux apprenant·es de la promotion à signer.")
    return None


def sign_with_link(
    *,
    link: SigningLink,
    user: Any,
    ip: str | None,
    device: str,
    for_enrolment_id: int | None = None,
) -> AttendanceEntry:
    """A learner signs for themself on their phone, through a live link."""
    refusal = link_refusal(link, user)
    if refusal is not None:
        raise AttendanceError(refusal)
    session = link.sheet.session
    enrolment = _own_enrolment(link, user)
    assert enrolment is not None  # link_refusal said so
    if for_enrolment_id is not None and for_enrolment_id != enrolment.pk:
        raise AttendanceError(
            _("Chacun·e signe pour soi : vous ne pouvez pas signer pour un·e autre.")
        )
    return sign(
        session=session,
        enrolment=enrolment,
        by=user,
        method=SignatureMethod.OWN_PHONE,
        ip=ip,
        device=device,
    )


# Drop-out prevention.


def _alert_if_absent_twice(entry: AttendanceEntry) -> None:
    """Raise an alert if ``entry``'s absence and the learner's half-day just before or just
    after it are both unjustified absences."""
    session = entry.sheet.session
    if not standing(entry).unjustified_absence:
        return
    order = list(
        Session.objects.filter(cohort_id=session.cohort_id)
        .order_by("date", "half_day", "id")
        .values_list("pk", flat=True)
    )
    at = order.index(session.pk)
    neighbours = [order[i] for i in (at - 1, at + 1) if 0 <= i < len(order)]
    others = (
        AttendanceEntry.objects.filter(
            enrolment_id=entry.enrolment_id, sheet__session_id__in=neighbours
        )
        .select_related("sheet__session")
        .prefetch_related("corrections")
    )
    for other in others:
        if not standing(other).unjustified_absence:
            continue
        first, second = sorted(
            (entry.sheet, other.sheet), key=lambda s: (s.session.date, s.session.half_day)
        )
        alert, created = AbsenceAlert.objects.get_or_create(
            enrolment_id=entry.enrolment_id,
            second_sheet=second,
            defaults={"first_sheet": first},
        )
        if created:
            audit(actor=None, action="attendance.alert", obj=alert)
            transaction.on_commit(functools.partial(notify_coordinators, alert))


def notify_coordinators(alert: AbsenceAlert) -> None:
    enrolment = alert.enrolment
    cohort = enrolment.cohort
    recipients = list(
        User.objects.filter(
            role=Role.COORDINATOR, site_id=cohort.site_id, is_active=True
        ).values_list("email", flat=True)
    )
    if not recipients:
        return
    days = [alert.first_sheet.session, alert.second_sheet.session]
    subject = _("Tremplin : %(name)s absent·e deux demi-journées de suite") % {
        "name": enrolment.person.full_name
    }
    lines = [
        _("%(name)s (%(cohort)s) a été absent·e sans justificatif :")
        % {"name": enrolment.person.full_name, "cohort": cohort.name},
        *(f"- {s.date:%d/%m/%Y} {s.get_half_day_display()}" for s in days),
        "",
        _("Prenez contact avec la personne pour prévenir un abandon (indicateur Qualiopi 12)."),
        settings.SITE_URL.rstrip("/") + reverse("attendance_alerts"),
    ]
    send_mail(subject, "\n".join(lines) + "\n", None, recipients)


def alert_handle(*, alert: AbsenceAlert, by: Any, note: str) -> AbsenceAlert:
    note = note.strip()
    if not note:
        raise AttendanceError(_("Dites la suite donnée : appel, rendez-vous, orientation…"))
    with transaction.atomic():
        locked = AbsenceAlert.objects.select_for_update().get(pk=alert.pk)
        if locked.handled_at is not None:
            raise AttendanceError(_("Cette alerte a déjà été traitée."))
        locked.handled_at, locked.handled_by, locked.handling_note = timezone.now(), by, note
        locked.save()
        audit(actor=by, action="attendance.alert_handled", obj=locked)
    return locked
