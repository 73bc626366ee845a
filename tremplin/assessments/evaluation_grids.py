"""Practical evaluation grids shipped as versioned TOML files, and their reader.

The files live in ``evaluations/`` beside this module, one per competency framework version
(``<certification>.v<version>.toml``). Each grid belongs to one competency, named by its code
in that framework, and lists the criteria a trainer checks on the plateau (« réaliser et
mesurer une soudure, perte < 0,3 dB »). ``available_grids`` reads and validates every file
against the frameworks of ``programmes.frameworks``: a grid naming a competency the framework
does not have is an error, caught by the tests before it reaches a trainer.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tremplin.programmes.frameworks import FrameworkFile, available_frameworks

GRIDS_DIR = Path(__file__).resolve().parent / "evaluations"

_MAX_TITLE = 200
_MAX_CRITERION = 300


@dataclass(frozen=True)
class Grid:
    competency: str
    title: str
    criteria: tuple[str, ...]


@dataclass(frozen=True)
class GridFile:
    certification: str
    version: str
    grids: tuple[Grid, ...]

    def for_competency(self, code: str) -> list[Grid]:
        return [g for g in self.grids if g.competency == code]


def _text(value: Any, where: str, limit: int) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ValueError(f"{where}: expected a non-empty string")
    if len(value) > limit:
        raise ValueError(f"{where}: longer than {limit} characters")
    return value.strip()


def parse_grids(raw: dict[str, Any], framework: FrameworkFile, name: str) -> GridFile:
    unknown = set(raw) - {"certification", "version", "evaluations"}
    if unknown:
        raise ValueError(f"{name}: unknown key(s) {', '.join(sorted(unknown))}")
    certification = _text(raw.get("certification"), f"{name}: certification", 60)
    version = _text(raw.get("version"), f"{name}: version", 20)
    if (certification, version) != (framework.code, framework.version):
        raise ValueError(f"{name}: does not match framework {framework.code} v{framework.version}")
    codes = {c.code for c in framework.competencies()}
    entries = raw.get("evaluations")
    if not isinstance(entries, list) or not entries:
        raise ValueError(f"{name}: 'evaluations' must be a non-empty array of tables")
    grids = []
    for i, entry in enumerate(entries, start=1):
        where = f"{name}: evaluation {i}"
        if not isinstance(entry, dict):
            raise ValueError(f"{where}: expected a table")
        if set(entry) - {"competency", "title", "criteria"}:
            raise ValueError(f"{where}: unknown key(s)")
        competency = _text(entry.get("competency"), f"{where}: competency", 30)
        if competency not in codes:
            raise ValueError(f"{where}: unknown competency {competency!r} in {certification}")
        criteria = entry.get("criteria")
        if not isinstance(criteria, list) or not criteria:
            raise ValueError(f"{where}: 'criteria' must be a non-empty list")
        checked = tuple(_text(c, f"{where}: criterion", _MAX_CRITERION) for c in criteria)
        if len(set(checked)) != len(checked):
            raise ValueError(f"{where}: duplicate criterion")
        grids.append(
            Grid(competency, _text(entry.get("title"), f"{where}: title", _MAX_TITLE), checked)
        )
    return GridFile(certification, version, tuple(grids))


def available_grids(directory: Path | str | None = None) -> dict[tuple[str, str], GridFile]:
    """Every grid file, keyed by (certification code, version), checked against its framework."""
    frameworks = {(f.code, f.version): f for f in available_frameworks()}
    files: dict[tuple[str, str], GridFile] = {}
    for path in sorted(Path(directory or GRIDS_DIR).glob("*.toml")):
        try:
            raw = tomllib.loads(path.read_text(encoding="utf-8"))
        except tomllib.TOMLDecodeError as e:
            raise ValueError(f"{path.name}: invalid TOML: {e}") from e
        key = (str(raw.get("certification", "")), str(raw.get("version", "")))
        if key not in frameworks:
            raise ValueError(f"{path.name}: no framework {key[0]} v{key[1]}")
        if key in files:
            raise ValueError(f"{path.name}: a second file for {key[0]} v{key[1]}")
        files[key] = parse_grids(raw, frameworks[key], path.name)
    return files
