"""The CP-SAT planner on small instances: every plan it returns is checked against every
rule independently of the model (``violations``), its objective is recomputed by
``objective_of``, and the problems it cannot solve are explained in words."""

import datetime
from collections import Counter, defaultdict
from dataclasses import replace

from tremplin.engine.timetable.checks import precheck
from tremplin.engine.timetable.cpsat import Progress, solve
from tremplin.engine.timetable.model import (
    Calendar,
    CohortSpec,
    FixedSession,
    LabSpec,
    ModuleSpec,
    Plan,
    Problem,
    TrainerSpec,
    Weights,
)
from tremplin.engine.timetable.objective import objective_of

MONDAY = datetime.date(2027, 1, 4)
SAFETY = ModuleSpec("TC", "Sécurité", 7, "classroom")
SPLICING = ModuleSpec("FO", "Épissure", 14, "fibre", {"fusion_splicer": 1}, ("TC",))
RACKS = ModuleSpec("DC", "Rack & stack", 10.5, "datacenter", {"rack": 1}, ("TC",))
LABS = (
    LabSpec("salle", "classroom", 14),
    LabSpec("labo-fo", "fibre", 12),
    LabSpec("labo-dc", "datacenter", 12),
)


def working_days(weeks: int) -> tuple[datetime.date, ...]:
    days = (MONDAY + datetime.timedelta(days=n) for n in range(7 * weeks))
    return tuple(day for day in days if day.weekday() < 5)


def problem(**changes: object) -> Problem:
    base = Problem(
        labs=LABS,
        equipment={"fusion_splicer": 1, "rack": 2},
        trainers=(
            TrainerSpec("ana", frozenset({"TC", "FO"})),
            TrainerSpec("bob", frozenset({"TC", "DC"})),
        ),
        cohorts=(CohortSpec("P1", 12, MONDAY, MONDAY, (SAFETY, SPLICING, RACKS)),),
        calendar=Calendar(working_days(4)),
    )
    return replace(base, **changes)  # type: ignore[arg-type]


def violations(problem: Problem, plan: Plan) -> list[str]:
    """Every rule of a plan, checked from its sessions alone."""
    found = []
    slots = problem.calendar.slots
    index = {slot: i for i, slot in enumerate(slots)}
    labs = {lab.id: lab for lab in problem.labs}
    trainers = {t.id: t for t in problem.trainers}
    per_slot: dict[int, list] = defaultdict(list)
    for s in plan.sessions:
        per_slot[index[(s.day, s.half_day)]].append(s)
    for slot, sessions in per_slot.items():
        if len({s.lab for s in sessions}) < len(sessions):
            found.append(f"lab twice at {slot}")
        if len({s.trainer for s in sessions}) < len(sessions):
            found.append(f"trainer twice at {slot}")
        if len({(s.cohort, s.group) for s in sessions}) < len(sessions):
            found.append(f"group twice at {slot}")
        used: Counter[str] = Counter()
        for s in sessions:
            used.update({kind: n for kind, n in s.equipment})
            if (s.day, s.half_day) in trainers[s.trainer].unavailable:
                found.append(f"{s.trainer} unavailable at {slot}")
            if s.module not in trainers[s.trainer].modules:
                found.append(f"{s.trainer} cannot teach {s.module}")
        for kind, n in used.items():
            if n > problem.equipment.get(kind, 0):
                found.append(f"{kind} overbooked at {slot}")
    for cohort in problem.cohorts:
        mine = [s for s in plan.sessions if s.cohort == cohort.id]
        for module in cohort.modules:
            sessions = [index[(s.day, s.half_day)] for s in mine if s.module == module.code]
            groups = cohort.groups_for(module, problem.labs)
            if len(sessions) != problem.calendar.sessions_for(module) * groups:
                found.append(f"{cohort.id} {module.code}: {len(sessions)} sessions")
            for code in module.prerequisites:
                before = [index[(s.day, s.half_day)] for s in mine if s.module == code]
                if sessions and before and min(sessions) <= max(before):
                    found.append(f"{cohort.id} {module.code} before {code} is over")
            for s in mine:
                if s.module == module.code and labs[s.lab].kind != module.lab_kind:
                    found.append(f"{module.code} in {s.lab}")
    for trainer in problem.trainers:
        weeks = Counter(s.day.isocalendar()[:2] for s in plan.sessions if s.trainer == trainer.id)
        if weeks and max(weeks.values()) > trainer.max_half_days_per_week:
            found.append(f"{trainer.id} over the weekly maximum")
    return found


def test_one_cohort_is_planned_optimally_and_every_rule_holds() -> None:
    seen: list[Progress] = []
    task = problem()
    plan = solve(task, time_limit=10, progress=seen.append)
    assert plan.status == "optimal" and plan.gap == 0
    assert violations(task, plan) == []
    assert len(plan.sessions) == 2 + 4 + 3
    assert plan.objective == objective_of(task, plan.sessions)
    assert plan.cohort_starts["P1"] == MONDAY
    assert seen and seen[-1].objective == plan.objective


def test_unavailability_and_the_weekly_maximum_are_respected() -> None:
    week = working_days(1)
    task = problem(
        trainers=(
            TrainerSpec("ana", frozenset({"TC", "FO"}), frozenset((d, "am") for d in week), 3),
            TrainerSpec("bob", frozenset({"TC", "DC"}), max_half_days_per_week=3),
        )
    )
    plan = solve(task, time_limit=10)
    assert plan.found and violations(task, plan) == []


def test_two_cohorts_share_the_single_splicer_without_clash() -> None:
    task = problem(
        cohorts=(
            CohortSpec("P1", 12, MONDAY, MONDAY, (SAFETY, SPLICING, RACKS)),
            CohortSpec("P2", 12, MONDAY, MONDAY + datetime.timedelta(days=7), (SAFETY, SPLICING)),
        ),
        labs=(*LABS, LabSpec("salle-2", "classroom", 14), LabSpec("labo-fo2", "fibre", 12)),
    )
    plan = solve(task, time_limit=20)
    assert plan.found and violations(task, plan) == []
    splicing = Counter((s.day, s.half_day) for s in plan.sessions if s.module == "FO")
    assert max(splicing.values()) == 1  # one splicer: never two splicing sessions at once


def test_a_cohort_larger_than_the_lab_is_split_into_groups() -> None:
    small_fibre = (LABS[0], LabSpec("labo-fo", "fibre", 6), LABS[2])
    task = problem(labs=small_fibre, equipment={"fusion_splicer": 2, "rack": 2})
    plan = solve(task, time_limit=10)
    assert plan.found and violations(task, plan) == []
    groups = Counter(s.group for s in plan.sessions if s.module == "FO")
    assert groups == {0: 4, 1: 4}


def test_kept_sessions_stay_and_busy_ones_are_worked_around() -> None:
    wednesday = MONDAY + datetime.timedelta(days=2)
    kept = FixedSession("P1", "TC", wednesday, "pm", "salle", "bob")
    other = FixedSession("P0", "X", MONDAY, "am", "salle", "ana")
    base = problem()
    task = replace(
        base,
        cohorts=(replace(base.cohorts[0], fixed=(kept,)),),
        busy=(other,),
    )
    plan = solve(task, time_limit=10)
    assert plan.found and violations(task, plan) == []
    assert any(
        (s.module, s.day, s.half_day, s.lab, s.trainer) == ("TC", wednesday, "pm", "salle", "bob")
        for s in plan.sessions
    )
    assert not any((s.day, s.half_day) == (MONDAY, "am") for s in plan.sessions)


def test_a_missing_resource_is_named_before_solving() -> None:
    task = problem(equipment={"rack": 2})
    plan = solve(task, time_limit=5)
    assert plan.status == "infeasible" and not plan.sessions
    assert plan.explanation == [
        "Le module « Épissure » (promotion P1) demande 1 unité de « fusion_splicer » par "
        "séance : le plateau n'en a que 0."
    ]
    no_trainer = problem(trainers=(TrainerSpec("ana", frozenset({"TC", "FO"})),))
    assert precheck(no_trainer) == [
        "Le module « Rack & stack » (promotion P1) : aucun formateur ne sait l'enseigner."
    ]


def test_an_overbooked_plateau_names_the_binding_resource() -> None:
    # Three cohorts that must all start this Monday and finish within two weeks, one fibre
    # lab: counts alone allow it in a month, the starting windows do not.
    cohorts = tuple(
        CohortSpec(f"P{n}", 12, MONDAY, MONDAY, (SAFETY, SPLICING)) for n in range(1, 4)
    )
    task = problem(
        cohorts=cohorts,
        labs=(*LABS, LabSpec("salle-2", "classroom", 14), LabSpec("salle-3", "classroom", 14)),
        equipment={"fusion_splicer": 3},
        trainers=tuple(TrainerSpec(name, frozenset({"TC", "FO"})) for name in ("a", "b", "c")),
        calendar=Calendar(working_days(2)),
        weights=Weights(),
    )
    plan = solve(task, time_limit=20)
    assert plan.status == "infeasible"
    assert any("fibre" in sentence for sentence in plan.explanation), plan.explanation


def test_when_only_the_combination_rules_a_plan_out_the_solver_names_the_resources() -> None:
    # Counts pass (ten fibre half-days asked, ten offered in the week) but the order does
    # not: each cohort must first spend two half-days in the one classroom.
    five_sessions = replace(SPLICING, hours=17.5)
    cohorts = tuple(
        CohortSpec(
            f"P{n}", 12, MONDAY, MONDAY + datetime.timedelta(days=4), (SAFETY, five_sessions)
        )
        for n in (1, 2)
    )
    task = problem(
        cohorts=cohorts,
        equipment={"fusion_splicer": 2},
        trainers=tuple(TrainerSpec(name, frozenset({"TC", "FO"})) for name in ("a", "b")),
        calendar=Calendar(working_days(1)),
    )
    assert precheck(task) == []
    plan = solve(task, time_limit=20)
    assert plan.status == "infeasible"
    assert plan.explanation == ["Les labos « fibre » ne suffisent pas aux séances demandées."]
