"""Settings: defaults in code, overridden by a TOML file and ``KISS_*`` environment variables.

The file is ``kiss.toml`` in the working directory, else ``<user config dir>/kiss/kiss.toml``,
or the path in ``KISS_CONFIG``. Example::

    database_url = "postgresql+psycopg://kcc@dbserver/kiss"
    gemeente = "Haarlem"            # default gemeente for new contactmomenten
    [servicenorm]
    uren = 48
    soort = "werkdagen"             # or "kalender"
    extra_sluitingsdagen = [2026-05-15]
    [bewaartermijn]
    contactmomenten_dagen = 730
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import Any

import platformdirs


@dataclass(frozen=True)
class Gespreksresultaat:
    code: str
    label: str
    afgehandeld: bool  # counts as answered in the first contact
    afdeling_verplicht: bool = True


DEFAULT_KANALEN: tuple[str, ...] = (
    "telefoon",
    "balie",
    "e-mail",
    "contactformulier",
    "WhatsApp",
    "chat",
    "post",
    "social media",
)

TERUGBELNOTITIE = "terugbelnotitie gemaakt"
DOORVERBONDEN = "doorverbonden"

DEFAULT_GESPREKSRESULTATEN: tuple[Gespreksresultaat, ...] = (
    Gespreksresultaat("afgehandeld", "Afgehandeld", afgehandeld=True),
    Gespreksresultaat(DOORVERBONDEN, "Doorverbonden", afgehandeld=False),
    Gespreksresultaat(TERUGBELNOTITIE, "Terugbelnotitie gemaakt", False, afdeling_verplicht=False),
    Gespreksresultaat(
        "doorverwezen naar andere organisatie", "Doorverwezen naar andere organisatie", True
    ),
    Gespreksresultaat("zaak aangemaakt", "Zaak aangemaakt", afgehandeld=True),
    Gespreksresultaat("verbinding verbroken", "Verbinding verbroken", afgehandeld=False),
)

DEFAULT_GEMEENTEN: tuple[tuple[str, str], ...] = (("Haarlem", "0392"), ("Zandvoort", "0473"))


@dataclass(frozen=True)
class ServicenormInstelling:
    uren: int = 48
    soort: str = "werkdagen"
    extra_sluitingsdagen: tuple[date, ...] = ()
    goede_vrijdag_gesloten: bool = False
    waarschuwing_uren: int = 4


@dataclass(frozen=True)
class Settings:
    database_url: str | None = None
    gemeente: str = "Haarlem"
    gemeenten: tuple[tuple[str, str], ...] = DEFAULT_GEMEENTEN
    kanalen: tuple[str, ...] = DEFAULT_KANALEN
    gespreksresultaten: tuple[Gespreksresultaat, ...] = DEFAULT_GESPREKSRESULTATEN
    servicenorm: ServicenormInstelling = field(default_factory=ServicenormInstelling)
    bewaartermijn_contactmomenten_dagen: int = 730
    bewaartermijn_audit_dagen: int = 1825
    autosave_seconden: float = 2.0
    bindings: dict[str, str] = field(default_factory=dict)  # binding id → keys

    def resultaat(self, code: str) -> Gespreksresultaat | None:
        return next((r for r in self.gespreksresultaten if r.code == code), None)


class ConfigFout(ValueError):
    pass


def config_path() -> Path | None:
    explicit = os.environ.get("KISS_CONFIG")
    if explicit:
        return Path(explicit)
    for candidate in (
        Path.cwd() / "kiss.toml",
        platformdirs.user_config_path("kiss") / "kiss.toml",
    ):
        if candidate.is_file():
            return candidate
    return None


def _from_toml(data: dict[str, Any], base: Settings) -> Settings:
    settings = base
    if "database_url" in data:
        settings = replace(settings, database_url=str(data["database_url"]))
    if "gemeente" in data:
        settings = replace(settings, gemeente=str(data["gemeente"]))
    if "gemeenten" in data:
        settings = replace(
            settings, gemeenten=tuple((g["naam"], g.get("code", "")) for g in data["gemeenten"])
        )
    if "kanalen" in data:
        settings = replace(settings, kanalen=tuple(str(k) for k in data["kanalen"]))
    if "gespreksresultaten" in data:
        settings = replace(
            settings,
            gespreksresultaten=tuple(
                Gespreksresultaat(
                    r["code"],
                    r.get("label", r["code"]),
                    bool(r.get("afgehandeld", False)),
                    bool(r.get("afdeling_verplicht", True)),
                )
                for r in data["gespreksresultaten"]
            ),
        )
    if "servicenorm" in data:
        norm = data["servicenorm"]
        settings = replace(
            settings,
            servicenorm=ServicenormInstelling(
                uren=int(norm.get("uren", 48)),
                soort=str(norm.get("soort", "werkdagen")),
                extra_sluitingsdagen=tuple(norm.get("extra_sluitingsdagen", ())),
                goede_vrijdag_gesloten=bool(norm.get("goede_vrijdag_gesloten", False)),
                waarschuwing_uren=int(norm.get("waarschuwing_uren", 4)),
            ),
        )
    if "bewaartermijn" in data:
        termijn = data["bewaartermijn"]
        settings = replace(
            settings,
            bewaartermijn_contactmomenten_dagen=int(termijn.get("contactmomenten_dagen", 730)),
            bewaartermijn_audit_dagen=int(termijn.get("audit_dagen", 1825)),
        )
    if "bindings" in data:
        settings = replace(settings, bindings={str(k): str(v) for k, v in data["bindings"].items()})
    return settings


def load_settings(path: Path | None = None) -> Settings:
    """Defaults, then the TOML file, then environment variables."""
    settings = Settings()
    path = path or config_path()
    if path is not None:
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
            settings = _from_toml(data, settings)
        except (tomllib.TOMLDecodeError, KeyError, TypeError, ValueError) as exc:
            raise ConfigFout(f"Configuratiebestand {path} is niet te lezen: {exc}") from exc
    if url := os.environ.get("KISS_DATABASE_URL"):
        settings = replace(settings, database_url=url)
    if gemeente := os.environ.get("KISS_GEMEENTE"):
        settings = replace(settings, gemeente=gemeente)
    if uren := os.environ.get("KISS_SERVICENORM_UREN"):
        settings = replace(settings, servicenorm=replace(settings.servicenorm, uren=int(uren)))
    return settings
