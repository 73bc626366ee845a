"""Reads on the geography: the current QPV set, its spatial index, and point lookups.

The spatial indexes are built from the database once per process and kept: the QPV index
per import batch (rebuilt as soon as another batch is current), the town-hall index per
state of the communes table. Checking that a cache is still good costs one small query.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass

from django.db.models import Count, Max, QuerySet, Sum

from tremplin.engine.geo import AreaIndex, PointIndex, area_from_wkb

from .models import Commune, PriorityNeighbourhood, QpvImport


@dataclass(frozen=True)
class QpvInfo:
    code: str
    name: str
    commune_codes: tuple[str, ...]


@dataclass(frozen=True)
class QpvIndex:
    batch_uid: str
    index: AreaIndex
    info: dict[str, QpvInfo]

    def locate(self, lon: float, lat: float) -> QpvInfo | None:
        code = self.index.locate(lon, lat)
        return None if code is None else self.info[code]


_lock = threading.Lock()
_qpv_cache: dict[str, QpvIndex] = {}
_commune_cache: dict[str, tuple[tuple[object, ...], PointIndex]] = {}


def current_qpv_import() -> QpvImport | None:
    return QpvImport.objects.filter(is_current=True).select_related("imported_by").first()


def qpv_imports() -> QuerySet[QpvImport]:
    return QpvImport.objects.select_related("imported_by").order_by("-imported_at", "-id")


def build_qpv_index(batch_id: int, batch_uid: str) -> QpvIndex:
    rows = (
        PriorityNeighbourhood.objects.filter(batch_id=batch_id)
        .order_by("code")
        .values_list("code", "name", "commune_codes", "geometry_wkb")
    )
    areas, info = [], {}
    for code, name, communes, wkb in rows.iterator(chunk_size=500):
        areas.append((code, area_from_wkb(bytes(wkb))))
        info[code] = QpvInfo(code=code, name=name, commune_codes=tuple(communes.split()))
    return QpvIndex(batch_uid=batch_uid, index=AreaIndex(areas), info=info)


def qpv_index() -> QpvIndex | None:
    """The index of the current QPV set, built on first use in this process; None if none."""
    current = QpvImport.objects.filter(is_current=True).values_list("pk", "uid").first()
    if current is None:
        return None
    batch_id, uid = current[0], str(current[1])
    cached = _qpv_cache.get("current")
    if cached is not None and cached.batch_uid == uid:
        return cached
    with _lock:
        cached = _qpv_cache.get("current")
        if cached is None or cached.batch_uid != uid:
            cached = build_qpv_index(batch_id, uid)
            _qpv_cache["current"] = cached
    return cached


def commune_point_index() -> PointIndex:
    """Town halls (or inner points) of every commune with a position."""
    located = Commune.objects.filter(longitude__isnull=False)
    # What identifies the table's content cheaply, even when primary keys are reused.
    state = located.aggregate(
        count=Count("pk"), last=Max("pk"), lon=Sum("longitude"), lat=Sum("latitude")
    )
    key = (int(state["count"]), state["last"], state["lon"], state["lat"])
    cached = _commune_cache.get("points")
    if cached is not None and cached[0] == key:
        return cached[1]
    with _lock:
        # The city of an arrondissement would shadow its arrondissements: keep the finer units.
        parents = set(
            Commune.objects.exclude(parent_insee="").values_list("parent_insee", flat=True)
        )
        rows = located.exclude(insee_code__in=parents).values_list(
            "insee_code", "longitude", "latitude"
        )
        index = PointIndex(
            (code, lon, lat) for code, lon, lat in rows if lon is not None and lat is not None
        )
        _commune_cache["points"] = (key, index)
    return index


def commune_by_code(insee_code: str) -> Commune | None:
    return Commune.objects.filter(insee_code=insee_code).first() if insee_code else None


def nearest_commune(lon: float, lat: float) -> Commune | None:
    return commune_by_code(commune_point_index().nearest(lon, lat) or "")
