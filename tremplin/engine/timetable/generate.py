"""Seeded planning instances for the bench and the tests: the reference plateau (three labs,
five trainers, shared equipment) and the programme « Techniciens des infrastructures
numériques » (14 modules, 525 h: 150 half-days per cohort).

``instance(name, seed)``: "one" (one cohort), "three" (three overlapping cohorts, four weeks
apart), "six" (six cohorts staggered over a year), "overbooked" (six cohorts in five months:
no plan exists). The seed draws which 10 % of each trainer's half-days are unavailable.
"""

from __future__ import annotations

import datetime
import random
import tomllib
from pathlib import Path

import holidays

from tremplin.engine.timetable.model import (
    Calendar,
    CohortSpec,
    LabSpec,
    ModuleSpec,
    Problem,
    TrainerSpec,
)

PLAN_FILE = (
    Path(__file__).resolve().parents[2]
    / "programmes"
    / "plans"
    / "techniciens-infrastructures-numeriques.v1.toml"
)

# The reference plateau: one lab of each trade and a classroom for the common core (the
# classroom is not one of the three labs: any meeting room does).
LABS = (
    LabSpec("labo-fibre", "fibre", 12),
    LabSpec("labo-datacenter", "datacenter", 12),
    LabSpec("labo-surveillance-iot", "surveillance_iot", 12),
    LabSpec("salle-cours", "classroom", 16),
)

# Donated equipment, shared by every cohort.
EQUIPMENT = {
    "fusion_splicer": 4,
    "otdr": 2,
    "power_meter": 6,
    "rack_42u": 4,
    "server": 6,
    "switch": 4,
    "ip_camera": 6,
    "sensor_gateway": 3,
}

# Units a session of the module holds (the plan file names the types, not how many: a
# 12-person session works in pairs or threes at each bench).
UNITS_PER_SESSION = {
    "FO02": {"fusion_splicer": 4, "power_meter": 3},
    "FO03": {"fusion_splicer": 4, "power_meter": 3},
    "FO04": {"otdr": 2, "power_meter": 3},
    "DC02": {"rack_42u": 3, "server": 4},
    "DC03": {"server": 4, "switch": 2},
    "DC04": {"switch": 3, "rack_42u": 2},
    "IO02": {"ip_camera": 6, "sensor_gateway": 2},
    "IO03": {"sensor_gateway": 3},
}

# Five trainers, each with the common-core modules they teach and one or two trades.
TRAINERS = {
    "nadia-fibre": ("TC02", "FO01", "FO02", "FO03", "FO04"),
    "karim-fibre": ("TC01", "TC03", "FO01", "FO02", "FO03", "FO04"),
    "sophie-datacenter": ("TC02", "DC01", "DC02", "DC03", "DC04"),
    "yanis-iot-datacenter": ("DC01", "DC04", "IO01", "IO02", "IO03"),
    "claire-tronc-commun": ("TC01", "TC02", "TC03", "IO01", "IO02"),
}

UNAVAILABLE_SHARE = 0.10
COHORT_SIZE = 12
NAMES = ("one", "three", "six", "overbooked")


def programme_modules() -> tuple[ModuleSpec, ...]:
    """The programme's modules from its plan file, with the units each session holds."""
    with PLAN_FILE.open("rb") as plan:
        data = tomllib.load(plan)
    return tuple(
        ModuleSpec(
            code=module["code"],
            title=module["title"],
            hours=float(module["hours"]),
            lab_kind=module["lab"],
            equipment=dict(UNITS_PER_SESSION.get(module["code"], {})),
            prerequisites=tuple(module["prerequisites"]),
        )
        for module in data["modules"]
    )


def working_days(first: datetime.date, last: datetime.date) -> tuple[datetime.date, ...]:
    """Monday to Friday from ``first`` to ``last``, French public holidays left out."""
    public = holidays.country_holidays("FR", years=range(first.year, last.year + 1))
    days = []
    day = first
    while day <= last:
        if day.weekday() < 5 and day not in public:
            days.append(day)
        day += datetime.timedelta(days=1)
    return tuple(days)


def trainers(calendar: Calendar, rng: random.Random) -> tuple[TrainerSpec, ...]:
    slots = list(calendar.slots)
    drawn = []
    for trainer_id, modules in TRAINERS.items():
        away = rng.sample(slots, round(len(slots) * UNAVAILABLE_SHARE))
        drawn.append(TrainerSpec(trainer_id, frozenset(modules), frozenset(away)))
    return tuple(drawn)


def cohorts(
    starts: list[datetime.date], window_days: int, modules: tuple[ModuleSpec, ...]
) -> tuple[CohortSpec, ...]:
    return tuple(
        CohortSpec(
            id=f"P{number}",
            size=COHORT_SIZE,
            earliest_start=start,
            latest_start=start + datetime.timedelta(days=window_days),
            modules=modules,
        )
        for number, start in enumerate(starts, start=1)
    )


def plateau(seed: int, first: datetime.date, last: datetime.date) -> Problem:
    """The reference plateau over the given period, without cohorts (for ``capacity``)."""
    calendar = Calendar(days=working_days(first, last))
    rng = random.Random(f"plateau:{seed}")
    return Problem(
        labs=LABS,
        equipment=dict(EQUIPMENT),
        trainers=trainers(calendar, rng),
        cohorts=(),
        calendar=calendar,
    )


def cohort_template(size: int = COHORT_SIZE) -> CohortSpec:
    """A cohort of the programme; its dates are set by whoever plans it."""
    day = datetime.date(2027, 1, 4)
    return CohortSpec(
        id="P", size=size, earliest_start=day, latest_start=day, modules=programme_modules()
    )


def instance(name: str, seed: int) -> Problem:
    """The named instance (``NAMES``); the same seed gives the same problem."""
    rng = random.Random(f"{name}:{seed}")
    modules = programme_modules()
    first = datetime.date(2027, 1, 4)
    week = datetime.timedelta(weeks=1)
    if name == "one":
        last, starts = datetime.date(2027, 7, 2), [first]
    elif name == "three":
        last, starts = datetime.date(2027, 10, 29), [first + 4 * n * week for n in range(3)]
    elif name == "six":
        last, starts = datetime.date(2028, 4, 28), [first + 8 * n * week for n in range(6)]
    elif name == "overbooked":
        last, starts = datetime.date(2027, 5, 28), [first + n * week for n in range(6)]
    else:
        raise ValueError(f"unknown instance {name!r}: one of {', '.join(NAMES)}")
    calendar = Calendar(days=working_days(first, last))
    return Problem(
        labs=LABS,
        equipment=dict(EQUIPMENT),
        trainers=trainers(calendar, rng),
        cohorts=cohorts(starts, 14, modules),
        calendar=calendar,
    )
