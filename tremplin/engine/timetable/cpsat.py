"""The planner: the timetabling problem as an OR-Tools CP-SAT model.

Variables: ``z[unit, slot, trainer]``, true when the unit (a cohort's group following a
module, see units.py) has a session at that slot with that trainer. A unit's presence at a
slot is the sum of its ``z`` (0 or 1). Constraints:

- each unit gets its sessions; a group follows one session per slot;
- labs of a kind are one cumulative resource: at each slot, for every seat threshold, no
  more sessions than free labs of the kind seating that many (rooms are given afterwards,
  rooms.py); equipment of each type: the units sessions hold at a slot, within the free count;
- a trainer teaches one session per slot, never when unavailable or already busy on the
  plateau, at most ``max_half_days_per_week`` a week;
- a module starts after the last session of each of its prerequisites;
- a cohort starts within its window; sessions kept from an earlier plan (``fixed``) stay.

Redundant bounds help the search prove optimality: a unit's last session is at least its
sessions after its first; a cohort's span at least its sessions; the busiest trainer at
least the average load. The objective is documented in objective.py (same formula).

When there is no plan, ``explain`` re-solves with each resource family behind an assumption
literal and reports the infeasibility core in words.
"""

import os
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field

from ortools.sat.python import cp_model

from .checks import precheck
from .model import Plan, PlannedSession, Problem
from .rooms import assign_rooms
from .units import Unfolded, Unit, unfold


@dataclass(frozen=True)
class Progress:
    elapsed: float
    objective: float
    bound: float
    solutions: int


@dataclass
class _Built:
    model: cp_model.CpModel
    z: dict[tuple[int, int, str], cp_model.IntVar]
    starts: dict[str, cp_model.IntVar]
    ends: dict[str, cp_model.IntVar]
    assumptions: dict[int, str] = field(default_factory=dict)  # literal index → sentence
    first: dict[int, cp_model.IntVar] = field(default_factory=dict)
    last: dict[int, cp_model.IntVar] = field(default_factory=dict)
    loads: dict[str, cp_model.IntVar] = field(default_factory=dict)
    busiest: cp_model.IntVar | None = None
    overs: list[tuple[cp_model.IntVar, str, range]] = field(default_factory=list)


def _presence(
    z: dict[tuple[int, int, str], cp_model.IntVar],
) -> dict[tuple[int, int], list[cp_model.IntVar]]:
    by: dict[tuple[int, int], list[cp_model.IntVar]] = defaultdict(list)
    for (unit, slot, _trainer), var in z.items():
        by[unit, slot].append(var)
    return by


def build(unfolded: Unfolded, *, with_assumptions: bool = False) -> _Built:
    problem = unfolded.problem
    model = cp_model.CpModel()
    units = unfolded.units
    built = _Built(model, {}, {}, {})

    def guard(sentence: str) -> list[cp_model.IntVar]:
        """An assumption literal enforcing a family of constraints (explanations only)."""
        if not with_assumptions:
            return []
        literal = model.new_bool_var(sentence)
        built.assumptions[literal.index] = sentence
        return [literal]

    fixed: dict[tuple[int, int], str] = {}
    unit_index = {unit.key: i for i, unit in enumerate(units)}
    for cohort in problem.cohorts:
        for kept in cohort.fixed:
            slot = unfolded.slot_of.get((kept.day, kept.half_day))
            i = unit_index.get((kept.cohort, kept.module, kept.group))
            if slot is not None and i is not None:
                fixed[i, slot] = kept.trainer

    trainers = {t.id: t for t in problem.trainers}
    z = built.z
    for i, unit in enumerate(units):
        qualified = [t for t in problem.trainers if unit.module.code in t.modules]
        for slot in range(unit.lo, unit.hi + 1):
            for trainer in qualified:
                if unfolded.slots[slot] in trainer.unavailable:
                    continue
                if not unfolded.trainer_free(trainer.id, slot):
                    continue
                z[i, slot, trainer.id] = model.new_bool_var(f"z{i}_{slot}_{trainer.id}")
    for (i, slot), trainer_id in fixed.items():
        var = z.get((i, slot, trainer_id))
        if var is None:
            var = z[i, slot, trainer_id] = model.new_bool_var(f"z{i}_{slot}_{trainer_id}")
        model.add(var == 1)
    presence = _presence(z)

    def at(i: int, slot: int) -> cp_model.LinearExpr:
        return sum(presence.get((i, slot), []))  # type: ignore[return-value]

    slots_of_unit: dict[int, list[int]] = defaultdict(list)
    for i, slot in presence:
        slots_of_unit[i].append(slot)

    # Each unit gets its sessions; one session per slot and unit; first and last sessions.
    first, last = built.first, built.last
    last_possible: dict[int, int] = {}
    for i, unit in enumerate(units):
        own = sorted(slots_of_unit[i])
        model.add(sum(sum(presence[i, s]) for s in own) == unit.sessions)
        lo, hi = min([unit.lo, *own]), max([unit.hi, *own])
        last_possible[i] = hi
        first[i] = model.new_int_var(lo, hi, f"first{i}")
        last[i] = model.new_int_var(lo, hi, f"last{i}")
        model.add(last[i] - first[i] >= unit.sessions - 1)  # redundant bound
        for s in own:
            x = at(i, s)
            model.add(x <= 1)
            model.add(first[i] + (hi - s) * x <= hi)
            model.add(last[i] >= lo + (s - lo) * x)

    # A group follows one session at a time (a whole-cohort module holds every group).
    cohort_units: dict[str, list[int]] = defaultdict(list)
    for i, unit in enumerate(units):
        cohort_units[unit.cohort.id].append(i)
    for members in cohort_units.values():
        groups = units[members[0]].cohort_groups
        all_slots = sorted({s for i in members for s in slots_of_unit[i]})
        for k in range(groups):
            mine = [i for i in members if units[i].groups == 1 or units[i].group == k]
            for s in all_slots:
                terms = [at(i, s) for i in mine if (i, s) in presence]
                if len(terms) > 1:
                    model.add(sum(terms) <= 1)

    # Labs: a cumulative resource per kind, with nested seat thresholds.
    by_kind: dict[str, list[int]] = defaultdict(list)
    for i, unit in enumerate(units):
        by_kind[unit.module.lab_kind].append(i)
    for kind, members in sorted(by_kind.items()):
        lits = guard(f"Les labos « {kind} » ne suffisent pas aux séances demandées.")
        thresholds = sorted({units[i].group_size for i in members})
        slots = sorted({s for i in members for s in slots_of_unit[i]})
        for seats in thresholds:
            concerned = [i for i in members if units[i].group_size >= seats]
            for s in slots:
                terms = [at(i, s) for i in concerned if (i, s) in presence]
                free = unfolded.free_labs(kind, seats, s)
                if len(terms) > free:
                    model.add(sum(terms) <= free).only_enforce_if(lits)

    # Equipment, shared by the whole platform.
    needs: dict[str, list[tuple[int, int]]] = defaultdict(list)
    for i, unit in enumerate(units):
        for kind, count in unit.module.equipment.items():
            needs[kind].append((i, count))
    for kind, users in sorted(needs.items()):
        lits = guard(f"L'équipement « {kind} » ne suffit pas aux séances qui en ont besoin.")
        slots = sorted({s for i, _ in users for s in slots_of_unit[i]})
        for s in slots:
            terms = [count * at(i, s) for i, count in users if (i, s) in presence]
            free = unfolded.free_equipment(kind, s)
            if sum(count for i, count in users if (i, s) in presence) > free:
                model.add(sum(terms) <= free).only_enforce_if(lits)

    # Trainers: one session a slot, a weekly maximum.
    by_trainer: dict[str, dict[int, list[cp_model.IntVar]]] = defaultdict(lambda: defaultdict(list))
    lab_vars: dict[str, dict[int, list[cp_model.IntVar]]] = defaultdict(lambda: defaultdict(list))
    for (i, s, trainer_id), var in z.items():
        by_trainer[trainer_id][s].append(var)
        if units[i].in_lab:
            lab_vars[trainer_id][s].append(var)
    busy_weekly: dict[tuple[str, int], int] = defaultdict(int)
    for s, names in unfolded.busy_trainers.items():
        for name in names:
            busy_weekly[name, unfolded.week_of[s]] += 1
    loads = built.loads
    for trainer_id, per_slot in by_trainer.items():
        trainer = trainers[trainer_id]
        for vars_ in per_slot.values():
            if len(vars_) > 1:
                model.add_at_most_one(vars_)
        lits = guard(
            f"Le maximum hebdomadaire de {trainer.max_half_days_per_week} demi-journées de "
            f"{trainer_id} limite le planning."
        )
        per_week: dict[int, list[cp_model.IntVar]] = defaultdict(list)
        for s, vars_ in per_slot.items():
            per_week[unfolded.week_of[s]].extend(vars_)
        for week, vars_ in per_week.items():
            room = trainer.max_half_days_per_week - busy_weekly[trainer_id, week]
            if len(vars_) > room:
                model.add(sum(vars_) <= max(0, room)).only_enforce_if(lits)
        total = sum(len(v) for v in per_slot.values())
        load = model.new_int_var(0, total, f"load_{trainer_id}")
        model.add(load == sum(v for vars_ in per_slot.values() for v in vars_))
        loads[trainer_id] = load

    # Prerequisites: every session of a prerequisite before the first of the module.
    for members in cohort_units.values():
        by_code: dict[str, list[int]] = defaultdict(list)
        for i in members:
            by_code[units[i].module.code].append(i)
        for i in members:
            for code in units[i].module.prerequisites:
                for j in by_code.get(code, []):
                    model.add(last[j] < first[i])

    # Cohorts: start within the window; span; ends.
    objective_terms: list[cp_model.LinearExprT] = []
    weights = problem.weights
    for cohort in problem.cohorts:
        members = cohort_units.get(cohort.id, [])
        if not members:
            continue
        lo, hi = unfolded.cohort_lo[cohort.id], unfolded.cohort_hi[cohort.id]
        hi = max([hi, *(last_possible[i] for i in members)])
        start = model.new_int_var(lo, hi, f"start_{cohort.id}")
        end = model.new_int_var(lo, hi, f"end_{cohort.id}")
        model.add_min_equality(start, [first[i] for i in members])
        model.add_max_equality(end, [last[i] for i in members])
        latest = unfolded.cohort_latest_start[cohort.id]
        lits = guard(f"La promotion {cohort.id} ne peut pas commencer dans sa fenêtre de départ.")
        model.add(start <= latest).only_enforce_if(lits)
        span = unfolded.cohort_min_span[cohort.id]
        model.add(end - start + 1 >= span)  # redundant bound
        built.starts[cohort.id], built.ends[cohort.id] = start, end
        objective_terms.append(weights.end * (end - lo))
        objective_terms.append(weights.idle * (end - start + 1 - span))

    # The busiest trainer's load.
    if loads:
        total_sessions = sum(unit.sessions for unit in units)
        busiest = model.new_int_var(0, total_sessions, "busiest")
        model.add_max_equality(busiest, list(loads.values()))
        built.busiest = busiest
        model.add(busiest * len(loads) >= total_sessions)  # redundant bound
        objective_terms.append(weights.trainer_balance * busiest)

    # Soft limit: at most N lab half-days in a row per trainer.
    n = weights.max_consecutive
    for trainer_id, in_lab in lab_vars.items():
        if len(in_lab) <= n:
            continue
        for begin in range(min(in_lab), max(in_lab) - n + 1):
            window = [v for s in range(begin, begin + n + 1) for v in in_lab.get(s, [])]
            if len({s for s in range(begin, begin + n + 1) if s in in_lab}) <= n:
                continue
            over = model.new_int_var(0, 1, f"over_{trainer_id}_{begin}")
            model.add(sum(window) - n <= over)
            built.overs.append((over, trainer_id, range(begin, begin + n + 1)))
            objective_terms.append(weights.consecutive * over)

    model.minimize(sum(objective_terms))
    return built


def _first_fit(unfolded: Unfolded) -> dict[tuple[int, int, str], int] | None:
    """A quick first-fit schedule used as the solver's starting hint (None if it gets
    stuck): units in prerequisite order, each session at the earliest slot where its
    group, a lab, the equipment and a qualified trainer are free. The search finds its
    first plan at once from it, and spends its time improving and proving."""
    units = unfolded.units
    problem = unfolded.problem
    order = sorted(
        range(len(units)),
        key=lambda i: (unfolded.cohort_lo[units[i].cohort.id], units[i].lo, units[i].key),
    )
    group_busy: dict[tuple[str, int], set[int]] = defaultdict(set)
    labs_used: dict[tuple[str, int], int] = defaultdict(int)
    equipment_used: dict[tuple[str, int], int] = defaultdict(int)
    trainer_busy: dict[str, set[int]] = defaultdict(set)
    trainer_week: dict[tuple[str, int], int] = defaultdict(int)
    load: dict[str, int] = defaultdict(int)
    done_at: dict[tuple[str, str], int] = {}
    chosen: dict[tuple[int, int, str], int] = {}
    for i in order:
        unit = units[i]
        cohort = unit.cohort.id
        groups = range(unit.cohort_groups) if unit.groups == 1 else [unit.group]
        earliest = max(
            [unit.lo, *(done_at.get((cohort, p), -1) + 1 for p in unit.module.prerequisites)]
        )
        placed = 0
        slot = earliest
        qualified = [t for t in problem.trainers if unit.module.code in t.modules]
        while placed < unit.sessions:
            if slot > unit.hi:
                return None
            kind = unit.module.lab_kind
            free = (
                all(slot not in group_busy[cohort, k] for k in groups)
                and labs_used[kind, slot] < unfolded.free_labs(kind, unit.group_size, slot)
                and all(
                    equipment_used[e, slot] + n <= unfolded.free_equipment(e, slot)
                    for e, n in unit.module.equipment.items()
                )
            )
            trainer = None
            if free:
                candidates = [
                    t
                    for t in qualified
                    if slot not in trainer_busy[t.id]
                    and unfolded.slots[slot] not in t.unavailable
                    and unfolded.trainer_free(t.id, slot)
                    and trainer_week[t.id, unfolded.week_of[slot]] < t.max_half_days_per_week
                ]
                trainer = min(candidates, key=lambda t: (load[t.id], t.id), default=None)
            if trainer is not None:
                for k in groups:
                    group_busy[cohort, k].add(slot)
                labs_used[kind, slot] += 1
                for e, n in unit.module.equipment.items():
                    equipment_used[e, slot] += n
                trainer_busy[trainer.id].add(slot)
                trainer_week[trainer.id, unfolded.week_of[slot]] += 1
                load[trainer.id] += 1
                chosen[i, slot, trainer.id] = 1
                placed += 1
            slot += 1
        done_at[cohort, unit.module.code] = max(
            done_at.get((cohort, unit.module.code), -1), slot - 1
        )
    return chosen


def _add_hint(unfolded: Unfolded, built: _Built, hint: dict[tuple[int, int, str], int]) -> None:
    """Hint every variable, not only the choices: an incomplete hint leaves the search to
    complete it, which it often fails to do on large instances."""
    model = built.model
    for key, var in built.z.items():
        model.add_hint(var, hint.get(key, 0))
    slots_of: dict[int, list[int]] = defaultdict(list)
    load: dict[str, int] = defaultdict(int)
    lab_slots: dict[str, set[int]] = defaultdict(set)
    for i, s, trainer in hint:
        slots_of[i].append(s)
        load[trainer] += 1
        if unfolded.units[i].in_lab:
            lab_slots[trainer].add(s)
    for i, var in built.first.items():
        model.add_hint(var, min(slots_of[i]))
        model.add_hint(built.last[i], max(slots_of[i]))
    for cohort_id, start in built.starts.items():
        members = [i for i, unit in enumerate(unfolded.units) if unit.cohort.id == cohort_id]
        model.add_hint(start, min(min(slots_of[i]) for i in members))
        model.add_hint(built.ends[cohort_id], max(max(slots_of[i]) for i in members))
    for trainer_id, var in built.loads.items():
        model.add_hint(var, load[trainer_id])
    if built.busiest is not None:
        model.add_hint(built.busiest, max(load.values(), default=0))
    n = unfolded.problem.weights.max_consecutive
    for var, trainer_id, window in built.overs:
        model.add_hint(var, max(0, sum(1 for s in window if s in lab_slots[trainer_id]) - n))


class _Watcher(cp_model.CpSolverSolutionCallback):
    def __init__(self, progress: Callable[[Progress], None] | None) -> None:
        super().__init__()
        self.progress = progress
        self.solutions = 0

    def on_solution_callback(self) -> None:
        self.solutions += 1
        if self.progress is not None:
            self.progress(
                Progress(
                    elapsed=self.wall_time,
                    objective=self.objective_value,
                    bound=self.best_objective_bound,
                    solutions=self.solutions,
                )
            )


def _parameters(solver: cp_model.CpSolver, time_limit: float, seed: int, workers: int) -> None:
    solver.parameters.max_time_in_seconds = time_limit
    solver.parameters.random_seed = seed
    solver.parameters.num_workers = workers
    # Probing and symmetry detection cost seconds of presolve on these time-indexed models
    # (8 s of 14 for one cohort) and find little: the search and its LP bound do the work.
    solver.parameters.cp_model_probing_level = 0
    solver.parameters.symmetry_level = 0
    # TREMPLIN_CPSAT_LOG=1 prints the solver's log (tuning, benchmarks).
    solver.parameters.log_search_progress = bool(os.environ.get("TREMPLIN_CPSAT_LOG"))


def solve(
    problem: Problem,
    *,
    time_limit: float = 10.0,
    seed: int = 0,
    workers: int = 2,
    progress: Callable[[Progress], None] | None = None,
) -> Plan:
    """The best plan found within ``time_limit`` seconds (fixed ``seed``: reproducible)."""
    began = time.monotonic()
    reasons = precheck(problem)
    if reasons:
        return Plan("infeasible", explanation=reasons, wall_time=time.monotonic() - began)
    unfolded = unfold(problem)
    built = build(unfolded)
    hint = _first_fit(unfolded)
    if hint is not None and all(key in built.z for key in hint):
        _add_hint(unfolded, built, hint)
    solver = cp_model.CpSolver()
    # The time limit covers building the model too: it is the caller's wall-clock budget.
    _parameters(solver, max(1.0, time_limit - (time.monotonic() - began)), seed, workers)
    watcher = _Watcher(progress)
    status = solver.solve(built.model, watcher)
    elapsed = time.monotonic() - began
    if status == cp_model.INFEASIBLE:
        return Plan(
            "infeasible",
            explanation=explain(unfolded, time_limit=max(5.0, time_limit / 2), seed=seed),
            wall_time=time.monotonic() - began,
        )
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return Plan(
            "unknown",
            explanation=[
                f"Aucun planning trouvé en {time_limit:.0f} s : le problème n'est pas prouvé "
                "impossible, mais il faut plus de temps (ou relâcher une contrainte)."
            ],
            wall_time=elapsed,
        )
    plan = _read_plan(unfolded, built, solver)
    plan.status = "optimal" if status == cp_model.OPTIMAL else "feasible"
    plan.objective = solver.objective_value
    plan.bound = solver.best_objective_bound
    plan.wall_time = elapsed
    return plan


def _read_plan(unfolded: Unfolded, built: _Built, solver: cp_model.CpSolver) -> Plan:
    units = unfolded.units
    chosen: list[tuple[Unit, int, str]] = [
        (units[i], s, trainer) for (i, s, trainer), var in built.z.items() if solver.value(var)
    ]
    pinned = {
        ((kept.cohort, kept.module, kept.group), unfolded.slot_of[(kept.day, kept.half_day)]): (
            kept.lab
        )
        for cohort in unfolded.problem.cohorts
        for kept in cohort.fixed
        if (kept.day, kept.half_day) in unfolded.slot_of
    }
    rooms = assign_rooms(unfolded, [(unit, s) for unit, s, _t in chosen], pinned=pinned)
    sessions = [
        PlannedSession(
            cohort=unit.cohort.id,
            module=unit.module.code,
            day=unfolded.slots[s][0],
            half_day=unfolded.slots[s][1],
            lab=rooms[unit.key, s],
            trainer=trainer,
            group=unit.group if unit.groups > 1 else 0,
            equipment=tuple(sorted(unit.module.equipment.items())),
        )
        for unit, s, trainer in sorted(chosen, key=lambda c: (c[1], c[0].key))
    ]
    plan = Plan("feasible", sessions=sessions)
    for cohort_id, start in built.starts.items():
        plan.cohort_starts[cohort_id] = unfolded.slots[solver.value(start)][0]
        plan.cohort_ends[cohort_id] = unfolded.slots[solver.value(built.ends[cohort_id])][0]
    return plan


def explain(unfolded: Unfolded, *, time_limit: float = 10.0, seed: int = 0) -> list[str]:
    """Which resources make the problem infeasible, in words: an infeasibility core over the
    assumption literals that guard each resource family, then shrunk one literal at a time
    (a family whose constraints can be dropped with the problem still infeasible is not
    the cause). Solved on one worker: cores need the sequential search."""
    built = build(unfolded, with_assumptions=True)
    model = built.model
    literal = {i: model.get_bool_var_from_proto_index(i) for i in built.assumptions}
    began = time.monotonic()

    def infeasible_with(indices: list[int], budget: float) -> tuple[bool, list[int]]:
        model.clear_assumptions()
        model.add_assumptions([literal[i] for i in indices])
        solver = cp_model.CpSolver()
        _parameters(solver, max(0.5, budget), seed, 1)
        if solver.solve(model) != cp_model.INFEASIBLE:
            return False, []
        return True, list(solver.sufficient_assumptions_for_infeasibility())

    proven, core = infeasible_with(list(literal), time_limit / 2)
    if not proven:
        return [
            "Les labos, les équipements et les formateurs manquent ensemble : aucune "
            "ressource seule n'explique l'impossibilité ; en ajouter une de chaque type "
            "ouvrirait des créneaux."
        ]
    core = [i for i in core if i in literal]
    for candidate in list(core):
        left = time_limit - (time.monotonic() - began)
        if left <= 0.5 or len(core) == 1:
            break
        rest = [i for i in core if i != candidate]
        still, smaller = infeasible_with(rest, left / max(1, len(core)))
        if still:
            core = [i for i in smaller if i in literal] or rest
    sentences = [built.assumptions[i] for i in core]
    if sentences:
        return sentences
    return [
        "Même sans limite de labos, d'équipements ni de formateurs, les prérequis et les "
        "disponibilités ne laissent aucun planning dans la fenêtre des promotions."
    ]


def minimum_sessions(problem: Problem) -> int:
    """Sessions the problem asks for, all cohorts and groups (for figures)."""
    unfolded = unfold(problem)
    return sum(unit.sessions for unit in unfolded.units) if unfolded.units else 0


__all__ = ["Progress", "explain", "minimum_sessions", "solve"]
