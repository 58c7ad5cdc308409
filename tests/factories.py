"""Small hand-made data sets for tests (fictional people; BSNs from the test range)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import Engine

from kiss.db import session_scope
from kiss.models import (
    Afdeling,
    DigitaalAdres,
    Gemeente,
    Klant,
    KlantSoort,
    Medewerker,
    Team,
    Zaak,
)
from kiss.services.naam import naam_sleutel
from kiss.validation import valideer_email, valideer_telefoon


@dataclass
class Wereld:
    haarlem: Gemeente
    zandvoort: Gemeente
    burgerzaken: Afdeling
    team: Team
    agent: Medewerker
    collega: Medewerker
    privacy: Medewerker
    berg: Klant
    bergh: Klant
    vries: Klant
    bakkerij: Klant


def _klant(**velden: object) -> Klant:
    klant = Klant(**velden)  # type: ignore[arg-type]
    klant.naam_sleutel = naam_sleutel(klant.handelsnaam or klant.achternaam)
    return klant


def _adres(klant: Klant, waarde: str, voorkeur: bool = False) -> DigitaalAdres:
    if "@" in waarde:
        return DigitaalAdres(
            klant_id=klant.id,
            soort="email",
            waarde=waarde,
            genormaliseerd=valideer_email(waarde),
            voorkeur=voorkeur,
        )
    return DigitaalAdres(
        klant_id=klant.id,
        soort="telefoonnummer",
        waarde=waarde,
        genormaliseerd=valideer_telefoon(waarde),
        voorkeur=voorkeur,
    )


def bouw_wereld(engine: Engine) -> Wereld:
    with session_scope(engine) as session:
        haarlem = Gemeente(naam="Haarlem", code="0392")
        zandvoort = Gemeente(naam="Zandvoort", code="0473")
        burgerzaken = Afdeling(naam="Burgerzaken")
        session.add_all([haarlem, zandvoort, burgerzaken])
        session.flush()
        team = Team(naam="Reisdocumenten", afdeling_id=burgerzaken.id)
        session.add(team)
        session.flush()
        agent = Medewerker(
            gebruikersnaam="agent",
            voornaam="Anna",
            voorvoegsel="de",
            achternaam="Wit",
            rollen="kcc",
            afdeling_id=burgerzaken.id,
        )
        collega = Medewerker(
            gebruikersnaam="collega",
            voornaam="Bram",
            achternaam="Bos",
            rollen="kcc",
            afdeling_id=burgerzaken.id,
            team_id=team.id,
        )
        privacy = Medewerker(
            gebruikersnaam="balie", voornaam="Carla", achternaam="Kok", rollen="kcc;privacy"
        )
        berg = _klant(
            bsn="999990019",
            voornamen="Johanna",
            voorvoegsel="van den",
            achternaam="Berg",
            geboortedatum=date(1975, 7, 7),
            straat="Zijlweg",
            huisnummer=12,
            toevoeging="A",
            postcode="2011 AB",
            woonplaats="Haarlem",
            gemeente_id=haarlem.id,
            taal="Engels",
            extra_hulp=True,
            voorkeurskanaal="telefoon",
            aandachtspunten="Slechthorend",
        )
        bergh = _klant(
            bsn="999990032",
            voornamen="Pieter",
            achternaam="Bergh",
            geboortedatum=date(1980, 1, 2),
            straat="Zijlweg",
            huisnummer=14,
            postcode="2011 AB",
            woonplaats="Haarlem",
            gemeente_id=haarlem.id,
        )
        vries = _klant(
            voornamen="Sanne",
            voorvoegsel="de",
            achternaam="Vries",
            geboortedatum=date(1990, 5, 17),
            straat="Kerkstraat",
            huisnummer=3,
            postcode="2042 JD",
            woonplaats="Zandvoort",
            gemeente_id=zandvoort.id,
        )
        bakkerij = _klant(
            soort=KlantSoort.ORGANISATIE,
            handelsnaam="Bakkerij De Zeemeeuw",
            kvk_nummer="69245121",
            postcode="2042 JD",
            huisnummer=8,
            woonplaats="Zandvoort",
            gemeente_id=zandvoort.id,
        )
        session.add_all([agent, collega, privacy, berg, bergh, vries, bakkerij])
        session.flush()
        session.add_all(
            [
                _adres(berg, "06-12345678", voorkeur=True),
                _adres(berg, "j.vandenberg@voorbeeld.nl"),
                _adres(bergh, "(023) 511 42 58"),
                _adres(vries, "+31 6 87654321"),
                _adres(bakkerij, "info@zeemeeuw-demo.nl"),
            ]
        )
        session.add(
            Zaak(
                identificatie="ZAAK-2026-0000001",
                klant_id=berg.id,
                zaaktype="Aanvraag omgevingsvergunning",
                status="in behandeling",
                behandelaar_id=collega.id,
                startdatum=date(2026, 10, 1),
                uiterlijke_einddatum=date(2026, 11, 26),
            )
        )
    return Wereld(
        haarlem, zandvoort, burgerzaken, team, agent, collega, privacy, berg, bergh, vries, bakkerij
    )
