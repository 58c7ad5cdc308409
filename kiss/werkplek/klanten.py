"""The klant use cases: search in one field, the klantbeeld, registering a klant and
correcting its phone numbers and e-mail addresses."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import TYPE_CHECKING

from kiss.services.klant import klantbeeld
from kiss.services.klant.klantbeeld import Klantbeeld, KlantInvoer
from kiss.services.klant.zoeken import KlantTreffer, NaamVocabulaire, zoek_via_engine

if TYPE_CHECKING:
    from kiss.werkplek.werkplek import Werkplek


@dataclass(frozen=True)
class ZoekUitkomst:
    tekst: str
    soort: str  # what the text was read as: telefoon, e-mail, BSN, naam, …
    treffers: list[KlantTreffer]


class Klanten:
    def __init__(self, werkplek: Werkplek) -> None:
        self.werkplek = werkplek

    def zoek(self, tekst: str) -> ZoekUitkomst:
        """Every form of key in one field; raises ValidatieFout for an impossible key."""
        self.werkplek.ik()
        with self.werkplek.lees() as session:
            vraag, treffers = zoek_via_engine(self.werkplek.engine, session, tekst)
        return ZoekUitkomst(tekst, vraag.soort.value, treffers)

    def beeld(
        self, klant_id: uuid.UUID, *, kanaal: str | None = None, log: bool = True
    ) -> Klantbeeld:
        """The klantbeeld; opening it is audited (a refresh or filter is not)."""
        medewerker = self.werkplek.ik()
        with self.werkplek.schrijf() as session:
            return klantbeeld.laad(session, klant_id, medewerker, kanaal=kanaal, log=log)

    def toon_bsn(self, klant_id: uuid.UUID) -> str:
        """The full BSN, for who may see it (audited); GeenToegang otherwise."""
        medewerker = self.werkplek.ik()
        with self.werkplek.schrijf() as session:
            return klantbeeld.toon_bsn(session, klant_id, medewerker)

    def registreer(self, invoer: KlantInvoer) -> uuid.UUID:
        medewerker = self.werkplek.ik()
        with self.werkplek.schrijf() as session:
            klant = klantbeeld.registreer_klant(session, medewerker, invoer)
        NaamVocabulaire.voor(self.werkplek.engine).vergeet()
        return klant.id

    def voeg_adres_toe(
        self, klant_id: uuid.UUID, soort: str, waarde: str, omschrijving: str = ""
    ) -> uuid.UUID:
        medewerker = self.werkplek.ik()
        with self.werkplek.schrijf() as session:
            adres = klantbeeld.voeg_adres_toe(
                session,
                klant_id,
                medewerker,
                soort=soort,
                waarde=waarde,
                omschrijving=omschrijving,
            )
        return adres.id

    def wijzig_adres(self, adres_id: uuid.UUID, waarde: str, omschrijving: str = "") -> uuid.UUID:
        medewerker = self.werkplek.ik()
        with self.werkplek.schrijf() as session:
            klantbeeld.wijzig_adres(
                session, adres_id, medewerker, waarde=waarde, omschrijving=omschrijving or None
            )
        return adres_id
