"""The criteria catalogue shipped as versioned TOML files, and its installation.

Files live in ``criteria/`` beside this module, one per version (``criteria.v<N>.toml``). Each
lists the criteria (code, label, level, proof expected and how long it stays valid, how it is
derived from a profile) and the default rule of a programme that has none of its own.

Installing is idempotent, keyed by the catalogue's version and, inside it, by criterion code:
labels and proofs are updated in place, new criteria added, nothing deleted (diagnostics point
at criteria). A change of meaning is a new version file; new diagnostics use the newest
installed version, older diagnostics keep theirs.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from django.db import transaction

from tremplin.engine.eligibility import Derivation, Fact, Rule
from tremplin.programmes.models import Programme

from .enums import CriterionLevel, DerivedFact
from .models import CriteriaCatalogue, Criterion, EligibilityRule

CRITERIA_DIR = Path(__file__).resolve().parent / "criteria"

_SLUG = re.compile(r"^[a-z0-9_]+$")
_VERSION_IN_NAME = re.compile(r"\.v(\d+)\.toml$")
_TOP_KEYS = {"version", "title", "source", "default_rule", "criteria"}
_CRITERION_KEYS = {
    "code",
    "label",
    "level",
    "proof",
    "proof_validity_days",
    "derive",
    "derived_is_proof",
}
_DERIVE_KEYS = {"fact", "min", "max", "values"}
_RULE_KEYS = {"level1_needed", "level2_needed", "france_travail_required", "min_age", "max_age"}


@dataclass(frozen=True)
class CriterionData:
    code: str
    label: str
    level: str
    proof: str
    proof_validity_days: int
    derived_fact: str = ""
    derive_min: int | None = None
    derive_max: int | None = None
    derive_values: tuple[str, ...] = ()
    derived_is_proof: bool = False


@dataclass(frozen=True)
class CatalogueFile:
    version: int
    title: str
    source: str
    default_rule: Rule
    criteria: tuple[CriterionData, ...]
    path: Path | None = None


def _string(table: dict[str, Any], key: str, where: str, max_length: int) -> str:
    value = table.get(key)
    if not isinstance(value, str) or not value.strip():
        raise ValueError(f"{where}: '{key}' must be a non-empty string")
    if len(value.strip()) > max_length:
        raise ValueError(f"{where}: '{key}' is longer than {max_length} characters")
    return value.strip()


def _int(table: dict[str, Any], key: str, where: str, *, optional: bool = False) -> int | None:
    value = table.get(key)
    if value is None and optional:
        return None
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        raise ValueError(f"{where}: '{key}' must be a non-negative integer")
    return value


def _unknown(table: dict[str, Any], allowed: set[str], where: str) -> None:
    unknown = sorted(set(table) - allowed)
    if unknown:
        raise ValueError(f"{where}: unknown key(s) {', '.join(repr(k) for k in unknown)}")


def _rule(raw: Any, where: str) -> Rule:
    if not isinstance(raw, dict):
        raise ValueError(f"{where}: missing table [default_rule]")
    _unknown(raw, _RULE_KEYS, where)
    level1 = _int(raw, "level1_needed", where)
    level2 = _int(raw, "level2_needed", where)
    registered = raw.get("france_travail_required")
    if not isinstance(registered, bool):
        raise ValueError(f"{where}: 'france_travail_required' must be true or false")
    min_age = _int(raw, "min_age", where, optional=True)
    max_age = _int(raw, "max_age", where, optional=True)
    assert level1 is not None and level2 is not None
    if level1 < 1 or level2 < 1:
        raise ValueError(f"{where}: a rule needs at least one criterion of each level")
    if min_age is not None and max_age is not None and min_age > max_age:
        raise ValueError(f"{where}: 'min_age' is above 'max_age'")
    return Rule(level1, level2, registered, min_age, max_age)


def _criterion(raw: Any, where: str) -> CriterionData:
    if not isinstance(raw, dict):
        raise ValueError(f"{where}: expected a table")
    code = _string(raw, "code", where, 40)
    where = f"{where} ({code})"
    _unknown(raw, _CRITERION_KEYS, where)
    if not _SLUG.match(code):
        raise ValueError(f"{where}: 'code' must be lowercase letters, digits and '_'")
    level = raw.get("level")
    if level not in (1, 2) or isinstance(level, bool):
        raise ValueError(f"{where}: 'level' must be 1 or 2")
    days = _int(raw, "proof_validity_days", where)
    assert days is not None
    derived_is_proof = raw.get("derived_is_proof", False)
    if not isinstance(derived_is_proof, bool):
        raise ValueError(f"{where}: 'derived_is_proof' must be true or false")
    data = CriterionData(
        code=code,
        label=_string(raw, "label", where, 200),
        level=str(level),
        proof=_string(raw, "proof", where, 300),
        proof_validity_days=days,
        derived_is_proof=derived_is_proof,
    )
    derive = raw.get("derive")
    if derive is None:
        if derived_is_proof:
            raise ValueError(f"{where}: 'derived_is_proof' without 'derive'")
        return data
    if not isinstance(derive, dict):
        raise ValueError(f"{where}: 'derive' must be a table")
    _unknown(derive, _DERIVE_KEYS, f"{where} derive")
    fact = derive.get("fact")
    if fact not in DerivedFact.values:
        raise ValueError(
            f"{where}: unknown fact {fact!r} (expected one of {', '.join(DerivedFact.values)})"
        )
    values = derive.get("values", [])
    if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
        raise ValueError(f"{where}: 'values' must be a list of strings")
    return replace(
        data,
        derived_fact=fact,
        derive_min=_int(derive, "min", where, optional=True),
        derive_max=_int(derive, "max", where, optional=True),
        derive_values=tuple(values),
    )


def parse_catalogue(raw: dict[str, Any], name: str = "<catalogue>") -> CatalogueFile:
    """Validate the decoded TOML of one catalogue file; ``name`` prefixes the errors."""
    _unknown(raw, _TOP_KEYS, name)
    version = raw.get("version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise ValueError(f"{name}: 'version' must be a positive integer")
    raw_criteria = raw.get("criteria")
    if not isinstance(raw_criteria, list) or not raw_criteria:
        raise ValueError(f"{name}: 'criteria' must be a non-empty array of tables ([[criteria]])")
    criteria = tuple(
        _criterion(item, f"{name}: criteria[{i}]") for i, item in enumerate(raw_criteria, 1)
    )
    codes = [c.code for c in criteria]
    duplicates = sorted({c for c in codes if codes.count(c) > 1})
    if duplicates:
        raise ValueError(f"{name}: duplicate criterion code(s) {', '.join(duplicates)}")
    levels = {c.level for c in criteria}
    if levels != set(CriterionLevel.values):
        raise ValueError(f"{name}: criteria of both levels are needed")
    return CatalogueFile(
        version=version,
        title=_string(raw, "title", name, 200),
        source=_string(raw, "source", name, 300),
        default_rule=_rule(raw.get("default_rule"), f"{name}: default_rule"),
        criteria=criteria,
    )


def read_catalogue(path: Path | str) -> CatalogueFile:
    """Read and validate one catalogue file; raises ``ValueError`` naming the problem."""
    path = Path(path)
    try:
        with path.open("rb") as f:
            raw = tomllib.load(f)
    except tomllib.TOMLDecodeError as e:
        raise ValueError(f"{path.name}: invalid TOML: {e}") from e
    data = parse_catalogue(raw, path.name)
    named = _VERSION_IN_NAME.search(path.name)
    if not named or int(named.group(1)) != data.version:
        raise ValueError(
            f"{path.name}: the file name must end in .v{data.version}.toml (its 'version')"
        )
    return replace(data, path=path)


def available_catalogues(directory: Path | str | None = None) -> list[CatalogueFile]:
    """Every catalogue file of ``directory`` (default: the shipped ones), oldest first."""
    folder = Path(directory) if directory is not None else CRITERIA_DIR
    catalogues = sorted((read_catalogue(p) for p in folder.glob("*.toml")), key=lambda c: c.version)
    versions = [c.version for c in catalogues]
    if len(versions) != len(set(versions)):
        raise ValueError(f"{folder}: two files carry the same version")
    return catalogues


def latest_file() -> CatalogueFile:
    return available_catalogues()[-1]


def install_catalogue(data: CatalogueFile) -> CriteriaCatalogue:
    """Create or update the catalogue version described by ``data``; never deletes anything."""
    with transaction.atomic():
        catalogue, created = CriteriaCatalogue.objects.get_or_create(
            version=data.version, defaults={"title": data.title, "source": data.source}
        )
        if not created:
            _update(catalogue, {"title": data.title, "source": data.source})
        existing = {c.code: c for c in Criterion.objects.filter(catalogue=catalogue)}
        for position, item in enumerate(data.criteria, start=1):
            values = {
                "label": item.label,
                "level": item.level,
                "proof": item.proof,
                "proof_validity_days": item.proof_validity_days,
                "derived_fact": item.derived_fact,
                "derive_min": item.derive_min,
                "derive_max": item.derive_max,
                "derive_values": list(item.derive_values),
                "derived_is_proof": item.derived_is_proof,
                "position": position,
            }
            criterion = existing.get(item.code)
            if criterion is None:
                Criterion.objects.create(catalogue=catalogue, code=item.code, **values)
            else:
                _update(criterion, values)
    return catalogue


def install_default_rules(rule: Rule) -> list[EligibilityRule]:
    """Give every programme without a rule the default one; rules already set stay as they are."""
    created = []
    for programme in Programme.objects.filter(eligibility_rule__isnull=True).order_by("id"):
        created.append(
            EligibilityRule.objects.create(
                programme=programme,
                level1_needed=rule.level1_needed,
                level2_needed=rule.level2_needed,
                france_travail_required=rule.france_travail_required,
                min_age=rule.min_age,
                max_age=rule.max_age,
            )
        )
    return created


def _update(obj: Any, values: dict[str, Any]) -> None:
    changed = [name for name, value in values.items() if getattr(obj, name) != value]
    for name in changed:
        setattr(obj, name, values[name])
    if changed:
        obj.save(update_fields=changed)


def current_catalogue() -> CriteriaCatalogue | None:
    """The newest installed catalogue: the one new diagnostics are made with."""
    return CriteriaCatalogue.objects.order_by("-version").first()


def derivation_of(criterion: Criterion) -> Derivation | None:
    if not criterion.derived_fact:
        return None
    return Derivation(
        code=criterion.code,
        fact=Fact(criterion.derived_fact),
        minimum=criterion.derive_min,
        maximum=criterion.derive_max,
        values=tuple(criterion.derive_values),
        stands_as_proof=criterion.derived_is_proof,
    )


def rule_of(rule: EligibilityRule | None) -> Rule:
    """The engine's rule for a programme's rule row, or the catalogue's default."""
    if rule is None:
        return latest_file().default_rule
    return Rule(
        level1_needed=rule.level1_needed,
        level2_needed=rule.level2_needed,
        france_travail_required=rule.france_travail_required,
        min_age=rule.min_age,
        max_age=rule.max_age,
    )
