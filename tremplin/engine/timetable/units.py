"""The problem unfolded into what both planners place: *units* (a cohort's group following a
module) on numbered slots, with each unit's window, and the resources left at each slot once
the sessions already on the plateau (``Problem.busy``) are counted.

A unit of a module taught to the whole cohort occupies every group of the cohort; a unit of
a split module occupies its own group only. Windows come from the prerequisites: a unit
cannot start before the sessions of every module on its prerequisite chain, nor end later
than the cohort's horizon minus those that must follow it.
"""

import datetime
import math
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field

from .model import CohortSpec, FixedSession, ModuleSpec, Problem

CLASSROOM_KINDS = frozenset({"classroom"})
# How much longer than its sessions a cohort may take: room for contention and immersion.
HORIZON_SLACK = 0.6


@dataclass(frozen=True)
class Unit:
    key: tuple[str, str, int]  # cohort id, module code, group
    cohort: CohortSpec
    module: ModuleSpec
    group: int
    groups: int  # of this module (1: not split)
    cohort_groups: int  # the cohort's most groups over its modules
    sessions: int
    group_size: int
    lo: int  # earliest slot
    hi: int  # latest slot

    @property
    def in_lab(self) -> bool:
        return self.module.lab_kind not in CLASSROOM_KINDS


@dataclass
class Unfolded:
    problem: Problem
    slots: tuple[tuple[datetime.date, str], ...]
    slot_of: dict[tuple[datetime.date, str], int]
    week_of: list[int]  # slot → week number (0-based)
    units: list[Unit]
    cohort_lo: dict[str, int]
    cohort_latest_start: dict[str, int]
    cohort_hi: dict[str, int]
    cohort_min_span: dict[str, int]  # sessions a cohort needs, groups in parallel
    # What the sessions already on the plateau hold, per slot.
    busy_labs: dict[int, set[str]] = field(default_factory=dict)
    busy_trainers: dict[int, set[str]] = field(default_factory=dict)
    busy_equipment: dict[int, dict[str, int]] = field(default_factory=dict)

    def labs_of_kind(self, kind: str, seats: int) -> list[str]:
        return [
            lab.id for lab in self.problem.labs if lab.kind == kind and lab.workstations >= seats
        ]

    def free_labs(self, kind: str, seats: int, slot: int) -> int:
        busy = self.busy_labs.get(slot, set())
        return sum(1 for lab in self.labs_of_kind(kind, seats) if lab not in busy)

    def free_equipment(self, kind: str, slot: int) -> int:
        held = self.busy_equipment.get(slot, {}).get(kind, 0)
        return max(0, self.problem.equipment.get(kind, 0) - held)

    def trainer_free(self, trainer: str, slot: int) -> bool:
        return trainer not in self.busy_trainers.get(slot, set())


def first_slot_on_or_after(slots: tuple[tuple[datetime.date, str], ...], day: datetime.date) -> int:
    for index, (slot_day, _half) in enumerate(slots):
        if slot_day >= day:
            return index
    return len(slots)


def topological(modules: tuple[ModuleSpec, ...]) -> list[ModuleSpec]:
    """Modules with every prerequisite first (stable: the given order where free)."""
    by_code = {m.code: m for m in modules}
    done: list[ModuleSpec] = []
    seen: set[str] = set()

    def visit(module: ModuleSpec, path: tuple[str, ...]) -> None:
        if module.code in seen:
            return
        if module.code in path:
            raise ValueError(" → ".join((*path, module.code)))
        for code in module.prerequisites:
            if code in by_code:
                visit(by_code[code], (*path, module.code))
        seen.add(module.code)
        done.append(module)

    for module in modules:
        visit(module, ())
    return done


def chain_lengths(
    modules: tuple[ModuleSpec, ...], length: Mapping[str, int]
) -> tuple[dict[str, int], dict[str, int]]:
    """For each module: the slots its prerequisites need before it, and its successors after."""
    order = topological(modules)
    before: dict[str, int] = {}
    for module in order:
        before[module.code] = max(
            (before[p] + length[p] for p in module.prerequisites if p in length), default=0
        )
    successors: dict[str, list[str]] = defaultdict(list)
    for module in modules:
        for p in module.prerequisites:
            successors[p].append(module.code)
    after: dict[str, int] = {}
    for module in reversed(order):
        after[module.code] = max((after[s] + length[s] for s in successors[module.code]), default=0)
    return before, after


def unfold(problem: Problem) -> Unfolded:
    slots = problem.calendar.slots
    slot_of = {slot: index for index, slot in enumerate(slots)}
    weeks: dict[tuple[int, int], int] = {}
    week_of = []
    for day, _half in slots:
        iso = day.isocalendar()
        week_of.append(weeks.setdefault((iso.year, iso.week), len(weeks)))
    last = len(slots) - 1
    units: list[Unit] = []
    cohort_lo, cohort_latest, cohort_hi, cohort_span = {}, {}, {}, {}
    for cohort in problem.cohorts:
        groups = {m.code: cohort.groups_for(m, problem.labs) for m in cohort.modules}
        cohort_groups = max([g for g in groups.values() if g > 0], default=1)
        # A split module is split into as many groups as the cohort's most: group k is then
        # the same learners whatever the module.
        groups = {code: (cohort_groups if g > 1 else g) for code, g in groups.items()}
        per_group = {m.code: problem.calendar.sessions_for(m) for m in cohort.modules}
        # Slots a module takes, its groups one after the other (the worst case).
        length = {m.code: per_group[m.code] * max(groups[m.code], 1) for m in cohort.modules}
        total = sum(length.values())
        lo = first_slot_on_or_after(slots, cohort.earliest_start)
        latest = max(lo, first_slot_on_or_after(slots, cohort.latest_start))
        hi = min(last, latest + math.ceil(total * (1 + HORIZON_SLACK)))
        cohort_lo[cohort.id], cohort_latest[cohort.id], cohort_hi[cohort.id] = lo, latest, hi
        cohort_span[cohort.id] = sum(per_group.values())
        before, after = chain_lengths(cohort.modules, length)
        for module in cohort.modules:
            g = max(groups[module.code], 1)
            for group in range(g):
                units.append(
                    Unit(
                        key=(cohort.id, module.code, group),
                        cohort=cohort,
                        module=module,
                        group=group,
                        groups=g,
                        cohort_groups=cohort_groups,
                        sessions=per_group[module.code],
                        group_size=math.ceil(cohort.size / g),
                        lo=lo + before[module.code],
                        hi=hi - after[module.code],
                    )
                )
    unfolded = Unfolded(
        problem, slots, slot_of, week_of, units, cohort_lo, cohort_latest, cohort_hi, cohort_span
    )
    for busy in problem.busy:
        slot = slot_of.get((busy.day, busy.half_day))
        if slot is None:
            continue
        _hold(unfolded, busy, slot)
    return unfolded


def _hold(unfolded: Unfolded, busy: FixedSession, slot: int) -> None:
    unfolded.busy_labs.setdefault(slot, set()).add(busy.lab)
    unfolded.busy_trainers.setdefault(slot, set()).add(busy.trainer)
    held = unfolded.busy_equipment.setdefault(slot, {})
    for kind, units in busy.equipment:
        held[kind] = held.get(kind, 0) + units
