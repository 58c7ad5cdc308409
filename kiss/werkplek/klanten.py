"""The klant use cases: search in one field, the klantbeeld, registering a klant and
correcting its phone numbers and e-mail addresses.

When Open Klant is switched on (``KISS_OPENKLANT_URL``, read once per werkplek), the same
typed key is also looked up in the register (:meth:`Klanten.zoek_in_register`) and the
klantbeeld gets the register's klantcontacten made elsewhere
(:meth:`Klanten.register_contacten`). Both go over the network: a screen runs them in their
own worker after the local result is shown; they never raise for a register that is down
(the answer carries a Dutch ``melding`` instead). Without the link they return at once,
empty.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import TYPE_CHECKING

from kiss.services import audit
from kiss.services.klant import klantbeeld
from kiss.services.klant.klantbeeld import Klantbeeld, KlantInvoer
from kiss.services.klant.zoeken import (
    KlantTreffer,
    NaamVocabulaire,
    ZoekSoort,
    herken,
    zoek_via_engine,
)
from kiss.services.openklant import config as openklant_config
from kiss.services.openklant.config import ConfigFout, OpenklantConfig
from kiss.validation import ValidatieFout

if TYPE_CHECKING:
    from kiss.services.openklant.lezen import RegisterContact, RegisterPartij
    from kiss.werkplek.open_contacten import OpenContact
    from kiss.werkplek.werkplek import Werkplek

REGISTER_TIMEOUT = 3.0  # seconds at most per register call while the agent waits
_REGISTER_SLEUTELS = (ZoekSoort.TELEFOON, ZoekSoort.EMAIL, ZoekSoort.BSN, ZoekSoort.KVK)


@dataclass(frozen=True)
class ZoekUitkomst:
    tekst: str
    soort: str  # what the text was read as: telefoon, e-mail, BSN, naam, …
    treffers: list[KlantTreffer]


@dataclass(frozen=True)
class RegisterUitkomst:
    """Partijen the register knows for the typed key and KISS does not (yet)."""

    tekst: str
    partijen: list[RegisterPartij]  # each ``alleen_in_register``
    melding: str = ""  # Dutch, when the register could not be read


@dataclass(frozen=True)
class RegisterContacten:
    """The register's klantcontacten of one klant, made elsewhere (source "Open Klant")."""

    klant_id: uuid.UUID
    contacten: list[RegisterContact]
    melding: str = ""


def _laad_register() -> tuple[OpenklantConfig | None, str]:
    try:
        return openklant_config.laad(), ""
    except ConfigFout as fout:  # reading is off; the message says why (never the token)
        return None, f"Open Klant is niet te raadplegen: {fout}"


class Klanten:
    def __init__(self, werkplek: Werkplek) -> None:
        self.werkplek = werkplek
        # the Open Klant link, read once per werkplek; None: reading the register is off
        self.openklant, self._register_fout = _laad_register()

    @property
    def leest_register(self) -> bool:
        """Is there a register to read (or a broken configuration to report)?"""
        return self.openklant is not None or bool(self._register_fout)

    def warm_op(self) -> None:
        """At login: read the name vocabulary in the background, so no name search waits
        for it (one read per database per process; later refreshes run in the background)."""
        NaamVocabulaire.voor(self.werkplek.engine).warm_op()

    def zoek(self, tekst: str) -> ZoekUitkomst:
        """Every form of key in one field; raises ValidatieFout for an impossible key."""
        self.werkplek.ik()
        with self.werkplek.lees() as session:
            vraag, treffers = zoek_via_engine(self.werkplek.engine, session, tekst)
        return ZoekUitkomst(tekst, vraag.soort.value, treffers)

    def zoek_in_register(self, tekst: str) -> RegisterUitkomst:
        """The typed phone number, e-mail, BSN or KvK-nummer in the Open Klant register as
        well: the partijen found there that KISS does not know. A network call (seconds at
        most); empty at once when the link is off or the key is of another kind."""
        self.werkplek.ik()
        if self.openklant is None:
            return RegisterUitkomst(tekst, [], self._register_fout)
        try:
            vraag = herken(tekst)
        except ValidatieFout:
            return RegisterUitkomst(tekst, [])
        if vraag.soort not in _REGISTER_SLEUTELS:
            return RegisterUitkomst(tekst, [])
        from kiss.services.openklant import lezen

        resultaat = lezen.zoek_voor_identificatie(
            self.werkplek.engine, self.openklant, vraag, timeout=REGISTER_TIMEOUT
        )
        alleen_daar = [p for p in resultaat.partijen if p.alleen_in_register]
        return RegisterUitkomst(tekst, alleen_daar, resultaat.melding)

    def neem_over(self, partij: RegisterPartij) -> uuid.UUID:
        """A partij found only in the register becomes a local klant (with its addresses and
        the link to the partij), in one transaction; taking it over twice gives the same
        klant."""
        medewerker = self.werkplek.ik()
        from kiss.services.openklant import lezen

        with self.werkplek.schrijf() as session:
            klant = lezen.neem_over(session, partij)
            audit.log(
                session,
                medewerker,
                audit.KLANT_AANGEMAAKT,
                object_type="klant",
                object_id=klant.id,
                klant_id=klant.id,
                details=f"overgenomen uit {partij.bron}",
            )
            klant_id = klant.id
            sleutel = klant.naam_sleutel
        NaamVocabulaire.voor(self.werkplek.engine).voeg_toe(sleutel or "")
        return klant_id

    def neem_over_en_koppel(
        self, partij: RegisterPartij, contact_id: uuid.UUID | None = None
    ) -> OpenContact:
        """Take the partij over and link it to the (active) contact."""
        return self.werkplek.koppel_klant(self.neem_over(partij), contact_id)

    def register_contacten(self, klant_id: uuid.UUID) -> RegisterContacten:
        """The register's klantcontacten of this klant made elsewhere (other channels, the
        backoffice), newest first. A network call; empty at once when the link is off."""
        self.werkplek.ik()
        if self.openklant is None:
            return RegisterContacten(klant_id, [], self._register_fout)
        from kiss.services.openklant import lezen

        resultaat = lezen.lees_voor_klantbeeld(
            self.werkplek.engine, self.openklant, klant_id, timeout=REGISTER_TIMEOUT
        )
        return RegisterContacten(klant_id, resultaat.contacten, resultaat.melding)

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
            sleutel = klant.naam_sleutel
        # the new name joins this desk's vocabulary at once, without a full reload
        NaamVocabulaire.voor(self.werkplek.engine).voeg_toe(sleutel or "")
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
