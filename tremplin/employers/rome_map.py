"""The project's table from ROME codes to the competencies of the programme's frameworks.

``data/rome_competencies.toml`` says, for each ROME fiche the programme leads to, which
competencies of which framework version an opening of that trade requires and which it
merely desires. Imports of offers (``imports.py``) read it to fill an opening's competencies;
the file is read once per process and checked on reading, so a typo in it fails loudly
instead of silently leaving openings without competencies.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from types import MappingProxyType
from typing import Any

from .rome import rome_label

ROME_COMPETENCIES_PATH = Path(__file__).resolve().parent / "data" / "rome_competencies.toml"


class RomeMapError(Exception):
    """The mapping file is malformed: a project bug, not a user's."""


@dataclass(frozen=True)
class FrameworkCompetencies:
    """The competencies one framework version contributes to a ROME code."""

    framework: str
    framework_version: str
    required: tuple[str, ...]
    desired: tuple[str, ...]


def parse_rome_map(raw: Mapping[str, Any]) -> Mapping[str, tuple[FrameworkCompetencies, ...]]:
    entries = raw.get("rome")
    if not isinstance(entries, list) or not entries:
        raise RomeMapError("rome_competencies: a [[rome]] list is expected")
    table: dict[str, list[FrameworkCompetencies]] = {}
    for position, entry in enumerate(entries, start=1):
        where = f"rome_competencies: entry {position}"
        if not isinstance(entry, dict):
            raise RomeMapError(f"{where}: a table is expected")
        unknown = set(entry) - {"code", "framework", "framework_version", "required", "desired"}
        if unknown:
            raise RomeMapError(f"{where}: unknown keys {sorted(unknown)}")
        code = entry.get("code")
        if not isinstance(code, str) or rome_label(code) is None:
            raise RomeMapError(f"{where}: unknown ROME code {code!r}")
        framework, version = entry.get("framework"), entry.get("framework_version")
        if not isinstance(framework, str) or not isinstance(version, str):
            raise RomeMapError(f"{where}: framework and framework_version are strings")
        lists = {}
        for key in ("required", "desired"):
            value = entry.get(key, [])
            if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                raise RomeMapError(f"{where}: {key} is a list of competency codes")
            lists[key] = tuple(value)
        overlap = set(lists["required"]) & set(lists["desired"])
        if overlap:
            raise RomeMapError(f"{where}: both required and desired: {sorted(overlap)}")
        table.setdefault(code.upper(), []).append(
            FrameworkCompetencies(framework, version, lists["required"], lists["desired"])
        )
    return MappingProxyType({code: tuple(items) for code, items in table.items()})


@cache
def rome_competencies() -> Mapping[str, tuple[FrameworkCompetencies, ...]]:
    """ROME code → the framework competencies it maps to (read once per process)."""
    with ROME_COMPETENCIES_PATH.open("rb") as f:
        return parse_rome_map(tomllib.load(f))


def is_mapped(rome_code: str) -> bool:
    return rome_code.strip().upper() in rome_competencies()
