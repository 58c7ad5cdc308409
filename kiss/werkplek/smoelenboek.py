"""The smoelenboek's use cases: search colleagues and organisations, cards, presence, and
recording a transfer (doorverbinden) on the active contactmoment."""

from __future__ import annotations

import time
import uuid
from datetime import date
from typing import TYPE_CHECKING

from kiss.services.smoelenboek.kaart import (
    EenheidKaart,
    MedewerkerKaart,
    Soort,
    behandelaar_van_zaak,
    eenheid_kaart,
    medewerker_kaart,
)
from kiss.services.smoelenboek.zoeken import SmoelenboekZoeker, Treffer
from kiss.weergave import lokaal

if TYPE_CHECKING:
    from kiss.werkplek.open_contacten import OpenContact
    from kiss.werkplek.werkplek import Werkplek

MAX_TREFFERS = 30
DOORVERBIND_DOEL = {
    Soort.MEDEWERKER: "naar_medewerker_id",
    Soort.ORGANISATIE: "naar_organisatie_id",
    Soort.TEAM: "naar_team_id",
    Soort.AFDELING: "naar_afdeling_id",
}

Kaart = MedewerkerKaart | EenheidKaart


class SmoelenboekWerk:
    def __init__(self, werkplek: Werkplek) -> None:
        self.werkplek = werkplek

    @property
    def zoeker(self) -> SmoelenboekZoeker:
        return SmoelenboekZoeker.voor(self.werkplek.engine)

    def vandaag(self) -> date:
        """Presence is for today in the Netherlands."""
        return lokaal(self.werkplek.klok()).date()

    def laad_index(self, *, opnieuw: bool = False) -> float:
        """Build (or with ``opnieuw`` rebuild) the search index; returns the seconds taken."""
        if opnieuw:
            self.zoeker.vergeet()
        start = time.perf_counter()
        with self.werkplek.lees() as session:
            self.zoeker.actueel(session)
        return time.perf_counter() - start

    def controleer_versheid(self) -> None:
        """Edits by colleagues become searchable within seconds (checked in the background,
        so a keystroke's search never waits for it)."""
        with self.werkplek.lees() as session:
            self.zoeker.actueel(session, nu_controleren=True)

    def zoek(self, tekst: str, limit: int = MAX_TREFFERS) -> list[Treffer]:
        if not tekst.strip():
            return []
        with self.werkplek.lees() as session:
            return self.zoeker.zoek(tekst, self.vandaag(), limit=limit, session=session)

    def kaart(self, soort: str, id_: uuid.UUID) -> Kaart:
        """The card of a colleague (with today's presence and stand-in) or a unit;
        NietInSmoelenboek (a LookupError) when it is gone."""
        with self.werkplek.lees() as session:
            if soort == Soort.MEDEWERKER:
                return medewerker_kaart(session, id_, self.vandaag())
            return eenheid_kaart(session, soort, id_)

    def behandelaar(self, zaak_id: uuid.UUID) -> MedewerkerKaart:
        """The card of a zaak's behandelaar (with the stand-in when away)."""
        with self.werkplek.lees() as session:
            return medewerker_kaart(session, behandelaar_van_zaak(session, zaak_id), self.vandaag())

    def doorverbinden(self, soort: str, doel_id: uuid.UUID) -> OpenContact:
        """Record on the active contactmoment that the call went to this card; LookupError
        when no contact is open, DoorverbindenGeweigerd when the target refuses transfers."""
        return self.werkplek.doorverbinden(**{DOORVERBIND_DOEL[soort]: doel_id})
