"""Competency frameworks shipped as versioned TOML files, and their installation.

The files live in the ``frameworks/`` folder beside this module, one per certification
version (``<name>.v<version>.toml``). They are written by the project, in its own words,
after the official titles. This module reads and validates them (``read_framework``,
``available_frameworks``) and installs one into the database (``install_framework``) as a
``Certification`` with its ``CompetencyBlock`` and ``Competency`` rows.

Installing is idempotent, keyed by the certification's ``code`` + ``version`` and, inside
it, by block and competency codes: titles and positions are updated in place, new items
are added, and nothing is ever deleted, since learners' assessments point at competencies.
A competency code therefore keeps its meaning for the life of a version; a real change of
content is a new version file.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from django.db import transaction

from .enums import TrackKind, TrainingObjective
from .models import Certification, Competency, CompetencyBlock

FRAMEWORKS_DIR = Path(__file__).resolve().parent / "frameworks"

# Lengths of the model fields the values end up in.
_SLUG = re.compile(r"^[-a-z0-9_]+$")
_VERSION_IN_NAME = re.compile(r"\.v([^.]+)\.toml$")
_TOP_KEYS = {
    "code": 60,
    "version": 20,
    "title": 250,
    "rncp": 20,
    "level": 40,
    "source": 250,
    "track": 20,
    "objective": 20,
    "nsf_code": 3,
    "nsf_label": 120,
}
# The objective and NSF speciality feed the « bilan pédagogique et financier » (cadre F-3, F-4).
_TOP_OPTIONAL = frozenset({"rncp", "level", "objective", "nsf_code", "nsf_label"})
_NSF_CODE = re.compile(r"^[0-9]{3}$")
_BLOCK_KEYS = {"code": 30, "title": 250}
_COMPETENCY_KEYS = {"code": 30, "title": 300}


@dataclass(frozen=True)
class CompetencyData:
    code: str
    title: str


@dataclass(frozen=True)
class BlockData:
    code: str
    title: str
    competencies: tuple[CompetencyData, ...]


@dataclass(frozen=True)
class FrameworkFile:
    code: str
    version: str
    title: str
    rncp: str
    level: str
    source: str
    track: str
    blocks: tuple[BlockData, ...]
    path: Path | None = None
    objective: str = ""
    nsf_code: str = ""
    nsf_label: str = ""

    @property
    def competency_count(self) -> int:
        return sum(len(block.competencies) for block in self.blocks)

    def competencies(self) -> list[CompetencyData]:
        return [c for block in self.blocks for c in block.competencies]


def _strings(
    table: Any, keys: Mapping[str, int], where: str, optional: frozenset[str] = frozenset()
) -> dict[str, str]:
    """The string values of ``keys`` in a TOML table, checked for type, presence and length."""
    if not isinstance(table, dict):
        raise ValueError(f"{where}: expected a table, got {type(table).__name__}")
    values: dict[str, str] = {}
    for key, max_length in keys.items():
        if key not in table:
            if key in optional:
                values[key] = ""
                continue
            raise ValueError(f"{where}: missing key '{key}'")
        value = table[key]
        if not isinstance(value, str):
            raise ValueError(f"{where}: '{key}' must be a string, got {type(value).__name__}")
        value = value.strip()
        if not value and key not in optional:
            raise ValueError(f"{where}: '{key}' must not be empty")
        if len(value) > max_length:
            raise ValueError(f"{where}: '{key}' is longer than {max_length} characters")
        values[key] = value
    return values


def _unknown_keys(table: dict[str, Any], allowed: set[str], where: str) -> None:
    unknown = sorted(set(table) - allowed)
    if unknown:
        raise ValueError(f"{where}: unknown key(s) {', '.join(repr(k) for k in unknown)}")


def parse_framework(raw: dict[str, Any], name: str = "<framework>") -> FrameworkFile:
    """Validate the decoded TOML of one framework file; ``name`` prefixes the errors."""
    _unknown_keys(raw, set(_TOP_KEYS) | {"blocks"}, name)
    top = _strings(raw, _TOP_KEYS, name, optional=_TOP_OPTIONAL)
    if not _SLUG.match(top["code"]):
        raise ValueError(
            f"{name}: 'code' must be a slug (lowercase letters, digits, '-', '_'), "
            f"got {top['code']!r}"
        )
    if top["track"] not in TrackKind.values:
        raise ValueError(
            f"{name}: unknown track {top['track']!r} "
            f"(expected one of {', '.join(TrackKind.values)})"
        )
    if top["objective"] and top["objective"] not in TrainingObjective.values:
        raise ValueError(
            f"{name}: unknown objective {top['objective']!r} "
            f"(expected one of {', '.join(TrainingObjective.values)})"
        )
    if top["nsf_code"] and not _NSF_CODE.match(top["nsf_code"]):
        raise ValueError(f"{name}: 'nsf_code' must be three digits, got {top['nsf_code']!r}")
    if bool(top["nsf_code"]) != bool(top["nsf_label"]):
        raise ValueError(f"{name}: 'nsf_code' and 'nsf_label' go together")

    raw_blocks = raw.get("blocks")
    if raw_blocks is None:
        raise ValueError(f"{name}: missing key 'blocks' (at least one [[blocks]] table)")
    if not isinstance(raw_blocks, list) or not raw_blocks:
        raise ValueError(f"{name}: 'blocks' must be a non-empty array of tables ([[blocks]])")

    blocks: list[BlockData] = []
    block_codes: set[str] = set()
    competency_codes: dict[str, str] = {}
    for b_index, raw_block in enumerate(raw_blocks, start=1):
        where = f"{name}: blocks[{b_index}]"
        block = _strings(raw_block, _BLOCK_KEYS, where)
        where = f"{name}: block {block['code']}"
        _unknown_keys(raw_block, set(_BLOCK_KEYS) | {"competencies"}, where)
        if block["code"] in block_codes:
            raise ValueError(f"{name}: duplicate block code {block['code']!r}")
        block_codes.add(block["code"])

        raw_competencies = raw_block.get("competencies")
        if raw_competencies is None:
            raise ValueError(f"{where}: missing key 'competencies' ([[blocks.competencies]])")
        if not isinstance(raw_competencies, list) or not raw_competencies:
            raise ValueError(f"{where}: 'competencies' must be a non-empty array of tables")
        competencies: list[CompetencyData] = []
        for c_index, raw_competency in enumerate(raw_competencies, start=1):
            c_where = f"{where}: competencies[{c_index}]"
            competency = _strings(raw_competency, _COMPETENCY_KEYS, c_where)
            _unknown_keys(raw_competency, set(_COMPETENCY_KEYS), c_where)
            code = competency["code"]
            if code in competency_codes:
                raise ValueError(
                    f"{name}: duplicate competency code {code!r} "
                    f"(in blocks {competency_codes[code]} and {block['code']})"
                )
            competency_codes[code] = block["code"]
            competencies.append(CompetencyData(code=code, title=competency["title"]))
        blocks.append(
            BlockData(code=block["code"], title=block["title"], competencies=tuple(competencies))
        )

    return FrameworkFile(
        code=top["code"],
        version=top["version"],
        title=top["title"],
        rncp=top["rncp"],
        level=top["level"],
        source=top["source"],
        track=top["track"],
        blocks=tuple(blocks),
        objective=top["objective"],
        nsf_code=top["nsf_code"],
        nsf_label=top["nsf_label"],
    )


def read_framework(path: Path | str) -> FrameworkFile:
    """Read and validate one framework file; raises ``ValueError`` naming the problem."""
    path = Path(path)
    try:
        with path.open("rb") as f:
            raw = tomllib.load(f)
    except tomllib.TOMLDecodeError as e:
        raise ValueError(f"{path.name}: invalid TOML: {e}") from e
    data = parse_framework(raw, path.name)
    named = _VERSION_IN_NAME.search(path.name)
    if named and named.group(1) != data.version:
        raise ValueError(
            f"{path.name}: the file name says version {named.group(1)!r} "
            f"but 'version' is {data.version!r}"
        )
    return replace(data, path=path)


def available_frameworks(directory: Path | str | None = None) -> list[FrameworkFile]:
    """Every ``*.toml`` framework of ``directory`` (default: the shipped ones), by file name."""
    folder = Path(directory) if directory is not None else FRAMEWORKS_DIR
    frameworks = [read_framework(p) for p in sorted(folder.glob("*.toml"))]
    seen: dict[tuple[str, str], str] = {}
    for fw in frameworks:
        key = (fw.code, fw.version)
        name = fw.path.name if fw.path else fw.code
        if key in seen:
            raise ValueError(
                f"{name}: code {fw.code!r} version {fw.version!r} is already used by {seen[key]}"
            )
        seen[key] = name
    return frameworks


def _update(obj: Any, values: Mapping[str, Any]) -> None:
    """Set the changed ``values`` on ``obj`` and save only those fields."""
    changed = [field for field, value in values.items() if getattr(obj, field) != value]
    if changed:
        for field in changed:
            setattr(obj, field, values[field])
        obj.save(update_fields=changed)


def install_framework(data: FrameworkFile) -> Certification:
    """Create or update the certification described by ``data``; never deletes anything.

    Blocks and competencies that are no longer in the file stay in the database (they may
    carry assessments); positions follow the order of the file, starting at 1.
    """
    with transaction.atomic():
        certification, created = Certification.objects.get_or_create(
            code=data.code,
            version=data.version,
            defaults={
                "title": data.title,
                "rncp": data.rncp,
                "level": data.level,
                "source": data.source,
                "objective": data.objective,
                "nsf_code": data.nsf_code,
                "nsf_label": data.nsf_label,
            },
        )
        if not created:
            values = {"title": data.title, "rncp": data.rncp, "level": data.level}
            bpf = {"objective": data.objective, "nsf_code": data.nsf_code}
            _update(
                certification,
                {**values, **bpf, "nsf_label": data.nsf_label, "source": data.source},
            )

        blocks = {b.code: b for b in CompetencyBlock.objects.filter(certification=certification)}
        # Keyed by code across the whole certification, so a competency moved to another
        # block in the file keeps its row (and its assessments).
        competencies: dict[str, Competency] = {}
        for existing in Competency.objects.filter(block__certification=certification).order_by(
            "id"
        ):
            competencies.setdefault(existing.code, existing)

        for b_position, block_data in enumerate(data.blocks, start=1):
            block = blocks.get(block_data.code)
            if block is None:
                block = CompetencyBlock.objects.create(
                    certification=certification,
                    code=block_data.code,
                    title=block_data.title,
                    position=b_position,
                )
            else:
                _update(block, {"title": block_data.title, "position": b_position})

            for c_position, competency_data in enumerate(block_data.competencies, start=1):
                competency = competencies.get(competency_data.code)
                if competency is None:
                    Competency.objects.create(
                        block=block,
                        code=competency_data.code,
                        title=competency_data.title,
                        position=c_position,
                    )
                else:
                    _update(
                        competency,
                        {
                            "block_id": block.pk,
                            "title": competency_data.title,
                            "position": c_position,
                        },
                    )
    return certification
