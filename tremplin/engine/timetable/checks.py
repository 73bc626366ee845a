"""Necessary conditions of a plan, checked before solving: when one fails, the sentence says
which resource or constraint makes planning impossible (in French, for the coordinator).

They are counts, so they are quick and certain; the solver's own infeasibility core
(``cpsat.explain``) covers what only the combination of constraints rules out.
"""

from collections import defaultdict

from .model import Problem
from .units import Unfolded, topological, unfold


def _plural(count: int, one: str, many: str) -> str:
    return f"{count} {one if count == 1 else many}"


def precheck(problem: Problem, unfolded: Unfolded | None = None) -> list[str]:
    """The violated necessary conditions, as sentences; empty when none is violated."""
    problems: list[str] = []
    if not problem.calendar.days:
        return ["Le calendrier ne compte aucun jour ouvré."]
    for cohort in problem.cohorts:
        try:
            topological(cohort.modules)
        except ValueError as cycle:
            problems.append(
                f"Promotion {cohort.id} : les prérequis des modules tournent en rond ({cycle})."
            )
    if problems:
        return problems
    unfolded = unfolded or unfold(problem)
    kinds = {lab.kind for lab in problem.labs}
    for cohort in problem.cohorts:
        for module in cohort.modules:
            where = f"Le module « {module.title} » (promotion {cohort.id})"
            if module.lab_kind not in kinds:
                problems.append(
                    f"{where} demande un labo « {module.lab_kind} » : le plateau n'en a aucun."
                )
            for kind, count in module.equipment.items():
                have = problem.equipment.get(kind, 0)
                if count > have:
                    problems.append(
                        f"{where} demande {_plural(count, 'unité', 'unités')} de « {kind} » "
                        f"par séance : le plateau n'en a que {have}."
                    )
            if not any(module.code in t.modules for t in problem.trainers):
                problems.append(f"{where} : aucun formateur ne sait l'enseigner.")
    if problems:
        return problems
    # Each cohort's window must hold its sessions (groups of a split module in parallel if
    # there are labs enough, else one after the other).
    for cohort in problem.cohorts:
        units = [u for u in unfolded.units if u.cohort.id == cohort.id]
        if any(u.hi - u.lo + 1 < u.sessions for u in units):
            lo, hi = unfolded.cohort_lo[cohort.id], unfolded.cohort_hi[cohort.id]
            problems.append(
                f"La promotion {cohort.id} a besoin de "
                f"{_plural(sum(u.sessions for u in units), 'demi-journée', 'demi-journées')} "
                f"de séances dans l'ordre des prérequis ; le calendrier n'en offre que "
                f"{hi - lo + 1} entre son début au plus tôt et la fin de l'horizon."
            )
    # Lab kinds, equipment types and trainers: demand against supply over the horizon.
    first = min((u.lo for u in unfolded.units), default=0)
    last = max((u.hi for u in unfolded.units), default=-1)
    span = range(first, last + 1)
    demand_lab: dict[str, int] = defaultdict(int)
    demand_equipment: dict[str, int] = defaultdict(int)
    for unit in unfolded.units:
        demand_lab[unit.module.lab_kind] += unit.sessions
        for kind, count in unit.module.equipment.items():
            demand_equipment[kind] += count * unit.sessions
    for kind, need in sorted(demand_lab.items()):
        offer = sum(unfolded.free_labs(kind, 1, s) for s in span)
        if need > offer:
            problems.append(
                f"Les labos « {kind} » sont demandés {need} demi-journées sur la période, ils "
                f"n'en offrent que {offer} : il manque un labo de ce type ou du temps."
            )
    for kind, need in sorted(demand_equipment.items()):
        offer = sum(unfolded.free_equipment(kind, s) for s in span)
        if need > offer:
            problems.append(
                f"L'équipement « {kind} » est demandé {need} fois (unités × demi-journées), "
                f"le plateau n'en offre que {offer} sur la période."
            )
    problems += _trainer_shortfalls(unfolded, span)
    return problems


def _trainer_shortfalls(unfolded: Unfolded, span: range) -> list[str]:
    """For each module, the trainers able to teach it must have half-days enough for every
    module only they can teach (Hall's condition on the module's qualified set)."""
    problem = unfolded.problem
    weeks = len({unfolded.week_of[s] for s in span}) if span else 0
    offer: dict[str, int] = {}
    for trainer in problem.trainers:
        free = sum(
            1
            for s in span
            if unfolded.slots[s] not in trainer.unavailable and unfolded.trainer_free(trainer.id, s)
        )
        offer[trainer.id] = min(free, trainer.max_half_days_per_week * weeks)
    qualified = {
        unit.module.code: frozenset(t.id for t in problem.trainers if unit.module.code in t.modules)
        for unit in unfolded.units
    }
    messages = []
    for team in sorted(set(qualified.values()), key=sorted):
        modules = {code for code, who in qualified.items() if who <= team}
        need = sum(u.sessions for u in unfolded.units if u.module.code in modules)
        have = sum(offer[t] for t in team)
        if need > have:
            names = ", ".join(sorted(team))
            messages.append(
                f"Les modules {', '.join(sorted(modules))} ne peuvent être enseignés que par "
                f"{names} : {need} demi-journées à assurer, ils n'en ont que {have} de "
                f"disponibles (absences et maximum hebdomadaire comptés)."
            )
    return messages
