"""Benchmark: the planner on generated, seeded instances of the reference plateau.

Three labs (fibre, datacenter, télésurveillance & IoT, 12 workstations each) and a classroom,
five trainers with 10 % of their half-days unavailable, shared equipment, and the programme
« Techniciens des infrastructures numériques » (150 half-days per cohort):
- one cohort (CP-SAT limit 10 s), three overlapping cohorts (60 s), six staggered cohorts (60 s);
- the same instances with the greedy list-scheduling baseline (``engine.timetable.greedy``),
  scored with the same objective;
- an overbooked instance, which must be reported infeasible with the binding resource named.
Prints per instance: time, objective, bound and gap for both planners; the last line is the
headline, the three-cohort gap and time.
With CAPACITY=1 it first answers the capacity question for the plateau over 2027
(``engine.timetable.capacity``, 10 s per CP-SAT attempt): cohorts with staggered starts,
one cohort at a time, and which extra unit would add a cohort.
Run: make bench-plan  (SEED=n for another draw; SCALE=0.1 divides the time limits, for a try).
"""

import datetime
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tremplin.engine.timetable.capacity import capacity  # noqa: E402
from tremplin.engine.timetable.cpsat import Progress, solve  # noqa: E402
from tremplin.engine.timetable.generate import cohort_template, instance, plateau  # noqa: E402
from tremplin.engine.timetable.greedy import greedy  # noqa: E402
from tremplin.engine.timetable.model import Plan  # noqa: E402

SEED = int(os.environ.get("SEED", "20270104"))
SCALE = float(os.environ.get("SCALE", "1"))
LIMITS = {"one": 10.0, "three": 60.0, "six": 60.0, "overbooked": 60.0}
WORKERS = 2


def figures(plan: Plan) -> str:
    objective = "—" if plan.objective is None else f"{plan.objective:,.0f}"
    bound = "—" if plan.bound is None else f"{plan.bound:,.0f}"
    gap = "—" if plan.gap is None else f"{plan.gap:.2%}"
    return (
        f"{plan.status:<10} time {plan.wall_time:6.2f} s  objective {objective:>7}  "
        f"bound {bound:>7}  gap {gap:>7}  sessions {len(plan.sessions)}"
    )


def capacity_of_the_plateau() -> None:
    first, last = datetime.date(2027, 1, 4), datetime.date(2027, 12, 17)
    started = time.perf_counter()
    answer = capacity(
        plateau(SEED, first, last),
        cohort_template=cohort_template(),
        year_start=first,
        year_end=last,
        time_limit=10.0 * SCALE,
    )
    print(f"\ncapacity over 2027 ({time.perf_counter() - started:.0f} s): {answer.summary}")
    print(f"  tried: {answer.tried}")
    for sentence in answer.binding:
        print(f"  binding: {sentence}")
    for unit in answer.extra_units:
        if unit.extra_cohorts:
            print(f"  {unit.sentence}")
    busiest = ", ".join(f"{use.label} {use.share:.0%}" for use in answer.utilisation[:4])
    print(f"  busiest in the best plan: {busiest}")


def main() -> None:
    print(f"seed {SEED}, {WORKERS} workers, time limits × {SCALE}")
    if os.environ.get("CAPACITY"):
        capacity_of_the_plateau()
    results: dict[str, Plan] = {}
    first_within: dict[str, float | None] = {}
    for name in ("one", "three", "six", "overbooked"):
        problem = instance(name, SEED)
        sessions = sum(problem.calendar.sessions_for(m) for c in problem.cohorts for m in c.modules)
        limit = LIMITS[name] * SCALE
        print(f"\n{name}: {len(problem.cohorts)} cohort(s), {sessions} half-days of sessions")
        within: list[float] = []  # when a solution came within 5 % of the bound known then

        def watch(step: Progress, within: list[float] = within) -> None:
            if (
                not within
                and step.objective
                and (step.objective - step.bound) <= 0.05 * abs(step.objective)
            ):
                within.append(step.elapsed)

        plan = solve(problem, time_limit=limit, seed=SEED % 2**31, workers=WORKERS, progress=watch)
        results[name] = plan
        first_within[name] = within[0] if within else None
        print(f"  CP-SAT ({limit:.0f} s)  {figures(plan)}")
        if within:
            print(f"  CP-SAT first within 5 % of its proven bound after {within[0]:.1f} s")
        baseline = greedy(problem)
        print(f"  greedy         {figures(baseline)}")
        if plan.found and baseline.found and plan.objective and baseline.objective:
            print(f"  greedy / CP-SAT objective: {baseline.objective / plan.objective:.2f}×")
        for sentence in plan.explanation:
            print(f"  explanation: {sentence}")
    three = results["three"]
    gap = "—" if three.gap is None else f"{three.gap:.2%}"
    within = first_within["three"]
    reached = "never" if within is None else f"after {within:.1f} s"
    print(
        f"\nthree overlapping cohorts: {three.status}, gap {gap} in {three.wall_time:.1f} s "
        f"(within 5 % of the proven bound {reached})"
    )


if __name__ == "__main__":
    main()
