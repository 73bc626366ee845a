"""The planning problem and its answer, as plain immutable data.

Time is counted in *slots*: the working half-days of the calendar, in order (public holidays,
closures and weekends are not slots at all). A module of ``hours`` needs
``ceil(hours / calendar.half_day_hours)`` sessions per group. A cohort larger than the
workstations of the labs its module needs is split into groups, each taught separately
(``CohortSpec.groups_for``).
"""

import datetime
import math
from collections.abc import Mapping
from dataclasses import dataclass, field

HALF_DAYS = ("am", "pm")


@dataclass(frozen=True)
class LabSpec:
    id: str
    kind: str  # fibre, datacenter, surveillance_iot, classroom…
    workstations: int


@dataclass(frozen=True)
class TrainerSpec:
    id: str
    modules: frozenset[str]  # codes of the modules they can teach
    unavailable: frozenset[tuple[datetime.date, str]] = frozenset()  # (day, "am"|"pm")
    max_half_days_per_week: int = 8  # 28 h of face-to-face teaching out of 35


@dataclass(frozen=True)
class ModuleSpec:
    code: str
    title: str
    hours: float
    lab_kind: str
    equipment: Mapping[str, int] = field(default_factory=dict)  # type → units per session
    prerequisites: tuple[str, ...] = ()  # module codes that must be finished first


@dataclass(frozen=True)
class FixedSession:
    """A session that re-planning keeps: locked by hand, or already signed."""

    cohort: str
    module: str
    day: datetime.date
    half_day: str
    lab: str
    trainer: str
    group: int = 0
    equipment: tuple[tuple[str, int], ...] = ()  # (type, units) it holds


@dataclass(frozen=True)
class CohortSpec:
    id: str
    size: int
    earliest_start: datetime.date
    latest_start: datetime.date
    modules: tuple[ModuleSpec, ...]
    fixed: tuple[FixedSession, ...] = ()

    def groups_for(self, module: ModuleSpec, labs: tuple[LabSpec, ...]) -> int:
        """How many groups the cohort is split into for ``module``: 1 if a lab of the kind
        seats everyone, else enough groups for the largest such lab (0: no lab of the kind)."""
        seats = max((lab.workstations for lab in labs if lab.kind == module.lab_kind), default=0)
        if seats <= 0:
            return 0
        return max(1, math.ceil(self.size / seats))


@dataclass(frozen=True)
class Calendar:
    """The working days of the planning horizon (holidays and closures already removed)."""

    days: tuple[datetime.date, ...]
    half_day_hours: float = 3.5

    @property
    def slots(self) -> tuple[tuple[datetime.date, str], ...]:
        return tuple((day, half) for day in self.days for half in HALF_DAYS)

    def sessions_for(self, module: ModuleSpec) -> int:
        return max(1, math.ceil(module.hours / self.half_day_hours - 1e-9))


@dataclass(frozen=True)
class Weights:
    """The objective's terms, in points per unit (see docs/planner.md)."""

    end: int = 10  # per half-day between a cohort's earliest start and its last session
    idle: int = 4  # per working half-day a cohort spends without a session inside its span
    trainer_balance: int = 2  # per half-day between the busiest and the least busy trainer
    consecutive: int = 3  # per lab half-day beyond ``max_consecutive`` in a row, per trainer
    max_consecutive: int = 6  # a trainer's lab half-days in a row before a penalty


@dataclass(frozen=True)
class Problem:
    labs: tuple[LabSpec, ...]
    equipment: Mapping[str, int]  # type → units on the platform
    trainers: tuple[TrainerSpec, ...]
    cohorts: tuple[CohortSpec, ...]
    calendar: Calendar
    weights: Weights = Weights()
    # Sessions of cohorts not being planned (already on the plateau): they hold their lab,
    # trainer and equipment, and the planner works around them.
    busy: tuple[FixedSession, ...] = ()


@dataclass(frozen=True)
class PlannedSession:
    cohort: str
    module: str
    day: datetime.date
    half_day: str
    lab: str
    trainer: str
    group: int  # 0 when the cohort is not split
    equipment: tuple[tuple[str, int], ...]  # (type, units)


@dataclass
class Plan:
    """A planner's answer. ``status``: optimal, feasible, infeasible, unknown (time out
    before any plan), invalid (the pre-checks refused the problem)."""

    status: str
    sessions: list[PlannedSession] = field(default_factory=list)
    objective: float | None = None
    bound: float | None = None
    wall_time: float = 0.0
    explanation: list[str] = field(default_factory=list)  # in French, for people
    cohort_ends: dict[str, datetime.date] = field(default_factory=dict)
    cohort_starts: dict[str, datetime.date] = field(default_factory=dict)

    @property
    def gap(self) -> float | None:
        """(objective − bound) / objective, 0 when proven optimal; None without a plan."""
        if self.objective is None or self.bound is None:
            return None
        if self.objective == 0:
            return 0.0
        return max(0.0, (self.objective - self.bound) / abs(self.objective))

    @property
    def found(self) -> bool:
        return self.status in ("optimal", "feasible")
