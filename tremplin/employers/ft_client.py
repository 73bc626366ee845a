"""A small client for France Travail's « Offres d'emploi v2 » API (OAuth2 client credentials).

Configuration comes from Django settings or, failing that, the environment:
``FRANCE_TRAVAIL_CLIENT_ID`` and ``FRANCE_TRAVAIL_CLIENT_SECRET`` (the application's
credentials on francetravail.io), ``FRANCE_TRAVAIL_API_URL`` (the API's base, up to
``/v2``), ``FRANCE_TRAVAIL_TOKEN_URL``, ``FRANCE_TRAVAIL_SCOPE`` and
``FRANCE_TRAVAIL_TIMEOUT`` (seconds). Tests point the URLs at a local fake server.

The search pages with the API's ``range`` parameter (``first-last``, 150 offers at most per
page): the answer is 200 when complete, 206 when partial with a ``Content-Range: offres
first-last/total`` header, 204 when nothing matches. The API refuses a first index above
3000, so one search returns at most 3150 offers; ``search`` stops there and says so through
``SearchResult.truncated``. Every failure is a ``FranceTravailError`` with a French message.
"""

from __future__ import annotations

import json
import os
import re
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _

DEFAULT_API_URL = "https://api.francetravail.io/partenaire/offresdemploi/v2"
DEFAULT_TOKEN_URL = (
    "https://entreprise.francetravail.fr/connexion/oauth2/access_token?realm=%2Fpartenaire"
)
DEFAULT_SCOPE = "api_offresdemploiv2 o2dsoffre"
PAGE_SIZE = 150  # the API's maximum per request
MAX_FIRST_INDEX = 3000  # the API refuses a range starting further
CONTENT_RANGE = re.compile(r"(\d+)-(\d+)/(\d+)")
ROME_CODE = re.compile(r"^[A-Z]\d{4}$")
DEPARTEMENT = re.compile(r"^(\d{2}|2[AB]|97\d)$")


class FranceTravailError(Exception):
    """The API could not be used; ``message`` says why, in French."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def _setting(name: str, default: str = "") -> str:
    value = getattr(settings, name, None)
    if value in (None, ""):
        value = os.environ.get(name, default)
    return str(value)


@dataclass
class SearchResult:
    offers: list[dict[str, Any]] = field(default_factory=list)
    total: int = 0  # as announced by the API
    truncated: bool = False  # the API's range limit was reached before the total


class FranceTravailClient:
    def __init__(
        self,
        *,
        client_id: str,
        client_secret: str,
        api_url: str = DEFAULT_API_URL,
        token_url: str = DEFAULT_TOKEN_URL,
        scope: str = DEFAULT_SCOPE,
        timeout: float = 10.0,
        page_size: int = PAGE_SIZE,
    ) -> None:
        if not client_id or not client_secret:
            raise FranceTravailError(
                _(
                    "Identifiants de l'API France Travail manquants : renseignez "
                    "FRANCE_TRAVAIL_CLIENT_ID et FRANCE_TRAVAIL_CLIENT_SECRET."
                )
            )
        if not 1 <= page_size <= PAGE_SIZE:
            raise ValueError(f"page_size must be between 1 and {PAGE_SIZE}")
        for url in (api_url, token_url):
            # Only the web: urllib would also open file: URLs from a mistyped setting.
            if urllib.parse.urlsplit(url).scheme not in ("http", "https"):
                raise FranceTravailError(
                    _("Adresse de l'API France Travail invalide : %(url)s.") % {"url": url}
                )
        self.client_id = client_id
        self.client_secret = client_secret
        self.api_url = api_url.rstrip("/")
        self.token_url = token_url
        self.scope = scope
        self.timeout = timeout
        self.page_size = page_size
        self._token: str | None = None
        self._token_expires = 0.0

    @classmethod
    def from_settings(cls) -> FranceTravailClient:
        try:
            timeout = float(_setting("FRANCE_TRAVAIL_TIMEOUT", "10"))
        except ValueError:
            raise FranceTravailError(
                _("FRANCE_TRAVAIL_TIMEOUT doit être un nombre de secondes.")
            ) from None
        return cls(
            client_id=_setting("FRANCE_TRAVAIL_CLIENT_ID"),
            client_secret=_setting("FRANCE_TRAVAIL_CLIENT_SECRET"),
            api_url=_setting("FRANCE_TRAVAIL_API_URL", DEFAULT_API_URL),
            token_url=_setting("FRANCE_TRAVAIL_TOKEN_URL", DEFAULT_TOKEN_URL),
            scope=_setting("FRANCE_TRAVAIL_SCOPE", DEFAULT_SCOPE),
            timeout=timeout,
        )

    # --- HTTP -------------------------------------------------------------------------

    def _open(self, request: urllib.request.Request, what: str) -> tuple[int, Any, bytes]:
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310
                return response.status, response.headers, response.read()
        except urllib.error.HTTPError as error:
            detail = _error_detail(error.read())
            raise FranceTravailError(
                _("L'API France Travail a refusé %(what)s (HTTP %(status)s%(detail)s).")
                % {"what": what, "status": error.code, "detail": f" : {detail}" if detail else ""}
            ) from None
        except (urllib.error.URLError, TimeoutError, OSError) as error:
            reason = getattr(error, "reason", error)
            raise FranceTravailError(
                _("L'API France Travail est injoignable (%(what)s) : %(reason)s.")
                % {"what": what, "reason": reason}
            ) from None

    def token(self) -> str:
        """A bearer token, reused until a minute before it expires."""
        if self._token and time.monotonic() < self._token_expires:
            return self._token
        body = urllib.parse.urlencode(
            {
                "grant_type": "client_credentials",
                "client_id": self.client_id,
                "client_secret": self.client_secret,
                "scope": self.scope,
            }
        ).encode()
        request = urllib.request.Request(  # noqa: S310 — scheme checked in __init__
            self.token_url,
            data=body,
            headers={"Content-Type": "application/x-www-form-urlencoded"},
            method="POST",
        )
        _status, _headers, content = self._open(request, _("la demande de jeton"))
        data = _json(content, _("la réponse du jeton"))
        token = data.get("access_token") if isinstance(data, dict) else None
        if not isinstance(token, str) or not token:
            raise FranceTravailError(
                _("La réponse du jeton France Travail n'a pas d'access_token.")
            )
        expires_in = data.get("expires_in", 0)
        lifetime = float(expires_in) if isinstance(expires_in, int | float) else 0.0
        self._token = token
        self._token_expires = time.monotonic() + max(lifetime - 60, 0)
        return token

    # --- search -----------------------------------------------------------------------

    def search(
        self, *, rome_codes: Iterable[str], departement: str = "", limit: int | None = None
    ) -> SearchResult:
        """Every offer for these ROME codes (and département), page after page."""
        codes = [code.strip().upper() for code in rome_codes if code.strip()]
        if not codes:
            raise FranceTravailError(_("Indiquez au moins un code ROME."))
        bad = [code for code in codes if not ROME_CODE.match(code)]
        if bad:
            raise FranceTravailError(
                _("Code ROME mal formé : %(codes)s.") % {"codes": ", ".join(bad)}
            )
        if departement and not DEPARTEMENT.match(departement):
            raise FranceTravailError(
                _("Département mal formé : %(d)s (ex. 13, 2A, 974).") % {"d": departement}
            )
        result = SearchResult()
        first = 0
        while True:
            last = first + self.page_size - 1
            if limit is not None:
                last = min(last, limit - 1)
            params = {"codeROME": ",".join(codes), "range": f"{first}-{last}"}
            if departement:
                params["departement"] = departement
            url = f"{self.api_url}/offres/search?{urllib.parse.urlencode(params)}"
            request = urllib.request.Request(  # noqa: S310 — scheme checked in __init__
                url,
                headers={"Authorization": f"Bearer {self.token()}", "Accept": "application/json"},
            )
            status, headers, content = self._open(
                request, _("la recherche (offres %(r)s)") % {"r": params["range"]}
            )
            if status == 204 or not content:
                break
            data = _json(content, _("la réponse de recherche"))
            page = data.get("resultats") if isinstance(data, dict) else None
            if not isinstance(page, list):
                raise FranceTravailError(
                    _("La réponse de recherche France Travail n'a pas de liste « resultats ».")
                )
            result.offers += page
            match = CONTENT_RANGE.search(headers.get("Content-Range", "") or "")
            result.total = int(match.group(3)) if match else len(result.offers)
            if status != 206 or not page or len(result.offers) >= result.total:
                break
            if limit is not None and len(result.offers) >= limit:
                break
            first = len(result.offers)
            if first > MAX_FIRST_INDEX:
                result.truncated = True
                break
        return result


def _json(content: bytes, what: str) -> Any:
    try:
        return json.loads(content.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise FranceTravailError(
            _("%(what)s de France Travail n'est pas un JSON lisible.") % {"what": what.capitalize()}
        ) from None


def _error_detail(content: bytes) -> str:
    """The API's own message from an error body, short; empty if there is none."""
    try:
        data = json.loads(content.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        return content.decode("utf-8", "replace").strip()[:200]
    if isinstance(data, dict):
        for key in ("message", "error_description", "error"):
            if isinstance(data.get(key), str):
                return str(data[key])[:200]
    return ""
