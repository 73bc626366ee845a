"""The planner's command line: figures on stdout, the plan as JSON, exit codes 0 / 1 / 2."""

import io
import json
import subprocess
import sys

import pytest

from tremplin.engine.timetable.cli import main


def run(tmp_path, data, *options):
    source = tmp_path / "problem.json"
    source.write_text(json.dumps(data), encoding="utf-8")
    out, err = io.StringIO(), io.StringIO()
    code = main([str(source), "-o", str(tmp_path / "plan.json"), *options], out=out, err=err)
    return code, out.getvalue(), err.getvalue()


@pytest.mark.parametrize("planner", [["--time-limit", "3"], ["--greedy"]])
def test_plan_found(tmp_path, tiny, planner):
    code, out, err = run(tmp_path, tiny, *planner)
    assert (code, err) == (0, "")
    assert "Statut : " in out and "Objectif : " in out and "Borne : " in out
    assert "Écart : " in out and "Temps : " in out
    assert "Promotion P1 (8 personnes) : du 2027-01-04 au" in out
    assert "8 séances" in out
    plan = json.loads((tmp_path / "plan.json").read_text())
    assert plan["figures"]["status"] in ("optimal", "feasible")
    assert len(plan["sessions"]) == 8


def test_bad_input_names_the_field(tmp_path, tiny):
    tiny["cohorts"][0]["size"] = -3
    code, out, err = run(tmp_path, tiny)
    assert code == 2
    assert err == "Entrée invalide : cohorts[0].size : doit être un entier ≥ 1\n"
    assert out == ""
    assert not (tmp_path / "plan.json").exists()


def test_not_json(tmp_path):
    source = tmp_path / "problem.json"
    source.write_text("{labs: ", encoding="utf-8")
    err = io.StringIO()
    assert main([str(source)], out=io.StringIO(), err=err) == 2
    assert "ce n'est pas du JSON valide" in err.getvalue()


def test_infeasible_says_why(tmp_path, tiny):
    tiny["calendar"] = {"days": ["2027-01-04", "2027-01-05"]}
    code, out, _err = run(tmp_path, tiny, "--time-limit", "3")
    assert code == 1
    assert "Statut : impossible" in out
    assert "Pourquoi : " in out
    plan = json.loads((tmp_path / "plan.json").read_text())
    assert plan["figures"]["status"] == "infeasible" and plan["figures"]["explanation"]


def test_python_dash_m(tmp_path, tiny):
    tiny["labs"][0]["workstations"] = 0
    source = tmp_path / "problem.json"
    source.write_text(json.dumps(tiny), encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "tremplin.engine.timetable", str(source)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 2
    assert "labs[0].workstations : doit être un entier ≥ 1" in done.stderr


class NewlineAddingStream(io.StringIO):
    """Behaves like Django's OutputWrapper (what ``manage.py plan`` passes): a write without
    a final newline gets one."""

    def write(self, text):
        return super().write(text if text.endswith("\n") else text + "\n")


def test_output_through_a_django_like_stream(tmp_path, tiny):
    source = tmp_path / "problem.json"
    source.write_text(json.dumps(tiny), encoding="utf-8")
    out = NewlineAddingStream()
    assert main([str(source), "--greedy"], out=out, err=NewlineAddingStream()) == 0
    assert "\n\n" not in out.getvalue()
    assert (tmp_path / "problem.plan.json").exists()
