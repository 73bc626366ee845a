"""``manage.py plan``: the planner's command line on a run's stored input, and bad input
answered with the field's name."""

import json
from typing import Any

import pytest
from django.core.management import call_command

from tests.planner.builders import small_plateau
from tremplin.engine.timetable.io import problem_to_json
from tremplin.planner.adapter import cohort_problem


def test_plan_prints_the_figures_and_writes_the_plan(world: Any, tmp_path: Any, capsys) -> None:
    small_plateau(world)
    problem = cohort_problem(world.upcoming, today=world.upcoming.start_date)
    source = tmp_path / "promo.json"
    source.write_text(json.dumps(problem_to_json(problem)), encoding="utf-8")
    call_command("plan", str(source), "--time-limit", "5")
    out = capsys.readouterr().out
    assert "Statut : optimal (prouvé)" in out
    written = json.loads((tmp_path / "promo.plan.json").read_text(encoding="utf-8"))
    assert len(written["sessions"]) == 8


def test_bad_input_names_the_field(tmp_path: Any, capsys) -> None:
    source = tmp_path / "mauvais.json"
    source.write_text(json.dumps({"labs": [], "trainers": [], "cohorts": []}), encoding="utf-8")
    with pytest.raises(SystemExit) as exit_:
        call_command("plan", str(source))
    assert exit_.value.code == 2
    assert "Entrée invalide" in capsys.readouterr().err
