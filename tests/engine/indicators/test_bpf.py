"""The BPF's cadre F on hand-built facts: each fact on one line of each table, « non renseigné »
lines instead of dropped facts, the five main specialities, and the balance."""

import dataclasses
from decimal import Decimal

import pytest

from tremplin.engine.indicators import BpfTrainee, bpf
from tremplin.engine.indicators.bpf import rncp_level_line

FIBRE = ("255", "Électricité, électronique")
NETWORK = ("326", "Informatique, traitement de l'information, réseaux de transmission")


def trainee(
    category="c", objective="rncp", level=3, nsf=FIBRE, minutes=0, cqp_no_level=False
) -> BpfTrainee:
    code, label = nsf
    return BpfTrainee(
        category=category,
        objective=objective,
        rncp_level=level,
        nsf_code=code,
        nsf_label=label,
        minutes=minutes,
        cqp_no_level=cqp_no_level,
    )


def lines(table):
    return {line.key: (line.trainees, line.minutes) for line in table.lines}


def test_no_trainee_gives_empty_balanced_tables():
    result = bpf([])
    assert result.balanced
    assert (result.trainees, result.minutes) == (0, 0)
    assert [line.key for line in result.f1.lines] == ["a", "b", "c", "d", "e"]
    assert lines(result.f4) == {"other_specialities": (0, 0), "not_stated": (0, 0)}


def test_each_table_counts_every_fact_once():
    facts = [
        trainee("c", "rncp", 3, FIBRE, 600),
        trainee("c", "rncp", 4, FIBRE, 300),
        trainee("e", "other", None, NETWORK, 90),
        # Enrolled, never signed in the year: a trainee with zero hours.
        trainee("e", "rncp", 4, FIBRE, 0),
    ]
    result = bpf(facts)
    assert result.balanced
    assert (result.trainees, result.minutes, result.hours) == (4, 990, Decimal("16.50"))
    assert lines(result.f1) == {
        "a": (0, 0),
        "b": (0, 0),
        "c": (2, 900),
        "d": (0, 0),
        "e": (2, 90),
    }
    f3 = lines(result.f3)
    assert f3["rncp"] == (3, 900)
    assert f3["level_3"] == (1, 600) and f3["level_4"] == (2, 300)
    assert f3["other"] == (1, 90)
    assert f3["not_stated"] == (0, 0)
    assert [(line.key, line.trainees) for line in result.f4.lines] == [
        ("255", 3),
        ("326", 1),
        ("other_specialities", 0),
        ("not_stated", 0),
    ]
    assert result.f4.lines[0].label == FIBRE[1]
    for table in (result.f1, result.f3, result.f4):
        assert (table.total.trainees, table.total.minutes) == (4, 990)


def test_the_level_lines_are_details_of_the_rncp_line_and_add_up_to_it():
    facts = [
        trainee(level=7),
        trainee(level=6),
        trainee(level=5),
        trainee(level=2),
        trainee(level=None),
        trainee(level=None, cqp_no_level=True),
        trainee(objective="rs", level=None),
    ]
    result = bpf(facts)
    details = {line.key: line.trainees for line in result.f3.lines if line.detail}
    assert details == {
        "level_6_8": 2,
        "level_5": 1,
        "level_4": 0,
        "level_3": 0,
        "level_2": 1,
        "cqp_no_level": 1,
        "level_unknown": 1,
    }
    assert lines(result.f3)["rncp"] == (6, 0)
    assert sum(details.values()) == 6
    # The « dont » lines are not counted twice in the total.
    assert result.f3.total.trainees == 7 and result.balanced


def test_missing_objective_and_speciality_go_to_not_stated_lines():
    facts = [trainee(objective="", level=None, nsf=("", ""), minutes=120), trainee(minutes=60)]
    result = bpf(facts)
    assert lines(result.f3)["not_stated"] == (1, 120)
    assert lines(result.f4)["not_stated"] == (1, 120)
    assert lines(result.f4)["255"] == (1, 60)
    assert result.balanced


def test_five_main_specialities_by_hours_then_the_others_on_one_line():
    codes = ["201", "202", "203", "204", "205", "206", "207"]
    facts = [
        trainee(nsf=(code, f"Spécialité {code}"), minutes=100 * (index + 1))
        for index, code in enumerate(codes)
    ]
    result = bpf(facts)
    assert [line.key for line in result.f4.lines] == [
        "207",
        "206",
        "205",
        "204",
        "203",
        "other_specialities",
        "not_stated",
    ]
    assert lines(result.f4)["other_specialities"] == (2, 300)
    assert result.balanced


def test_balance_is_false_when_a_table_misses_a_fact():
    result = bpf([trainee(minutes=30), trainee(category="e", minutes=45)])
    assert result.balanced
    broken = dataclasses.replace(
        result, f1=dataclasses.replace(result.f1, total=result.f1.lines[0])
    )
    assert not broken.balanced


@pytest.mark.parametrize(
    ("level", "cqp", "line"),
    [
        (8, False, "level_6_8"),
        (6, False, "level_6_8"),
        (5, False, "level_5"),
        (2, False, "level_2"),
        (1, False, "level_unknown"),
        (None, False, "level_unknown"),
        (None, True, "cqp_no_level"),
    ],
)
def test_rncp_level_lines(level, cqp, line):
    assert rncp_level_line(level, cqp=cqp) == line


@pytest.mark.parametrize(
    "bad",
    [
        {"category": "z"},
        {"objective": "training"},
        {"minutes": -1},
    ],
)
def test_bad_facts_are_refused(bad):
    values = {"category": "c", "objective": "rncp", "minutes": 0} | bad
    with pytest.raises(ValueError):
        trainee(
            category=values["category"], objective=values["objective"], minutes=values["minutes"]
        )


def test_hours_are_rounded_to_the_hundredth():
    result = bpf([trainee(minutes=10)])
    assert result.f1.lines[2].hours == Decimal("0.17")
