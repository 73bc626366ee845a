"""The capacity planner on plateaus small enough to count by hand."""

import datetime

from tremplin.engine.timetable.capacity import binding_resources, capacity, staggered
from tremplin.engine.timetable.generate import working_days
from tremplin.engine.timetable.model import (
    Calendar,
    CohortSpec,
    LabSpec,
    ModuleSpec,
    Problem,
    TrainerSpec,
)

WEEK = Calendar(days=working_days(datetime.date(2027, 1, 4), datetime.date(2027, 1, 8)))
SPLICING = ModuleSpec("M1", "Épissure", 7, "fibre", {"fusion_splicer": 1})
RACKING = ModuleSpec("M2", "Baies", 7, "datacenter", prerequisites=("M1",))


def plateau(labs: tuple[LabSpec, ...], modules: frozenset[str]) -> Problem:
    trainers = tuple(
        TrainerSpec(name, modules, max_half_days_per_week=10) for name in ("ana", "bob")
    )
    return Problem(
        labs=labs,
        equipment={"fusion_splicer": 2},
        trainers=trainers,
        cohorts=(),
        calendar=WEEK,
    )


def template(*modules: ModuleSpec) -> CohortSpec:
    return CohortSpec("P", 10, WEEK.days[0], WEEK.days[0], modules)


def test_one_fibre_lab_binds():
    # One module of two half-days, one fibre lab, ten half-days in the week: five cohorts.
    base = plateau((LabSpec("fibre", "fibre", 12),), frozenset({"M1"}))
    seen = []
    answer = capacity(
        base,
        cohort_template=template(SPLICING),
        year_start=WEEK.days[0],
        year_end=WEEK.days[-1],
        time_limit=3,
        progress=seen.append,
    )
    assert (answer.cohorts, answer.learners) == (5, 50)
    assert len(answer.plan.sessions) == 10
    assert answer.tried[6] == "exclu par les pré-contrôles"
    assert "labos « fibre »" in answer.binding[0]
    assert [unit.kind for unit in binding_resources(answer)] == ["fibre"]
    assert binding_resources(answer)[0].sentence == (
        "Un labo fibre de plus permettrait 1 promotion de plus (10 personnes)."
    )
    splicer = next(unit for unit in answer.extra_units if unit.kind == "fusion_splicer")
    assert splicer.extra_cohorts == 0
    assert answer.occupation == {"2027-01": {"fibre": answer.occupation["2027-01"]["fibre"]}}
    assert (
        answer.occupation["2027-01"]["fibre"].used,
        answer.occupation["2027-01"]["fibre"].available,
    ) == (10, 10)
    busiest = answer.utilisation[0]
    assert (busiest.resource, busiest.kind, busiest.share) == ("lab", "fibre", 1.0)
    assert answer.binding[-1] == (
        "Dans le meilleur planning, la ressource la plus chargée est « labo fibre » : "
        "100 % de son temps disponible."
    )
    assert seen[-1].fraction == 1.0 and seen[-1].message == "Terminé."


def test_overlapping_beats_one_cohort_at_a_time():
    # Fibre then datacenter: one at a time, a cohort holds the plateau two days (two fit in
    # the week); overlapping, the next cohort splices while the previous one racks.
    base = plateau(
        (LabSpec("fibre", "fibre", 12), LabSpec("dc", "datacenter", 12)),
        frozenset({"M1", "M2"}),
    )
    answer = capacity(
        base,
        cohort_template=template(SPLICING, RACKING),
        year_start=WEEK.days[0],
        year_end=WEEK.days[-1],
        time_limit=3,
    )
    assert answer.sequential_cohorts == 2
    assert answer.sequential_periods[0] == (datetime.date(2027, 1, 4), datetime.date(2027, 1, 5))
    assert answer.cohorts > answer.sequential_cohorts
    assert "se chevauchant" in answer.summary


def test_staggered_starts_spread_over_the_year():
    base = plateau((LabSpec("fibre", "fibre", 12),), frozenset({"M1"}))
    problem = staggered(base, template(SPLICING), WEEK, 3)
    starts = [cohort.earliest_start for cohort in problem.cohorts]
    assert starts[0] == WEEK.days[0]
    assert starts == sorted(starts) and len(set(starts)) == 3
    assert all(c.latest_start >= c.earliest_start for c in problem.cohorts)


def test_no_lab_of_the_kind_means_no_cohort():
    base = plateau((LabSpec("dc", "datacenter", 12),), frozenset({"M1"}))
    answer = capacity(
        base,
        cohort_template=template(SPLICING),
        year_start=WEEK.days[0],
        year_end=WEEK.days[-1],
        time_limit=1,
    )
    assert (answer.cohorts, answer.plan) == (0, None)
    assert "demande un labo « fibre »" in answer.binding[0]
