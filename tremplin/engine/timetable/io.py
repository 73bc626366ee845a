"""Reading a planning problem from JSON and writing a plan as JSON.

The input format is `problem.schema.json` (JSON Schema 2020-12, documented in docs/planner.md).
``problem_from_json`` checks the shape with the schema, then what a schema cannot say (dates
that exist, references between parts, prerequisite cycles), and raises ``InputError`` with a
French message that starts with the path of the faulty field, e.g.
« cohorts[1].size : doit être un entier ≥ 1 », so a coordinator can find it in the file.
"""

from __future__ import annotations

import datetime
import json
from collections.abc import Iterable, Mapping, Sequence
from functools import cache
from pathlib import Path
from typing import Any

import jsonschema

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

SCHEMA_PATH = Path(__file__).with_name("problem.schema.json")

PathParts = Sequence[str | int]


class InputError(ValueError):
    """A problem file that cannot be planned as written; ``message`` names the field."""

    def __init__(self, message: str, path: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.path = path


@cache
def schema() -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    return loaded


def field_path(parts: Iterable[str | int]) -> str:
    """``["cohorts", 1, "size"]`` → ``cohorts[1].size`` (the way the docs name fields)."""
    text = ""
    for part in parts:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            text += f".{part}" if text else part
    return text or "(racine)"


def _fail(parts: PathParts, message: str) -> InputError:
    path = field_path(parts)
    return InputError(f"{path} : {message}", path)


# --- the schema's verdict, in French -------------------------------------------------------

_TYPE_NAMES = {
    "string": "un texte",
    "integer": "un entier",
    "number": "un nombre",
    "array": "une liste",
    "object": "un objet",
    "boolean": "vrai ou faux",
}


def _number_rule(schema_part: Mapping[str, Any]) -> str:
    """« un entier ≥ 1 », « un nombre > 0 », « un entier entre 1 et 10 »: the whole rule, so
    the message says what is expected whichever part of it the value broke."""
    noun = _TYPE_NAMES.get(str(schema_part.get("type")), "un nombre")
    low, high = schema_part.get("minimum"), schema_part.get("maximum")
    if low is not None and high is not None:
        return f"{noun} entre {low} et {high}"
    if low is not None:
        return f"{noun} ≥ {low}"
    if schema_part.get("exclusiveMinimum") is not None:
        return f"{noun} > {schema_part['exclusiveMinimum']}"
    if high is not None:
        return f"{noun} ≤ {high}"
    return noun


def _quoted(values: Iterable[object]) -> str:
    return " ou ".join(f"« {value} »" for value in values)


def _schema_message(error: jsonschema.ValidationError) -> InputError:
    keyword = str(error.validator)
    rule: Mapping[str, Any] = error.schema if isinstance(error.schema, Mapping) else {}
    parts: list[str | int] = list(error.absolute_path)
    instance = error.instance
    if keyword == "required" and isinstance(instance, Mapping):
        missing = [name for name in error.validator_value if name not in instance]
        return _fail([*parts, missing[0]], "champ obligatoire manquant")
    if keyword == "additionalProperties" and isinstance(instance, Mapping):
        known = set(rule.get("properties", {}))
        unknown = sorted(name for name in instance if name not in known)
        if unknown:
            return _fail([*parts, unknown[0]], "champ inconnu (voir problem.schema.json)")
    if keyword == "oneOf" and parts == ["calendar"]:
        return _fail(
            parts,
            "donner soit « days » (la liste des jours ouvrés), "
            "soit « first_day » et « last_day », pas les deux",
        )
    if rule.get("type") in ("integer", "number") and keyword in (
        "type",
        "minimum",
        "maximum",
        "exclusiveMinimum",
    ):
        return _fail(parts, f"doit être {_number_rule(rule)}")
    if keyword == "type":
        expected = rule.get("type")
        return _fail(parts, f"doit être {_TYPE_NAMES.get(str(expected), str(expected))}")
    if keyword == "pattern" and "[0-9]{4}" in str(error.validator_value):
        return _fail(parts, f"doit être une date au format AAAA-MM-JJ, pas {instance!r}")
    if keyword == "enum":
        return _fail(parts, f"doit valoir {_quoted(error.validator_value)}")
    if keyword == "minLength":
        return _fail(parts, "ne doit pas être vide")
    if keyword == "maxLength":
        return _fail(parts, f"trop long ({error.validator_value} caractères au plus)")
    if keyword == "minItems":
        return _fail(parts, f"doit contenir au moins {error.validator_value} élément(s)")
    if keyword == "uniqueItems":
        return _fail(parts, "contient des doublons")
    if keyword == "propertyNames":
        return _fail(parts, f"nom de clé invalide : {instance!r}")
    return _fail(parts, f"valeur invalide ({error.message})")


def _validate_shape(data: object) -> None:
    validator = jsonschema.Draft202012Validator(schema())
    # The first error in the schema's own order: the file is read top to bottom.
    for error in validator.iter_errors(data):
        raise _schema_message(error)


# --- from JSON to the model ----------------------------------------------------------------


def _date(value: str, parts: PathParts) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise _fail(parts, f"{value} n'est pas une date qui existe") from None


def _calendar(data: Mapping[str, Any]) -> Calendar:
    hours = float(data.get("half_day_hours", 3.5))
    if "days" in data:
        days = sorted(_date(day, ["calendar", "days", i]) for i, day in enumerate(data["days"]))
        return Calendar(days=tuple(days), half_day_hours=hours)
    first = _date(data["first_day"], ["calendar", "first_day"])
    last = _date(data["last_day"], ["calendar", "last_day"])
    if last < first:
        raise _fail(["calendar", "last_day"], f"doit être après first_day ({first.isoformat()})")
    off = {
        _date(day, ["calendar", "holidays", i]) for i, day in enumerate(data.get("holidays", []))
    }
    for i, closure in enumerate(data.get("closures", [])):
        start = _date(closure["from"], ["calendar", "closures", i, "from"])
        end = _date(closure["to"], ["calendar", "closures", i, "to"])
        if end < start:
            raise _fail(["calendar", "closures", i, "to"], f"doit être après from ({start})")
        off.update(start + datetime.timedelta(days=n) for n in range((end - start).days + 1))
    working = [
        first + datetime.timedelta(days=n)
        for n in range((last - first).days + 1)
        if (first + datetime.timedelta(days=n)).weekday() < 5
        and first + datetime.timedelta(days=n) not in off
    ]
    if not working:
        raise _fail(["calendar"], "aucun jour ouvré entre first_day et last_day")
    return Calendar(days=tuple(working), half_day_hours=hours)


def _unique_ids(items: Sequence[Mapping[str, Any]], key: str, parts: PathParts) -> None:
    seen: set[str] = set()
    for i, item in enumerate(items):
        if item[key] in seen:
            raise _fail([*parts, i, key], f"« {item[key]} » est déjà utilisé plus haut")
        seen.add(item[key])


def _prerequisite_cycle(modules: Sequence[ModuleSpec]) -> list[str] | None:
    """A cycle of prerequisites as codes (first code repeated at the end), or None."""
    requires = {module.code: module.prerequisites for module in modules}
    state: dict[str, str] = {}  # code → "open" while on the path, "done" once cleared
    path: list[str] = []

    def visit(code: str) -> list[str] | None:
        state[code] = "open"
        path.append(code)
        for before in requires.get(code, ()):
            if state.get(before) == "open":
                return [*path[path.index(before) :], before]
            if before not in state and (cycle := visit(before)):
                return cycle
        path.pop()
        state[code] = "done"
        return None

    for module in modules:
        if module.code not in state and (cycle := visit(module.code)):
            return cycle
    return None


def _cohort_groups(cohort: CohortSpec, module: ModuleSpec, labs: tuple[LabSpec, ...]) -> int:
    """The groups a module is taught in: a split module takes the cohort's largest split, so
    that group k is the same learners whatever the module (as the planners do)."""
    groups = cohort.groups_for(module, labs)
    if groups <= 1:
        return 1
    return max(cohort.groups_for(other, labs) for other in cohort.modules)


def _module(data: Mapping[str, Any]) -> ModuleSpec:
    return ModuleSpec(
        code=data["code"],
        title=data.get("title", "") or data["code"],
        hours=float(data["hours"]),
        lab_kind=data["lab_kind"],
        equipment=dict(data.get("equipment", {})),
        prerequisites=tuple(data.get("prerequisites", ())),
    )


def problem_from_json(data: object) -> Problem:
    """The problem described by ``data`` (parsed JSON); ``InputError`` names the bad field."""
    _validate_shape(data)
    assert isinstance(data, Mapping)
    calendar = _calendar(data["calendar"])
    working_days = set(calendar.days)
    equipment = {name: int(units) for name, units in data.get("equipment", {}).items()}

    _unique_ids(data["labs"], "id", ["labs"])
    labs = tuple(
        LabSpec(id=lab["id"], kind=lab["kind"], workstations=lab["workstations"])
        for lab in data["labs"]
    )
    labs_by_id = {lab.id: lab for lab in labs}

    _unique_ids(data["cohorts"], "id", ["cohorts"])
    all_codes: set[str] = set()
    cohort_modules: list[tuple[ModuleSpec, ...]] = []
    for c, cohort in enumerate(data["cohorts"]):
        where: list[str | int] = ["cohorts", c, "modules"]
        _unique_ids(cohort["modules"], "code", where)
        modules = tuple(_module(module) for module in cohort["modules"])
        codes = {module.code for module in modules}
        for m, module in enumerate(modules):
            for p, before in enumerate(module.prerequisites):
                if before not in codes:
                    raise _fail(
                        [*where, m, "prerequisites", p],
                        f"le module « {before} » n'est pas un module de cette promotion",
                    )
            for kind in module.equipment:
                if kind not in equipment:
                    raise _fail(
                        [*where, m, "equipment", kind],
                        "type d'équipement absent de « equipment » (le plateau n'en a pas)",
                    )
        if cycle := _prerequisite_cycle(modules):
            index = next(i for i, module in enumerate(modules) if module.code == cycle[0])
            raise _fail(
                [*where, index, "prerequisites"], f"cycle de prérequis : {' → '.join(cycle)}"
            )
        all_codes |= codes
        cohort_modules.append(modules)

    _unique_ids(data["trainers"], "id", ["trainers"])
    trainers: list[TrainerSpec] = []
    for t, trainer in enumerate(data["trainers"]):
        for m, code in enumerate(trainer["modules"]):
            if code not in all_codes:
                raise _fail(
                    ["trainers", t, "modules", m],
                    f"module « {code} » inconnu : aucune promotion ne le suit",
                )
        unavailable = frozenset(
            (_date(slot["day"], ["trainers", t, "unavailable", u, "day"]), slot["half_day"])
            for u, slot in enumerate(trainer.get("unavailable", []))
        )
        trainers.append(
            TrainerSpec(
                id=trainer["id"],
                modules=frozenset(trainer["modules"]),
                unavailable=unavailable,
                max_half_days_per_week=trainer.get("max_half_days_per_week", 8),
            )
        )
    trainers_by_id = {trainer.id: trainer for trainer in trainers}

    cohorts: list[CohortSpec] = []
    for c, (cohort, modules) in enumerate(zip(data["cohorts"], cohort_modules, strict=True)):
        earliest = _date(cohort["earliest_start"], ["cohorts", c, "earliest_start"])
        latest = _date(cohort["latest_start"], ["cohorts", c, "latest_start"])
        if earliest > latest:
            raise _fail(
                ["cohorts", c, "earliest_start"],
                f"{earliest.isoformat()} est après latest_start ({latest.isoformat()})",
            )
        by_code = {module.code: module for module in modules}
        spec = CohortSpec(
            id=cohort["id"],
            size=cohort["size"],
            earliest_start=earliest,
            latest_start=latest,
            modules=modules,
        )
        fixed: list[FixedSession] = []
        for f, session in enumerate(cohort.get("fixed", [])):
            where = ["cohorts", c, "fixed", f]
            wanted = by_code.get(session["module"])
            if wanted is None:
                raise _fail(
                    [*where, "module"],
                    f"le module « {session['module']} » n'est pas un module de cette promotion",
                )
            lab = labs_by_id.get(session["lab"])
            if lab is None:
                raise _fail([*where, "lab"], f"labo « {session['lab']} » inconnu (voir labs)")
            if lab.kind != wanted.lab_kind:
                raise _fail(
                    [*where, "lab"],
                    f"le labo « {lab.id} » est de type « {lab.kind} », "
                    f"le module {wanted.code} demande « {wanted.lab_kind} »",
                )
            trainer_spec = trainers_by_id.get(session["trainer"])
            if trainer_spec is None:
                raise _fail(
                    [*where, "trainer"],
                    f"formateur « {session['trainer']} » inconnu (voir trainers)",
                )
            if wanted.code not in trainer_spec.modules:
                raise _fail(
                    [*where, "trainer"],
                    f"« {trainer_spec.id} » n'anime pas le module {wanted.code}",
                )
            day = _date(session["day"], [*where, "day"])
            if day not in working_days:
                raise _fail(
                    [*where, "day"], f"{day.isoformat()} n'est pas un jour ouvré du calendrier"
                )
            group = int(session.get("group", 0))
            groups = _cohort_groups(spec, wanted, labs)
            if group >= groups:
                raise _fail(
                    [*where, "group"],
                    f"le module {wanted.code} se fait en {groups} groupe(s) : "
                    + ("0 (toute la promotion)" if groups <= 1 else f"de 0 à {groups - 1}"),
                )
            fixed.append(
                FixedSession(
                    cohort=spec.id,
                    module=wanted.code,
                    day=day,
                    half_day=session["half_day"],
                    lab=lab.id,
                    trainer=trainer_spec.id,
                    group=group,
                    equipment=tuple(sorted(wanted.equipment.items())),
                )
            )
        cohorts.append(
            CohortSpec(
                id=spec.id,
                size=spec.size,
                earliest_start=earliest,
                latest_start=latest,
                modules=modules,
                fixed=tuple(fixed),
            )
        )

    busy: list[FixedSession] = []
    for b, session in enumerate(data.get("busy", [])):
        where = ["busy", b]
        if session["lab"] not in labs_by_id:
            raise _fail([*where, "lab"], f"labo « {session['lab']} » inconnu (voir labs)")
        if session["trainer"] not in trainers_by_id:
            raise _fail(
                [*where, "trainer"], f"formateur « {session['trainer']} » inconnu (voir trainers)"
            )
        for kind in session.get("equipment", {}):
            if kind not in equipment:
                raise _fail(
                    [*where, "equipment", kind], "type d'équipement absent de « equipment »"
                )
        busy.append(
            FixedSession(
                cohort=session["cohort"],
                module=session["module"],
                day=_date(session["day"], [*where, "day"]),
                half_day=session["half_day"],
                lab=session["lab"],
                trainer=session["trainer"],
                group=int(session.get("group", 0)),
                equipment=tuple(sorted(session.get("equipment", {}).items())),
            )
        )

    return Problem(
        busy=tuple(busy),
        labs=labs,
        equipment=equipment,
        trainers=tuple(trainers),
        cohorts=tuple(cohorts),
        calendar=calendar,
        weights=Weights(**data.get("weights", {})),
    )


def load_problem(path: Path) -> Problem:
    """The problem in the JSON file at ``path``; unreadable JSON is an ``InputError`` too."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise InputError(f"{path} : lecture impossible ({error.strerror})", str(path)) from None
    except (json.JSONDecodeError, UnicodeDecodeError) as error:
        raise InputError(f"{path} : ce n'est pas du JSON valide ({error})", str(path)) from None
    return problem_from_json(data)


# --- from the model to JSON ----------------------------------------------------------------


def problem_to_json(problem: Problem) -> dict[str, Any]:
    """``problem`` in the input format (with the calendar's days listed)."""
    return {
        "labs": [
            {"id": lab.id, "kind": lab.kind, "workstations": lab.workstations}
            for lab in problem.labs
        ],
        "equipment": dict(problem.equipment),
        "trainers": [
            {
                "id": trainer.id,
                "modules": sorted(trainer.modules),
                "unavailable": [
                    {"day": day.isoformat(), "half_day": half}
                    for day, half in sorted(trainer.unavailable)
                ],
                "max_half_days_per_week": trainer.max_half_days_per_week,
            }
            for trainer in problem.trainers
        ],
        "cohorts": [
            {
                "id": cohort.id,
                "size": cohort.size,
                "earliest_start": cohort.earliest_start.isoformat(),
                "latest_start": cohort.latest_start.isoformat(),
                "modules": [
                    {
                        "code": module.code,
                        "title": module.title,
                        "hours": module.hours,
                        "lab_kind": module.lab_kind,
                        "equipment": dict(module.equipment),
                        "prerequisites": list(module.prerequisites),
                    }
                    for module in cohort.modules
                ],
                "fixed": [
                    {
                        "module": session.module,
                        "day": session.day.isoformat(),
                        "half_day": session.half_day,
                        "lab": session.lab,
                        "trainer": session.trainer,
                        "group": session.group,
                    }
                    for session in cohort.fixed
                ],
            }
            for cohort in problem.cohorts
        ],
        "busy": [
            {
                "cohort": session.cohort,
                "module": session.module,
                "day": session.day.isoformat(),
                "half_day": session.half_day,
                "lab": session.lab,
                "trainer": session.trainer,
                "group": session.group,
                "equipment": dict(session.equipment),
            }
            for session in problem.busy
        ],
        "calendar": {
            "days": [day.isoformat() for day in problem.calendar.days],
            "half_day_hours": problem.calendar.half_day_hours,
        },
        "weights": {
            "end": problem.weights.end,
            "idle": problem.weights.idle,
            "trainer_balance": problem.weights.trainer_balance,
            "consecutive": problem.weights.consecutive,
            "max_consecutive": problem.weights.max_consecutive,
        },
    }


def plan_to_json(plan: Plan, problem: Problem) -> dict[str, Any]:
    """The plan's figures and sessions, in a shape a page or a script can read back."""
    counts: dict[str, int] = {}
    for session in plan.sessions:
        counts[session.cohort] = counts.get(session.cohort, 0) + 1
    gap = plan.gap
    return {
        "figures": {
            "status": plan.status,
            "objective": plan.objective,
            "bound": plan.bound,
            "gap": None if gap is None else round(gap, 6),
            "time": round(plan.wall_time, 3),
            "cohorts": [
                {
                    "id": cohort.id,
                    "size": cohort.size,
                    "start": _iso(plan.cohort_starts.get(cohort.id)),
                    "end": _iso(plan.cohort_ends.get(cohort.id)),
                    "sessions": counts.get(cohort.id, 0),
                }
                for cohort in problem.cohorts
            ],
            "explanation": list(plan.explanation),
        },
        "sessions": [
            {
                "cohort": session.cohort,
                "module": session.module,
                "day": session.day.isoformat(),
                "half_day": session.half_day,
                "lab": session.lab,
                "trainer": session.trainer,
                "group": session.group,
                "equipment": dict(session.equipment),
            }
            for session in sorted(
                plan.sessions,
                key=lambda s: (s.day, s.half_day, s.cohort, s.group, s.module),
            )
        ],
    }


def _iso(day: datetime.date | None) -> str | None:
    return None if day is None else day.isoformat()
