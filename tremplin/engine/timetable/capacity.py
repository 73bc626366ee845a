"""How many people a plateau can train in a year, and what limits it: the funder's question.

``capacity`` plans k cohorts of a template with starts spread evenly over the year, for
k = 1, 2, … until no plan is found, and answers with the largest k, the practice of one
cohort at a time (how many fit back to back) beside it, the labs' occupation month by month
in the best plan, and, for the first k that fails, which single extra unit of a resource (one
more lab of a kind, one more unit of an equipment type, one more trainer) would make it fit.

To stay within a background task's minutes on two cores, each k goes through the cheap
filters first: the pre-checks (aggregate demand against supply, which rule a k out in
milliseconds and name the short resource), then the greedy planner (a plan it finds is a
plan), and only then CP-SAT with a short time limit.
"""

from __future__ import annotations

import dataclasses
import datetime
import math
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from tremplin.engine.timetable.checks import precheck
from tremplin.engine.timetable.cpsat import solve
from tremplin.engine.timetable.greedy import greedy
from tremplin.engine.timetable.model import (
    Calendar,
    CohortSpec,
    LabSpec,
    Plan,
    Problem,
    TrainerSpec,
)

# A cohort's window to start: one week after its staggered date.
START_WINDOW_SLOTS = 10
# Room kept at the end of the year for the last cohort beyond its bare sessions (trainers'
# absences and weekly limits stretch a cohort).
LAST_COHORT_MARGIN = 0.15
# Beyond this many cohorts the search stops even if everything fits (a guard, not a figure).
MAX_COHORTS = 40

# Names for people, with their article, so sentences read « un labo fibre de plus ».
LAB_NAMES = {
    "fibre": ("un", "labo fibre"),
    "datacenter": ("un", "labo datacenter"),
    "surveillance_iot": ("un", "labo télésurveillance et IoT"),
    "classroom": ("une", "salle de cours"),
}
EQUIPMENT_NAMES = {
    "fusion_splicer": ("une", "soudeuse à fibre"),
    "otdr": ("un", "réflectomètre (OTDR)"),
    "power_meter": ("un", "photomètre"),
    "rack_42u": ("une", "baie 42U"),
    "server": ("un", "serveur"),
    "switch": ("un", "commutateur"),
    "ip_camera": ("une", "caméra IP"),
    "sensor_gateway": ("une", "passerelle de capteurs"),
}


@dataclass(frozen=True)
class CapacityProgress:
    """Where the search is, for a progress bar: a French sentence and a share done."""

    message: str
    fraction: float


@dataclass(frozen=True)
class LabUse:
    used: int  # half-days of sessions in labs of the kind that month
    available: int  # working half-days × labs of the kind


@dataclass(frozen=True)
class ExtraUnit:
    """One more unit of a resource, and the cohorts it adds at the first k that fails."""

    resource: str  # "lab", "equipment" or "trainer"
    kind: str  # lab kind, equipment type or the cloned trainer's id
    label: str  # in French, for people
    extra_cohorts: int  # 0: not enough on its own
    sentence: str


@dataclass(frozen=True)
class Utilisation:
    """How busy a resource is in the best plan, between its first and last session."""

    resource: str  # "lab", "equipment" or "trainer"
    kind: str
    label: str  # in French
    share: float  # 0–1


@dataclass
class CapacityAnswer:
    cohorts: int  # the most cohorts with staggered starts (0: not even one)
    learners: int
    starts: list[datetime.date]  # of the best plan
    plan: Plan | None  # the best plan found
    planner: str  # "cpsat" or "greedy": who found the best plan
    sequential_cohorts: int  # one cohort at a time
    sequential_learners: int
    sequential_periods: list[tuple[datetime.date, datetime.date]]
    occupation: dict[str, dict[str, LabUse]]  # "2027-03" → lab kind → use
    binding: list[str] = field(default_factory=list)  # why k + 1 fails, in French
    extra_units: list[ExtraUnit] = field(default_factory=list)
    tried: dict[int, str] = field(default_factory=dict)  # k → how it ended
    utilisation: list[Utilisation] = field(default_factory=list)  # busiest first

    @property
    def summary(self) -> str:
        return (
            f"{self.cohorts} promotion(s) ({self.learners} personnes) par an en se chevauchant, "
            f"contre {self.sequential_cohorts} ({self.sequential_learners} personnes) "
            "une promotion à la fois."
        )


def year_calendar(base: Calendar, year_start: datetime.date, year_end: datetime.date) -> Calendar:
    days = tuple(day for day in base.days if year_start <= day <= year_end)
    return Calendar(days=days, half_day_hours=base.half_day_hours)


def cohort_slots(template: CohortSpec, calendar: Calendar) -> int:
    """Half-days of sessions one cohort needs (split groups taught in parallel)."""
    return sum(calendar.sessions_for(module) for module in template.modules)


def staggered(
    base: Problem, template: CohortSpec, calendar: Calendar, count: int, *, first_slot: int = 0
) -> Problem:
    """``count`` cohorts like ``template``, starts spread evenly from ``first_slot`` to the
    last start that leaves the cohort its sessions and a margin before the year's end."""
    slots = calendar.slots
    length = math.ceil(cohort_slots(template, calendar) * (1 + LAST_COHORT_MARGIN))
    last_start = max(first_slot, len(slots) - length)
    cohorts = []
    for number in range(count):
        share = number / (count - 1) if count > 1 else 0.0
        start = first_slot + round(share * (last_start - first_slot))
        start = min(start, len(slots) - 1)
        window_end = min(start + START_WINDOW_SLOTS, max(start, last_start), len(slots) - 1)
        cohorts.append(
            dataclasses.replace(
                template,
                id=f"{template.id}-{number + 1}",
                earliest_start=slots[start][0],
                latest_start=slots[window_end][0],
                fixed=(),
            )
        )
    return dataclasses.replace(base, cohorts=tuple(cohorts), calendar=calendar)


@dataclass
class _Attempt:
    plan: Plan | None
    planner: str
    why: list[str]
    status: str


def _attempt(problem: Problem, time_limit: float) -> _Attempt:
    """A plan for ``problem`` through the cheapest means that finds one."""
    reasons = precheck(problem)
    if reasons:
        return _Attempt(None, "precheck", reasons, "exclu par les pré-contrôles")
    quick = greedy(problem)
    if quick.found:
        return _Attempt(quick, "greedy", [], "planifié (glouton)")
    solved = solve(problem, time_limit=time_limit, seed=0, workers=2)
    if solved.found:
        return _Attempt(solved, "cpsat", [], f"planifié (CP-SAT, {solved.status})")
    status = {"infeasible": "impossible (prouvé)", "unknown": "aucun planning dans le temps"}
    return _Attempt(None, "cpsat", solved.explanation, status.get(solved.status, solved.status))


def _lab_name(kind: str) -> tuple[str, str]:
    return LAB_NAMES.get(kind, ("un", f"labo « {kind} »"))


def _equipment_name(kind: str) -> tuple[str, str]:
    return EQUIPMENT_NAMES.get(kind, ("une", f"unité de « {kind} »"))


def _variants(problem: Problem) -> list[tuple[ExtraUnit, Problem]]:
    """The problem with one more unit of each resource the cohorts use."""
    variants: list[tuple[ExtraUnit, Problem]] = []
    modules = [module for cohort in problem.cohorts for module in cohort.modules]
    for kind in sorted({module.lab_kind for module in modules}):
        same = [lab for lab in problem.labs if lab.kind == kind]
        if not same:
            continue
        model = max(same, key=lambda lab: lab.workstations)
        extra = LabSpec(id=f"{model.id}-bis", kind=kind, workstations=model.workstations)
        label = " ".join(_lab_name(kind)) + " de plus"
        unit = ExtraUnit("lab", kind, label, 0, "")
        variants.append((unit, dataclasses.replace(problem, labs=(*problem.labs, extra))))
    for kind in sorted({kind for module in modules for kind in module.equipment}):
        equipment = dict(problem.equipment)
        equipment[kind] = equipment.get(kind, 0) + 1
        label = " ".join(_equipment_name(kind)) + " de plus"
        unit = ExtraUnit("equipment", kind, label, 0, "")
        variants.append((unit, dataclasses.replace(problem, equipment=equipment)))
    if problem.trainers:
        versatile = max(problem.trainers, key=lambda t: (len(t.modules), t.id))
        clone = TrainerSpec(
            id=f"{versatile.id}-bis",
            modules=versatile.modules,
            max_half_days_per_week=versatile.max_half_days_per_week,
        )
        label = f"un formateur de plus (mêmes modules que {versatile.id})"
        unit = ExtraUnit("trainer", versatile.id, label, 0, "")
        variants.append((unit, dataclasses.replace(problem, trainers=(*problem.trainers, clone))))
    return variants


def utilisation(problem: Problem, plan: Plan) -> list[Utilisation]:
    """Each lab kind, equipment type and trainer: the share of what it could give that the
    plan uses, over the plan's span (first to last session). The busiest binds first."""
    if not plan.sessions:
        return []
    first = min((s.day, s.half_day) for s in plan.sessions)
    last = max((s.day, s.half_day) for s in plan.sessions)
    span = [slot for slot in problem.calendar.slots if first <= slot <= last]
    weeks = {day.isocalendar()[:2] for day, _half in span}
    kind_of = {lab.id: lab.kind for lab in problem.labs}
    used_lab: dict[str, int] = defaultdict(int)
    used_equipment: dict[str, int] = defaultdict(int)
    used_trainer: dict[str, int] = defaultdict(int)
    for session in plan.sessions:
        used_lab[kind_of[session.lab]] += 1
        used_trainer[session.trainer] += 1
        for kind, units in session.equipment:
            used_equipment[kind] += units
    shares: list[Utilisation] = []
    for kind, used in used_lab.items():
        offer = len(span) * sum(1 for lab in problem.labs if lab.kind == kind)
        shares.append(Utilisation("lab", kind, _lab_name(kind)[1], used / offer))
    for kind, used in used_equipment.items():
        offer = len(span) * problem.equipment.get(kind, 0)
        if offer:
            label = _equipment_name(kind)[1]
            shares.append(Utilisation("equipment", kind, label, used / offer))
    for trainer in problem.trainers:
        free = sum(1 for slot in span if slot not in trainer.unavailable)
        offer = min(free, trainer.max_half_days_per_week * len(weeks))
        if offer and trainer.id in used_trainer:
            label = f"formateur {trainer.id}"
            shares.append(
                Utilisation("trainer", trainer.id, label, used_trainer[trainer.id] / offer)
            )
    return sorted(shares, key=lambda use: (-use.share, use.label))


def occupation(problem: Problem, plan: Plan) -> dict[str, dict[str, LabUse]]:
    """Month → lab kind → half-days used and available, for the chart of the year."""
    kind_of = {lab.id: lab.kind for lab in problem.labs}
    labs_per_kind: dict[str, int] = defaultdict(int)
    for lab in problem.labs:
        labs_per_kind[lab.kind] += 1
    slots_per_month: dict[str, int] = defaultdict(int)
    for day in problem.calendar.days:
        slots_per_month[day.strftime("%Y-%m")] += 2
    used: dict[tuple[str, str], int] = defaultdict(int)
    for session in plan.sessions:
        used[session.day.strftime("%Y-%m"), kind_of[session.lab]] += 1
    for busy in problem.busy:
        if busy.day.strftime("%Y-%m") in slots_per_month and busy.lab in kind_of:
            used[busy.day.strftime("%Y-%m"), kind_of[busy.lab]] += 1
    return {
        month: {
            kind: LabUse(used[month, kind], slots * labs)
            for kind, labs in sorted(labs_per_kind.items())
        }
        for month, slots in sorted(slots_per_month.items())
    }


def _sequential(
    base: Problem, template: CohortSpec, calendar: Calendar, time_limit: float
) -> list[tuple[datetime.date, datetime.date]]:
    """Cohorts one after the other, each starting the working day after the last one ends."""
    periods: list[tuple[datetime.date, datetime.date]] = []
    first_slot = 0
    slots = calendar.slots
    while first_slot < len(slots) and len(periods) < MAX_COHORTS:
        start_day = slots[first_slot][0]
        cohort = dataclasses.replace(
            template,
            id=f"{template.id}-seq{len(periods) + 1}",
            earliest_start=start_day,
            latest_start=slots[min(first_slot + START_WINDOW_SLOTS, len(slots) - 1)][0],
            fixed=(),
        )
        problem = dataclasses.replace(base, cohorts=(cohort,), calendar=calendar)
        if precheck(problem):
            break
        plan = greedy(problem)
        if not plan.found:
            plan = solve(problem, time_limit=time_limit, seed=0, workers=2)
        if not plan.found or cohort.id not in plan.cohort_ends:
            break
        end = plan.cohort_ends[cohort.id]
        periods.append((plan.cohort_starts[cohort.id], end))
        first_slot = next((i for i, (day, _h) in enumerate(slots) if day > end), len(slots))
    return periods


def capacity(
    base: Problem,
    *,
    cohort_template: CohortSpec,
    year_start: datetime.date,
    year_end: datetime.date,
    time_limit: float,
    progress: Callable[[CapacityProgress], None] | None = None,
) -> CapacityAnswer:
    """The most cohorts like ``cohort_template`` the plateau of ``base`` (labs, equipment,
    trainers, calendar, sessions already booked) can train between the two dates."""

    def report(message: str, fraction: float) -> None:
        if progress is not None:
            progress(CapacityProgress(message, min(1.0, fraction)))

    calendar = year_calendar(base.calendar, year_start, year_end)
    base = dataclasses.replace(base, calendar=calendar)
    answer = CapacityAnswer(
        cohorts=0,
        learners=0,
        starts=[],
        plan=None,
        planner="",
        sequential_cohorts=0,
        sequential_learners=0,
        sequential_periods=[],
        occupation={},
    )
    if not calendar.days:
        answer.binding = ["Le calendrier ne compte aucun jour ouvré dans l'année demandée."]
        return answer

    # The largest k the aggregate counts allow: the search never goes past it.
    ceiling = 0
    while ceiling < MAX_COHORTS and not precheck(
        staggered(base, cohort_template, calendar, ceiling + 1)
    ):
        ceiling += 1
    report(f"Au plus {ceiling} promotion(s) d'après les capacités cumulées.", 0.05)

    best: _Attempt | None = None
    best_problem: Problem | None = None
    failed: _Attempt | None = None
    failed_problem: Problem | None = None
    k = 1
    while k <= MAX_COHORTS:
        problem = staggered(base, cohort_template, calendar, k)
        report(f"Essai avec {k} promotion(s)…", 0.05 + 0.55 * k / max(ceiling + 1, 1))
        attempt = _attempt(problem, time_limit)
        answer.tried[k] = attempt.status
        if attempt.plan is None:
            failed, failed_problem = attempt, problem
            break
        best, best_problem = attempt, problem
        k += 1

    if best is not None and best_problem is not None and best.plan is not None:
        # The chart and the answer show the better of both planners for the best k.
        if best.planner == "greedy":
            solved = solve(best_problem, time_limit=time_limit, seed=0, workers=2)
            better = (
                solved.found
                and solved.objective is not None
                and best.plan.objective is not None
                and solved.objective <= best.plan.objective
            )
            if better:
                best = _Attempt(solved, "cpsat", [], best.status)
        assert best.plan is not None
        answer.cohorts = len(best_problem.cohorts)
        answer.learners = sum(cohort.size for cohort in best_problem.cohorts)
        answer.starts = _starts(best.plan, best_problem)
        answer.plan = best.plan
        answer.planner = best.planner
        answer.occupation = occupation(best_problem, best.plan)
        answer.utilisation = utilisation(best_problem, best.plan)
    report("Pratique séquentielle : une promotion à la fois…", 0.65)
    answer.sequential_periods = _sequential(base, cohort_template, calendar, time_limit)
    answer.sequential_cohorts = len(answer.sequential_periods)
    answer.sequential_learners = answer.sequential_cohorts * cohort_template.size

    if failed is not None and failed_problem is not None:
        answer.binding = [
            f"Pour {len(failed_problem.cohorts)} promotions : {sentence}"
            for sentence in failed.why
            or [f"aucun planning trouvé dans le temps imparti ({time_limit:.0f} s par essai)."]
        ]
        variants = _variants(failed_problem)
        for index, (unit, problem) in enumerate(variants):
            report(f"Et avec {unit.label} ?", 0.7 + 0.3 * index / max(len(variants), 1))
            # Half the time: there are a dozen variants, and a unit that helps usually shows
            # it through the pre-checks or the greedy planner already.
            helped = _attempt(problem, max(1.0, time_limit / 2)).plan is not None
            gained = 1 if helped else 0
            answer.extra_units.append(
                dataclasses.replace(
                    unit,
                    extra_cohorts=gained,
                    sentence=_gain_sentence(unit, gained, cohort_template),
                )
            )
        if not any(unit.extra_cohorts for unit in answer.extra_units):
            answer.binding.append(
                "Aucune unité de plus, seule, ne suffit : plusieurs ressources sont à la limite."
            )
    if answer.utilisation:
        busiest = answer.utilisation[0]
        answer.binding.append(
            f"Dans le meilleur planning, la ressource la plus chargée est « {busiest.label} » : "
            f"{round(busiest.share * 100)} % de son temps disponible."
        )
    report("Terminé.", 1.0)
    return answer


def _starts(plan: Plan, problem: Problem) -> list[datetime.date]:
    return [plan.cohort_starts.get(cohort.id, cohort.earliest_start) for cohort in problem.cohorts]


def _gain_sentence(unit: ExtraUnit, gained: int, template: CohortSpec) -> str:
    label = unit.label[0].upper() + unit.label[1:]
    if gained:
        return (
            f"{label} permettrait {gained} promotion de plus ({gained * template.size} personnes)."
        )
    return f"{label} ne suffirait pas pour une promotion de plus."


def binding_resources(answer: CapacityAnswer) -> Sequence[ExtraUnit]:
    """The resources one more unit of which adds a cohort: what limits the plateau."""
    return [unit for unit in answer.extra_units if unit.extra_cohorts > 0]


__all__ = [
    "CapacityAnswer",
    "CapacityProgress",
    "ExtraUnit",
    "LabUse",
    "Utilisation",
    "binding_resources",
    "capacity",
    "occupation",
    "staggered",
    "utilisation",
]
