"""Areas and points on the map: GeoJSON polygons checked, then found again from a point.

Used for the priority neighbourhoods (QPV): ``area_from_geojson`` turns one GeoJSON geometry
into a valid shapely (Multi)Polygon or says precisely why it cannot; ``AreaIndex`` answers
« which area holds this point? » through an STRtree (a bounding-box R-tree) and prepared
polygons, so a lookup costs a few box tests instead of a test per polygon; ``PointIndex``
answers « which known point is nearest? » (the town hall closest to a position).

Coordinates are WGS84 longitude/latitude in degrees, as GeoJSON (RFC 7946) and the Base
Adresse Nationale give them. A point on an area's boundary counts as inside it (a house on the
street that bounds a neighbourhood is usually counted in). When areas overlap at a point, the
area given first to the index wins, so callers pass areas in a stable order (by code).

No Django here: services adapt the database rows to these plain types.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import cast

import numpy as np
import shapely
from numpy.typing import NDArray
from shapely.geometry import MultiPolygon, Point, Polygon
from shapely.strtree import STRtree

Area = Polygon | MultiPolygon

# Why a geometry was refused. Services turn each code into a sentence for people.
NOT_AN_OBJECT = "not_an_object"
NOT_A_POLYGON = "not_a_polygon"
BAD_COORDINATES = "bad_coordinates"
OUT_OF_RANGE = "out_of_range"
TOO_FEW_POINTS = "too_few_points"
UNCLOSED_RING = "unclosed_ring"
SELF_INTERSECTION = "self_intersection"
HOLE_OUTSIDE = "hole_outside"
EMPTY = "empty"
INVALID = "invalid"


class GeometryProblem(ValueError):
    """A GeoJSON geometry that cannot be used; ``code`` says why, ``detail`` where."""

    def __init__(self, code: str, detail: str = "") -> None:
        super().__init__(f"{code}: {detail}" if detail else code)
        self.code = code
        self.detail = detail


def _position(value: object) -> tuple[float, float]:
    if not isinstance(value, list | tuple) or len(value) not in (2, 3):
        raise GeometryProblem(BAD_COORDINATES, repr(value)[:60])
    lon, lat = value[0], value[1]
    numbers = all(
        isinstance(v, int | float) and not isinstance(v, bool) and math.isfinite(v)
        for v in (lon, lat)
    )
    if not numbers:
        raise GeometryProblem(BAD_COORDINATES, repr(value)[:60])
    if not (-180.0 <= lon <= 180.0 and -90.0 <= lat <= 90.0):
        # Typically a file exported in a projected system (Lambert-93 gives metres).
        raise GeometryProblem(OUT_OF_RANGE, f"[{lon}, {lat}]")
    return float(lon), float(lat)


def _ring(value: object) -> list[tuple[float, float]]:
    if not isinstance(value, list):
        raise GeometryProblem(BAD_COORDINATES, "ring")
    points = [_position(p) for p in value]
    if len(points) < 4:
        raise GeometryProblem(TOO_FEW_POINTS, str(len(points)))
    if points[0] != points[-1]:
        raise GeometryProblem(UNCLOSED_RING, f"{list(points[0])} ≠ {list(points[-1])}")
    return points


def _polygon(value: object) -> Polygon:
    if not isinstance(value, list) or not value:
        raise GeometryProblem(BAD_COORDINATES, "polygon")
    shell, *holes = (_ring(r) for r in value)
    return Polygon(shell, holes)


def _explain_invalid(area: Area) -> GeometryProblem:
    reason = shapely.is_valid_reason(area)
    lowered = reason.lower()
    if "self-intersection" in lowered or "self intersection" in lowered:
        code = SELF_INTERSECTION
    elif "hole lies outside" in lowered or "nested shells" in lowered:
        code = HOLE_OUTSIDE
    elif "too few points" in lowered:
        code = TOO_FEW_POINTS
    else:
        code = INVALID
    return GeometryProblem(code, reason)


def area_from_geojson(geometry: object) -> Area:
    """A valid Polygon or MultiPolygon from a decoded GeoJSON geometry, or GeometryProblem.

    Refused: anything but a Polygon or MultiPolygon, coordinates that are not numbers or not
    in degrees, rings with fewer than four positions or not closed, self-intersections, holes
    outside their shell, and empty geometries. Nothing is repaired: an official outline that
    needs repairing must be fixed at its source, not guessed here.
    """
    if not isinstance(geometry, Mapping):
        raise GeometryProblem(NOT_AN_OBJECT)
    kind = geometry.get("type")
    coordinates = geometry.get("coordinates")
    area: Area
    if kind == "Polygon":
        area = _polygon(coordinates)
    elif kind == "MultiPolygon":
        if not isinstance(coordinates, list) or not coordinates:
            raise GeometryProblem(BAD_COORDINATES, "multipolygon")
        area = MultiPolygon([_polygon(p) for p in coordinates])
    else:
        raise GeometryProblem(NOT_A_POLYGON, str(kind)[:40])
    if area.is_empty:
        raise GeometryProblem(EMPTY)
    if not area.is_valid:
        raise _explain_invalid(area)
    if area.area == 0:
        raise GeometryProblem(EMPTY)
    return area


def area_to_wkb(area: Area) -> bytes:
    """Compact binary form for storage; ``area_from_wkb`` reads it back."""
    return shapely.to_wkb(area)


def area_from_wkb(data: bytes) -> Area:
    area = shapely.from_wkb(data)
    if not isinstance(area, Polygon | MultiPolygon):
        raise GeometryProblem(NOT_A_POLYGON, area.geom_type)
    return area


def _points(coords: NDArray[np.float64]) -> NDArray[np.object_]:
    # shapely.points returns one Point for one pair and an array otherwise; ours are arrays.
    return cast("NDArray[np.object_]", shapely.points(coords))


@dataclass(frozen=True, slots=True)
class Bounds:
    west: float
    south: float
    east: float
    north: float


class AreaIndex:
    """Which area holds a point: an STRtree over the areas' boxes, then prepared polygons.

    Built once (about a millisecond for 1,600 neighbourhoods; GEOS finishes preparing each
    polygon on its first test) and then read by any number of lookups;
    it is immutable, so one instance may be shared by the threads of a process.
    """

    def __init__(self, areas: Iterable[tuple[str, Area]]) -> None:
        pairs = list(areas)
        self._codes: list[str] = [code for code, _area in pairs]
        self._areas = np.array([area for _code, area in pairs], dtype=object)
        # Preparing builds each polygon's edge index once: covers() then costs O(log n).
        shapely.prepare(self._areas)
        self._tree = STRtree(self._areas)

    def __len__(self) -> int:
        return len(self._codes)

    @property
    def codes(self) -> Sequence[str]:
        return tuple(self._codes)

    def locate(self, lon: float, lat: float) -> str | None:
        """The code of the area holding (lon, lat), boundary included, or None."""
        point = Point(lon, lat)
        candidates = self._tree.query(point)
        for i in sorted(int(c) for c in candidates):
            if self._areas[i].covers(point):
                return self._codes[i]
        return None

    def locate_many(self, positions: Sequence[tuple[float, float]]) -> list[str | None]:
        """``locate`` for many points at once, vectorised (for bulk relocation and benchmarks)."""
        found: list[str | None] = [None] * len(positions)
        if not positions or not self._codes:
            return found
        coords = np.asarray(positions, dtype=float)
        points = _points(coords)
        point_idx, area_idx = self._tree.query(points)
        inside = shapely.covers(self._areas[area_idx], points[point_idx])
        best: dict[int, int] = {}
        for p, a in zip(point_idx[inside].tolist(), area_idx[inside].tolist(), strict=True):
            if p not in best or a < best[p]:
                best[p] = a
        for p, a in best.items():
            found[p] = self._codes[a]
        return found

    def bounds(self) -> Bounds | None:
        if not self._codes:
            return None
        west, south, east, north = shapely.total_bounds(self._areas).tolist()
        return Bounds(west, south, east, north)


class PointIndex:
    """The nearest of many named points (town halls), through an STRtree."""

    def __init__(self, points: Iterable[tuple[str, float, float]]) -> None:
        rows = list(points)
        self._codes = [code for code, _lon, _lat in rows]
        coords = np.asarray([(lon, lat) for _code, lon, lat in rows], dtype=float)
        self._tree = STRtree(_points(coords) if rows else np.array([], dtype=object))

    def __len__(self) -> int:
        return len(self._codes)

    def nearest(self, lon: float, lat: float) -> str | None:
        """The code of the point nearest to (lon, lat) in degrees, or None if there is none.

        Distances are planar in degrees, stretched by the cosine of the latitude so that east
        and west count as much as north and south; good enough to pick among town halls a few
        kilometres apart, not to measure anything.
        """
        if not self._codes:
            return None
        scale = max(math.cos(math.radians(lat)), 1e-6)

        def distance(i: int) -> float:
            p = self._tree.geometries[i]
            return math.hypot((p.x - lon) * scale, p.y - lat)

        # The nearest in plain degrees is a first guess; every point closer than it once
        # longitudes are shortened lies in this box, which the tree searches quickly.
        first = int(self._tree.nearest(Point(lon, lat)))
        r = distance(first)
        box = shapely.box(lon - r / scale, lat - r, lon + r / scale, lat + r)
        candidates = [int(c) for c in self._tree.query(box)] or [first]
        best = min(candidates, key=lambda i: (distance(i), i))
        return self._codes[best]
