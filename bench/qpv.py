"""Benchmark: which priority neighbourhood holds a point — STRtree index vs. a plain loop.

Synthetic, seeded data (benchmarks may use made-up outlines; the product never does):
POLYGONS star-shaped polygons of 30-300 vertices, 300 m to 1.5 km in radius like real QPV
outlines, spread over metropolitan France's bounding box; POINTS points, half of them near a
polygon (people live in towns), half anywhere in the box. Times, with the pure engine only:
- the index's build (``engine.geo.AreaIndex``);
- ``AreaIndex.locate`` one point at a time (what a referral does), over every point;
- ``AreaIndex.locate_many``, vectorised (what ``locate_people`` could do);
- the baseline: each point tested against every polygon (prepared, so each test is fast), on
  a sample, as a first version without a spatial index would do.
Both ways must find the same neighbourhood for every sampled point. The last line is the
headline. Run: .venv/bin/python bench/qpv.py (``make bench-import`` runs it first); POLYGONS,
POINTS, SAMPLE in the environment change the scale.
"""

import math
import os
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import shapely  # noqa: E402
from shapely.geometry import Point, Polygon  # noqa: E402

from tremplin.engine.geo import AreaIndex  # noqa: E402

SEED = 20240101
POLYGONS = int(os.environ.get("POLYGONS", "1600"))
POINTS = int(os.environ.get("POINTS", "100000"))
SAMPLE = int(os.environ.get("SAMPLE", "2000"))
# Metropolitan France, roughly: west, south, east, north (degrees).
BOX = (-4.8, 42.3, 8.2, 51.1)
KM_PER_DEGREE = 111.2


def star_polygon(rng: random.Random, lon: float, lat: float) -> Polygon:
    radius_km = rng.uniform(0.3, 1.5)
    vertices = rng.randint(30, 300)
    angles = sorted(rng.uniform(0, 2 * math.pi) for _ in range(vertices))
    scale_lon = KM_PER_DEGREE * math.cos(math.radians(lat))
    ring = []
    for angle in angles:
        r = radius_km * rng.uniform(0.55, 1.0)
        ring.append(
            (lon + r * math.cos(angle) / scale_lon, lat + r * math.sin(angle) / KM_PER_DEGREE)
        )
    return Polygon(ring)


def build(rng: random.Random) -> tuple[list[tuple[str, Polygon]], list[tuple[float, float]]]:
    west, south, east, north = BOX
    areas: list[tuple[str, Polygon]] = []
    while len(areas) < POLYGONS:
        area = star_polygon(rng, rng.uniform(west, east), rng.uniform(south, north))
        if area.is_valid:  # star-shaped around its centre, so always; checked all the same
            areas.append((f"QB{len(areas):06d}", area))
    points: list[tuple[float, float]] = []
    for i in range(POINTS):
        if i % 2 == 0:
            centre = areas[rng.randrange(len(areas))][1].centroid
            points.append((centre.x + rng.gauss(0, 0.01), centre.y + rng.gauss(0, 0.008)))
        else:
            points.append((rng.uniform(west, east), rng.uniform(south, north)))
    return areas, points


def naive_locate(prepared: list[tuple[str, Polygon]], lon: float, lat: float) -> str | None:
    point = Point(lon, lat)
    for code, area in prepared:
        if area.covers(point):
            return code
    return None


def main() -> None:
    rng = random.Random(SEED)
    t0 = time.perf_counter()
    areas, points = build(rng)
    vertices = sum(len(a.exterior.coords) - 1 for _c, a in areas)
    print(
        f"seed {SEED}: {len(areas)} polygons ({vertices} vertices), {len(points)} points, "
        f"built in {time.perf_counter() - t0:.1f} s"
    )

    t0 = time.perf_counter()
    index = AreaIndex(areas)
    build_s = time.perf_counter() - t0

    t0 = time.perf_counter()
    one_by_one = [index.locate(lon, lat) for lon, lat in points]
    single_s = time.perf_counter() - t0

    t0 = time.perf_counter()
    vectorised = index.locate_many(points)
    many_s = time.perf_counter() - t0
    assert vectorised == one_by_one, "locate and locate_many must agree"

    prepared = [(code, area) for code, area in areas]
    for _code, area in prepared:
        shapely.prepare(area)
    sample = points[:SAMPLE]
    t0 = time.perf_counter()
    naive = [naive_locate(prepared, lon, lat) for lon, lat in sample]
    naive_s = time.perf_counter() - t0
    assert naive == one_by_one[: len(sample)], "the index and the loop must agree"

    inside = sum(1 for code in one_by_one if code is not None)
    single_rate = len(points) / single_s
    many_rate = len(points) / many_s
    naive_rate = len(sample) / naive_s
    print(f"points inside a polygon: {inside} ({100 * inside / len(points):.1f} %)")
    # GEOS finishes preparing a polygon on its first test: that cost is in the lookups.
    print(f"index build:             {build_s * 1000:8.1f} ms")
    print(f"STRtree, one by one:     {single_s:8.2f} s   {single_rate:10,.0f} lookups/s")
    print(f"STRtree, vectorised:     {many_s:8.2f} s   {many_rate:10,.0f} lookups/s")
    print(
        f"loop over all polygons:  {naive_s:8.2f} s   {naive_rate:10,.0f} lookups/s "
        f"(sample of {len(sample)} points)"
    )
    print(
        f"QPV lookup, {len(points):,} points in {len(areas):,} polygons: "
        f"{single_rate:,.0f} lookups/s one by one ({many_rate:,.0f} vectorised), "
        f"{single_rate / naive_rate:.0f}x faster than a loop over every polygon"
    )


if __name__ == "__main__":
    main()
