"""Settings: what one workstation chooses, and the organisation's settings as typed values.

A workstation's ``kiss.toml`` (in the working directory, else ``<user config dir>/kiss/``, or
at ``KISS_CONFIG``) holds only what belongs to that desk; ``KISS_*`` variables override it::

    database_url = "postgresql+psycopg://kcc@dbserver/kiss"
    gemeente = "Haarlem"            # this desk's default gemeente for new contactmomenten
    thema = "textual-light"
    [bindings]
    afsluiten = "ctrl+q"            # binding id = keys

The organisation's settings (gemeenten, kanalen, gespreksresultaten, servicenorm, retention,
skills, links, klachtencoördinator) live in the database (:mod:`kiss.services.beheer`) so
every agent works with the same lists. Older ``kiss.toml`` files still carrying them are read
once more: their values are taken over into a database that has no settings yet, and
otherwise ignored with a message (:attr:`Settings.oude_organisatie` names them). Every value
read here is type-checked; a bad one is a :class:`ConfigFout` with a Dutch message that names
it, never a traceback.
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
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


@dataclass(frozen=True)
class Link:
    """A frequently used website or phone number, shown on the start screen."""

    categorie: str
    titel: str
    adres: str  # a URL or a phone number


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


DOEL_SOORTEN: tuple[str, ...] = ("afdeling", "team", "medewerker")


@dataclass(frozen=True)
class Doelverwijzing:
    """Who a terugbelnotitie goes to, by name, so the setting carries from a test install to
    production: an afdeling or team by its name, a medewerker by gebruikersnaam,
    personeelsnummer or e-mail. Empty (the default): not set."""

    soort: str = ""  # afdeling, team or medewerker
    naam: str = ""

    @property
    def ingesteld(self) -> bool:
        return bool(self.soort and self.naam)

    def __str__(self) -> str:
        return f"{self.soort} {self.naam}" if self.ingesteld else "niet ingesteld"


@dataclass(frozen=True)
class Organisatie:
    """The organisation's settings: one set for every agent (stored in the database)."""

    gemeenten: tuple[tuple[str, str], ...] = DEFAULT_GEMEENTEN
    kanalen: tuple[str, ...] = DEFAULT_KANALEN
    gespreksresultaten: tuple[Gespreksresultaat, ...] = DEFAULT_GESPREKSRESULTATEN
    servicenorm: ServicenormInstelling = field(default_factory=ServicenormInstelling)
    bewaartermijn_contactmomenten_dagen: int = 730
    bewaartermijn_audit_dagen: int = 1825
    skills: tuple[str, ...] = ()
    links: tuple[Link, ...] = ()
    # a question marked as klacht goes here as a terugbelnotitie when it is afgerond
    klachtencoordinator: Doelverwijzing = field(default_factory=Doelverwijzing)


ORGANISATIE_VELDEN = tuple(f.name for f in fields(Organisatie))
# the TOML keys of the organisation's settings (an old kiss.toml may still have them)
ORGANISATIE_SLEUTELS = (
    "gemeenten", "kanalen", "gespreksresultaten", "servicenorm", "bewaartermijn", "skills",
    "links", "klachtencoordinator",
)  # fmt: skip


@dataclass(frozen=True)
class Settings:
    # one workstation
    database_url: str | None = None
    gemeente: str = "Haarlem"
    thema: str | None = None
    bindings: dict[str, str] = field(default_factory=dict)  # binding id → keys
    autosave_seconden: float = 2.0
    # the organisation (from the database; see kiss.services.beheer)
    gemeenten: tuple[tuple[str, str], ...] = DEFAULT_GEMEENTEN
    kanalen: tuple[str, ...] = DEFAULT_KANALEN
    gespreksresultaten: tuple[Gespreksresultaat, ...] = DEFAULT_GESPREKSRESULTATEN
    servicenorm: ServicenormInstelling = field(default_factory=ServicenormInstelling)
    bewaartermijn_contactmomenten_dagen: int = 730
    bewaartermijn_audit_dagen: int = 1825
    skills: tuple[str, ...] = ()
    links: tuple[Link, ...] = ()
    klachtencoordinator: Doelverwijzing = field(default_factory=Doelverwijzing)
    # organisation keys still found in kiss.toml or the environment (to take over once)
    oude_organisatie: tuple[str, ...] = ()

    def resultaat(self, code: str) -> Gespreksresultaat | None:
        return next((r for r in self.gespreksresultaten if r.code == code), None)

    @property
    def organisatie(self) -> Organisatie:
        return Organisatie(**{naam: getattr(self, naam) for naam in ORGANISATIE_VELDEN})

    def met_organisatie(self, organisatie: Organisatie) -> Settings:
        """These workstation settings with the organisation's (from the database)."""
        return replace(self, **{n: getattr(organisatie, n) for n in ORGANISATIE_VELDEN})


class ConfigFout(ValueError):
    """A setting that cannot be used; the message is Dutch and names the setting."""


class OngeldigeInstellingen(ConfigFout):
    """One or more organisation settings are wrong: ``fouten`` maps the setting's name
    (``servicenorm.uren``, ``gespreksresultaten[2].code``) to a Dutch message."""

    def __init__(self, fouten: Mapping[str, str]) -> None:
        self.fouten = dict(fouten)
        super().__init__("; ".join(f"{veld}: {melding}" for veld, melding in self.fouten.items()))


# ---- reading values (one check per kind of value) -------------------------------------------


def _tekst(waarde: Any, naam: str) -> str:
    if not isinstance(waarde, str):
        raise OngeldigeInstellingen({naam: f"verwacht tekst, niet {waarde!r}"})
    return waarde.strip()


def _geheel(waarde: Any, naam: str) -> int:
    if isinstance(waarde, bool) or not isinstance(waarde, int | str):
        raise OngeldigeInstellingen({naam: f"verwacht een heel getal, niet {waarde!r}"})
    try:
        return int(waarde)
    except ValueError:
        raise OngeldigeInstellingen({naam: f"verwacht een heel getal, niet '{waarde}'"}) from None


def _ja_nee(waarde: Any, naam: str) -> bool:
    if isinstance(waarde, bool):
        return waarde
    if isinstance(waarde, str) and waarde.strip().lower() in {"ja", "nee", "true", "false"}:
        return waarde.strip().lower() in {"ja", "true"}
    raise OngeldigeInstellingen({naam: f"verwacht true of false, niet {waarde!r}"})


def _datum(waarde: Any, naam: str) -> date:
    if isinstance(waarde, date):
        return waarde
    if isinstance(waarde, str):
        try:
            return date.fromisoformat(waarde.strip())
        except ValueError:
            pass
    raise OngeldigeInstellingen({naam: f"verwacht een datum als 2026-05-15, niet {waarde!r}"})


def _lijst(waarde: Any, naam: str) -> list[Any]:
    if not isinstance(waarde, list | tuple):
        raise OngeldigeInstellingen({naam: f"verwacht een lijst, niet {waarde!r}"})
    return list(waarde)


def _tabel(waarde: Any, naam: str) -> Mapping[str, Any]:
    if not isinstance(waarde, Mapping):
        raise OngeldigeInstellingen({naam: f"verwacht een tabel, niet {waarde!r}"})
    return waarde


def _verplicht(tabel: Mapping[str, Any], sleutel: str, naam: str) -> Any:
    if sleutel not in tabel:
        raise OngeldigeInstellingen({f"{naam}.{sleutel}": "ontbreekt"})
    return tabel[sleutel]


def _gemeenten(waarde: Any) -> tuple[tuple[str, str], ...]:
    uit = []
    for i, g in enumerate(_lijst(waarde, "gemeenten")):
        naam = f"gemeenten[{i + 1}]"
        if isinstance(g, str):
            uit.append((g.strip(), ""))
            continue
        g = _tabel(g, naam)
        uit.append(
            (
                _tekst(_verplicht(g, "naam", naam), f"{naam}.naam"),
                _tekst(g.get("code", ""), f"{naam}.code"),
            )
        )
    return tuple(uit)


def _resultaten(waarde: Any) -> tuple[Gespreksresultaat, ...]:
    uit = []
    for i, r in enumerate(_lijst(waarde, "gespreksresultaten")):
        naam = f"gespreksresultaten[{i + 1}]"
        r = _tabel(r, naam)
        code = _tekst(_verplicht(r, "code", naam), f"{naam}.code")
        uit.append(
            Gespreksresultaat(
                code,
                _tekst(r.get("label", code), f"{naam}.label") or code,
                _ja_nee(r.get("afgehandeld", False), f"{naam}.afgehandeld"),
                _ja_nee(r.get("afdeling_verplicht", True), f"{naam}.afdeling_verplicht"),
            )
        )
    return tuple(uit)


def _servicenorm(waarde: Any, basis: ServicenormInstelling) -> ServicenormInstelling:
    norm = _tabel(waarde, "servicenorm")
    return ServicenormInstelling(
        uren=_geheel(norm.get("uren", basis.uren), "servicenorm.uren"),
        soort=_tekst(norm.get("soort", basis.soort), "servicenorm.soort"),
        extra_sluitingsdagen=tuple(
            _datum(d, "servicenorm.extra_sluitingsdagen")
            for d in _lijst(
                norm.get("extra_sluitingsdagen", basis.extra_sluitingsdagen),
                "servicenorm.extra_sluitingsdagen",
            )
        ),
        goede_vrijdag_gesloten=_ja_nee(
            norm.get("goede_vrijdag_gesloten", basis.goede_vrijdag_gesloten),
            "servicenorm.goede_vrijdag_gesloten",
        ),
        waarschuwing_uren=_geheel(
            norm.get("waarschuwing_uren", basis.waarschuwing_uren), "servicenorm.waarschuwing_uren"
        ),
    )


def _links(waarde: Any) -> tuple[Link, ...]:
    uit = []
    for i, link in enumerate(_lijst(waarde, "links")):
        naam = f"links[{i + 1}]"
        link = _tabel(link, naam)
        uit.append(
            Link(
                _tekst(link.get("categorie", "Algemeen"), f"{naam}.categorie") or "Algemeen",
                _tekst(_verplicht(link, "titel", naam), f"{naam}.titel"),
                _tekst(_verplicht(link, "adres", naam), f"{naam}.adres"),
            )
        )
    return tuple(uit)


def _doelverwijzing(waarde: Any, naam: str) -> Doelverwijzing:
    """``[klachtencoordinator]`` with one of ``afdeling``, ``team`` or ``medewerker`` filled
    in (all empty, or the table left out: not set)."""
    tabel = _tabel(waarde, naam)
    for sleutel in tabel:
        if sleutel not in DOEL_SOORTEN:
            raise OngeldigeInstellingen(
                {f"{naam}.{sleutel}": "onbekende sleutel; gebruik afdeling, team of medewerker"}
            )
    gevuld = [
        (soort, tekst)
        for soort in DOEL_SOORTEN
        if (tekst := _tekst(tabel.get(soort, ""), f"{naam}.{soort}"))
    ]
    if len(gevuld) > 1:
        raise OngeldigeInstellingen(
            {
                naam: "vul één van afdeling, team of medewerker in, niet meer (nu: "
                + " en ".join(soort for soort, _ in gevuld)
                + ")"
            }
        )
    return Doelverwijzing(*gevuld[0]) if gevuld else Doelverwijzing()


def organisatie_uit_dict(data: Mapping[str, Any], basis: Organisatie | None = None) -> Organisatie:
    """The organisation's settings from a TOML or JSON table (the keys of
    :data:`ORGANISATIE_SLEUTELS`; missing keys keep ``basis``). Types only: the rules
    (ranges, required codes) are :func:`kiss.services.beheer.regels.controleer`'s."""
    org = basis or Organisatie()
    if "gemeenten" in data:
        org = replace(org, gemeenten=_gemeenten(data["gemeenten"]))
    if "kanalen" in data:
        kanalen = _lijst(data["kanalen"], "kanalen")
        org = replace(
            org, kanalen=tuple(_tekst(k, f"kanalen[{i + 1}]") for i, k in enumerate(kanalen))
        )
    if "gespreksresultaten" in data:
        org = replace(org, gespreksresultaten=_resultaten(data["gespreksresultaten"]))
    if "servicenorm" in data:
        org = replace(org, servicenorm=_servicenorm(data["servicenorm"], org.servicenorm))
    if "bewaartermijn" in data:
        termijn = _tabel(data["bewaartermijn"], "bewaartermijn")
        org = replace(
            org,
            bewaartermijn_contactmomenten_dagen=_geheel(
                termijn.get("contactmomenten_dagen", org.bewaartermijn_contactmomenten_dagen),
                "bewaartermijn.contactmomenten_dagen",
            ),
            bewaartermijn_audit_dagen=_geheel(
                termijn.get("audit_dagen", org.bewaartermijn_audit_dagen),
                "bewaartermijn.audit_dagen",
            ),
        )
    if "skills" in data:
        skills = _lijst(data["skills"], "skills")
        org = replace(
            org, skills=tuple(_tekst(s, f"skills[{i + 1}]") for i, s in enumerate(skills))
        )
    if "links" in data:
        org = replace(org, links=_links(data["links"]))
    if "klachtencoordinator" in data:
        org = replace(
            org,
            klachtencoordinator=_doelverwijzing(data["klachtencoordinator"], "klachtencoordinator"),
        )
    return org


def organisatie_naar_dict(org: Organisatie) -> dict[str, Any]:
    """The organisation's settings as a TOML-shaped table (dates stay dates)."""
    norm = org.servicenorm
    return {
        "gemeenten": [{"naam": naam, "code": code} for naam, code in org.gemeenten],
        "kanalen": list(org.kanalen),
        "gespreksresultaten": [
            {
                "code": r.code,
                "label": r.label,
                "afgehandeld": r.afgehandeld,
                "afdeling_verplicht": r.afdeling_verplicht,
            }
            for r in org.gespreksresultaten
        ],
        "servicenorm": {
            "uren": norm.uren,
            "soort": norm.soort,
            "extra_sluitingsdagen": list(norm.extra_sluitingsdagen),
            "goede_vrijdag_gesloten": norm.goede_vrijdag_gesloten,
            "waarschuwing_uren": norm.waarschuwing_uren,
        },
        "bewaartermijn": {
            "contactmomenten_dagen": org.bewaartermijn_contactmomenten_dagen,
            "audit_dagen": org.bewaartermijn_audit_dagen,
        },
        "skills": list(org.skills),
        "links": [
            {"categorie": x.categorie, "titel": x.titel, "adres": x.adres} for x in org.links
        ],
        "klachtencoordinator": {
            soort: org.klachtencoordinator.naam if soort == org.klachtencoordinator.soort else ""
            for soort in DOEL_SOORTEN
        },
    }


# ---- the workstation's file and environment --------------------------------------------------


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


def _werkplek_uit_toml(data: Mapping[str, Any], settings: Settings) -> Settings:
    if "database_url" in data:
        settings = replace(settings, database_url=_tekst(data["database_url"], "database_url"))
    if "gemeente" in data:
        settings = replace(settings, gemeente=_tekst(data["gemeente"], "gemeente"))
    if "thema" in data:
        settings = replace(settings, thema=_tekst(data["thema"], "thema") or None)
    if "bindings" in data:
        bindings = _tabel(data["bindings"], "bindings")
        settings = replace(
            settings,
            bindings={str(k): _tekst(v, f"bindings.{k}") for k, v in bindings.items()},
        )
    oud = tuple(k for k in ORGANISATIE_SLEUTELS if k in data)
    if oud:
        org = organisatie_uit_dict({k: data[k] for k in oud}, settings.organisatie)
        settings = replace(settings.met_organisatie(org), oude_organisatie=oud)
    return settings


def _uit_omgeving(settings: Settings) -> Settings:
    if url := os.environ.get("KISS_DATABASE_URL"):
        settings = replace(settings, database_url=url)
    if gemeente := os.environ.get("KISS_GEMEENTE"):
        settings = replace(settings, gemeente=gemeente.strip())
    if thema := os.environ.get("KISS_THEMA"):
        settings = replace(settings, thema=thema.strip())
    if uren := os.environ.get("KISS_SERVICENORM_UREN"):
        try:
            waarde = int(uren.strip())
        except ValueError:
            raise ConfigFout(
                f"KISS_SERVICENORM_UREN moet een heel aantal uren zijn (bijvoorbeeld 48), niet "
                f"'{uren[:40]}'. De servicenorm staat nu in de database: stel hem in via "
                "Beheer (F7) en haal deze variabele weg."
            ) from None
        settings = replace(
            settings,
            servicenorm=replace(settings.servicenorm, uren=waarde),
            oude_organisatie=(*settings.oude_organisatie, "KISS_SERVICENORM_UREN"),
        )
    return settings


def load_settings(path: Path | None = None) -> Settings:
    """Defaults, then the TOML file, then environment variables. Raises :class:`ConfigFout`
    with a Dutch message naming the file and the setting when something cannot be used."""
    settings = Settings()
    path = path or config_path()
    if path is not None:
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
            raise ConfigFout(f"Configuratiebestand {path} is niet te lezen: {exc}") from None
        try:
            settings = _werkplek_uit_toml(data, settings)
        except ConfigFout as exc:
            raise ConfigFout(f"Configuratiebestand {path}: {exc}") from None
    return _uit_omgeving(settings)
