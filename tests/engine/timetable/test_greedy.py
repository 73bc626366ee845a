"""The greedy baseline: every session placed, every hard rule kept, on small instances."""

import datetime

import pytest

from tremplin.engine.timetable.generate import instance
from tremplin.engine.timetable.greedy import greedy
from tremplin.engine.timetable.io import problem_from_json
from tremplin.engine.timetable.objective import objective_of

from .checking import broken_rules


def test_tiny_instance_is_planned(tiny):
    problem = problem_from_json(tiny)
    plan = greedy(problem)
    assert plan.status == "feasible"
    # A: 2 half-days for everyone; B: 2 per group, C: 1 per group (8 people, 6-seat lab).
    assert len(plan.sessions) == 2 + 2 * 2 + 2 * 1
    assert broken_rules(problem, plan) == []
    assert {s.group for s in plan.sessions if s.module == "B"} == {0, 1}
    assert plan.objective == objective_of(problem, plan.sessions)
    assert plan.bound is None and plan.gap is None
    assert plan.cohort_starts == {"P1": datetime.date(2027, 1, 4)}


def test_unavailable_and_busy_trainer_is_avoided(tiny):
    # Only bob teaches C; he is away on the 6th all day: C waits.
    tiny["trainers"][1]["unavailable"] = [
        {"day": "2027-01-06", "half_day": "am"},
        {"day": "2027-01-06", "half_day": "pm"},
    ]
    problem = problem_from_json(tiny)
    plan = greedy(problem)
    assert broken_rules(problem, plan) == []
    assert all(s.day != datetime.date(2027, 1, 6) for s in plan.sessions if s.trainer == "bob")


def test_fixed_session_is_kept(tiny):
    fixed = {"module": "B", "day": "2027-01-08", "half_day": "pm", "lab": "fibre"}
    tiny["cohorts"][0]["fixed"] = [{**fixed, "trainer": "ana", "group": 1}]
    problem = problem_from_json(tiny)
    plan = greedy(problem)
    assert broken_rules(problem, plan) == []
    kept = [s for s in plan.sessions if (s.day, s.half_day) == (datetime.date(2027, 1, 8), "pm")]
    assert [(s.module, s.trainer, s.group) for s in kept] == [("B", "ana", 1)]
    assert len(plan.sessions) == 8


def test_too_short_a_calendar_is_infeasible(tiny):
    tiny["calendar"] = {"days": ["2027-01-04", "2027-01-05"]}
    plan = greedy(problem_from_json(tiny))
    assert plan.status == "infeasible"
    assert plan.sessions == []
    assert "ne trouve plus de demi-journée libre" in plan.explanation[0]


@pytest.mark.parametrize("name", ["one", "three"])
def test_generated_instances_keep_every_rule(name):
    problem = instance(name, 3)
    plan = greedy(problem)
    assert plan.status == "feasible"
    assert broken_rules(problem, plan) == []
    assert len(plan.sessions) == 150 * len(problem.cohorts)


def test_overbooked_instance_fails():
    assert greedy(instance("overbooked", 0)).status == "infeasible"
