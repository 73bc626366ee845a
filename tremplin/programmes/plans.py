"""Programme plans shipped as versioned TOML files (``plans/*.toml``): modules to install.

A plan names its programme and lists its modules with track, hours, lab kind, equipment and
prerequisites (by code, among the plan's own modules). ``read_plan`` checks the file's shape;
``install_plan`` writes the modules through ``services`` (which check values and cycles) in
one transaction. Installing skips modules whose code the programme already has: a code keeps
its meaning for the life of a version, since sessions point at modules.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.db import transaction

from .models import Module, Programme
from .services import module_create, module_set_prerequisites

PLANS_DIR = Path(__file__).resolve().parent / "plans"


class PlanFileError(ValueError):
    """A malformed plan file (a developer's mistake, so in English)."""


@dataclass(frozen=True)
class ModuleData:
    code: str
    title: str
    track: str
    hours: int
    lab_kind: str
    equipment_types: tuple[str, ...]
    prerequisites: tuple[str, ...]
    description: str


@dataclass(frozen=True)
class PlanFile:
    programme: str
    version: str
    modules: tuple[ModuleData, ...]

    @property
    def hours(self) -> int:
        return sum(m.hours for m in self.modules)


def _module(path: Path, raw: dict[str, Any]) -> ModuleData:
    try:
        return ModuleData(
            code=str(raw["code"]),
            title=str(raw["title"]),
            track=str(raw.get("track", "")),
            hours=int(raw["hours"]),
            lab_kind=str(raw["lab"]),
            equipment_types=tuple(str(t) for t in raw.get("equipment", [])),
            prerequisites=tuple(str(p) for p in raw.get("prerequisites", [])),
            description=str(raw.get("description", "")),
        )
    except (KeyError, TypeError, ValueError) as error:
        raise PlanFileError(f"{path.name}: module {raw.get('code')!r}: {error!r}") from None


def read_plan(path: Path) -> PlanFile:
    with path.open("rb") as f:
        data = tomllib.load(f)
    modules = tuple(_module(path, raw) for raw in data.get("modules", []))
    codes = [m.code for m in modules]
    if not modules or len(set(codes)) != len(codes):
        raise PlanFileError(f"{path.name}: no modules, or a repeated code")
    for m in modules:
        unknown = set(m.prerequisites) - set(codes)
        if unknown:
            raise PlanFileError(f"{path.name}: {m.code}: unknown prerequisites {sorted(unknown)}")
    return PlanFile(
        programme=str(data.get("programme", "")),
        version=str(data.get("version", "")),
        modules=modules,
    )


def available_plans() -> list[PlanFile]:
    return [read_plan(path) for path in sorted(PLANS_DIR.glob("*.toml"))]


def plan_for(programme: Programme) -> PlanFile | None:
    return next((p for p in available_plans() if p.programme == programme.name), None)


def install_plan(*, programme: Programme, plan: PlanFile, by: Any = None) -> list[Module]:
    """The plan's modules for ``programme``, created if missing; raises ``ModuleError``."""
    with transaction.atomic():
        existing = {m.code: m for m in programme.modules.all()}
        created: list[Module] = []
        for position, data in enumerate(plan.modules):
            if data.code in existing:
                continue
            module = module_create(
                by=by,
                programme=programme,
                code=data.code,
                title=data.title,
                track=data.track,
                hours=data.hours,
                lab_kind=data.lab_kind,
                equipment_types=data.equipment_types,
                description=data.description,
                position=position,
            )
            existing[data.code] = module
            created.append(module)
        for data in plan.modules:
            module = existing[data.code]
            if module in created:
                module_set_prerequisites(
                    by=by,
                    module=module,
                    prerequisites=[existing[code] for code in data.prerequisites],
                )
    return created
