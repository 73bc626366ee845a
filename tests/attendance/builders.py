"""A half-day on the plateau with three learners, for the attendance tests."""

import datetime
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from tests import factories
from tests.plateau import builders
from tests.plateau.builders import MONDAY
from tremplin.plateau.models import Session
from tremplin.plateau.services import session_create

PARIS = ZoneInfo("Europe/Paris")


def at(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    """A moment in Marseille's time, for the clock to travel to."""
    return datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=PARIS)


@dataclass
class HalfDay:
    session: Session
    learners: list[Any]  # enrolments, in alphabetical order: Ali, Bea, Chloé
    lab: Any


def half_days(world: Any, *slots: tuple[datetime.date, str]) -> list[HalfDay]:
    """Sessions of the running cohort in the fibre lab, for the same three learners."""
    labs = builders.labs(world)
    learners = [
        factories.enrolled(world, world.running, first_name=first, last_name=last)
        for first, last in (("Ali", "Amrani"), ("Béatrice", "Bonnet"), ("Chloé", "Caron"))
    ]
    made = []
    for day, half_day in slots:
        session = session_create(
            by=world.user("coordinator"),
            cohort=world.running,
            date=day,
            half_day=half_day,
            trainer=world.user("trainer"),
            lab=labs["fibre"],
            title="Épissure et mesures",
        )
        made.append(HalfDay(session, learners, labs["fibre"]))
    return made


def monday_morning(world: Any) -> HalfDay:
    return half_days(world, (MONDAY, "am"))[0]
