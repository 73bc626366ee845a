"""Address → coordinates, through a pluggable geocoder with an offline fallback.

``settings.GEOCODER`` names the geocoder class (a dotted path):
- ``BanGeocoder``: the Base Adresse Nationale API (``GEOCODER_URL``, by default the IGN
  Géoplateforme endpoint that now serves it; ``GEOCODER_TIMEOUT`` seconds;
  ``GEOCODER_MIN_SCORE``). The only thing Tremplin fetches from the internet at run time.
- ``CommuneGeocoder``: offline, the commune's point from the communes table.

``geocode()`` asks the configured geocoder and, when it fails for any reason (no answer,
HTTP error, timeout, malformed answer, a score under the threshold, only the city found),
falls back to the commune's point, saying why in ``note``. A commune point is not an address:
callers must not decide a priority neighbourhood from it.
"""

from __future__ import annotations

import json
import logging
import math
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, replace
from typing import Any, Protocol

from django.conf import settings
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from tremplin.people.enums import LocationSource

from .communes import find_commune

logger = logging.getLogger(__name__)

# BAN result types precise enough to place a person: a house number, a street (its middle) or
# a named place; « municipality » means only the city was recognised.
ADDRESS_TYPES = frozenset({"housenumber", "street", "locality"})
MAX_RESPONSE_BYTES = 1_000_000


@dataclass(frozen=True)
class GeocodedAddress:
    longitude: float
    latitude: float
    commune_insee: str
    label: str
    source: str  # a LocationSource value: ADDRESS or COMMUNE
    score: float | None = None
    note: str = ""  # why the answer is less precise than asked for, for the page


class GeocoderError(Exception):
    """The geocoder could not place the address; ``message`` says why, for people."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class Geocoder(Protocol):
    def geocode(self, *, address: str, postal_code: str, commune: str) -> GeocodedAddress:
        """The address's position, or GeocoderError."""


class CommuneGeocoder:
    """Offline: the point of the commune (town hall) found by postal code and name."""

    def geocode(self, *, address: str, postal_code: str, commune: str) -> GeocodedAddress:
        found = find_commune(postal_code=postal_code, name=commune)
        if found is None or found.longitude is None or found.latitude is None:
            raise GeocoderError(
                _("Commune introuvable : %(postal_code)s %(commune)s")
                % {"postal_code": postal_code, "commune": commune}
            )
        return GeocodedAddress(
            longitude=found.longitude,
            latitude=found.latitude,
            commune_insee=found.insee_code,
            label=found.name,
            source=LocationSource.COMMUNE,
        )


class BanGeocoder:
    """The Base Adresse Nationale search API (``/search?q=...&postcode=...&limit=1``)."""

    def __init__(
        self,
        *,
        url: str | None = None,
        timeout: float | None = None,
        min_score: float | None = None,
    ) -> None:
        self.url = url or settings.GEOCODER_URL
        self.timeout = settings.GEOCODER_TIMEOUT if timeout is None else timeout
        self.min_score = settings.GEOCODER_MIN_SCORE if min_score is None else min_score
        if urllib.parse.urlsplit(self.url).scheme not in ("http", "https"):
            raise ValueError(f"GEOCODER_URL must be an http(s) URL: {self.url!r}")

    def geocode(self, *, address: str, postal_code: str, commune: str) -> GeocodedAddress:
        query = " ".join(part for part in (address, postal_code, commune) if part.strip())
        params = {"q": query[:200], "limit": "1"}
        if postal_code.strip().isdigit() and len(postal_code.strip()) == 5:
            params["postcode"] = postal_code.strip()
        request = urllib.request.Request(  # noqa: S310 — scheme checked in __init__
            f"{self.url}?{urllib.parse.urlencode(params)}",
            headers={"Accept": "application/json", "User-Agent": "Tremplin"},
        )
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310
                body = response.read(MAX_RESPONSE_BYTES + 1)
        except urllib.error.HTTPError as error:
            logger.warning("BAN geocoder: HTTP %s for %r", error.code, query)
            raise GeocoderError(
                _("Le service d'adresses a répondu par une erreur (HTTP %(status)s).")
                % {"status": error.code}
            ) from None
        except TimeoutError:
            logger.warning("BAN geocoder: timeout after %ss", self.timeout)
            raise GeocoderError(_("Le service d'adresses n'a pas répondu à temps.")) from None
        except (urllib.error.URLError, OSError) as error:
            if isinstance(getattr(error, "reason", None), TimeoutError):
                logger.warning("BAN geocoder: timeout after %ss", self.timeout)
                raise GeocoderError(_("Le service d'adresses n'a pas répondu à temps.")) from None
            logger.warning("BAN geocoder: unreachable: %s", error)
            raise GeocoderError(_("Le service d'adresses est injoignable.")) from None
        if len(body) > MAX_RESPONSE_BYTES:
            raise GeocoderError(_("Le service d'adresses a renvoyé une réponse illisible."))
        return self._read(body)

    def _read(self, body: bytes) -> GeocodedAddress:
        try:
            data = json.loads(body)
            features = data["features"]
            if not features:
                raise GeocoderError(_("Adresse introuvable dans la Base Adresse Nationale."))
            feature = features[0]
            properties: dict[str, Any] = feature["properties"]
            lon, lat = (float(v) for v in feature["geometry"]["coordinates"][:2])
            score = float(properties["score"])
            kind = str(properties.get("type", ""))
            citycode = str(properties.get("citycode", ""))
            label = str(properties.get("label", ""))
        except GeocoderError:
            raise
        except (ValueError, KeyError, TypeError, IndexError, AttributeError):
            logger.warning("BAN geocoder: malformed answer %r", body[:200])
            raise GeocoderError(
                _("Le service d'adresses a renvoyé une réponse illisible.")
            ) from None
        if not (math.isfinite(lon) and math.isfinite(lat)) or abs(lon) > 180 or abs(lat) > 90:
            raise GeocoderError(_("Le service d'adresses a renvoyé une réponse illisible."))
        if score < self.min_score:
            raise GeocoderError(
                _("Adresse incertaine (score %(score).2f, minimum %(minimum).2f).")
                % {"score": score, "minimum": self.min_score}
            )
        if kind not in ADDRESS_TYPES:
            raise GeocoderError(_("Seule la commune a été reconnue, pas l'adresse."))
        return GeocodedAddress(
            longitude=lon,
            latitude=lat,
            commune_insee=citycode,
            label=label,
            source=LocationSource.ADDRESS,
            score=score,
        )


def get_geocoder() -> Geocoder:
    geocoder: Geocoder = import_string(settings.GEOCODER)()
    return geocoder


def geocode(
    *, address: str, postal_code: str, commune: str, geocoder: Geocoder | None = None
) -> GeocodedAddress | None:
    """The address's position, else its commune's point (with a ``note``), else None."""
    geocoder = geocoder or get_geocoder()
    note = ""
    if address.strip() and not isinstance(geocoder, CommuneGeocoder):
        try:
            return geocoder.geocode(address=address, postal_code=postal_code, commune=commune)
        except GeocoderError as error:
            note = error.message
    elif not address.strip():
        note = _("Pas d'adresse : position au centre de la commune.")
    else:
        note = _("Géocodage des adresses non configuré : position au centre de la commune.")
    try:
        found = CommuneGeocoder().geocode(address="", postal_code=postal_code, commune=commune)
    except GeocoderError as error:
        logger.info("No position for %s %s: %s", postal_code, commune, error.message)
        return None
    return replace(found, note=note)
