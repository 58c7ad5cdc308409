"""Settings of ``kiss dienst``: ``[dienst]`` and ``[mail]`` in ``kiss.toml``, overridden by
environment variables. Secrets (webhook tokens, SMTP password) come from the environment or
from a file (``tokenbestand``, ``wachtwoordbestand``), never from the TOML text itself.

=====================  ======================================  ===========================
setting                TOML                                    environment
=====================  ======================================  ===========================
bind address           ``[dienst] adres = "127.0.0.1"``        ``KISS_DIENST_ADRES``
port                   ``[dienst] poort = 8470``               ``KISS_DIENST_POORT``
webhook tokens         ``[dienst] tokenbestand = "/etc/…"``    ``KISS_DIENST_TOKENS`` (a,b)
                                                               ``KISS_DIENST_TOKENBESTAND``
interval of the jobs   ``[dienst] interval_seconden = 5``      ``KISS_DIENST_INTERVAL``
SMTP host / port       ``[mail] host``, ``poort``              ``KISS_SMTP_HOST``/``_POORT``
STARTTLS               ``[mail] starttls = true``              ``KISS_SMTP_STARTTLS``
own CA (PEM)           ``[mail] cafile = "/etc/kiss/ca.pem"``  ``KISS_SMTP_CAFILE``
login                  ``[mail] gebruiker``,                   ``KISS_SMTP_GEBRUIKER``,
                       ``wachtwoordbestand``                   ``KISS_SMTP_WACHTWOORD``
sender                 ``[mail] afzender``                     ``KISS_MAIL_AFZENDER``
daily reminder         ``[mail] herinnering = "07:00"``        ``KISS_MAIL_HERINNERING``
=====================  ======================================  ===========================
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import time
from pathlib import Path
from typing import Any

from kiss.config import config_path
from kiss.services.meldingen.instellingen import MailInstellingen

STANDAARD_POORT = 8470


class InstellingFout(ValueError):
    """A Dutch message about a wrong setting (never containing a secret)."""


@dataclass(frozen=True)
class DienstInstellingen:
    adres: str = "127.0.0.1"
    poort: int = STANDAARD_POORT
    tokens: tuple[str, ...] = field(default=(), repr=False)
    interval_s: float = 5.0
    mail: MailInstellingen = field(default_factory=MailInstellingen)


def _ja(waarde: Any) -> bool:
    if isinstance(waarde, bool):
        return waarde
    return str(waarde).strip().lower() in {"1", "ja", "true", "yes", "aan"}


def _geheel(waarde: Any, naam: str) -> int:
    try:
        return int(waarde)
    except (TypeError, ValueError) as exc:
        raise InstellingFout(f"{naam} moet een geheel getal zijn") from exc


def _tijd(waarde: Any, naam: str) -> time:
    try:
        return time.fromisoformat(str(waarde).strip())
    except ValueError as exc:
        raise InstellingFout(f"{naam} moet een tijd zijn als 07:00") from exc


def _lees_bestand(pad: str, naam: str) -> str:
    try:
        return Path(pad).expanduser().read_text(encoding="utf-8")
    except OSError as exc:
        raise InstellingFout(f"{naam} {pad} is niet te lezen ({exc.strerror})") from exc


def _tokens(tekst: str) -> tuple[str, ...]:
    delen = (t.strip() for regel in tekst.splitlines() for t in regel.split(","))
    return tuple(t for t in delen if t and not t.startswith("#"))


def laad(pad: Path | None = None, omgeving: Mapping[str, str] | None = None) -> DienstInstellingen:
    """Defaults, then the TOML file (the same one as the desktop's), then the environment."""
    env = os.environ if omgeving is None else omgeving
    pad = pad or config_path()
    data: dict[str, Any] = {}
    if pad is not None and pad.is_file():
        try:
            data = tomllib.loads(pad.read_text(encoding="utf-8"))
        except tomllib.TOMLDecodeError as exc:
            raise InstellingFout(f"Configuratiebestand {pad} is niet te lezen: {exc}") from exc
    dienst: dict[str, Any] = dict(data.get("dienst", {}))
    mail: dict[str, Any] = dict(data.get("mail", {}))

    adres = str(env.get("KISS_DIENST_ADRES") or dienst.get("adres", "127.0.0.1"))
    poort = _geheel(env.get("KISS_DIENST_POORT") or dienst.get("poort", STANDAARD_POORT), "poort")
    if not 0 <= poort <= 65535:
        raise InstellingFout("poort moet tussen 0 en 65535 liggen")
    tokens: tuple[str, ...] = ()
    if env.get("KISS_DIENST_TOKENS"):
        tokens = _tokens(env["KISS_DIENST_TOKENS"])
    elif bestand := env.get("KISS_DIENST_TOKENBESTAND") or dienst.get("tokenbestand"):
        tokens = _tokens(_lees_bestand(str(bestand), "tokenbestand"))
    if any(len(t) < 16 for t in tokens):
        raise InstellingFout("een webhook-token moet minstens 16 tekens lang zijn")
    try:
        interval = float(env.get("KISS_DIENST_INTERVAL") or dienst.get("interval_seconden", 5))
    except ValueError as exc:
        raise InstellingFout("interval_seconden moet een getal zijn") from exc

    wachtwoord = env.get("KISS_SMTP_WACHTWOORD", "")
    if not wachtwoord and (bestand := mail.get("wachtwoordbestand")):
        wachtwoord = _lees_bestand(str(bestand), "wachtwoordbestand").strip()
    starttls = env.get("KISS_SMTP_STARTTLS")
    mail_instellingen = MailInstellingen(
        host=str(env.get("KISS_SMTP_HOST") or mail.get("host", "")),
        poort=_geheel(env.get("KISS_SMTP_POORT") or mail.get("poort", 25), "SMTP-poort"),
        starttls=_ja(starttls if starttls is not None else mail.get("starttls", False)),
        cafile=str(env.get("KISS_SMTP_CAFILE") or mail.get("cafile", "")),
        gebruiker=str(env.get("KISS_SMTP_GEBRUIKER") or mail.get("gebruiker", "")),
        wachtwoord=wachtwoord,
        afzender=str(env.get("KISS_MAIL_AFZENDER") or mail.get("afzender", "kiss@localhost")),
        herinnering=_tijd(
            env.get("KISS_MAIL_HERINNERING") or mail.get("herinnering", "07:00"), "herinnering"
        ),
    )
    return DienstInstellingen(
        adres=adres,
        poort=poort,
        tokens=tokens,
        interval_s=max(0.05, interval),
        mail=mail_instellingen,
    )
