"""Which openings each job seeker could possibly match, decided before any pair is scored.

Two keys, both exact for the engine's default settings (docs/scale.md proves it):

- **Geography.** Job seekers are grouped in cells: a square of ``cell_km`` (an
  equirectangular grid: any grouping works, only its compactness matters) and a class of
  reach (up to 7.5, 15, 25, 40 km, more), so that people with a short reach do not pay for
  their neighbours' long one. For a cell with centre *c*, every
  opening within reach of one of its people is within R = max over its people of
  (d(c, person) + reach(person)) of *c* (triangle inequality on the sphere), so the cell's
  candidates are the openings of a ball of radius R, found in a k-d tree of unit vectors.
  Requires ``beyond_reach = "exclude"``: otherwise every opening is in reach.
- **Skills.** Competencies required together by some opening are joined into one family
  (union-find over the openings' required sets). An opening with required competencies
  belongs to its family; a job seeker lacking every competency of a family holds none of
  its openings' required sets, so they skip it. Openings that require nothing are seen by
  everyone. With a penalty instead of ``missing_required = "exclude"`` the skills key is
  off (one family).

``Plan`` holds the cells, the families and, for each cell × family, its candidate openings
(sorted, so the engine's ties keep their order); ``partition_cells`` packs cells in Z-order
(near cells together) into partitions of about the same number of people.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from scipy.spatial import cKDTree

from tremplin.engine.matching.scoring import EARTH_RADIUS_KM

__all__ = [
    "NO_REQUIREMENT",
    "Blocks",
    "families",
    "geographic_blocks",
    "partition_cells",
    "unit_vectors",
]

Ints = npt.NDArray[np.int64]
Floats = npt.NDArray[np.float64]
# The family of openings that require no competency: every job seeker sees them.
NO_REQUIREMENT = 0
# France's mean latitude: the grid's east-west scale (cells only need to be compact).
_GRID_LATITUDE = math.radians(46.5)
# Upper bounds of the reach classes (km): a square's people are split by reach.
REACH_CLASSES_KM = np.array([7.5, 15.0, 25.0, 40.0])


def unit_vectors(latitude: Floats, longitude: Floats) -> Floats:
    lat, lon = np.radians(latitude), np.radians(longitude)
    return np.stack([np.cos(lat) * np.cos(lon), np.cos(lat) * np.sin(lon), np.sin(lat)], axis=1)


def families(required: Sequence[Iterable[str]]) -> tuple[dict[str, int], Ints]:
    """Competency → family (1, 2, …), and each opening's family (0: requires nothing).

    Union-find over the codes each opening requires together; families are numbered in
    the order of their smallest code, so the result does not depend on the openings' order.
    """
    parent: dict[str, str] = {}

    def find(code: str) -> str:
        root = code
        while parent[root] != root:
            root = parent[root]
        while parent[code] != root:
            parent[code], code = root, parent[code]
        return root

    for codes in required:
        listed = sorted(codes)
        for code in listed:
            parent.setdefault(code, code)
        for code in listed[1:]:
            a, b = find(listed[0]), find(code)
            if a != b:
                parent[max(a, b)] = min(a, b)
    roots = sorted({find(code) for code in parent})
    number = {root: position + 1 for position, root in enumerate(roots)}
    family_of = {code: number[find(code)] for code in parent}
    opening_family = np.array(
        [family_of[min(codes)] if codes else NO_REQUIREMENT for codes in map(list, required)],
        dtype=np.int64,
    )
    return family_of, opening_family


@dataclass(frozen=True)
class Blocks:
    """Cells of job seekers and, per cell × family, the openings they may match.

    ``seeker_cell``: each job seeker's cell (-1: not placed, e.g. refused). Block b is cell
    ``block_cell[b]`` × family ``block_family[b]``; its candidate openings are
    ``candidates[offsets[b]:offsets[b + 1]]`` (sorted indices into the openings).
    ``cell_order``: the cells in Z-order, for packing into partitions.
    """

    seeker_cell: Ints
    cell_sizes: Ints
    cell_order: Ints
    block_cell: Ints
    block_family: Ints
    offsets: Ints
    candidates: Ints


def _z_order(ys: Ints, xs: Ints) -> Ints:
    """Interleave the bits of two non-negative ints (Morton order): near cells stay near."""
    code = np.zeros(ys.shape, dtype=np.int64)
    for bit in range(31):
        code |= ((xs >> bit) & 1) << (2 * bit)
        code |= ((ys >> bit) & 1) << (2 * bit + 1)
    return code


def geographic_blocks(
    *,
    seeker_latitude: Floats,
    seeker_longitude: Floats,
    seeker_reach_km: Floats,
    seeker_families: list[set[int]],
    opening_latitude: Floats,
    opening_longitude: Floats,
    opening_family: Ints,
    cell_km: float,
) -> Blocks:
    """Cells, their radius, and each cell × family's candidate openings (see the module)."""
    xyz = unit_vectors(seeker_latitude, seeker_longitude)
    y = np.floor(np.radians(seeker_latitude) * EARTH_RADIUS_KM / cell_km).astype(np.int64)
    x = np.floor(
        np.radians(seeker_longitude) * EARTH_RADIUS_KM * math.cos(_GRID_LATITUDE) / cell_km
    ).astype(np.int64)
    # People of one square with a short reach would otherwise pay for the longest reach of
    # the square: each reach class is a cell of its own.
    reach_class = np.searchsorted(REACH_CLASSES_KM, seeker_reach_km).astype(np.int64)
    keys = np.stack([y, x, reach_class], axis=1)
    unique, seeker_cell = np.unique(keys, axis=0, return_inverse=True)
    seeker_cell = seeker_cell.reshape(-1).astype(np.int64)
    count = unique.shape[0]
    cell_sizes = np.bincount(seeker_cell, minlength=count).astype(np.int64)
    centre = np.zeros((count, 3))
    np.add.at(centre, seeker_cell, xyz)
    centre /= np.linalg.norm(centre, axis=1, keepdims=True)
    # Great-circle distance of each person to their cell's centre, plus their reach.
    cosine = np.clip(np.einsum("ij,ij->i", xyz, centre[seeker_cell]), -1.0, 1.0)
    spread = np.arccos(cosine) * EARTH_RADIUS_KM + seeker_reach_km
    radius = np.zeros(count)
    np.maximum.at(radius, seeker_cell, spread)
    cell_order = np.lexsort(
        (
            unique[:, 2],
            _z_order(
                unique[:, 0] - unique[:, 0].min(initial=0),
                unique[:, 1] - unique[:, 1].min(initial=0),
            ),
        )
    ).astype(np.int64)

    cell_families: list[set[int]] = [set() for _ in range(count)]
    for cell, held in zip(seeker_cell.tolist(), seeker_families, strict=True):
        cell_families[cell] |= held
    opening_xyz = unit_vectors(opening_latitude, opening_longitude)
    trees = {}
    for family in np.unique(opening_family).tolist():
        members = np.flatnonzero(opening_family == family)
        trees[family] = (members, cKDTree(opening_xyz[members]))
    block_cell: list[int] = []
    block_family: list[int] = []
    lists: list[Ints] = []
    for cell in range(count):
        # A chord a bit longer than the arc's: never miss an opening on the boundary.
        angle = min(radius[cell] / EARTH_RADIUS_KM, math.pi)
        chord = 2.0 * math.sin(angle / 2.0) * (1 + 1e-9) + 1e-12
        for family in sorted(cell_families[cell] | {NO_REQUIREMENT}):
            if family not in trees:
                continue
            members, tree = trees[family]
            found = np.asarray(tree.query_ball_point(centre[cell], chord), dtype=np.int64)
            if found.size == 0:
                continue
            block_cell.append(cell)
            block_family.append(family)
            lists.append(np.sort(members[found]))
    offsets = np.zeros(len(lists) + 1, dtype=np.int64)
    np.cumsum([part.size for part in lists], out=offsets[1:])
    return Blocks(
        seeker_cell=seeker_cell,
        cell_sizes=cell_sizes,
        cell_order=cell_order,
        block_cell=np.array(block_cell, dtype=np.int64),
        block_family=np.array(block_family, dtype=np.int64),
        offsets=offsets,
        candidates=np.concatenate(lists) if lists else np.zeros(0, dtype=np.int64),
    )


def partition_cells(blocks: Blocks, size: int) -> Ints:
    """Each cell's partition: consecutive cells in Z-order, about ``size`` people each."""
    partition = np.zeros(blocks.cell_sizes.size, dtype=np.int64)
    current = filled = 0
    for cell in blocks.cell_order.tolist():
        if filled and filled + blocks.cell_sizes[cell] > size:
            current, filled = current + 1, 0
        partition[cell] = current
        filled += int(blocks.cell_sizes[cell])
    return partition
