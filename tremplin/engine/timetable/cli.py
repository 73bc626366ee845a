"""The planner on the command line: ``python -m tremplin.engine.timetable INPUT.json``
(``manage.py plan`` calls the same ``main``).

Reads a problem (format: problem.schema.json, docs/planner.md), plans it with CP-SAT (or the
greedy baseline with ``--greedy``), prints the plan's figures and writes the plan as JSON.
Exit codes: 0 a plan was found, 1 no plan (infeasible, or none found in the time limit),
2 bad input (the message names the field, on stderr).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TextIO

from tremplin.engine.timetable.io import InputError, load_problem, plan_to_json
from tremplin.engine.timetable.model import Plan, Problem

EXIT_PLANNED, EXIT_NO_PLAN, EXIT_BAD_INPUT = 0, 1, 2

STATUS_WORDS = {
    "optimal": "optimal (prouvé)",
    "feasible": "réalisable",
    "infeasible": "impossible",
    "unknown": "aucun planning trouvé dans le temps imparti",
    "invalid": "problème refusé",
}


def parser() -> argparse.ArgumentParser:
    arguments = argparse.ArgumentParser(
        prog="python -m tremplin.engine.timetable",
        description="Planifie les promotions sur le plateau et écrit le planning en JSON.",
    )
    arguments.add_argument("input", type=Path, help="problème au format problem.schema.json")
    arguments.add_argument(
        "-o", "--output", type=Path, help="fichier du planning (défaut : INPUT.plan.json)"
    )
    arguments.add_argument(
        "--time-limit", type=float, default=10.0, help="secondes de recherche (défaut : 10)"
    )
    arguments.add_argument("--seed", type=int, default=0, help="graine du solveur (défaut : 0)")
    arguments.add_argument("--workers", type=int, default=2, help="fils du solveur (défaut : 2)")
    arguments.add_argument(
        "--greedy", action="store_true", help="méthode gloutonne (référence) au lieu de CP-SAT"
    )
    return arguments


def _figure(value: float | None, digits: int = 1) -> str:
    """A number written the French way: 12 345,6 (thousands apart, decimal comma)."""
    if value is None:
        return "—"
    return f"{value:,.{digits}f}".replace(",", "\u202f").replace(".", ",")


def _line(stream: TextIO, text: str) -> None:
    # One write per line, newline included: Django's OutputWrapper (manage.py plan) adds a
    # newline to any write that lacks one, so print()'s separate "\n" would double them.
    stream.write(f"{text}\n")


def print_figures(plan: Plan, problem: Problem, out: TextIO) -> None:
    """The plan's figures, one per line, for a person reading a terminal."""
    gap = plan.gap
    _line(out, f"Statut : {STATUS_WORDS.get(plan.status, plan.status)}")
    _line(out, f"Objectif : {_figure(plan.objective)}")
    _line(out, f"Borne : {_figure(plan.bound)}")
    _line(out, f"Écart : {'—' if gap is None else _figure(gap * 100, 2) + ' %'}")
    _line(out, f"Temps : {_figure(plan.wall_time, 2)} s")
    counts: dict[str, int] = {}
    for session in plan.sessions:
        counts[session.cohort] = counts.get(session.cohort, 0) + 1
    for cohort in problem.cohorts:
        start, end = plan.cohort_starts.get(cohort.id), plan.cohort_ends.get(cohort.id)
        _line(
            out,
            f"Promotion {cohort.id} ({cohort.size} personnes) : "
            f"du {start.isoformat() if start else '—'} au {end.isoformat() if end else '—'}, "
            f"{counts.get(cohort.id, 0)} séances",
        )
    for sentence in plan.explanation:
        _line(out, f"Pourquoi : {sentence}")


def main(
    argv: Sequence[str] | None = None, *, out: TextIO | None = None, err: TextIO | None = None
) -> int:
    """Run the CLI on ``argv`` (without the program name); the exit code is returned."""
    out = out or sys.stdout
    err = err or sys.stderr
    options = parser().parse_args(argv)
    try:
        problem = load_problem(options.input)
    except InputError as error:
        _line(err, f"Entrée invalide : {error.message}")
        return EXIT_BAD_INPUT
    if options.greedy:
        from tremplin.engine.timetable.greedy import greedy

        plan = greedy(problem)
    else:
        from tremplin.engine.timetable.cpsat import solve

        plan = solve(
            problem, time_limit=options.time_limit, seed=options.seed, workers=options.workers
        )
    print_figures(plan, problem, out)
    output: Path = options.output or options.input.with_suffix(".plan.json")
    output.write_text(
        json.dumps(plan_to_json(plan, problem), ensure_ascii=False, indent=2) + "\n",
        encoding="utf-8",
    )
    _line(out, f"Planning écrit dans {output}")
    return EXIT_PLANNED if plan.found else EXIT_NO_PLAN
