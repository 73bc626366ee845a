"""The iCalendar feeds: finding a live feed by its secret token, and its content.

The content is built by ``engine.ical`` from the sessions: one VEVENT per half-day, with a
UID stable per session (a moved session stays the same event in the subscriber's calendar).
"""

import datetime
import hmac

from django.utils import timezone
from django.utils.translation import gettext as _

from tremplin.engine import ical

from .models import CalendarFeed, Session
from .services import half_day_hours, token_digest


def feed_for_token(token: str) -> CalendarFeed | None:
    """The live feed of ``token``, or None (unknown or revoked alike)."""
    feed = (
        CalendarFeed.objects.select_related("cohort", "trainer")
        .filter(token_hash=token_digest(token), revoked_at__isnull=True)
        .first()
    )
    # The lookup is on a hash, so its timing says nothing of the token; the constant-time
    # comparison guards against a hash collision being enough.
    expected = feed.token if feed is not None else ""
    if not hmac.compare_digest(expected.encode(), token.encode()) or feed is None:
        return None
    return feed


def feed_sessions(feed: CalendarFeed) -> list[Session]:
    sessions = Session.objects.select_related(
        "cohort", "lab__site", "trainer", "module"
    ).prefetch_related("equipment")
    if feed.cohort_id is not None:
        sessions = sessions.filter(cohort_id=feed.cohort_id)
    else:
        sessions = sessions.filter(trainer_id=feed.trainer_id)
    return list(sessions.order_by("date", "half_day", "id"))


def _event(session: Session, hours: dict[str, tuple[datetime.time, datetime.time]]) -> ical.Event:
    zone = timezone.get_default_timezone()  # Europe/Paris: the half-day hours are local
    start, end = hours[session.half_day]
    title = session.subject or session.get_half_day_display()
    trainer = session.trainer.get_full_name() or session.trainer.email
    description = [_("Formateur : %(name)s") % {"name": trainer}]
    equipment = [str(item) for item in session.equipment.all()]
    if equipment:
        description.append(_("Équipements : %(items)s") % {"items": ", ".join(equipment)})
    return ical.Event(
        uid=f"session-{session.pk}@tremplin",
        start=datetime.datetime.combine(session.date, start, tzinfo=zone),
        end=datetime.datetime.combine(session.date, end, tzinfo=zone),
        summary=f"{session.cohort.name} — {title}",
        location=f"{session.lab.name}, {session.lab.site.name}",
        description="\n".join(description),
    )


def feed_name(feed: CalendarFeed) -> str:
    if feed.cohort is not None:
        return f"Tremplin — {feed.cohort.name}"
    return f"Tremplin — {feed.trainer.get_full_name() if feed.trainer else ''}"


def feed_calendar(feed: CalendarFeed) -> str:
    hours = half_day_hours()
    return ical.calendar(
        name=feed_name(feed),
        events=[_event(session, hours) for session in feed_sessions(feed)],
        stamp=timezone.now(),
    )
