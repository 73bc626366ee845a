"""The demo's attendance: the cohort in training's past half-days, signed and countersigned.

The week of sessions the builder plans is copied onto the previous week, then every half-day
before today is played at its own hour through the attendance services: most learners sign
on the trainer's screen within minutes of the start, the learner with a demo login signs on
her phone through the QR code's link, a few arrive late, one has a justified absence and one
misses two half-days in a row, which raises the alert the coordinator sees. Today's sheets
stay open for the visitor to run.
"""

import datetime
import random
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from tremplin.attendance.selectors import half_day_start, roster
from tremplin.attendance.services import (
    countersign,
    mark_absent,
    sign,
    sign_with_link,
    signing_link_create,
)
from tremplin.cohorts.models import Cohort
from tremplin.plateau.models import Session
from tremplin.plateau.services import PlateauError, session_create

TABLET = "Tablette de la salle (Chrome Android)"
PHONE = "Téléphone personnel (Firefox Android)"
DEMO_IP = "192.0.2.20"  # TEST-NET-1: documentation addresses, never routed


@contextmanager
def _at(moment: datetime.datetime) -> Iterator[None]:
    import time_machine

    with time_machine.travel(moment, tick=False):
        yield


def copy_week_before(cohort: Cohort, by: Any) -> None:
    """Plan the week before the cohort's first planned week the same way, module by module."""
    sessions = list(
        Session.objects.filter(cohort=cohort).prefetch_related("equipment").order_by("date")
    )
    if not sessions:
        return
    monday = sessions[0].date - datetime.timedelta(days=sessions[0].date.weekday())
    for session in sessions:
        if session.date >= monday + datetime.timedelta(days=7):
            continue
        try:
            session_create(
                by=by,
                cohort=cohort,
                date=session.date - datetime.timedelta(days=7),
                half_day=session.half_day,
                trainer=session.trainer,
                lab=session.lab,
                equipment=list(session.equipment.all()),
                module=session.module,
                title=session.title,
            )
        except PlateauError:
            continue  # a public holiday, or before the cohort's start


def play_past_half_days(cohort: Cohort, today: datetime.date, phone_user: Any) -> None:
    """Sign and countersign every half-day of ``cohort`` before ``today``."""
    rng = random.Random("emargement")
    sessions = list(
        Session.objects.filter(cohort=cohort, date__lt=today)
        .select_related("trainer", "cohort")
        .order_by("date", "half_day")
    )
    # One learner misses two half-days in a row, unexcused, in the latest week: the alert.
    learners = list(roster(sessions[-1])) if sessions else []
    truant = learners[3] if len(learners) > 3 else None
    truant_days = {s.pk for s in sessions[-3:-1]}
    for session in sessions:
        start = half_day_start(session)
        expected = list(roster(session))
        trainer = session.trainer
        absences = []
        for enrolment in expected:
            if truant is not None and enrolment.pk == truant.pk and session.pk in truant_days:
                absences.append((enrolment, ""))
                continue
            luck = rng.random()
            if luck < 0.03:
                absences.append((enrolment, "Rendez-vous médical (certificat remis)"))
                continue
            minutes = rng.randint(25, 45) if luck < 0.08 else rng.randint(-10, 8)
            with _at(start + datetime.timedelta(minutes=minutes)):
                if enrolment.person.account_id == getattr(phone_user, "pk", None):
                    link, _token = signing_link_create(session=session, by=trainer)
                    sign_with_link(link=link, user=phone_user, ip=DEMO_IP, device=PHONE)
                else:
                    sign(
                        session=session,
                        enrolment=enrolment,
                        by=trainer,
                        method="trainer_screen",
                        ip=DEMO_IP,
                        device=TABLET,
                    )
        with _at(start + datetime.timedelta(minutes=50)):
            for enrolment, justification in absences:
                mark_absent(
                    session=session, enrolment=enrolment, by=trainer, justification=justification
                )
        with _at(start + datetime.timedelta(hours=3, minutes=25)):
            countersign(session=session, by=trainer, ip=DEMO_IP, device=TABLET)


def attendance(cohort: Cohort, by: Any, phone_user: Any, today: datetime.date) -> None:
    copy_week_before(cohort, by)
    play_past_half_days(cohort, today, phone_user)
