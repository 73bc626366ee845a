"""Fixtures of the geography tests: communes of the Bouches-du-Rhône, test QPV, fake BAN.

Shared by tests/geo (through its conftest) and tests/www/test_geo_pages.py.
"""

from typing import Any

import pytest

from tests.geo.helpers import fake_ban_server, two_neighbourhoods
from tremplin.geo.communes import load_communes
from tremplin.geo.services import qpv_import


@pytest.fixture
def communes_13(db: Any) -> Any:
    """Department 13 only (Marseille's arrondissements included): the whole country is slow."""
    return load_communes(departments=["13"])


@pytest.fixture
def qpv_batch(db: Any) -> Any:
    return qpv_import(content=two_neighbourhoods(), source_name="qpv-essai.geojson", by=None)


@pytest.fixture
def fake_ban(settings: Any) -> Any:
    with fake_ban_server() as ban:
        settings.GEOCODER = "tremplin.geo.geocoding.BanGeocoder"
        settings.GEOCODER_URL = ban.url
        settings.GEOCODER_TIMEOUT = 0.5
        settings.GEOCODER_MIN_SCORE = 0.5
        yield ban
