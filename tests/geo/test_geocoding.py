"""The geocoders against a local fake Base Adresse Nationale, and the commune fallback."""

import time

import pytest

from tests.geo.helpers import INSIDE
from tremplin.geo.geocoding import (
    BanGeocoder,
    CommuneGeocoder,
    GeocoderError,
    geocode,
    get_geocoder,
)

pytestmark = pytest.mark.django_db

ADDRESS = {"address": "12 rue d'Essai", "postal_code": "13013", "commune": "Marseille"}


def test_ban_success(fake_ban, communes_13):
    found = geocode(**ADDRESS)
    assert found.source == "address"
    assert (found.longitude, found.latitude) == INSIDE
    assert found.commune_insee == "13213"
    assert found.score == 0.92
    assert found.label == "12 Rue d'Essai 13013 Marseille"
    assert found.note == ""
    (query,) = fake_ban.queries
    assert query == {"q": ["12 rue d'Essai 13013 Marseille"], "limit": ["1"], "postcode": ["13013"]}


def test_the_configured_geocoder_is_used(fake_ban):
    geocoder = get_geocoder()
    assert isinstance(geocoder, BanGeocoder)
    assert geocoder.url == fake_ban.url
    assert geocoder.timeout == 0.5


@pytest.mark.parametrize(
    ("mode", "note"),
    [
        ("low", "Adresse incertaine (score 0.21, minimum 0.50)."),
        ("error", "Le service d'adresses a répondu par une erreur (HTTP 500)."),
        ("garbage", "Le service d'adresses a renvoyé une réponse illisible."),
        ("empty", "Adresse introuvable dans la Base Adresse Nationale."),
        ("municipality", "Seule la commune a été reconnue, pas l'adresse."),
        ("slow", "Le service d'adresses n'a pas répondu à temps."),
    ],
)
def test_ban_failures_fall_back_to_the_commune(fake_ban, communes_13, mode, note):
    fake_ban.mode = mode
    started = time.monotonic()
    found = geocode(**ADDRESS)
    assert time.monotonic() - started < 1.8  # the 0.5 s timeout, not the server's 2 s delay
    assert found.source == "commune"
    assert found.commune_insee == "13213"
    assert found.label == "Marseille 13e Arrondissement"
    assert found.note == note
    assert len(fake_ban.queries) == 1


def test_the_ban_geocoder_says_why_it_failed(fake_ban):
    fake_ban.mode = "error"
    with pytest.raises(GeocoderError, match="HTTP 500"):
        BanGeocoder().geocode(**ADDRESS)


def test_an_unreachable_service_falls_back(settings, communes_13):
    from tests.geo.helpers import fake_ban_server

    with fake_ban_server() as ban:
        url = ban.url
    # The server is gone: nothing listens on that port any more.
    settings.GEOCODER = "tremplin.geo.geocoding.BanGeocoder"
    settings.GEOCODER_URL = url
    found = geocode(**ADDRESS)
    assert found.source == "commune"
    assert found.note == "Le service d'adresses est injoignable."


def test_a_score_threshold_is_configurable(fake_ban, communes_13, settings):
    settings.GEOCODER_MIN_SCORE = 0.95
    found = geocode(**ADDRESS)
    assert found.source == "commune"
    assert "minimum 0.95" in found.note


def test_no_address_means_the_commune_without_asking_the_service(fake_ban, communes_13):
    found = geocode(address=" ", postal_code="13400", commune="Aubagne")
    assert found.source == "commune"
    assert found.commune_insee == "13005"
    assert fake_ban.queries == []


def test_nothing_found_at_all(fake_ban, db):
    fake_ban.mode = "empty"
    assert geocode(**ADDRESS) is None  # no communes loaded: nowhere to fall back to


def test_the_offline_default_never_asks_a_service(communes_13, settings):
    assert settings.GEOCODER == "tremplin.geo.geocoding.CommuneGeocoder"
    found = geocode(**ADDRESS)
    assert found.source == "commune"
    assert found.note.startswith("Géocodage des adresses non configuré")
    with pytest.raises(GeocoderError, match="Commune introuvable"):
        CommuneGeocoder().geocode(address="", postal_code="99999", commune="Nulle-Part")


def test_only_http_urls_are_accepted():
    with pytest.raises(ValueError, match="http"):
        BanGeocoder(url="file:///etc/passwd")
