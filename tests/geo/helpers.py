"""Test geography: small hand-made QPV outlines and a fake Base Adresse Nationale server.

No registry ships the official QPV outlines, so tests draw their own: squares and L-shapes a
few hundred metres wide in Marseille's 13th and 14th arrondissements, with codes no real
neighbourhood has (QN0139xT). The fake BAN is a real HTTP server on 127.0.0.1 (ephemeral
port) answering like the API: the geocoder under test makes real requests to it.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

# A point in the 13th arrondissement (Château-Gombert side) and the test outline around it.
INSIDE = (5.4300, 43.3500)
OUTSIDE = (5.4700, 43.3700)


def square(lon: float, lat: float, half: float = 0.004) -> list[list[float]]:
    """A closed ring: a square of 2 × half degrees centred on (lon, lat)."""
    return [
        [lon - half, lat - half],
        [lon + half, lat - half],
        [lon + half, lat + half],
        [lon - half, lat + half],
        [lon - half, lat - half],
    ]


def polygon(*rings: list[list[float]]) -> dict[str, Any]:
    return {"type": "Polygon", "coordinates": list(rings)}


def feature(
    code: str = "QN01391T",
    name: str = "Quartier d'essai Nord",
    communes: Any = "13213",
    geometry: dict[str, Any] | None = None,
    **extra: Any,
) -> dict[str, Any]:
    properties = {"code_qp": code, "lib_qp": name, "insee_com": communes, **extra}
    return {
        "type": "Feature",
        "properties": properties,
        "geometry": geometry if geometry is not None else polygon(square(*INSIDE)),
    }


def collection(*features: dict[str, Any], **extra: Any) -> bytes:
    return json.dumps({"type": "FeatureCollection", "features": list(features), **extra}).encode()


def two_neighbourhoods() -> bytes:
    """A valid file: one square around INSIDE, one square with a hole in the 14th."""
    return collection(
        feature(),
        feature(
            code="QN01392T",
            name="Quartier d'essai Sud",
            communes="13214",
            geometry=polygon(square(5.4000, 43.3400), square(5.4000, 43.3400, half=0.001)),
        ),
    )


@dataclass
class FakeBan:
    """What the fake server answers next, and what it was asked."""

    url: str = ""
    mode: str = "ok"  # ok | low | municipality | empty | error | slow | garbage
    position: tuple[float, float] = INSIDE
    citycode: str = "13213"
    score: float = 0.92
    delay: float = 2.0
    queries: list[dict[str, list[str]]] = field(default_factory=list)

    def answer(self) -> tuple[int, bytes]:
        if self.mode == "error":
            return 500, b"<html>Internal Server Error</html>"
        if self.mode == "garbage":
            return 200, b'{"type": "FeatureCollection", "features": [{"geometry": nul'
        if self.mode == "slow":
            time.sleep(self.delay)
        if self.mode == "empty":
            return 200, json.dumps({"type": "FeatureCollection", "features": []}).encode()
        lon, lat = self.position
        kind = "municipality" if self.mode == "municipality" else "housenumber"
        score = 0.21 if self.mode == "low" else self.score
        body = {
            "type": "FeatureCollection",
            "version": "draft",
            "features": [
                {
                    "type": "Feature",
                    "geometry": {"type": "Point", "coordinates": [lon, lat]},
                    "properties": {
                        "label": "12 Rue d'Essai 13013 Marseille",
                        "score": score,
                        "housenumber": "12",
                        "type": kind,
                        "postcode": "13013",
                        "citycode": self.citycode,
                        "city": "Marseille",
                        "district": "Marseille 13e Arrondissement",
                    },
                }
            ],
            "attribution": "BAN",
            "licence": "ETALAB-2.0",
            "limit": 1,
        }
        return 200, json.dumps(body).encode()


@contextmanager
def fake_ban_server() -> Iterator[FakeBan]:
    state = FakeBan()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 — the http.server interface
            parts = urlsplit(self.path)
            if parts.path != "/search":
                self.send_error(404)
                return
            state.queries.append(parse_qs(parts.query))
            status, body = state.answer()
            try:
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the client gave up (timeout test)

        def log_message(self, format: str, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    server.block_on_close = False
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    state.url = f"http://127.0.0.1:{server.server_address[1]}/search"
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
