"""The geometry engine: outlines checked, points located (inside, outside, border, holes)."""

import random

import pytest

from tremplin.engine import geo
from tremplin.engine.geo import AreaIndex, GeometryProblem, PointIndex, area_from_geojson


def ring(*points):
    return [list(p) for p in points]


SQUARE = ring((0, 0), (2, 0), (2, 2), (0, 2), (0, 0))
HOLE = ring((0.5, 0.5), (1.5, 0.5), (1.5, 1.5), (0.5, 1.5), (0.5, 0.5))
FAR = ring((10, 10), (11, 10), (11, 11), (10, 11), (10, 10))


def poly(*rings):
    return {"type": "Polygon", "coordinates": list(rings)}


def multi(*polygons):
    return {"type": "MultiPolygon", "coordinates": [list(p) for p in polygons]}


def test_polygon_multipolygon_and_hole_are_read():
    assert area_from_geojson(poly(SQUARE)).area == 4
    assert area_from_geojson(poly(SQUARE, HOLE)).area == 3
    both = area_from_geojson(multi([SQUARE], [FAR]))
    assert both.geom_type == "MultiPolygon"
    assert both.area == 5


def test_third_coordinate_is_tolerated():
    ring3d = [[x, y, 12.5] for x, y in SQUARE]
    assert area_from_geojson(poly(ring3d)).area == 4


@pytest.mark.parametrize(
    ("geometry", "code"),
    [
        (None, geo.NOT_AN_OBJECT),
        ("POLYGON((0 0, 1 0, 1 1, 0 0))", geo.NOT_AN_OBJECT),
        ({"type": "Point", "coordinates": [1, 1]}, geo.NOT_A_POLYGON),
        ({"type": "LineString", "coordinates": SQUARE}, geo.NOT_A_POLYGON),
        ({"type": "Polygon"}, geo.BAD_COORDINATES),
        (poly([[0, 0], [1, 0], ["a", 1], [0, 0]]), geo.BAD_COORDINATES),
        (poly([[0, 0], [1, 0], [True, 1], [0, 0]]), geo.BAD_COORDINATES),
        (poly([[0, 0], [1, 0], [1], [0, 0]]), geo.BAD_COORDINATES),
        (poly([[0, 0], [1, 0], [float("nan"), 1], [0, 0]]), geo.BAD_COORDINATES),
        (poly(ring((0, 0), (1, 0), (0, 0))), geo.TOO_FEW_POINTS),
        (poly(ring((0, 0), (2, 0), (2, 2), (0, 2))), geo.UNCLOSED_RING),
        # A bow tie: the ring crosses itself.
        (poly(ring((0, 0), (2, 2), (2, 0), (0, 2), (0, 0))), geo.SELF_INTERSECTION),
        (poly(SQUARE, FAR), geo.HOLE_OUTSIDE),
        # Lambert-93 metres, as in the projected export of the official file.
        (
            poly(ring((893000, 6247000), (894000, 6247000), (894000, 6248000), (893000, 6247000))),
            geo.OUT_OF_RANGE,
        ),
        # A flat ring has no inside: GEOS sees it fold back on itself.
        (poly(ring((0, 0), (1, 0), (2, 0), (0, 0))), geo.SELF_INTERSECTION),
        ({"type": "MultiPolygon", "coordinates": []}, geo.BAD_COORDINATES),
    ],
)
def test_unusable_geometries_are_refused_with_a_reason(geometry, code):
    with pytest.raises(GeometryProblem) as caught:
        area_from_geojson(geometry)
    assert caught.value.code == code


def test_wkb_round_trip():
    area = area_from_geojson(multi([SQUARE, HOLE], [FAR]))
    assert geo.area_from_wkb(geo.area_to_wkb(area)).equals(area)


def test_wkb_of_a_point_is_refused():
    import shapely

    with pytest.raises(GeometryProblem):
        geo.area_from_wkb(shapely.to_wkb(shapely.Point(1, 1)))


@pytest.fixture
def index():
    return AreaIndex(
        [
            ("A", area_from_geojson(poly(SQUARE, HOLE))),
            ("B", area_from_geojson(multi([ring((3, 0), (4, 0), (4, 1), (3, 1), (3, 0))], [FAR]))),
            # C touches A along x = 2 and overlaps nothing else.
            ("C", area_from_geojson(poly(ring((2, 0), (3, 0), (3, 2), (2, 2), (2, 0))))),
        ]
    )


@pytest.mark.parametrize(
    ("point", "expected"),
    [
        ((0.2, 0.2), "A"),  # inside
        ((1, 1), None),  # in A's hole
        ((1.5, 1.0), "A"),  # on the hole's edge: the boundary belongs to the area
        ((0, 1), "A"),  # on the outer edge
        ((0, 0), "A"),  # on a vertex
        ((2, 1), "A"),  # on the edge A shares with C: the first area given wins
        ((2.5, 1), "C"),
        ((3.5, 0.5), "B"),  # first part of the multipolygon
        ((10.5, 10.5), "B"),  # its second part
        ((5, 5), None),  # between everything
        ((-50, 40), None),  # far outside every box
    ],
)
def test_locate(index, point, expected):
    assert index.locate(*point) == expected


def test_locate_many_agrees_with_locate(index):
    rng = random.Random(7)
    points = [(rng.uniform(-1, 12), rng.uniform(-1, 12)) for _ in range(2000)]
    points += [(0.2, 0.2), (1, 1), (2, 1), (10.5, 10.5), (0, 0)]
    assert index.locate_many(points) == [index.locate(x, y) for x, y in points]
    assert index.locate_many([]) == []


def test_empty_index_locates_nothing():
    empty = AreaIndex([])
    assert len(empty) == 0
    assert empty.locate(1, 1) is None
    assert empty.locate_many([(1, 1)]) == [None]
    assert empty.bounds() is None


def test_index_bounds_and_codes(index):
    assert index.codes == ("A", "B", "C")
    bounds = index.bounds()
    assert (bounds.west, bounds.south, bounds.east, bounds.north) == (0, 0, 11, 11)


def test_nearest_point():
    town_halls = PointIndex(
        [("13201", 5.379, 43.297), ("13213", 5.438, 43.356), ("13001", 5.447, 43.529)]
    )
    assert town_halls.nearest(5.43, 43.35) == "13213"
    assert town_halls.nearest(5.38, 43.30) == "13201"
    assert town_halls.nearest(5.45, 43.50) == "13001"
    assert PointIndex([]).nearest(5.4, 43.3) is None


def test_nearest_counts_longitude_degrees_shorter_at_high_latitude():
    # At 60°N a degree of longitude is half a degree of latitude long: E is nearer than N
    # although it is farther in plain degrees.
    points = PointIndex([("N", 0.0, 60.9), ("E", 1.6, 60.0)])
    assert points.nearest(0.0, 60.0) == "E"
