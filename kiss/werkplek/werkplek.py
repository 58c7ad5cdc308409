"""One object per running session: engine, settings, clock, who is logged in, and the open
contactmomenten. Its methods are the agent's use cases, each one transaction.

No Textual here: the TUI, the CLI, tests and a future web front end drive the same object.
Methods are called from worker threads; the open contacts are guarded by one lock, and
screens get copies (:meth:`OpenContact.kopie`).
"""

from __future__ import annotations

import threading
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import Engine
from sqlmodel import Session

from kiss.config import TERUGBELNOTITIE, Settings
from kiss.db import read_scope, session_scope
from kiss.models import BronSoort, Medewerker
from kiss.services import medewerkers
from kiss.services.contact import contactmomenten
from kiss.services.contact.bronnen import Bron
from kiss.services.contact.contactmomenten import ContactInvoer, ContactSamenvatting, Keuze
from kiss.services.klant.klantbeeld import InvoerFouten
from kiss.services.klant.zoeken import KlantTreffer, herken_contact
from kiss.services.meldingen import mails
from kiss.services.rapportage import overzicht
from kiss.services.telefonie import dienststatus
from kiss.services.terugbel import klachten, terugbelnotities
from kiss.services.terugbel.klachten import KlachtDoorgezet
from kiss.services.terugbel.terugbelnotities import TerugbelInvoer
from kiss.validation import ValidatieFout, valideer_email, valideer_telefoon
from kiss.werkplek.beheer import BeheerWerk
from kiss.werkplek.email import EmailWerk
from kiss.werkplek.fouten import NietAangemeld
from kiss.werkplek.herstel import Herstelbestand, standaard_pad
from kiss.werkplek.kennisbank import KennisbankWerk
from kiss.werkplek.klanten import Klanten
from kiss.werkplek.open_contacten import OpenContact, OpenContacten, invoer_uit
from kiss.werkplek.overzicht import OverzichtWerk
from kiss.werkplek.smoelenboek import SmoelenboekWerk
from kiss.werkplek.teamlead import TeamleadWerk
from kiss.werkplek.terugbel import TerugbelWerk


def _mailwaarschuwing(session: Session, notitie_id: uuid.UUID) -> str | None:
    """Where kiss dienst mails the backoffice: say so when nobody will get this note's mail."""
    if dienststatus.lees(session) is None:
        return None  # a desk without kiss dienst mails nobody anyway
    return mails.geen_mailbox_melding(session, notitie_id)


def _klacht(session: Session, klacht: KlachtDoorgezet | None) -> KlachtDoorgezet | None:
    """The klacht's message, warning also when nobody will be mailed about its note."""
    if klacht is None or not klacht.nieuw or klacht.notitie_id is None:
        return klacht
    waarschuwing = _mailwaarschuwing(session, klacht.notitie_id)
    if waarschuwing is None:
        return klacht
    return replace(klacht, melding=f"{klacht.melding} {waarschuwing}", waarschuwing=True)


def _met_bron(bronnen: tuple[Bron, ...], bron: Bron) -> tuple[Bron, ...]:
    """The list of sources with ``bron`` added at the end, unless it is already there."""
    if any(
        (b.soort, b.verwijzing_id or b.titel) == (bron.soort, bron.verwijzing_id or bron.titel)
        for b in bronnen
    ):
        return bronnen
    return (*bronnen, bron)


@dataclass(frozen=True)
class NieuwContact:
    """What the agent chose to start a contactmoment with."""

    kanaal: str
    gemeente: str
    nummer: str = ""  # phone number or e-mail as typed, may be empty


def controleer_nummer(tekst: str) -> str | None:
    """A Dutch message when the typed number/e-mail is invalid; None when fine or empty."""
    if not tekst.strip():
        return None
    try:
        if "@" in tekst:
            valideer_email(tekst)
        else:
            valideer_telefoon(tekst)
    except ValidatieFout as exc:
        return str(exc)
    return None


@dataclass(frozen=True)
class Aanmelding:
    medewerker: Medewerker
    concepten: list[OpenContact]  # unfinished contacts of an earlier session, to offer again
    leeg: bool  # the database holds no data yet


@dataclass(frozen=True)
class ContactGestart:
    contact: OpenContact
    treffers: list[KlantTreffer]  # caller-ID: one → linked at once; several → let the agent pick


@dataclass(frozen=True)
class Afgerond:
    contact_id: uuid.UUID
    klant_id: uuid.UUID | None
    notitie_id: uuid.UUID | None = None
    notitie_label: str = ""
    deadline: datetime | None = None
    waarschuwing: str | None = None
    # a question marked as klacht: what went to the klachtencoördinator (None: no klacht, or
    # no klachtencoördinator set)
    klacht: KlachtDoorgezet | None = None


@dataclass(frozen=True)
class NotitieGemaakt:
    notitie_id: uuid.UUID
    label: str
    deadline: datetime
    waarschuwing: str | None = None  # e.g. nobody will be mailed about it


@dataclass(frozen=True)
class Keuzes:
    afdelingen: list[Keuze]
    zaken: list[Keuze]


@dataclass
class _Autosave:
    na_rust: float = 0.75  # seconds of quiet after the last change
    uiterlijk: float = 2.5  # seconds after the oldest unsaved change, even while typing
    laatste_fout: BaseException | None = field(default=None, repr=False)


class Werkplek:
    """The agent's session. Create one per running app (or per CLI run)."""

    def __init__(
        self,
        engine: Engine,
        settings: Settings,
        *,
        klok: Callable[[], datetime] | None = None,
        herstel_pad: Path | None = None,
        monotoon: Callable[[], float] = time.monotonic,
    ) -> None:
        self.engine = engine
        self.settings = settings
        self.gemeente = settings.gemeente
        self.klok = klok or (lambda: datetime.now(UTC))
        self.medewerker: Medewerker | None = None
        self.autosave = _Autosave()
        self._monotoon = monotoon
        self._herstel_pad = herstel_pad
        self._herstel: Herstelbestand | None = None
        self._lock = threading.RLock()
        self._open = OpenContacten()
        # the other areas' use cases, each in its own module
        self.klanten = Klanten(self)
        self.kennisbank = KennisbankWerk(self)
        self.smoelenboek = SmoelenboekWerk(self)
        self.terugbel = TerugbelWerk(self)
        self.teamlead = TeamleadWerk(self)
        self.overzicht = OverzichtWerk(self)
        self.email = EmailWerk(self)
        self.beheer = BeheerWerk(self)

    # ---- sessions --------------------------------------------------------------------------

    @contextmanager
    def schrijf(self) -> Iterator[Session]:
        """One transaction that may change data."""
        with session_scope(self.engine) as session:
            yield session

    @contextmanager
    def lees(self) -> Iterator[Session]:
        """A read-only unit of work (never takes SQLite's write lock)."""
        with read_scope(self.engine) as session:
            yield session

    def ik(self) -> Medewerker:
        """The logged-in medewerker; refuses before the login finished."""
        if self.medewerker is None:
            raise NietAangemeld()
        return self.medewerker

    # ---- logging in --------------------------------------------------------------------------

    def aanmelden(self, sleutel: str | None = None) -> Aanmelding:
        """Log in and find what was left open by an earlier session (also after ``kill -9``:
        text typed but not yet in the database comes from the recovery file)."""
        with self.lees() as session:
            leeg = overzicht.is_leeg(session)
        with self.schrijf() as session:
            medewerker = medewerkers.aanmelden(session, sleutel)
            concepten = contactmomenten.open_concepten(session, medewerker)
        self.medewerker = medewerker
        self.beheer.laad()  # the organisation's settings, from the database
        self.klanten.warm_op()  # the name vocabulary, read in the background
        self._herstel = Herstelbestand(
            self._herstel_pad or standaard_pad(str(self.engine.url), medewerker.id)
        )
        hersteld = self._herstel.lees()
        aangeboden = []
        for samenvatting in concepten:
            contact = OpenContact(samenvatting, invoer_uit(samenvatting))
            if samenvatting.id in hersteld and hersteld[samenvatting.id] != contact.invoer:
                contact.invoer = hersteld[samenvatting.id]
                self._markeer_gewijzigd(contact)
            aangeboden.append(contact)
        return Aanmelding(medewerker, aangeboden, leeg)

    def laad_demo(self) -> None:
        from kiss.demo import genereer

        genereer(self.engine, self.settings, nu=self.klok())

    # ---- the open contactmomenten ----------------------------------------------------------

    @property
    def open_contacten(self) -> list[OpenContact]:
        with self._lock:
            return [c.kopie() for c in self._open.contacten.values()]

    @property
    def actief(self) -> OpenContact | None:
        with self._lock:
            actief = self._open.actief
            return actief.kopie() if actief else None

    def _contact(self, contact_id: uuid.UUID | None) -> OpenContact:
        with self._lock:
            if contact_id is None:
                if self._open.actief is None:
                    raise LookupError("Er is geen open contactmoment; start er een met ctrl+n.")
                return self._open.actief
            return self._open.haal(contact_id)

    def start_contact(self, keuze: NieuwContact) -> ContactGestart:
        """Start a contactmoment; with the caller's number or e-mail the klant is looked up
        (one match is linked at once, several are offered)."""
        medewerker = self.ik()
        with self.schrijf() as session:
            contact = contactmomenten.start(
                session,
                medewerker,
                kanaal=keuze.kanaal,
                gemeente=keuze.gemeente,
                settings=self.settings,
                contact_nummer=keuze.nummer,
                nu=self.klok(),
            )
            treffers = herken_contact(session, keuze.nummer) if keuze.nummer.strip() else []
            if len(treffers) == 1:
                contactmomenten.koppel_klant(session, contact.id, treffers[0].id, nu=self.klok())
            samenvatting = contactmomenten.samenvatting(session, contact)
        open_contact = OpenContact(samenvatting, ContactInvoer())
        with self._lock:
            self._open.voeg_toe(open_contact)
        return ContactGestart(open_contact.kopie(), treffers)

    def heropen(self, concepten: list[OpenContact]) -> OpenContact | None:
        """Open the unfinished contacts of an earlier session again."""
        with self._lock:
            for concept in concepten:
                if concept.id not in self._open.contacten:
                    self._open.voeg_toe(concept)
            actief = self._open.actief
            return actief.kopie() if actief else None

    def wissel(self, contact_id: uuid.UUID) -> OpenContact:
        with self._lock:
            contact = self._open.haal(contact_id)
            self._open.actief_id = contact_id
            return contact.kopie()

    def volgende(self) -> OpenContact | None:
        with self._lock:
            contact = self._open.volgende()
            return contact.kopie() if contact else None

    def _vernieuw(self, session: Session, contact: OpenContact) -> OpenContact:
        """Take the stored facts (klant, labels) after a change; keep what is being typed."""
        with self._lock:
            contact.samenvatting = contactmomenten.haal(session, contact.id)
            return contact.kopie()

    def koppel_klant(
        self, klant_id: uuid.UUID | None, contact_id: uuid.UUID | None = None
    ) -> OpenContact:
        """Link a klant to the (active) contact, or with None go on anonymously. Every
        question of the same conversation gets the same klant."""
        self.ik()
        contact = self._contact(contact_id)
        with self.schrijf() as session:
            contactmomenten.koppel_klant(session, contact.id, klant_id, nu=self.klok())
            gesprek = contact.samenvatting.gesprek_id
            bijgewerkt = self._vernieuw(session, contact)
            for ander in self._andere_vragen(gesprek, contact.id):
                self._vernieuw(session, ander)
        return bijgewerkt

    def _andere_vragen(self, gesprek_id: uuid.UUID, behalve: uuid.UUID) -> list[OpenContact]:
        with self._lock:
            return [
                c
                for c in self._open.contacten.values()
                if c.samenvatting.gesprek_id == gesprek_id and c.id != behalve
            ]

    def nog_een_vraag(self, contact_id: uuid.UUID | None = None) -> OpenContact:
        """A further question in the same contact: its own record and tab, same klant."""
        bron = self._contact(contact_id)
        self.bewaar_concepten()
        with self.schrijf() as session:
            nieuw = contactmomenten.nog_een_vraag(session, bron.id, nu=self.klok())
            samenvatting = contactmomenten.samenvatting(session, nieuw)
        open_contact = OpenContact(samenvatting, ContactInvoer())
        with self._lock:
            self._open.voeg_toe(open_contact)
        return open_contact.kopie()

    def werk_bij(self, contact_id: uuid.UUID, invoer: ContactInvoer) -> None:
        """What the agent typed, kept in memory at once (no database work: call per key)."""
        with self._lock:
            contact = self._open.contacten.get(contact_id)
            if contact is None or contact.invoer == invoer:
                return
            contact.invoer = replace(invoer)
            self._markeer_gewijzigd(contact)

    def _markeer_gewijzigd(self, contact: OpenContact) -> None:
        nu = self._monotoon()
        contact.versie += 1
        contact.laatste_wijziging = nu
        if contact.eerste_onbewaard is None:
            contact.eerste_onbewaard = nu

    def gebruik_artikel(
        self, artikel_id: uuid.UUID, titel: str, afdeling_id: uuid.UUID | None
    ) -> OpenContact:
        """A kennisbank article becomes the active contact's onderwerp (and suggests the
        afdeling it belongs to)."""
        with self._lock:
            contact = self._contact(None)
            invoer = replace(
                contact.invoer,
                onderwerp=titel[: contactmomenten.MAX_ONDERWERP],
                artikel_id=artikel_id,
                afdeling_id=contact.invoer.afdeling_id or afdeling_id,
                bronnen=_met_bron(
                    contact.invoer.bronnen, Bron(BronSoort.ARTIKEL, titel, artikel_id)
                ),
            )
            self.werk_bij(contact.id, invoer)
            return contact.kopie()

    def voeg_bron_toe(self, bron: Bron, contact_id: uuid.UUID | None = None) -> OpenContact:
        """Record that the agent consulted a source (a werkinstructie, a smoelenboek card, a
        website) for the (active) question; consulting it twice records it once."""
        with self._lock:
            contact = self._contact(contact_id)
            self.werk_bij(
                contact.id, replace(contact.invoer, bronnen=_met_bron(contact.invoer.bronnen, bron))
            )
            return contact.kopie()

    def verwijder_bron(self, index: int, contact_id: uuid.UUID | None = None) -> OpenContact:
        with self._lock:
            contact = self._contact(contact_id)
            bronnen = contact.invoer.bronnen[:index] + contact.invoer.bronnen[index + 1 :]
            self.werk_bij(contact.id, replace(contact.invoer, bronnen=bronnen))
            return contact.kopie()

    def doorverbinden(self, **doel: uuid.UUID | None) -> OpenContact:
        """Record on the active contact that the call was transferred (one doel: see
        :func:`contactmomenten.doorverbind`)."""
        medewerker = self.ik()
        contact = self._contact(None)
        self.bewaar_concepten()
        with self.schrijf() as session:
            samenvatting = contactmomenten.doorverbind(
                session, medewerker, contact.id, nu=self.klok(), **doel
            )
        with self._lock:
            contact.samenvatting = samenvatting
            contact.invoer = replace(
                contact.invoer,
                gespreksresultaat=samenvatting.gespreksresultaat,
                afdeling_id=samenvatting.afdeling_id,
                bronnen=_met_bron(
                    contact.invoer.bronnen,
                    Bron(
                        BronSoort.SMOELENBOEK,
                        samenvatting.doorverbonden_naar or "doorverbonden",
                        next((v for v in doel.values() if v is not None), None),
                    ),
                ),
            )
            self._markeer_gewijzigd(contact)
            return contact.kopie()

    # ---- autosave ------------------------------------------------------------------------------

    def moet_bewaren(self) -> bool:
        """True when autosave is due: a short quiet after the last change, or a few seconds
        after the oldest unsaved change even while the agent keeps typing."""
        nu = self._monotoon()
        with self._lock:
            return any(
                c.onbewaard
                and (
                    nu - c.laatste_wijziging >= self.autosave.na_rust
                    or (
                        c.eerste_onbewaard is not None
                        and nu - c.eerste_onbewaard >= self.autosave.uiterlijk
                    )
                )
                for c in self._open.contacten.values()
            )

    def bewaar_herstel(self) -> None:
        """Write what is not yet in the database to the local recovery file (fast, no
        database: safe to call from the UI thread a few times a second)."""
        if self._herstel is None:
            return
        with self._lock:
            onbewaard = {
                c.id: replace(c.invoer) for c in self._open.contacten.values() if c.onbewaard
            }
        self._herstel.schrijf(onbewaard)

    def bewaar_concepten(self) -> int:
        """Store every unsaved contact as concept, in one transaction. Raises on database
        trouble; the text stays in memory and in the recovery file, and the next call retries."""
        with self._lock:
            te_bewaren = [
                (c, c.versie, replace(c.invoer))
                for c in self._open.contacten.values()
                if c.onbewaard
            ]
        if not te_bewaren:
            return 0
        self.bewaar_herstel()
        bewaard = 0
        with self.schrijf() as session:
            for contact, _versie, invoer in te_bewaren:
                try:
                    contactmomenten.bewaar_concept(session, contact.id, invoer, nu=self.klok())
                except (contactmomenten.AlAfgerond, contactmomenten.ContactmomentNietGevonden):
                    continue  # closed or discarded in another window: nothing left to save
                bewaard += 1
        with self._lock:
            for contact, versie, _invoer in te_bewaren:
                contact.bewaarde_versie = versie
                if not contact.onbewaard:
                    contact.eerste_onbewaard = None
        self.bewaar_herstel()
        return bewaard

    # ---- afronden ------------------------------------------------------------------------------

    def _sluit(self, contact_id: uuid.UUID) -> None:
        with self._lock:
            self._open.sluit(contact_id)
        self.bewaar_herstel()

    def afronden(self, contact_id: uuid.UUID, invoer: ContactInvoer) -> Afgerond:
        """Close the contactmoment (validated: problems come back per field as InvoerFouten;
        the typed text stays). A klacht goes to the klachtencoördinator in the same
        transaction (see :mod:`kiss.services.terugbel.klachten`)."""
        medewerker = self.ik()
        self.werk_bij(contact_id, invoer)
        nu = self.klok()
        settings = self.settings
        with self.schrijf() as session:
            contact = contactmomenten.rond_af(
                session, medewerker, contact_id, invoer, settings, nu=nu
            )
            klacht = _klacht(session, klachten.zet_door(session, medewerker, contact, settings, nu))
            klant_id = contact.klant_id
        self._sluit(contact_id)
        return Afgerond(contact_id, klant_id, klacht=klacht)

    def vraagt_terugbelnotitie(self, invoer: ContactInvoer) -> bool:
        return invoer.gespreksresultaat == TERUGBELNOTITIE

    def terugbel_voorstel(self, contact_id: uuid.UUID, invoer: ContactInvoer) -> TerugbelInvoer:
        """The pre-filled callback form for this contact: checks the afronden fields first
        (so the agent fixes them before filling in the note)."""
        fouten = contactmomenten.valideer(invoer, self.settings)
        if fouten:
            raise InvoerFouten(fouten)
        self.werk_bij(contact_id, invoer)
        self.bewaar_concepten()
        with self.lees() as session:
            return terugbelnotities.voorstel_uit_contactmoment(session, contact_id)

    def afronden_met_terugbelnotitie(
        self, contact_id: uuid.UUID, invoer: ContactInvoer, notitie: TerugbelInvoer
    ) -> Afgerond:
        """Make the terugbelnotitie and close the contact in ONE transaction: either both
        are stored or neither is (with the klacht for the klachtencoördinator, if any)."""
        medewerker = self.ik()
        self.werk_bij(contact_id, invoer)
        nu = self.klok()
        settings = self.settings
        notitie = replace(notitie, contactmoment_id=contact_id)
        with self.schrijf() as session:
            gemaakt = terugbelnotities.maak_terugbelnotitie(
                session, medewerker, notitie, nu, settings
            )
            label = terugbelnotities.doel_label(
                session,
                gemaakt.toegewezen_afdeling_id,
                gemaakt.toegewezen_team_id,
                gemaakt.toegewezen_medewerker_id,
            )
            contact = contactmomenten.rond_af(
                session, medewerker, contact_id, invoer, settings, nu=nu
            )
            klacht = _klacht(
                session,
                klachten.zet_door(
                    session, medewerker, contact, settings, nu, eigen_notitie=notitie
                ),
            )
            resultaat = Afgerond(
                contact_id,
                contact.klant_id,
                gemaakt.id,
                label,
                gemaakt.deadline,
                _mailwaarschuwing(session, gemaakt.id),
                klacht,
            )
        self._sluit(contact_id)
        return resultaat

    def verwerp(self, contact_id: uuid.UUID) -> None:
        """Discard an open contact (the screen asks first)."""
        self.ik()
        with self.schrijf() as session:
            contactmomenten.verwerp(session, contact_id)
        self._sluit(contact_id)

    # ---- terugbelnotities made from anywhere (contact, smoelenboek card, queue) ----

    def terugbel_doelen(self) -> terugbelnotities.Doelen:
        """Who a terugbelnotitie can be assigned to."""
        with self.lees() as session:
            return terugbelnotities.doelen(session)

    def maak_terugbelnotitie(self, invoer: TerugbelInvoer) -> NotitieGemaakt:
        """A note on its own (not while closing a contact)."""
        medewerker = self.ik()
        with self.schrijf() as session:
            notitie = terugbelnotities.maak_terugbelnotitie(
                session, medewerker, invoer, self.klok(), self.settings
            )
            label = terugbelnotities.doel_label(
                session,
                notitie.toegewezen_afdeling_id,
                notitie.toegewezen_team_id,
                notitie.toegewezen_medewerker_id,
            )
            return NotitieGemaakt(
                notitie.id, label, notitie.deadline, _mailwaarschuwing(session, notitie.id)
            )

    # ---- what the afronden form offers -----------------------------------------------------

    def keuzes(self, klant_id: uuid.UUID | None) -> Keuzes:
        with self.lees() as session:
            return Keuzes(
                contactmomenten.afdelingen(session), contactmomenten.zaken_van(session, klant_id)
            )

    def samenvatting(self, contact_id: uuid.UUID) -> ContactSamenvatting:
        return self._contact(contact_id).samenvatting
