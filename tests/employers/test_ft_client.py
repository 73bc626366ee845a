"""The France Travail API client against a local fake server (token, search, pages, errors)."""

from __future__ import annotations

import json
import threading
import urllib.parse
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from io import StringIO
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from tremplin.employers.ft_client import FranceTravailClient, FranceTravailError
from tremplin.employers.models import Opening


def fake_offer(n: int) -> dict[str, Any]:
    return {
        "id": f"FT{n:04d}",
        "intitule": f"Raccordeur fibre n° {n}",
        "romeCode": "I1315",
        "dateCreation": "2026-11-20T08:00:00.000Z",
        "lieuTravail": {
            "libelle": "13 - Marseille 3e Arrondissement",
            "latitude": 43.31,
            "longitude": 5.38,
            "commune": "13203",
        },
        "entreprise": {"nom": "Free Pro"},
        "typeContrat": "CDI",
        "dureeTravailLibelle": "35H",
    }


@dataclass
class FakeFranceTravail:
    """What the fake server holds and saw: its offers, the requests, forced failures."""

    offers: list[dict[str, Any]] = field(default_factory=list)
    requests: list[tuple[str, str, dict[str, list[str]]]] = field(default_factory=list)
    tokens_issued: int = 0
    search_status: int | None = None  # force an error status on search
    url: str = ""


@pytest.fixture
def fake_api() -> Iterator[FakeFranceTravail]:
    state = FakeFranceTravail()

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: Any) -> None:  # keep the test output clean
            pass

        def reply(
            self, status: int, body: Any = None, headers: dict[str, str] | None = None
        ) -> None:
            content = b"" if body is None else json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(content)))
            for name, value in (headers or {}).items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(content)

        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length", 0))
            form = urllib.parse.parse_qs(self.rfile.read(length).decode())
            state.requests.append(("POST", self.path, form))
            if form.get("client_secret") != ["secret"] or form.get("grant_type") != [
                "client_credentials"
            ]:
                self.reply(401, {"error": "invalid_client", "error_description": "Client inconnu"})
                return
            state.tokens_issued += 1
            self.reply(200, {"access_token": "tok-1", "token_type": "Bearer", "expires_in": 1499})

        def do_GET(self) -> None:
            url = urllib.parse.urlsplit(self.path)
            query = urllib.parse.parse_qs(url.query)
            state.requests.append(("GET", url.path, query))
            if self.headers.get("Authorization") != "Bearer tok-1":
                self.reply(401, {"message": "Jeton invalide"})
                return
            if state.search_status:
                self.reply(state.search_status, {"message": "Paramètre codeROME invalide"})
                return
            first, last = (int(x) for x in query["range"][0].split("-"))
            page = state.offers[first : last + 1]
            if not page:
                self.reply(204)
                return
            total = len(state.offers)
            partial = last + 1 < total
            self.reply(
                206 if partial else 200,
                {"resultats": page, "filtresPossibles": []},
                {"Content-Range": f"offres {first}-{first + len(page) - 1}/{total}"},
            )

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    state.url = f"http://127.0.0.1:{server.server_address[1]}"
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def client(fake: FakeFranceTravail, **overrides: Any) -> FranceTravailClient:
    values: dict[str, Any] = {
        "client_id": "tremplin",
        "client_secret": "secret",
        "api_url": f"{fake.url}/partenaire/offresdemploi/v2",
        "token_url": f"{fake.url}/connexion/oauth2/access_token?realm=%2Fpartenaire",
        "timeout": 5,
    }
    values.update(overrides)
    return FranceTravailClient(**values)


def test_token_then_paged_search(fake_api: FakeFranceTravail) -> None:
    fake_api.offers = [fake_offer(n) for n in range(7)]

    result = client(fake_api, page_size=3).search(rome_codes=["i1315", "F1605"], departement="13")

    assert [o["id"] for o in result.offers] == [f"FT{n:04d}" for n in range(7)]
    assert result.total == 7 and not result.truncated
    post, *gets = fake_api.requests
    assert post[0] == "POST" and post[2]["scope"] == ["api_offresdemploiv2 o2dsoffre"]
    assert fake_api.tokens_issued == 1  # reused for every page
    assert [g[2]["range"] for g in gets] == [["0-2"], ["3-5"], ["6-8"]]
    assert gets[0][1] == "/partenaire/offresdemploi/v2/offres/search"
    assert gets[0][2]["codeROME"] == ["I1315,F1605"]
    assert gets[0][2]["departement"] == ["13"]


def test_no_offer_is_an_empty_result(fake_api: FakeFranceTravail) -> None:
    result = client(fake_api).search(rome_codes=["I1315"])
    assert result.offers == [] and result.total == 0


def test_limit_stops_early(fake_api: FakeFranceTravail) -> None:
    fake_api.offers = [fake_offer(n) for n in range(10)]
    result = client(fake_api, page_size=4).search(rome_codes=["I1315"], limit=5)
    assert len(result.offers) == 5
    assert [g[2]["range"] for g in fake_api.requests[1:]] == [["0-3"], ["4-4"]]


def test_http_error_gives_a_clear_message(fake_api: FakeFranceTravail) -> None:
    fake_api.search_status = 400
    with pytest.raises(FranceTravailError) as caught:
        client(fake_api).search(rome_codes=["I1315"])
    assert caught.value.message == (
        "L'API France Travail a refusé la recherche (offres 0-149) "
        "(HTTP 400 : Paramètre codeROME invalide)."
    )


def test_bad_credentials(fake_api: FakeFranceTravail) -> None:
    with pytest.raises(FranceTravailError) as caught:
        client(fake_api, client_secret="wrong").search(rome_codes=["I1315"])
    assert caught.value.message == (
        "L'API France Travail a refusé la demande de jeton (HTTP 401 : Client inconnu)."
    )


def test_unreachable_server() -> None:
    # Port 9 (discard) on localhost: nothing listens there on a test machine.
    unreachable = FranceTravailClient(
        client_id="a", client_secret="b", token_url="http://127.0.0.1:9/token", timeout=2
    )
    with pytest.raises(FranceTravailError, match="injoignable"):
        unreachable.token()


def test_missing_credentials_and_bad_arguments(fake_api: FakeFranceTravail) -> None:
    with pytest.raises(FranceTravailError, match="FRANCE_TRAVAIL_CLIENT_ID"):
        FranceTravailClient(client_id="", client_secret="")
    with pytest.raises(FranceTravailError, match="Code ROME mal formé"):
        client(fake_api).search(rome_codes=["fibre"])
    with pytest.raises(FranceTravailError, match="Département mal formé"):
        client(fake_api).search(rome_codes=["I1315"], departement="Bouches")
    assert fake_api.requests == []


def test_from_settings_reads_the_environment(
    fake_api: FakeFranceTravail, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("FRANCE_TRAVAIL_CLIENT_ID", "tremplin")
    monkeypatch.setenv("FRANCE_TRAVAIL_CLIENT_SECRET", "secret")
    monkeypatch.setenv("FRANCE_TRAVAIL_API_URL", f"{fake_api.url}/v2")
    monkeypatch.setenv("FRANCE_TRAVAIL_TOKEN_URL", f"{fake_api.url}/token")
    monkeypatch.setenv("FRANCE_TRAVAIL_TIMEOUT", "3")
    ft = FranceTravailClient.from_settings()
    assert (ft.api_url, ft.timeout) == (f"{fake_api.url}/v2", 3.0)
    assert ft.token() == "tok-1"


def test_command_imports_from_the_api(
    world: Any, fake_api: FakeFranceTravail, monkeypatch: pytest.MonkeyPatch
) -> None:
    fake_api.offers = [fake_offer(n) for n in range(160)]  # two pages of 150
    monkeypatch.setenv("FRANCE_TRAVAIL_CLIENT_ID", "tremplin")
    monkeypatch.setenv("FRANCE_TRAVAIL_CLIENT_SECRET", "secret")
    monkeypatch.setenv("FRANCE_TRAVAIL_API_URL", f"{fake_api.url}/v2")
    monkeypatch.setenv("FRANCE_TRAVAIL_TOKEN_URL", f"{fake_api.url}/token")
    out = StringIO()

    call_command("import_ft_offers", "--api", "I1315", "--departement", "13", stdout=out)

    assert (
        out.getvalue() == "160 offre(s) créée(s), 0 mise(s) à jour depuis l'API France Travail.\n"
    )
    assert Opening.objects.filter(employer=world.employer).count() == 160

    fake_api.search_status = 503
    with pytest.raises(CommandError, match="HTTP 503"):
        call_command("import_ft_offers", "--api", "I1315", stdout=StringIO())
