"""The planner's input format: a good file becomes a Problem, a bad one gets a French message
that starts with the path of the faulty field."""

import datetime
import json

import jsonschema
import pytest

from tremplin.engine.timetable.generate import instance
from tremplin.engine.timetable.io import (
    SCHEMA_PATH,
    InputError,
    plan_to_json,
    problem_from_json,
    problem_to_json,
)
from tremplin.engine.timetable.model import Plan, PlannedSession


def error_of(data: object) -> str:
    with pytest.raises(InputError) as caught:
        problem_from_json(data)
    return caught.value.message


def test_schema_is_valid_draft_2020_12():
    jsonschema.Draft202012Validator.check_schema(json.loads(SCHEMA_PATH.read_text()))


def test_tiny_problem_is_read(tiny):
    problem = problem_from_json(tiny)
    assert [lab.id for lab in problem.labs] == ["salle", "fibre"]
    # 2027-01-04 .. 2027-01-15 without the weekend: ten working days.
    assert len(problem.calendar.days) == 10
    assert problem.trainers[1].unavailable == {(datetime.date(2027, 1, 4), "am")}
    assert problem.trainers[1].max_half_days_per_week == 8
    module = problem.cohorts[0].modules[1]
    assert (module.equipment, module.prerequisites) == ({"fusion_splicer": 2}, ("A",))


def test_calendar_leaves_out_holidays_and_closures(tiny):
    tiny["calendar"]["holidays"] = ["2027-01-06"]
    tiny["calendar"]["closures"] = [{"from": "2027-01-13", "to": "2027-01-15"}]
    days = problem_from_json(tiny).calendar.days
    assert datetime.date(2027, 1, 6) not in days
    assert max(days) == datetime.date(2027, 1, 12)
    assert len(days) == 6


def test_explicit_days(tiny):
    tiny["calendar"] = {"days": ["2027-01-05", "2027-01-04"]}
    assert problem_from_json(tiny).calendar.days == (
        datetime.date(2027, 1, 4),
        datetime.date(2027, 1, 5),
    )


def test_round_trip_of_a_generated_instance():
    problem = instance("three", 1)
    assert problem_from_json(problem_to_json(problem)) == problem


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (lambda d: d["cohorts"][0].update(size=0), "cohorts[0].size : doit être un entier ≥ 1"),
        (lambda d: d["cohorts"][0].update(size="12"), "cohorts[0].size : doit être un entier ≥ 1"),
        (lambda d: d["labs"][1].pop("kind"), "labs[1].kind : champ obligatoire manquant"),
        (lambda d: d["labs"][0].update(colour="red"), "labs[0].colour : champ inconnu"),
        (
            lambda d: d["trainers"][1]["unavailable"][0].update(half_day="soir"),
            "trainers[1].unavailable[0].half_day : doit valoir « am » ou « pm »",
        ),
        (
            lambda d: d["cohorts"][0].update(earliest_start="04/01/2027"),
            "cohorts[0].earliest_start : doit être une date au format AAAA-MM-JJ",
        ),
        (
            lambda d: d["cohorts"][0].update(latest_start="2027-02-30"),
            "cohorts[0].latest_start : 2027-02-30 n'est pas une date qui existe",
        ),
        (
            lambda d: d["cohorts"][0]["modules"][2].update(hours=0),
            "cohorts[0].modules[2].hours : doit être un nombre > 0",
        ),
        (
            lambda d: d["trainers"][0].update(max_half_days_per_week=11),
            "trainers[0].max_half_days_per_week : doit être un entier entre 1 et 10",
        ),
        (lambda d: d.update(cohorts=[]), "cohorts : doit contenir au moins 1 élément"),
        (
            lambda d: d["calendar"].update(days=["2027-01-04"]),
            "calendar : donner soit « days »",
        ),
        (lambda d: d.update(equipment={"otdr": -1}), "equipment.otdr : doit être un entier ≥ 0"),
    ],
)
def test_schema_errors_name_the_field(tiny, change, expected):
    change(tiny)
    assert error_of(tiny).startswith(expected)


def test_not_an_object():
    assert error_of([1, 2]) == "(racine) : doit être un objet"


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (
            lambda d: d["trainers"][0]["modules"].append("Z9"),
            "trainers[0].modules[2] : module « Z9 » inconnu",
        ),
        (
            lambda d: d["cohorts"][0]["modules"][2]["prerequisites"].append("Z9"),
            "cohorts[0].modules[2].prerequisites[1] : le module « Z9 » n'est pas un module",
        ),
        (
            lambda d: d["cohorts"][0]["modules"][0].update(prerequisites=["C"]),
            "cohorts[0].modules[0].prerequisites : cycle de prérequis : A → C → B → A",
        ),
        (
            lambda d: d["cohorts"][0].update(earliest_start="2027-01-08"),
            "cohorts[0].earliest_start : 2027-01-08 est après latest_start (2027-01-05)",
        ),
        (
            lambda d: d["cohorts"][0]["modules"][1]["equipment"].update(otdr=1),
            "cohorts[0].modules[1].equipment.otdr : type d'équipement absent",
        ),
        (lambda d: d["labs"][1].update(id="salle"), "labs[1].id : « salle » est déjà utilisé"),
        (
            lambda d: d["calendar"].update(last_day="2027-01-01"),
            "calendar.last_day : doit être après first_day",
        ),
    ],
)
def test_cross_references_name_the_field(tiny, change, expected):
    change(tiny)
    assert error_of(tiny).startswith(expected)


FIXED = {"module": "B", "day": "2027-01-06", "half_day": "am", "lab": "fibre", "trainer": "bob"}


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        ({"lab": "labo-x"}, "cohorts[0].fixed[0].lab : labo « labo-x » inconnu"),
        ({"lab": "salle"}, "cohorts[0].fixed[0].lab : le labo « salle » est de type « classroom »"),
        ({"trainer": "eve"}, "cohorts[0].fixed[0].trainer : formateur « eve » inconnu"),
        ({"trainer": "ana", "module": "C"}, "cohorts[0].fixed[0].trainer : « ana » n'anime pas"),
        ({"module": "Z9"}, "cohorts[0].fixed[0].module : le module « Z9 »"),
        ({"day": "2027-01-09"}, "cohorts[0].fixed[0].day : 2027-01-09 n'est pas un jour ouvré"),
        ({"group": 2}, "cohorts[0].fixed[0].group : le module B se fait en 2 groupe(s)"),
    ],
)
def test_fixed_sessions_are_checked(tiny, change, expected):
    tiny["cohorts"][0]["fixed"] = [{**FIXED, **change}]
    assert error_of(tiny).startswith(expected)


def test_fixed_session_is_read_with_its_equipment(tiny):
    tiny["cohorts"][0]["fixed"] = [{**FIXED, "group": 1}]
    (fixed,) = problem_from_json(tiny).cohorts[0].fixed
    assert (fixed.cohort, fixed.group, fixed.equipment) == ("P1", 1, (("fusion_splicer", 2),))


def test_busy_sessions_name_unknown_labs(tiny):
    tiny["busy"] = [{**FIXED, "cohort": "P0", "lab": "nowhere"}]
    assert error_of(tiny).startswith("busy[0].lab : labo « nowhere » inconnu")


def test_plan_to_json(tiny):
    problem = problem_from_json(tiny)
    session = PlannedSession(
        "P1", "A", datetime.date(2027, 1, 4), "pm", "salle", "ana", 0, (("fusion_splicer", 1),)
    )
    plan = Plan(
        "feasible",
        [session],
        objective=120.0,
        bound=90.0,
        wall_time=1.23456,
        cohort_starts={"P1": session.day},
        cohort_ends={"P1": session.day},
    )
    data = plan_to_json(plan, problem)
    assert data["figures"] == {
        "status": "feasible",
        "objective": 120.0,
        "bound": 90.0,
        "gap": 0.25,
        "time": 1.235,
        "cohorts": [
            {"id": "P1", "size": 8, "start": "2027-01-04", "end": "2027-01-04", "sessions": 1}
        ],
        "explanation": [],
    }
    assert data["sessions"][0]["equipment"] == {"fusion_splicer": 1}
    json.dumps(data)
