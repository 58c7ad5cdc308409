"""Settings of the central mailbox: ``[email]`` in ``kiss.toml``, overridden by ``KISS_EMAIL_*``
environment variables. The IMAP password comes from the environment or a file, never from the
TOML text, and never appears in a repr, message or log.

==========================  ======================================  ===========================
setting                     TOML ``[email]``                        environment
==========================  ======================================  ===========================
IMAP server (TLS, 993)      ``imap_host``, ``imap_poort``           ``KISS_EMAIL_IMAP_HOST``/
                                                                    ``_IMAP_POORT``
login                       ``gebruiker``, ``wachtwoordbestand``    ``KISS_EMAIL_GEBRUIKER``,
                                                                    ``KISS_EMAIL_WACHTWOORD``
folder                      ``map = "INBOX"``                       ``KISS_EMAIL_MAP``
own CA (self-signed)        ``ca_bestand``                          ``KISS_EMAIL_CA_BESTAND``
the central address         ``adres = "info@gemeente.nl"``          ``KISS_EMAIL_ADRES``
answer term                 ``termijn_werkdagen = 3``               ``KISS_EMAIL_TERMIJN``
attachment limit            ``max_bijlage_mb = 10``                 ``KISS_EMAIL_MAX_BIJLAGE_MB``
message limit               ``max_bericht_mb = 50``                 ``KISS_EMAIL_MAX_BERICHT_MB``
gemeente of new cases       ``gemeente = "Haarlem"``                ``KISS_EMAIL_GEMEENTE``
==========================  ======================================  ===========================
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kiss.config import config_path

STANDAARD_TERMIJN = 3


class EmailInstellingFout(ValueError):
    """A Dutch message about a wrong setting (never containing a secret)."""


@dataclass(frozen=True)
class EmailInstellingen:
    imap_host: str = ""  # empty: the mailbox is not fetched
    imap_poort: int = 993
    gebruiker: str = ""
    wachtwoord: str = field(default="", repr=False)
    map: str = "INBOX"
    ca_bestand: str = ""
    adres: str = ""  # the central address: From of confirmations and answers
    termijn_werkdagen: int = STANDAARD_TERMIJN
    max_bijlage_mb: float = 10.0
    max_bericht_mb: float = 50.0
    gemeente: str = ""
    timeout_s: float = 30.0

    @property
    def actief(self) -> bool:
        return bool(self.imap_host)

    @property
    def max_bijlage(self) -> int:
        return int(self.max_bijlage_mb * 1_000_000)

    @property
    def max_bericht(self) -> int:
        return int(self.max_bericht_mb * 1_000_000)

    def __repr__(self) -> str:
        return (
            f"EmailInstellingen(imap_host={self.imap_host!r}, imap_poort={self.imap_poort}, "
            f"gebruiker={self.gebruiker!r}, map={self.map!r}, adres={self.adres!r}, "
            f"termijn_werkdagen={self.termijn_werkdagen})"
        )


def _getal(waarde: Any, naam: str, soort: type = int) -> Any:
    try:
        getal = soort(waarde)
    except (TypeError, ValueError) as exc:
        raise EmailInstellingFout(f"{naam} moet een getal zijn") from exc
    if getal <= 0:
        raise EmailInstellingFout(f"{naam} moet groter dan 0 zijn")
    return getal


def laad(pad: Path | None = None, omgeving: Mapping[str, str] | None = None) -> EmailInstellingen:
    """Defaults, then ``[email]`` of the TOML file, then the environment."""
    env = os.environ if omgeving is None else omgeving
    pad = pad or config_path()
    data: dict[str, Any] = {}
    if pad is not None and pad.is_file():
        try:
            data = dict(tomllib.loads(pad.read_text(encoding="utf-8")).get("email", {}))
        except tomllib.TOMLDecodeError as exc:
            raise EmailInstellingFout(f"Configuratiebestand {pad} is niet te lezen: {exc}") from exc

    def waarde(sleutel: str, toml: str, standaard: Any) -> Any:
        return env.get(f"KISS_EMAIL_{sleutel}") or data.get(toml, standaard)

    wachtwoord = env.get("KISS_EMAIL_WACHTWOORD", "")
    if not wachtwoord and (bestand := data.get("wachtwoordbestand")):
        try:
            wachtwoord = Path(str(bestand)).expanduser().read_text(encoding="utf-8").strip()
        except OSError as exc:
            raise EmailInstellingFout(
                f"wachtwoordbestand {bestand} is niet te lezen ({exc.strerror})"
            ) from exc
    return EmailInstellingen(
        imap_host=str(waarde("IMAP_HOST", "imap_host", "")),
        imap_poort=_getal(waarde("IMAP_POORT", "imap_poort", 993), "imap_poort"),
        gebruiker=str(waarde("GEBRUIKER", "gebruiker", "")),
        wachtwoord=wachtwoord,
        map=str(waarde("MAP", "map", "INBOX")),
        ca_bestand=str(waarde("CA_BESTAND", "ca_bestand", "")),
        adres=str(waarde("ADRES", "adres", "")).strip().lower(),
        termijn_werkdagen=_getal(
            waarde("TERMIJN", "termijn_werkdagen", STANDAARD_TERMIJN), "termijn_werkdagen"
        ),
        max_bijlage_mb=_getal(
            waarde("MAX_BIJLAGE_MB", "max_bijlage_mb", 10), "max_bijlage_mb", float
        ),
        max_bericht_mb=_getal(
            waarde("MAX_BERICHT_MB", "max_bericht_mb", 50), "max_bericht_mb", float
        ),
        gemeente=str(waarde("GEMEENTE", "gemeente", "")),
    )
