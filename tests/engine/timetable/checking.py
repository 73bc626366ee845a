"""Checks every hard rule of a plan against its problem, for the planners' tests."""

import math
from collections import Counter, defaultdict

from tremplin.engine.timetable.model import Plan, Problem
from tremplin.engine.timetable.units import unfold


def broken_rules(problem: Problem, plan: Plan) -> list[str]:
    unfolded = unfold(problem)
    slot_of = unfolded.slot_of
    labs = {lab.id: lab for lab in problem.labs}
    trainers = {trainer.id: trainer for trainer in problem.trainers}
    broken: list[str] = []
    seen_lab, seen_trainer = set(), set()
    equipment: dict[int, Counter[str]] = defaultdict(Counter)
    week_load: Counter[tuple[str, int]] = Counter()
    cohort_at: dict[tuple[str, int], list[int]] = defaultdict(list)  # groups, -1 = all
    slots_of: dict[tuple[str, str], list[int]] = defaultdict(list)
    count: Counter[tuple[str, str, int]] = Counter()
    for s in plan.sessions:
        cohort = next(c for c in problem.cohorts if c.id == s.cohort)
        module = next(m for m in cohort.modules if m.code == s.module)
        slot = slot_of[(s.day, s.half_day)]
        groups = (
            max(cohort.groups_for(m, problem.labs) for m in cohort.modules)
            if cohort.groups_for(module, problem.labs) > 1
            else 1
        )
        lab = labs[s.lab]
        if lab.kind != module.lab_kind or lab.workstations < math.ceil(cohort.size / groups):
            broken.append(f"lab {s}")
        if (s.lab, slot) in seen_lab:
            broken.append(f"lab twice {s}")
        seen_lab.add((s.lab, slot))
        trainer = trainers[s.trainer]
        if module.code not in trainer.modules or (s.day, s.half_day) in trainer.unavailable:
            broken.append(f"trainer {s}")
        if (s.trainer, slot) in seen_trainer:
            broken.append(f"trainer twice {s}")
        seen_trainer.add((s.trainer, slot))
        week_load[s.trainer, unfolded.week_of[slot]] += 1
        equipment[slot].update(dict(s.equipment))
        if dict(s.equipment) != dict(module.equipment):
            broken.append(f"equipment {s}")
        cohort_at[s.cohort, slot].append(-1 if groups == 1 else s.group)
        slots_of[s.cohort, s.module].append(slot)
        count[s.cohort, s.module, groups] += 1
    for (trainer, _week), load in week_load.items():
        if load > trainers[trainer].max_half_days_per_week:
            broken.append(f"weekly limit {trainer}")
    for slot, used in equipment.items():
        for kind, units in used.items():
            if units > problem.equipment.get(kind, 0):
                broken.append(f"equipment {kind} at {slot}")
    for (cohort, slot), groups in cohort_at.items():
        if len(groups) != len(set(groups)) or (-1 in groups and len(groups) > 1):
            broken.append(f"cohort {cohort} twice at {slot}")
    for cohort in problem.cohorts:
        first = min(slot for (c, _m), slots in slots_of.items() if c == cohort.id for slot in slots)
        day = unfolded.slots[first][0]
        if not cohort.earliest_start <= day <= cohort.latest_start:
            broken.append(f"start of {cohort.id}")
        for module in cohort.modules:
            sessions = problem.calendar.sessions_for(module)
            done = [n for (c, m, _g), n in count.items() if (c, m) == (cohort.id, module.code)]
            groups = [g for (c, m, g) in count if (c, m) == (cohort.id, module.code)]
            if not done or done[0] != sessions * groups[0]:
                broken.append(f"sessions of {cohort.id}/{module.code}")
            for before in module.prerequisites:
                if min(slots_of[cohort.id, module.code]) <= max(slots_of[cohort.id, before]):
                    broken.append(f"{module.code} before {before} in {cohort.id}")
    return broken
