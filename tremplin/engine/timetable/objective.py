"""The planners' objective, computed from any plan: what the solver minimises, so the greedy
baseline is scored on the same scale.

    weights.end * Σ_cohorts (last slot − earliest possible start slot)
  + weights.idle * Σ_cohorts (span in slots − the cohort's sessions, groups in parallel)
  + weights.trainer_balance * (half-days of the busiest trainer)
  + weights.consecutive * Σ_trainers Σ_windows max(0, lab half-days in the window − N)

where a window is any run of N + 1 consecutive slots, N = ``weights.max_consecutive``.
Slots are working half-days, so a weekend or a holiday is not idleness.
"""

from collections import Counter
from collections.abc import Sequence

from .model import PlannedSession, Problem
from .units import CLASSROOM_KINDS, Unfolded, unfold


def objective_of(
    problem: Problem, sessions: Sequence[PlannedSession], unfolded: Unfolded | None = None
) -> float:
    unfolded = unfolded or unfold(problem)
    weights = problem.weights
    kind_of = {(c.id, m.code): m.lab_kind for c in problem.cohorts for m in c.modules}
    by_cohort: dict[str, list[int]] = {}
    load: Counter[str] = Counter()
    lab_slots: dict[str, set[int]] = {}
    for session in sessions:
        slot = unfolded.slot_of[(session.day, session.half_day)]
        by_cohort.setdefault(session.cohort, []).append(slot)
        load[session.trainer] += 1
        if kind_of.get((session.cohort, session.module)) not in CLASSROOM_KINDS:
            lab_slots.setdefault(session.trainer, set()).add(slot)
    total = 0
    for cohort_id, slots in by_cohort.items():
        start, end = min(slots), max(slots)
        total += weights.end * (end - unfolded.cohort_lo[cohort_id])
        total += weights.idle * (end - start + 1 - unfolded.cohort_min_span[cohort_id])
    total += weights.trainer_balance * max(load.values(), default=0)
    n = weights.max_consecutive
    for busy in lab_slots.values():
        for first in range(len(unfolded.slots) - n):
            over = sum(1 for s in range(first, first + n + 1) if s in busy) - n
            total += weights.consecutive * max(0, over)
    return float(total)
