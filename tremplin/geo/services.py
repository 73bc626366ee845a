"""Writes on the geography (QPV imports, a person's location) and the location lookup."""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from tremplin.core.audit import audit
from tremplin.engine.geo import area_to_wkb
from tremplin.people.enums import LocationSource
from tremplin.people.models import Person

from .geocoding import Geocoder, geocode
from .models import PriorityNeighbourhood, QpvImport
from .qpv_file import QpvFileReport, read_qpv_file
from .selectors import QpvInfo, commune_by_code, nearest_commune, qpv_index


class GeoError(Exception):
    """A refused write or lookup; ``message`` is translated into the active language."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class QpvFileRejected(GeoError):
    """The QPV file has problems; ``report`` lists them all. Nothing was written."""

    def __init__(self, report: QpvFileReport) -> None:
        count = len(report.errors) + report.more_errors
        super().__init__(
            ngettext(
                "Fichier refusé : %(count)d problème, rien n'a été importé.",
                "Fichier refusé : %(count)d problèmes, rien n'a été importé.",
                count,
            )
            % {"count": count}
        )
        self.report = report


@dataclass(frozen=True)
class Location:
    """Where a point or an address lies: commune, and priority neighbourhood if decidable."""

    longitude: float
    latitude: float
    source: str  # LocationSource
    commune_insee: str
    commune_name: str
    # False when the QPV cannot be decided: the point is a commune's, or no QPV file is loaded.
    qpv_known: bool
    qpv: QpvInfo | None
    label: str = ""
    note: str = ""

    @property
    def qpv_code(self) -> str:
        return self.qpv.code if self.qpv else ""

    @property
    def qpv_name(self) -> str:
        return self.qpv.name if self.qpv else ""


def locate_point(
    *,
    longitude: float,
    latitude: float,
    source: str = LocationSource.MANUAL,
    commune_insee: str = "",
    label: str = "",
    note: str = "",
) -> Location:
    """The commune and QPV of a WGS84 point; a commune's own point decides no QPV."""
    if not (math.isfinite(longitude) and math.isfinite(latitude)):
        raise GeoError(_("Coordonnées invalides."))
    if not (-180 <= longitude <= 180 and -90 <= latitude <= 90):
        raise GeoError(_("Coordonnées hors limites (longitude −180 à 180, latitude −90 à 90)."))
    index = qpv_index()
    qpv = None
    qpv_known = index is not None and source != LocationSource.COMMUNE
    if qpv_known and index is not None:
        qpv = index.locate(longitude, latitude)
    commune = commune_by_code(commune_insee)
    if commune is None and not commune_insee:
        if qpv is not None and len(qpv.commune_codes) == 1:
            commune = commune_by_code(qpv.commune_codes[0])
        if commune is None:
            commune = nearest_commune(longitude, latitude)
    return Location(
        longitude=longitude,
        latitude=latitude,
        source=source,
        commune_insee=commune.insee_code if commune else commune_insee,
        commune_name=commune.name if commune else "",
        qpv_known=qpv_known,
        qpv=qpv,
        label=label,
        note=note,
    )


def locate_address(
    *, address: str, postal_code: str, commune: str, geocoder: Geocoder | None = None
) -> Location | None:
    """Geocode the address (or fall back to its commune) and locate the point; None if lost."""
    found = geocode(address=address, postal_code=postal_code, commune=commune, geocoder=geocoder)
    if found is None:
        return None
    return locate_point(
        longitude=found.longitude,
        latitude=found.latitude,
        source=found.source,
        commune_insee=found.commune_insee,
        label=found.label,
        note=found.note,
    )


LOCATION_FIELDS = (
    "commune_insee",
    "latitude",
    "longitude",
    "location_source",
    "qpv_code",
    "qpv_name",
    "located_at",
)


def person_locate(*, person: Person, geocoder: Geocoder | None = None, by: Any = None) -> Person:
    """Fill the person's location fields from their address (or kept manual coordinates).

    The geocoder is asked outside the transaction (it may take seconds); if the address
    changed meanwhile, nothing is written: the change queued its own location task.
    """
    snapshot = (person.address, person.postal_code, person.commune)
    manual = (
        person.location_source == LocationSource.MANUAL
        and person.longitude is not None
        and person.latitude is not None
    )
    location: Location | None
    if manual:
        assert person.longitude is not None and person.latitude is not None
        location = locate_point(
            longitude=person.longitude,
            latitude=person.latitude,
            source=LocationSource.MANUAL,
            commune_insee=person.commune_insee,
        )
    else:
        location = locate_address(
            address=person.address,
            postal_code=person.postal_code,
            commune=person.commune,
            geocoder=geocoder,
        )
    if location is None:
        values: dict[str, Any] = dict.fromkeys(LOCATION_FIELDS, "")
        values.update(latitude=None, longitude=None, located_at=None)
    else:
        values = {
            "commune_insee": location.commune_insee,
            "latitude": location.latitude,
            "longitude": location.longitude,
            "location_source": location.source,
            "qpv_code": location.qpv_code,
            "qpv_name": location.qpv_name,
            "located_at": timezone.now(),
        }
    with transaction.atomic():
        locked = Person.objects.select_for_update().get(pk=person.pk)
        if (locked.address, locked.postal_code, locked.commune) != snapshot:
            return locked
        for name, value in values.items():
            setattr(locked, name, value)
            setattr(person, name, value)
        locked.save(update_fields=list(values))
        audit(
            actor=by,
            action="person.locate",
            obj=locked,
            source=values["location_source"],
            commune=values["commune_insee"],
            qpv=values["qpv_code"],
        )
    return person


def qpv_import(
    *,
    content: bytes,
    source_name: str,
    by: Any,
    on_progress: Callable[[int, int], None] | None = None,
) -> QpvImport:
    """Replace the current QPV set by the file's, all or nothing.

    Every feature is checked first (QpvFileRejected lists the problems and writes nothing);
    then, in one transaction, the previous batch is marked replaced and its outlines deleted,
    and the new batch is written with its audit entry.
    """
    report = read_qpv_file(content)
    if not report.ok:
        raise QpvFileRejected(report)
    total = len(report.rows)
    step = 500
    with transaction.atomic():
        now = timezone.now()
        previous = QpvImport.objects.select_for_update().filter(is_current=True).first()
        if previous is not None:
            previous.is_current = False
            previous.replaced_at = now
            previous.save(update_fields=["is_current", "replaced_at"])
            previous.neighbourhoods.all().delete()
        batch = QpvImport.objects.create(
            imported_at=now,
            imported_by=by if getattr(by, "pk", None) else None,
            source_name=source_name[:255],
            neighbourhood_count=total,
            commune_count=report.commune_count,
        )
        for start in range(0, total, step):
            PriorityNeighbourhood.objects.bulk_create(
                PriorityNeighbourhood(
                    batch=batch,
                    code=row.code,
                    name=row.name,
                    commune_codes=" ".join(row.commune_codes),
                    geometry_wkb=area_to_wkb(row.area),
                )
                for row in report.rows[start : start + step]
            )
            if on_progress is not None:
                on_progress(min(start + step, total), total)
        audit(
            actor=by,
            action="qpv.import",
            obj=batch,
            source=batch.source_name,
            neighbourhoods=total,
            replaced=previous.pk if previous else "",
        )
    return batch
