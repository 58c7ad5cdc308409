"""Deterministic demo data: the shipped kennisbank and smoelenboek from ``data/`` plus
generated fictional klanten, contactmomenten, zaken and terugbelnotities.

Everything generated comes from one seeded random generator and a fixed ``nu``, so the same
seed and moment give the same rows. Rows are written with bulk inserts in batches, so the
same generator fills a benchmark database (``kiss demo --klanten 1000000``).

All people and numbers are fictional. BSNs come from the range 999 990 000 – 999 999 999
set aside for testing where it suffices, and count down from there for very large sets.
"""

from __future__ import annotations

import os
import random
import uuid
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Engine, insert, select
from sqlmodel import Session

from kiss.config import DEFAULT_GESPREKSRESULTATEN, TERUGBELNOTITIE, Settings
from kiss.db import session_scope
from kiss.demo_nieuws import schrijf_berichten
from kiss.models import (
    Afdeling,
    ArtikelStatus,
    Contactmoment,
    DigitaalAdres,
    Gemeente,
    Kennisartikel,
    Klant,
    Medewerker,
    Team,
    Terugbelnotitie,
    Terugbelpoging,
    Zaak,
)
from kiss.services.kennisbank.artikelen import importeer_pad
from kiss.services.naam import naam_sleutel, vouw
from kiss.services.smoelenboek.importeren import importeer_map
from kiss.validation import elfproef, valideer_email, valideer_telefoon

Voortgang = Callable[[str, int, int], None]


def data_dir() -> Path:
    """The shipped data folder (``KISS_DATA_DIR`` overrides)."""
    if explicit := os.environ.get("KISS_DATA_DIR"):
        return Path(explicit)
    return Path(__file__).resolve().parent.parent / "data"


VOORNAMEN = (
    "Anna Bram Carla Daan Eva Fleur Gerrit Hanna Iris Jeroen Kees Lotte Maarten Noor Olaf "
    "Petra Quinten Roos Sander Tessa Urvashi Vera Wim Xander Yara Zoë Ahmed Fatima Mohammed "
    "Sanne Thijs Joost Marieke Henk Ingrid Sem Julia Lucas Emma Liam Mila Finn Sophie Levi Saar "
    "Mees Nora Jan Johanna Pieter Annelies Koen Esther Ruud Yvonne Hüseyin Ayşe Björn Chloé "
    "Dirk Elif Frank Gijs Hatice Ilse Jasper Karin Lars Merel Nina Oscar Priya Rik Sevda Tim"
).split()

ACHTERNAMEN: tuple[tuple[str, str], ...] = (
    ("", "Jansen"),
    ("de", "Vries"),
    ("van den", "Berg"),
    ("", "Bergh"),
    ("van der", "Berg"),
    ("", "Bakker"),
    ("", "Visser"),
    ("", "Smit"),
    ("", "Meijer"),
    ("de", "Boer"),
    ("", "Mulder"),
    ("de", "Groot"),
    ("", "Bos"),
    ("", "Vos"),
    ("", "Peters"),
    ("", "Hendriks"),
    ("van", "Leeuwen"),
    ("", "Dekker"),
    ("", "Brouwer"),
    ("de", "Wit"),
    ("", "Dijkstra"),
    ("", "Smits"),
    ("de", "Graaf"),
    ("van der", "Meer"),
    ("van der", "Linden"),
    ("", "Kok"),
    ("", "Jacobs"),
    ("de", "Haan"),
    ("", "Vermeulen"),
    ("van den", "Heuvel"),
    ("van der", "Veen"),
    ("van den", "Broek"),
    ("de", "Bruijn"),
    ("de", "Jong"),
    ("van", "Dijk"),
    ("", "Schouten"),
    ("van", "Beek"),
    ("", "Willems"),
    ("van", "Wijk"),
    ("", "Hoekstra"),
    ("", "Maas"),
    ("", "Verhoeven"),
    ("", "Koster"),
    ("van", "Dam"),
    ("", "Prins"),
    ("", "Blom"),
    ("", "Huisman"),
    ("", "Peeters"),
    ("de", "Leeuw"),
    ("", "Kuipers"),
    ("van", "Vliet"),
    ("", "Postma"),
    ("ter", "Horst"),
    ("ten", "Cate"),
    ("", "Yılmaz"),
    ("", "Öztürk"),
    ("el", "Amrani"),
    ("", "Bouzid"),
    ("", "Nguyen"),
    ("", "Kowalski"),
    ("", "Sánchez"),
    ("", "Çelik"),
    ("", "Müller"),
    ("van 't", "Hof"),
    ("", "Zwart"),
    ("", "Groen"),
    ("", "Roos"),
    ("van", "Duin"),
    ("", "Kramer"),
    ("", "Evers"),
)

HAARLEM_STRATEN = (
    "Grote Markt",
    "Zijlweg",
    "Kleverparkweg",
    "Rijksstraatweg",
    "Schoterweg",
    "Amsterdamsevaart",
    "Kruisweg",
    "Wagenweg",
    "Leidsevaart",
    "Jansweg",
    "Spaarndamseweg",
    "Europaweg",
    "Zuiderpolderplein",
    "Oudeweg",
    "Prinsen Bolwerk",
    "Gedempte Oude Gracht",
    "Kennemerplein",
    "Houtplein",
    "Dreef",
    "Westelijke Randweg",
    "Vondelweg",
    "Marnixstraat",
    "Generaal Cronjéstraat",
)
ZANDVOORT_STRATEN = (
    "Kerkstraat",
    "Boulevard Paulus Loot",
    "Zeestraat",
    "Haltestraat",
    "Brederodestraat",
    "Burgemeester Engelbertsstraat",
    "Thorbeckestraat",
    "Van Lennepweg",
    "Tollensstraat",
    "Kostverlorenstraat",
    "Noorderstraat",
    "Celsiusstraat",
)
BEDRIJFSWOORDEN = (
    "Bakkerij",
    "Fietsenmaker",
    "Installatiebedrijf",
    "Strandpaviljoen",
    "Kapsalon",
    "Adviesbureau",
    "Bouwbedrijf",
    "Schildersbedrijf",
    "Eetcafé",
    "Bloemenhandel",
    "Autobedrijf",
    "Stichting",
)
BEDRIJFSNAMEN = (
    "De Zeemeeuw",
    "Spaarnestad",
    "Het Duin",
    "Kennemerland",
    "De Molen",
    "Noordzee",
    "Zonnehoek",
    "De Branding",
    "Bavo",
    "Zijlpoort",
    "Teylers",
    "Het Anker",
    "Reinaldapark",
)
ZAAKTYPEN = (
    ("Aanvraag omgevingsvergunning", "Vergunningen"),
    ("Melding openbare ruimte", "Beheer Openbare Ruimte"),
    ("Aanvraag Wmo-voorziening", "Wmo en Zorg"),
    ("Aanvraag bijstandsuitkering", "Werk en Inkomen"),
    ("Verzoek kwijtschelding", "Belastingen"),
    ("Bezwaar WOZ-beschikking", "Belastingen"),
    ("Aanvraag parkeervergunning", "Parkeren"),
    ("Aanvraag standplaatsvergunning", "Vergunningen"),
    ("Aanvraag evenementenvergunning", "Vergunningen"),
    ("Aanvraag grofvuil ophalen", "Afval en Reiniging"),
)
ZAAKSTATUSSEN = ("ontvangen", "in behandeling", "aanvullende gegevens gevraagd", "besluit genomen")
NOTITIES = (
    "Klant gebeld over de status; uitgelegd wat de volgende stap is.",
    "Vraag beantwoord met behulp van de kennisbank.",
    "Klant wil graag schriftelijke bevestiging.",
    "Klant was eerder al geholpen, nu aanvullende vraag over kosten.",
    "Klant begreep de brief niet; inhoud in eenvoudige woorden uitgelegd.",
    "Afspraak gemaakt bij de balie.",
    "Doorgegeven dat de aanvraag digitaal kan met DigiD.",
    "Klant is ontevreden over de doorlooptijd.",
)
TERUGBEL_VRAGEN = (
    "Wil weten wanneer er een besluit komt op de aanvraag.",
    "Heeft een brief gekregen over een naheffing en begrijpt die niet.",
    "Vraagt of de container vervangen kan worden, deze is gescheurd.",
    "Wil een afspraak voor een huisbezoek in verband met Wmo.",
    "Vraag over de hoogte van de WOZ-waarde en de mogelijkheid tot bezwaar.",
    "Wil weten of een dakkapel vergunningvrij is.",
)


_LETTERGREPEN_BEGIN = (
    "Ver",
    "Van",
    "Hoog",
    "Bos",
    "Berg",
    "Groen",
    "Kool",
    "Lin",
    "Mol",
    "Wes",
    "Zand",
    "Brink",
    "Dijk",
    "Haver",
    "Kamp",
    "Lange",
    "Mees",
    "Noord",
    "Oost",
    "Ruit",
    "Stam",
    "Ter",
    "Vis",
    "Wil",
    "Bak",
    "Dek",
    "Holt",
    "Kuip",
    "Maas",
    "Rij",
    "Smed",
    "Hout",
    "Veen",
    "Meer",
    "Wouter",
)
_LETTERGREPEN_EIND = (
    "hoeven",
    "dijk",
    "man",
    "sma",
    "stra",
    "kamp",
    "ink",
    "ing",
    "ers",
    "veld",
    "horst",
    "broek",
    "beek",
    "hof",
    "laar",
    "meijer",
    "weg",
    "schot",
    "sen",
    "kes",
    "brugge",
    "bosch",
    "donk",
    "heide",
    "wijk",
    "straten",
    "huis",
    "land",
    "graaf",
    "rooij",
)


def _achternaam(rng: random.Random, veel: bool) -> tuple[str, str]:
    """Common Dutch surnames, and for large sets a long tail of plausible made-up ones, so a
    benchmark sees a realistic spread (the most common name is not in every row)."""
    if not veel or rng.random() < 0.3:
        return rng.choice(ACHTERNAMEN)
    naam = rng.choice(_LETTERGREPEN_BEGIN) + rng.choice(_LETTERGREPEN_EIND)
    if rng.random() < 0.5:
        naam += rng.choice(_LETTERGREPEN_EIND)
    voorvoegsel = rng.choice(("", "", "", "", "van", "de", "van der", "van den", "ter"))
    return voorvoegsel, naam


def _telefoon_notatie(rng: random.Random, mobiel: bool) -> str:
    """A fictional number, typed the way people type numbers."""
    if mobiel:
        digits = f"6{rng.randrange(1, 6)}{rng.randrange(1_000_000, 9_999_999)}"
        variant = rng.randrange(5)
        return (
            f"0{digits[:1]}-{digits[1:]}",
            f"0{digits[:1]} {digits[1:5]} {digits[5:]}",
            f"+31 {digits[:1]} {digits[1:]}",
            f"0031{digits}",
            f"0{digits}",
        )[variant]
    abonnee = f"{rng.randrange(5_000_000, 5_999_999)}"
    variant = rng.randrange(3)
    return (
        f"023-{abonnee}",
        f"(023) {abonnee[:3]} {abonnee[3:5]} {abonnee[5:]}",
        f"023 {abonnee}",
    )[variant]


TEST_BSN_ONDERGRENS = 999_990_000  # the 9999 9xxxx test range: never a real person's number


def bsn_reeks() -> Iterator[str]:
    """Test BSNs that pass the 11-proef, from 999 999 999 down to the end of the test range
    (about 900 numbers); after that demo klanten simply have no BSN."""
    number = 999_999_999
    while number >= TEST_BSN_ONDERGRENS:
        candidate = f"{number:09d}"
        if elfproef(candidate):
            yield candidate
        number -= 1


#: Local hours (Amsterdam) in which a kanaal is staffed, on werkdagen only; the other kanalen
#: (e-mail, webformulier, WhatsApp…) arrive any day, from early morning to late evening.
OPENINGSTIJDEN = {"telefoon": (8, 17), "balie": (9, 17)}
DIGITAAL_UREN = (7, 23)


def _moment(
    rng: random.Random, nu: datetime, dagen: int, kanaal: str, werkdag: Callable[[date], bool]
) -> datetime:
    """When a contact on ``kanaal`` could have started in the last ``dagen`` days (UTC)."""
    zone = ZoneInfo("Europe/Amsterdam")
    vandaag = nu.astimezone(zone).date()
    van, tot = OPENINGSTIJDEN.get(kanaal, DIGITAAL_UREN)
    while True:  # ends: every week has werkdagen
        dag = vandaag - timedelta(days=rng.randrange(0, dagen))
        if kanaal in OPENINGSTIJDEN and not werkdag(dag):
            continue
        lokaal = datetime.combine(dag, time(), zone) + timedelta(
            seconds=rng.randrange(van * 3600, tot * 3600)
        )
        moment = lokaal.astimezone(UTC)
        if moment < nu - timedelta(minutes=10):
            return moment


def _afhandeling(
    rng: random.Random, nu: datetime, aangemaakt: datetime, deadline: datetime
) -> tuple[str, datetime | None]:
    """The state of a demo note: the KCC mostly meets its norm (about nine in ten in time),
    a few notes of the last days are still open after their deadline, the newest are still
    being worked on."""
    if deadline < nu:
        keuze = rng.random()
        if keuze < 0.06 and nu - deadline < timedelta(days=7):  # stragglers, not yet done
            return ("open" if keuze < 0.03 else "in_behandeling"), None
        deel = rng.uniform(0.05, 0.95) if keuze < 0.90 else rng.uniform(1.05, 1.8)
    else:
        keuze = rng.random()
        if keuze < 0.35:
            return "open", None
        if keuze < 0.55:
            return "in_behandeling", None
        deel = rng.uniform(0.02, 0.9)
    afgehandeld = aangemaakt + (deadline - aangemaakt) * deel
    return (
        ("afgehandeld", afgehandeld.replace(microsecond=0)) if afgehandeld < nu else ("open", None)
    )


def _uuid(rng: random.Random) -> uuid.UUID:
    return uuid.UUID(int=rng.getrandbits(128), version=4)


@dataclass
class DemoOmvang:
    klanten: int = 320
    contactmomenten: int = 2000
    zaken: int = 150
    terugbelnotities: int = 220
    dagen: int = 30


@dataclass
class DemoVerslag:
    tellingen: dict[str, int] = field(default_factory=dict)
    meldingen: list[str] = field(default_factory=list)


def _batches(rows: Iterable[dict[str, Any]], size: int) -> Iterator[list[dict[str, Any]]]:
    batch: list[dict[str, Any]] = []
    for row in rows:
        batch.append(row)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


class _Writer:
    def __init__(self, engine: Engine, voortgang: Voortgang | None, batch: int = 5000) -> None:
        self.engine = engine
        self.voortgang = voortgang
        self.batch = batch

    def schrijf(self, tabel: Any, rows: Iterable[dict[str, Any]], totaal: int, wat: str) -> int:
        count = 0
        for batch in _batches(rows, self.batch):
            with self.engine.begin() as connection:
                connection.execute(insert(tabel), batch)
            count += len(batch)
            if self.voortgang:
                self.voortgang(wat, count, totaal)
        return count


def _basis(session: Session, settings: Settings, verslag: DemoVerslag) -> None:
    bestaand = set(session.execute(select(Gemeente.naam)).scalars())
    for naam, code in settings.gemeenten:
        if naam not in bestaand:
            session.add(Gemeente(naam=naam, code=code))
    session.flush()
    smoelenboek = data_dir() / "smoelenboek"
    if smoelenboek.is_dir():
        sb = importeer_map(session, smoelenboek)
        verslag.meldingen.append(f"Smoelenboek: {sb.samenvatting}")
        verslag.meldingen += [str(f) for f in sb.fouten]
    kennisbank = data_dir() / "kennisbank"
    if kennisbank.is_dir():
        kb = importeer_pad(session, kennisbank)
        verslag.meldingen.append(f"Kennisbank: {kb.samenvatting}")
        verslag.meldingen += [str(f) for f in kb.fouten]


def genereer(
    engine: Engine,
    settings: Settings,
    *,
    omvang: DemoOmvang | None = None,
    seed: int = 2026,
    nu: datetime | None = None,
    voortgang: Voortgang | None = None,
) -> DemoVerslag:
    """Fill an (empty or existing) migrated database with demo data."""
    omvang = omvang or DemoOmvang()
    nu = (nu or datetime.now(UTC)).astimezone(UTC)
    rng = random.Random(seed)
    verslag = DemoVerslag()

    with session_scope(engine) as session:
        _basis(session, settings, verslag)
        gemeenten = {g.naam: g.id for g in session.execute(select(Gemeente)).scalars()}
        medewerkers = list(
            session.execute(select(Medewerker).order_by(Medewerker.personeelsnummer)).scalars()
        )
        afdelingen = {a.naam: a.id for a in session.execute(select(Afdeling)).scalars()}
        teams = list(session.execute(select(Team).order_by(Team.naam)).scalars())
        artikelen = list(
            session.execute(
                select(Kennisartikel)
                .where(Kennisartikel.status == ArtikelStatus.GEPUBLICEERD)
                .order_by(Kennisartikel.sleutel)
            ).scalars()
        )
        bestaande_klanten = session.execute(select(Klant.id).limit(1)).first()
    if bestaande_klanten is not None:
        verslag.meldingen.append(
            "Er staan al klanten in de database; alleen basisgegevens bijgewerkt."
        )
        return verslag

    if not medewerkers:
        medewerkers, team = _reserve_medewerkers(engine, rng)
        teams = [team]
    agents = [m for m in medewerkers if "kcc" in m.rollenset] or medewerkers
    backoffice = [m for m in medewerkers if "backoffice" in m.rollenset] or medewerkers
    writer = _Writer(engine, voortgang)
    gemeente_namen = sorted(gemeenten)
    bsns = bsn_reeks()

    klant_ids: list[uuid.UUID] = []
    klant_gemeente: list[uuid.UUID] = []
    klant_telefoon: list[str] = []

    def klanten() -> Iterator[dict[str, Any]]:
        for index in range(omvang.klanten):
            kid = _uuid(rng)
            gemeente = (
                "Zandvoort"
                if rng.random() < 0.25 and "Zandvoort" in gemeenten
                else (gemeente_namen[0])
            )
            zandvoort = gemeente == "Zandvoort"
            straat = rng.choice(ZANDVOORT_STRATEN if zandvoort else HAARLEM_STRATEN)
            postcode_cijfers = rng.randrange(2041, 2043) if zandvoort else rng.randrange(2011, 2037)
            postcode = (
                f"{postcode_cijfers} {chr(65 + rng.randrange(26))}{chr(65 + rng.randrange(26))}"
            )
            if postcode.endswith(("SA", "SD", "SS")):
                postcode = postcode[:-2] + "AB"
            row: dict[str, Any] = {
                "id": kid,
                "straat": straat,
                "huisnummer": rng.randrange(1, 250),
                "toevoeging": rng.choice(("", "", "", "", "A", "B", "1", "ZW")),
                "postcode": postcode,
                "woonplaats": gemeente,
                "gemeente_id": gemeenten[gemeente],
                "aangemaakt_op": nu - timedelta(days=rng.randrange(90, 3000)),
            }
            row["gewijzigd_op"] = row["aangemaakt_op"]
            if rng.random() < 0.88:
                voorvoegsel, achternaam = _achternaam(rng, veel=omvang.klanten > 5000)
                row |= {
                    "soort": "persoon",
                    "bsn": next(bsns, None) if rng.random() < 0.9 else None,
                    "voornamen": rng.choice(VOORNAMEN)
                    + (" " + rng.choice(VOORNAMEN) if rng.random() < 0.3 else ""),
                    "voorvoegsel": voorvoegsel,
                    "achternaam": achternaam,
                    "geboortedatum": date(1930, 1, 1) + timedelta(days=rng.randrange(0, 30_000)),
                    "kvk_nummer": None,
                    "handelsnaam": "",
                    "naam_sleutel": naam_sleutel(achternaam),
                    "voorkeurskanaal": rng.choice(("", "", "", "telefoon", "e-mail", "post")),
                    "taal": rng.choice(
                        ("", "", "", "", "", "Engels", "Turks", "Arabisch", "Pools")
                    ),
                    "extra_hulp": rng.random() < 0.07,
                    "aandachtspunten": rng.choice(
                        ("",) * 12
                        + (
                            "Slechthorend: rustig en duidelijk spreken.",
                            "Heeft een bewindvoerder; post gaat naar de bewindvoerder.",
                            "Leest liever geen lange brieven; telefonisch uitleggen.",
                        )
                    ),
                }
            else:
                handelsnaam = f"{rng.choice(BEDRIJFSWOORDEN)} {rng.choice(BEDRIJFSNAMEN)}"
                if index % 7 == 0:
                    handelsnaam += f" {index}"
                row |= {
                    "soort": "organisatie",
                    "bsn": None,
                    "voornamen": "",
                    "voorvoegsel": "",
                    "achternaam": "",
                    "geboortedatum": None,
                    "kvk_nummer": f"{rng.randrange(10_000_000, 99_999_999)}",
                    "handelsnaam": handelsnaam,
                    "naam_sleutel": naam_sleutel(handelsnaam),
                    "voorkeurskanaal": "e-mail",
                    "taal": "",
                    "extra_hulp": False,
                    "aandachtspunten": "",
                }
            klant_ids.append(kid)
            klant_gemeente.append(gemeenten[gemeente])
            yield row

    verslag.tellingen["klanten"] = writer.schrijf(Klant, klanten(), omvang.klanten, "klanten")

    def adressen() -> Iterator[dict[str, Any]]:
        for kid in klant_ids:
            typed = _telefoon_notatie(rng, mobiel=rng.random() < 0.75)
            klant_telefoon.append(typed)
            yield {
                "id": _uuid(rng),
                "klant_id": kid,
                "soort": "telefoonnummer",
                "waarde": typed,
                "genormaliseerd": valideer_telefoon(typed),
                "omschrijving": "",
                "voorkeur": True,
                "aangemaakt_op": nu - timedelta(days=rng.randrange(1, 900)),
            }
            if rng.random() < 0.7:
                email = f"{vouw(rng.choice(VOORNAMEN))}.{rng.randrange(10, 99_999)}@post.example"
                yield {
                    "id": _uuid(rng),
                    "klant_id": kid,
                    "soort": "email",
                    "waarde": email,
                    "genormaliseerd": valideer_email(email),
                    "omschrijving": "",
                    "voorkeur": False,
                    "aangemaakt_op": nu - timedelta(days=rng.randrange(1, 900)),
                }
            if rng.random() < 0.3:
                typed2 = _telefoon_notatie(rng, mobiel=True)
                if valideer_telefoon(typed2) != valideer_telefoon(typed):
                    yield {
                        "id": _uuid(rng),
                        "klant_id": kid,
                        "soort": "telefoonnummer",
                        "waarde": typed2,
                        "genormaliseerd": valideer_telefoon(typed2),
                        "omschrijving": "werk",
                        "voorkeur": False,
                        "aangemaakt_op": nu - timedelta(days=rng.randrange(1, 900)),
                    }

    verslag.tellingen["digitale_adressen"] = writer.schrijf(
        DigitaalAdres, adressen(), int(omvang.klanten * 2), "digitale adressen"
    )

    zaak_ids: list[tuple[uuid.UUID, uuid.UUID]] = []

    def zaken() -> Iterator[dict[str, Any]]:
        for index in range(omvang.zaken):
            k = rng.randrange(len(klant_ids))
            zaaktype, afdeling = rng.choice(ZAAKTYPEN)
            start = (nu - timedelta(days=rng.randrange(1, 120))).date()
            zid = _uuid(rng)
            zaak_ids.append((zid, klant_ids[k]))
            behandelaar = rng.choice(backoffice)
            status = rng.choice(ZAAKSTATUSSEN)
            yield {
                "id": zid,
                "identificatie": f"ZAAK-{2026}-{index + 1:07d}",
                "klant_id": klant_ids[k],
                "gemeente_id": klant_gemeente[k],
                "zaaktype": zaaktype,
                "omschrijving": f"{zaaktype} ingediend via het digitale loket.",
                "status": status,
                "behandelaar_id": behandelaar.id,
                "afdeling_id": afdelingen.get(afdeling),
                "startdatum": start,
                "uiterlijke_einddatum": start + timedelta(days=56),
                "afgesloten": status == "besluit genomen",
            }

    verslag.tellingen["zaken"] = writer.schrijf(Zaak, zaken(), omvang.zaken, "zaken")

    resultaten = [r.code for r in DEFAULT_GESPREKSRESULTATEN if r.code != TERUGBELNOTITIE]
    gewichten = [70, 10, 8, 5, 2][: len(resultaten)] + [1] * max(0, len(resultaten) - 5)
    kanalen = list(settings.kanalen)
    kanaal_gewichten = [55, 12, 12, 8, 5, 4, 2, 2][: len(kanalen)] + [1] * max(0, len(kanalen) - 8)
    afdeling_ids = list(afdelingen.values())
    terugbel_bron: list[dict[str, Any]] = []
    from kiss.services.terugbel.deadline import norm_uit
    from kiss.services.terugbel.servicenorm import is_werkdag

    norm = norm_uit(settings)

    def contactmomenten() -> Iterator[dict[str, Any]]:
        for _ in range(omvang.contactmomenten):
            k = rng.randrange(len(klant_ids)) if rng.random() < 0.85 else None
            kanaal = rng.choices(kanalen, kanaal_gewichten)[0]
            start = _moment(rng, nu, omvang.dagen, kanaal, lambda d: is_werkdag(d, norm))
            artikel = rng.choice(artikelen) if artikelen and rng.random() < 0.8 else None
            met_terugbel = rng.random() < 0.1
            resultaat = TERUGBELNOTITIE if met_terugbel else rng.choices(resultaten, gewichten)[0]
            cid = _uuid(rng)
            row = {
                "id": cid,
                "gesprek_id": _uuid(rng),
                "gemeente_id": klant_gemeente[k]
                if k is not None
                else rng.choice(list(gemeenten.values())),
                "kanaal": kanaal,
                "richting": "inkomend",
                "klant_id": klant_ids[k] if k is not None else None,
                "medewerker_id": rng.choice(agents).id,
                "contact_nummer": "",
                "gestart_op": start,
                "beeindigd_op": start + timedelta(seconds=rng.randrange(60, 900)),
                "vraag": artikel.titel[:180] if artikel else "Algemene vraag",
                "notitie": rng.choice(NOTITIES),
                "artikel_id": artikel.id if artikel else None,
                "onderwerp": artikel.titel[:200] if artikel else "Overig",
                "gespreksresultaat": resultaat,
                "afdeling_id": artikel.afdeling_id
                if artikel and artikel.afdeling_id
                else (rng.choice(afdeling_ids) if afdeling_ids else None),
                "zaak_id": None,
                "doorverbonden_naar": "",
                "doorverbonden_medewerker_id": None,
                "status": "afgerond",
                "gewijzigd_op": start,
                "terugbelnotitie_gemaakt": False,
            }
            if met_terugbel and len(terugbel_bron) < omvang.terugbelnotities:
                row["terugbelnotitie_gemaakt"] = True
                terugbel_bron.append(
                    row | {"_telefoon": klant_telefoon[k] if k is not None else ""}
                )
            yield row

    verslag.tellingen["contactmomenten"] = writer.schrijf(
        Contactmoment, contactmomenten(), omvang.contactmomenten, "contactmomenten"
    )
    verslag.tellingen["terugbelnotities"] = _terugbelnotities(
        writer, rng, settings, nu, terugbel_bron, teams, backoffice
    )
    with session_scope(engine) as session:
        verslag.tellingen["nieuwsberichten"] = schrijf_berichten(session, medewerkers, nu)
    return verslag


def _reserve_medewerkers(engine: Engine, rng: random.Random) -> tuple[list[Medewerker], Team]:
    """Without a shipped smoelenboek (e.g. a bare install) the generator still needs staff."""
    with session_scope(engine) as session:
        afdeling = Afdeling(naam="Klantcontactcentrum")
        session.add(afdeling)
        session.flush()
        team = Team(naam="KCC", afdeling_id=afdeling.id)
        session.add(team)
        session.flush()
        medewerkers = []
        for index in range(12):
            voorvoegsel, achternaam = rng.choice(ACHTERNAMEN)
            medewerker = Medewerker(
                personeelsnummer=f"D{index + 1:04d}",
                voornaam=rng.choice(VOORNAMEN),
                voorvoegsel=voorvoegsel,
                achternaam=achternaam,
                afdeling_id=afdeling.id,
                team_id=team.id,
                rollen="kcc" if index < 8 else "backoffice",
            )
            session.add(medewerker)
            medewerkers.append(medewerker)
    return medewerkers, team


def _terugbelnotities(
    writer: _Writer,
    rng: random.Random,
    settings: Settings,
    nu: datetime,
    bron: list[dict[str, Any]],
    teams: list[Team],
    backoffice: list[Medewerker],
) -> int:
    if not bron:
        return 0
    from kiss.services.terugbel.deadline import bereken_deadline

    notities: list[dict[str, Any]] = []
    pogingen: list[dict[str, Any]] = []
    for contact in sorted(bron, key=lambda c: c["gestart_op"]):
        team = rng.choice(teams) if teams else None
        aangemaakt = contact["beeindigd_op"]
        deadline = bereken_deadline(aangemaakt, settings)
        telefoon = contact["_telefoon"] or _telefoon_notatie(rng, mobiel=True)
        status, afgehandeld_op = _afhandeling(rng, nu, aangemaakt, deadline)
        behandelaar = rng.choice(backoffice) if status != "open" else None
        eerste_contact = afgehandeld_op
        uitkomst = "klant gesproken en geholpen" if afgehandeld_op else ""
        nid = _uuid(rng)
        notities.append(
            {
                "id": nid,
                "contactmoment_id": contact["id"],
                "klant_id": contact["klant_id"],
                "gemeente_id": contact["gemeente_id"],
                "toegewezen_afdeling_id": team.afdeling_id if team else None,
                "toegewezen_team_id": team.id if team else None,
                "toegewezen_medewerker_id": None,
                "terugbelnummer": telefoon,
                "terugbelnummer_e164": valideer_telefoon(telefoon),
                "extra_nummer": "",
                "extra_nummer_e164": None,
                "email": "",
                "vraag": rng.choice(TERUGBEL_VRAGEN),
                "toelichting": "",
                "gewenst_moment": rng.choice(("", "", "na 14:00", "liefst 's ochtends")),
                "aangemaakt_op": aangemaakt,
                "aangemaakt_door_id": contact["medewerker_id"],
                "deadline": deadline,
                "status": status,
                "behandelaar_id": behandelaar.id if behandelaar else None,
                "geclaimd_op": min(aangemaakt + timedelta(hours=1), afgehandeld_op or nu)
                if behandelaar
                else None,
                "eerste_contact_op": eerste_contact,
                "afgehandeld_op": afgehandeld_op,
                "uitkomst": uitkomst,
                "uitkomst_toelichting": "",
                "versie": 1,
            }
        )
        if afgehandeld_op and behandelaar:
            pogingen.append(
                {
                    "id": _uuid(rng),
                    "terugbelnotitie_id": nid,
                    "moment": afgehandeld_op,
                    "medewerker_id": behandelaar.id,
                    "bereikt": True,
                    "notitie": "Klant gesproken, vraag beantwoord.",
                }
            )
    count = writer.schrijf(Terugbelnotitie, notities, len(notities), "terugbelnotities")
    writer.schrijf(Terugbelpoging, pogingen, len(pogingen), "terugbelpogingen")
    return count
