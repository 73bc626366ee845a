"""A list-scheduling planner, written as the baseline the CP-SAT planner is compared with
(`make bench-plan`): what a careful coordinator does by hand, one cohort at a time.

Cohorts in order of earliest start; each cohort's modules in an order that respects the
prerequisites; each session of a module (for each group when the cohort is split) on the
earliest half-day where the group is free, a lab of the kind seats the group, the equipment
units are free, and a trainer who teaches the module is available and under their weekly
limit (the least loaded so far). Fixed sessions and the sessions already on the plateau are
kept as they are. It never goes back on a choice, so it can fail where a plan exists.
"""

from __future__ import annotations

import time
from collections import Counter, defaultdict

from tremplin.engine.timetable.model import FixedSession, Plan, PlannedSession, Problem
from tremplin.engine.timetable.objective import objective_of
from tremplin.engine.timetable.units import Unfolded, Unit, topological, unfold


class _Board:
    """What is taken at each slot, beyond the sessions already on the plateau."""

    def __init__(self, unfolded: Unfolded) -> None:
        self.unfolded = unfolded
        self.labs: dict[int, set[str]] = defaultdict(set)
        self.trainers: dict[int, set[str]] = defaultdict(set)
        self.equipment: dict[int, Counter[str]] = defaultdict(Counter)
        self.groups: dict[tuple[str, int], set[int]] = defaultdict(set)  # (cohort, slot)
        self.week_load: Counter[tuple[str, int]] = Counter()  # (trainer, week)
        self.load: Counter[str] = Counter()
        for slot, held in unfolded.busy_trainers.items():
            for trainer in held:
                self.week_load[trainer, unfolded.week_of[slot]] += 1

    def occupied_groups(self, unit: Unit) -> range | tuple[int]:
        # A module taught to the whole cohort holds every group; a split one its own group.
        return range(unit.cohort_groups) if unit.groups == 1 else (unit.group,)

    def blocker(self, unit: Unit, slot: int) -> str | None:
        """Why ``unit`` cannot have a session at ``slot`` (None: it can)."""
        taken = self.groups[unit.cohort.id, slot]
        if any(group in taken for group in self.occupied_groups(unit)):
            return "group"
        if self._lab(unit, slot) is None:
            return f"labo « {unit.module.lab_kind} »"
        for kind, units in unit.module.equipment.items():
            if self.unfolded.free_equipment(kind, slot) - self.equipment[slot][kind] < units:
                return f"équipement « {kind} »"
        if self._trainer(unit, slot) is None:
            return "formateurs du module"
        return None

    def _lab(self, unit: Unit, slot: int) -> str | None:
        busy = self.unfolded.busy_labs.get(slot, set()) | self.labs[slot]
        kind, seats = unit.module.lab_kind, unit.group_size
        return next(
            (lab for lab in self.unfolded.labs_of_kind(kind, seats) if lab not in busy), None
        )

    def _trainer(self, unit: Unit, slot: int) -> str | None:
        problem = self.unfolded.problem
        week = self.unfolded.week_of[slot]
        here = self.unfolded.slots[slot]
        able = [
            trainer
            for trainer in problem.trainers
            if unit.module.code in trainer.modules
            and here not in trainer.unavailable
            and self.unfolded.trainer_free(trainer.id, slot)
            and trainer.id not in self.trainers[slot]
            and self.week_load[trainer.id, week] < trainer.max_half_days_per_week
        ]
        if not able:
            return None
        return min(able, key=lambda trainer: (self.load[trainer.id], trainer.id)).id

    def take(self, unit: Unit, slot: int, lab: str, trainer: str) -> PlannedSession:
        self.labs[slot].add(lab)
        self.trainers[slot].add(trainer)
        self.equipment[slot].update(unit.module.equipment)
        self.groups[unit.cohort.id, slot].update(self.occupied_groups(unit))
        self.week_load[trainer, self.unfolded.week_of[slot]] += 1
        self.load[trainer] += 1
        day, half = self.unfolded.slots[slot]
        return PlannedSession(
            cohort=unit.cohort.id,
            module=unit.module.code,
            day=day,
            half_day=half,
            lab=lab,
            trainer=trainer,
            group=unit.group if unit.groups > 1 else 0,
            equipment=tuple(sorted(unit.module.equipment.items())),
        )

    def place(self, unit: Unit, slot: int) -> PlannedSession:
        lab, trainer = self._lab(unit, slot), self._trainer(unit, slot)
        assert lab is not None and trainer is not None
        return self.take(unit, slot, lab, trainer)


def _fixed_unit(units: dict[tuple[str, str, int], Unit], fixed: FixedSession) -> Unit | None:
    return units.get((fixed.cohort, fixed.module, fixed.group)) or units.get(
        (fixed.cohort, fixed.module, 0)
    )


def greedy(problem: Problem) -> Plan:
    """A plan by list scheduling (status "feasible"), or "infeasible" with the reason."""
    started = time.perf_counter()
    unfolded = unfold(problem)
    board = _Board(unfolded)
    units = {unit.key: unit for unit in unfolded.units}
    sessions: list[PlannedSession] = []
    done: Counter[tuple[str, str, int]] = Counter()  # sessions placed per unit
    last_slot: dict[str, int] = {}  # (cohort, module) → its last session so far

    for cohort in problem.cohorts:
        for fixed in cohort.fixed:
            unit = _fixed_unit(units, fixed)
            slot = unfolded.slot_of.get((fixed.day, fixed.half_day))
            if unit is None or slot is None:
                continue
            sessions.append(board.take(unit, slot, fixed.lab, fixed.trainer))
            done[unit.key] += 1
            key = f"{cohort.id}/{fixed.module}"
            last_slot[key] = max(last_slot.get(key, -1), slot)

    def failure(message: str) -> Plan:
        return Plan(
            status="infeasible",
            explanation=[f"Méthode gloutonne : {message}"],
            wall_time=time.perf_counter() - started,
        )

    for cohort in sorted(problem.cohorts, key=lambda c: (c.earliest_start, c.id)):
        first = unfolded.cohort_lo[cohort.id]
        latest_start = unfolded.cohort_latest_start[cohort.id]
        cohort_first: int | None = None
        for module in topological(cohort.modules):
            ready = max(
                [first] + [last_slot.get(f"{cohort.id}/{p}", -1) + 1 for p in module.prerequisites]
            )
            module_units = [
                u for u in unfolded.units if u.cohort.id == cohort.id and u.module == module
            ]
            for unit in module_units:
                slot = ready
                blocked: Counter[str] = Counter()
                while done[unit.key] < unit.sessions:
                    if slot >= len(unfolded.slots):
                        reason = ", ".join(
                            name for name, _n in blocked.most_common(2) if name != "group"
                        )
                        return failure(
                            f"le module « {module.title} » de la promotion {cohort.id} "
                            f"ne trouve plus de demi-journée libre avant la fin du calendrier "
                            f"({unfolded.slots[-1][0].isoformat()})"
                            + (f", le plus souvent faute de : {reason}." if reason else ".")
                        )
                    why = board.blocker(unit, slot)
                    if why is None:
                        if cohort_first is None and slot > latest_start:
                            return failure(
                                f"la promotion {cohort.id} ne peut pas commencer avant son début "
                                f"au plus tard ({cohort.latest_start.isoformat()})."
                            )
                        sessions.append(board.place(unit, slot))
                        done[unit.key] += 1
                        key = f"{cohort.id}/{module.code}"
                        last_slot[key] = max(last_slot.get(key, -1), slot)
                        cohort_first = slot if cohort_first is None else min(cohort_first, slot)
                    else:
                        blocked[why] += 1
                    slot += 1

    starts: dict[str, PlannedSession] = {}
    ends: dict[str, PlannedSession] = {}
    for session in sessions:
        moment = (session.day, session.half_day)
        if session.cohort not in starts or moment < (
            starts[session.cohort].day,
            starts[session.cohort].half_day,
        ):
            starts[session.cohort] = session
        if session.cohort not in ends or moment > (
            ends[session.cohort].day,
            ends[session.cohort].half_day,
        ):
            ends[session.cohort] = session
    return Plan(
        status="feasible",
        sessions=sessions,
        objective=objective_of(problem, sessions, unfolded),
        bound=None,
        wall_time=time.perf_counter() - started,
        cohort_starts={cohort: s.day for cohort, s in starts.items()},
        cohort_ends={cohort: s.day for cohort, s in ends.items()},
    )
