"""HTTP to the register: JSON in and out, a timeout on every call, errors sorted.

- :class:`RegisterWeigering` (a :class:`~kiss.services.uitgaand.Geweigerd`): the register refused
  the object (4xx); the message is the register's own Dutch ``invalidParams``.
- :class:`RegisterStoring` (a :class:`~kiss.services.uitgaand.TijdelijkeFout`): unreachable,
  timed out, 5xx, 429, or the token refused (401/403: a configuration problem, not the object's).
  :class:`RegisterTimeout` is the timeout case: the object may have been created after all.

The token goes only into the ``Authorization`` header; no message here ever contains it.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.parse
import urllib.request
from typing import Any

from kiss.services.openklant.config import OpenklantConfig
from kiss.services.uitgaand import Geweigerd, TijdelijkeFout


class RegisterStoring(TijdelijkeFout):
    pass


class RegisterTimeout(RegisterStoring):
    pass


class RegisterWeigering(Geweigerd):
    def __init__(self, reden: str, status: int, velden: dict[str, str] | None = None) -> None:
        super().__init__(reden)
        self.status = status
        self.velden = velden or {}


def _foutmelding(status: int, tekst: bytes) -> tuple[str, dict[str, str]]:
    """The register's Dutch explanation: ``invalidParams`` (name: reason), else title/detail."""
    try:
        data = json.loads(tekst or b"{}")
    except ValueError:
        data = {}
    velden: dict[str, str] = {}
    if isinstance(data, dict):
        for param in data.get("invalidParams") or []:
            if isinstance(param, dict):
                naam = str(param.get("name", "") or "")
                velden[naam] = str(param.get("reason", "") or param.get("code", ""))
        if velden:
            return "; ".join(f"{n}: {r}" if n else r for n, r in velden.items()), velden
        for sleutel in ("detail", "title"):
            if data.get(sleutel):
                return str(data[sleutel]), velden
    return f"HTTP {status}", velden


class OpenklantClient:
    def __init__(self, config: OpenklantConfig) -> None:
        self.config = config

    def _url(self, pad: str, params: dict[str, Any] | None = None) -> str:
        url = self.config.url + "/" + pad.strip("/")  # never a trailing slash
        if params:
            url += "?" + urllib.parse.urlencode({k: v for k, v in params.items() if v is not None})
        return url

    def verzoek(
        self, methode: str, pad: str, *, body: Any = None, params: dict[str, Any] | None = None
    ) -> Any:
        data = None if body is None else json.dumps(body).encode("utf-8")
        verzoek = urllib.request.Request(self._url(pad, params), data=data, method=methode)
        verzoek.add_header("Accept", "application/json")
        if data is not None:
            verzoek.add_header("Content-Type", "application/json")
        if self.config.token:
            verzoek.add_header("Authorization", f"Token {self.config.token}")
        wat = f"{methode} /{pad.strip('/')}"
        try:
            with urllib.request.urlopen(verzoek, timeout=self.config.timeout) as antwoord:
                inhoud = antwoord.read()
        except urllib.error.HTTPError as fout:
            status = fout.code
            reden, velden = _foutmelding(status, fout.read() if fout.fp else b"")
            if status in (401, 403):
                raise RegisterStoring(
                    f"Open Klant weigert de toegang ({status}) bij {wat}: controleer het token "
                    "(KISS_OPENKLANT_TOKEN of KISS_OPENKLANT_TOKEN_FILE)."
                ) from None
            if status in (408, 429) or status >= 500:
                raise RegisterStoring(f"Open Klant gaf fout {status} bij {wat}.") from None
            raise RegisterWeigering(
                f"Open Klant weigerde {wat} ({status}): {reden}", status, velden
            ) from None
        except TimeoutError:
            raise RegisterTimeout(
                f"Open Klant antwoordde niet binnen {self.config.timeout:g} s bij {wat}."
            ) from None
        except urllib.error.URLError as fout:
            if isinstance(fout.reason, TimeoutError):
                raise RegisterTimeout(
                    f"Open Klant antwoordde niet binnen {self.config.timeout:g} s bij {wat}."
                ) from None
            raise RegisterStoring(f"Open Klant is niet bereikbaar ({fout.reason}).") from None
        except (ConnectionError, OSError) as fout:
            raise RegisterStoring(f"Open Klant is niet bereikbaar ({fout}).") from None
        if not inhoud:
            return None
        try:
            return json.loads(inhoud)
        except ValueError:
            raise RegisterStoring(f"Open Klant gaf geen geldige JSON bij {wat}.") from None

    def get(self, pad: str, params: dict[str, Any] | None = None) -> Any:
        return self.verzoek("GET", pad, params=params)

    def post(self, pad: str, body: Any) -> Any:
        return self.verzoek("POST", pad, body=body)

    def patch(self, pad: str, body: Any) -> Any:
        return self.verzoek("PATCH", pad, body=body)

    def zoek(
        self, pad: str, params: dict[str, Any], *, max_paginas: int = 5
    ) -> list[dict[str, Any]]:
        """The ``results`` of a list call, following up to ``max_paginas`` pages."""
        resultaten: list[dict[str, Any]] = []
        pagina = 1
        while pagina <= max_paginas:
            data = self.get(pad, {**params, "page": pagina, "pageSize": 100})
            resultaten.extend(data.get("results") or [])
            if not data.get("next"):
                break
            pagina += 1
        return resultaten
