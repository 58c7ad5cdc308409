"""Where the register is and how KISS proves who it is.

``KISS_OPENKLANT_URL`` switches the link on: with it, every save also queues its message in the
outbox (an agent's workstation needs only the URL). The token, needed only by whoever sends
(``kiss openklant sync`` or ``kiss dienst``), comes from ``KISS_OPENKLANT_TOKEN`` or from the file
named in ``KISS_OPENKLANT_TOKEN_FILE``. It is never printed, logged or stored in the database.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

API_PAD = "/klantinteracties/api/v1"


class ConfigFout(ValueError):
    """The configuration is incomplete or unreadable (Dutch message, never the token)."""


@dataclass(frozen=True)
class OpenklantConfig:
    url: str  # the API root, ending in /klantinteracties/api/v1, without a trailing slash
    token: str = field(default="", repr=False)
    timeout: float = 10.0

    def __repr__(self) -> str:  # the token stays out of every repr, log and traceback
        return f"OpenklantConfig(url={self.url!r}, token={'***' if self.token else ''!r})"

    @property
    def kan_verzenden(self) -> bool:
        return bool(self.token)


def api_url(url: str) -> str:
    """Accept the server (``https://ok.gemeente.nl``) or the API root; return the API root."""
    url = url.strip().rstrip("/")
    if not url.endswith(API_PAD):
        url += API_PAD
    return url


def laad(omgeving: Mapping[str, str] | None = None) -> OpenklantConfig | None:
    """The configuration from the environment, or None when Open Klant is not switched on."""
    env = os.environ if omgeving is None else omgeving
    url = env.get("KISS_OPENKLANT_URL", "").strip()
    if not url:
        return None
    if not url.startswith(("http://", "https://")):
        raise ConfigFout("KISS_OPENKLANT_URL moet met http:// of https:// beginnen.")
    token = env.get("KISS_OPENKLANT_TOKEN", "").strip()
    bestand = env.get("KISS_OPENKLANT_TOKEN_FILE", "").strip()
    if not token and bestand:
        try:
            token = Path(bestand).expanduser().read_text(encoding="utf-8").strip()
        except OSError as fout:
            raise ConfigFout(
                f"Het tokenbestand {bestand} is niet te lezen ({fout.strerror or fout})."
            ) from None
    timeout = 10.0
    if env.get("KISS_OPENKLANT_TIMEOUT", "").strip():
        try:
            timeout = float(env["KISS_OPENKLANT_TIMEOUT"])
        except ValueError:
            raise ConfigFout("KISS_OPENKLANT_TIMEOUT moet een aantal seconden zijn.") from None
    return OpenklantConfig(url=api_url(url), token=token, timeout=timeout)


def actief(omgeving: Mapping[str, str] | None = None) -> bool:
    """Is the link switched on? (A broken configuration counts as on: queue, do not lose.)"""
    env = os.environ if omgeving is None else omgeving
    return bool(env.get("KISS_OPENKLANT_URL", "").strip())
