"""The agent's workspace: open contactmomenten, klant zoeken, klantbeeld and afronden.

Every database call runs in a thread worker; the screen only holds what is shown.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, cast

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Footer, Header, Tab, Tabs

from kiss.config import TERUGBELNOTITIE
from kiss.db import read_scope, session_scope
from kiss.rollen import GeenToegang
from kiss.screens.dialogen import Bevestig
from kiss.screens.klant_dialogen import AdresDialoog, NieuweKlantDialoog
from kiss.screens.nieuw_contact import NieuwContact, NieuwContactDialoog
from kiss.screens.terugbel_formulier import TerugbelFormulier
from kiss.services.contact import contactmomenten
from kiss.services.contact.contactmomenten import ContactInvoer, ContactSamenvatting
from kiss.services.klant import klantbeeld
from kiss.services.klant.klantbeeld import InvoerFouten, KlantInvoer, KlantNietGevonden
from kiss.services.klant.zoeken import NaamVocabulaire, herken_contact
from kiss.services.terugbel import terugbelnotities
from kiss.services.terugbel.terugbelnotities import TerugbelInvoer
from kiss.validation import ValidatieFout, lijkt_op_telefoon
from kiss.widgets.contact_formulier import ContactFormulier
from kiss.widgets.klant_zoeker import KlantZoeker
from kiss.widgets.klantbeeld_view import KlantbeeldView
from kiss.widgets.velden import toon_fouten

if TYPE_CHECKING:
    from kiss.app import KissApp


def _tab_id(contact_id: uuid.UUID) -> str:
    return f"c-{contact_id.hex}"


def _contact_id(tab_id: str) -> uuid.UUID:
    return uuid.UUID(hex=tab_id.removeprefix("c-"))


@dataclass
class OpenContact:
    samenvatting: ContactSamenvatting
    invoer: ContactInvoer = field(default_factory=ContactInvoer)
    gewijzigd: bool = False


class ContactScreen(Screen[None]):
    """Mode ``contact``: handle a contact from start to finish with the keyboard alone."""

    DEFAULT_CSS = """
    ContactScreen #werkruimte { height: 1fr; }
    ContactScreen #links { width: 46%; min-width: 50; border-right: solid $panel; padding: 0 1; }
    ContactScreen #klantbeeld { width: 1fr; }
    ContactScreen #open-contacten { height: 2; }
    """
    BINDINGS = [
        Binding("ctrl+s", "afronden", "Afronden", id="afronden", priority=True,
                tooltip="Sluit het contactmoment af; het verschijnt in de contacthistorie"),
        Binding("ctrl+e", "nog_een_vraag", "Nog een vraag", id="nog_een_vraag", priority=True),
        Binding("ctrl+w", "verwerp", "Verwerpen", id="verwerp", priority=True,
                tooltip="Gooi het open contactmoment weg (met bevestiging)"),
        Binding("ctrl+o", "volgende_contact", "Volgend contact", id="volgende_contact"),
        Binding("ctrl+k", "zoek", "Klant zoeken", id="klant_zoeken", priority=True),
        Binding("ctrl+b", "toon_bsn", "Toon BSN", id="toon_bsn", show=False),
        Binding("ctrl+t", "adres_toevoegen", "Tel./e-mail toevoegen", id="adres_toevoegen",
                show=False),
        Binding("ctrl+r", "adres_corrigeren", "Tel./e-mail corrigeren", id="adres_corrigeren",
                show=False),
        Binding("ctrl+j", "behandelaar", "Behandelaar", id="behandelaar",
                tooltip="Smoelenboekkaart van de behandelaar van de gekozen zaak"),
    ]  # fmt: skip

    def __init__(self) -> None:
        super().__init__()
        self.open: dict[uuid.UUID, OpenContact] = {}
        self.actief: uuid.UUID | None = None
        self.klant_id: uuid.UUID | None = None
        self.kanaal_filter: str | None = None
        self._autosave: Timer | None = None

    @property
    def kiss(self) -> KissApp:
        return cast("KissApp", self.app)

    def compose(self) -> ComposeResult:
        yield Header()
        yield Tabs(id="open-contacten")
        with Horizontal(id="werkruimte"):
            with VerticalScroll(id="links"):
                yield KlantZoeker(id="zoeker")
                yield ContactFormulier(self.kiss.settings.gespreksresultaten, id="formulier")
            yield KlantbeeldView(self.kiss.settings.kanalen, id="klantbeeld")
        yield Footer()

    @property
    def formulier(self) -> ContactFormulier:
        return self.query_one("#formulier", ContactFormulier)

    @property
    def zoeker(self) -> KlantZoeker:
        return self.query_one("#zoeker", KlantZoeker)

    @property
    def beeld(self) -> KlantbeeldView:
        return self.query_one("#klantbeeld", KlantbeeldView)

    def on_mount(self) -> None:
        self.formulier.vul(None, None)
        self.laad_keuzes(None)
        self.zoeker.focus_zoek()

    # ---- open contactmomenten -------------------------------------------------------------

    def action_nieuw(self, voorinvulling: NieuwContact | None = None) -> None:
        if voorinvulling is not None:
            self.start_contact(voorinvulling)
            return
        self.app.push_screen(
            NieuwContactDialoog(
                self.kiss.settings.kanalen,
                [g for g, _code in self.kiss.settings.gemeenten],
                self.kiss.gemeente,
            ),
            self._nieuw_gekozen,
        )

    def _nieuw_gekozen(self, keuze: NieuwContact | None) -> None:
        if keuze is not None:
            self.start_contact(keuze)

    @work(thread=True, group="contact-db")
    def start_contact(self, keuze: NieuwContact) -> None:
        medewerker = self.kiss.medewerker
        if medewerker is None:
            self.app.call_from_thread(self.notify, "Nog niet aangemeld.", severity="error")
            return
        try:
            with session_scope(self.kiss.engine) as session:
                contact = contactmomenten.start(
                    session,
                    medewerker,
                    kanaal=keuze.kanaal,
                    gemeente=keuze.gemeente,
                    settings=self.kiss.settings,
                    contact_nummer=keuze.nummer,
                    nu=self.kiss.klok(),
                )
                treffers = herken_contact(session, keuze.nummer) if keuze.nummer else []
                if len(treffers) == 1:
                    contactmomenten.koppel_klant(session, contact.id, treffers[0].id)
                samenvatting = contactmomenten.samenvatting(session, contact)
        except (InvoerFouten, ValidatieFout) as exc:
            self.app.call_from_thread(self.notify, str(exc), severity="error")
            return
        self.app.call_from_thread(self._contact_geopend, samenvatting, treffers, keuze.nummer)

    def _contact_geopend(
        self, samenvatting: ContactSamenvatting, treffers: list[Any], nummer: str
    ) -> None:
        self._voeg_tab_toe(samenvatting, ContactInvoer())  # a recognised klant opens with it
        if len(treffers) == 1:
            return
        self.klant_id = None
        if treffers:
            self.zoeker.toon_treffers(
                treffers, f"{len(treffers)} klanten met {nummer} — kies de juiste"
            )
            self.zoeker.query_one("#treffers").focus()
        else:
            if nummer:
                self.zoeker.invoer.value = nummer
            self.zoeker.toon_treffers(
                [],
                "Onbekend nummer: zoek de klant, registreer een nieuwe klant of ga anoniem verder."
                if nummer
                else "Zoek de klant of ga anoniem verder.",
            )
            self.zoeker.focus_zoek()

    def _voeg_tab_toe(self, samenvatting: ContactSamenvatting, invoer: ContactInvoer) -> None:
        self._bewaar_actief_nu()
        self.open[samenvatting.id] = OpenContact(samenvatting, invoer)
        tabs = self.query_one("#open-contacten", Tabs)
        tabs.add_tab(Tab(samenvatting.label, id=_tab_id(samenvatting.id)))
        tabs.active = _tab_id(samenvatting.id)
        self._activeer(samenvatting.id)

    def _activeer(self, contact_id: uuid.UUID | None) -> None:
        self.actief = contact_id
        open_contact = self.open.get(contact_id) if contact_id else None
        if open_contact is None:
            self.formulier.vul(None, None)
            self.laad_keuzes(None)
            return
        self.formulier.vul(open_contact.samenvatting, open_contact.invoer)
        self.laad_keuzes(open_contact.samenvatting.klant_id)
        if (
            open_contact.samenvatting.klant_id
            and open_contact.samenvatting.klant_id != self.klant_id
        ):
            self.open_klant(open_contact.samenvatting.klant_id, koppel=False)

    @on(Tabs.TabActivated, "#open-contacten")
    def _tab_gekozen(self, event: Tabs.TabActivated) -> None:
        if event.tab is None or event.tab.id is None:
            return
        contact_id = _contact_id(event.tab.id)
        if contact_id != self.actief:
            self._bewaar_actief_nu()
            self._activeer(contact_id)

    def action_volgende_contact(self) -> None:
        tabs = self.query_one("#open-contacten", Tabs)
        if self.open:
            tabs.action_next_tab()

    async def _sluit_tab(self, contact_id: uuid.UUID) -> None:
        self.open.pop(contact_id, None)
        tabs = self.query_one("#open-contacten", Tabs)
        await tabs.remove_tab(_tab_id(contact_id))
        if self.actief == contact_id:
            volgende = next(iter(self.open), None)
            if volgende is not None:
                tabs.active = _tab_id(volgende)
            self._activeer(volgende)

    def herstel_concepten(self, concepten: list[ContactSamenvatting]) -> None:
        """Re-open unfinished contactmomenten (after a crash or a closed terminal)."""
        for concept in concepten:
            if concept.id in self.open:
                continue
            self._voeg_tab_toe(
                concept,
                ContactInvoer(
                    onderwerp=concept.onderwerp,
                    artikel_id=concept.artikel_id,
                    vraag=concept.vraag,
                    notitie=concept.notitie,
                    gespreksresultaat=concept.gespreksresultaat,
                    afdeling_id=concept.afdeling_id,
                    zaak_id=concept.zaak_id,
                ),
            )

    # ---- klant ----------------------------------------------------------------------------

    def action_zoek(self) -> None:
        self.zoeker.focus_zoek()

    @on(KlantZoeker.KlantGekozen)
    def _klant_gekozen(self, event: KlantZoeker.KlantGekozen) -> None:
        self.open_klant(event.klant_id)

    @on(KlantZoeker.AnoniemGekozen)
    def _anoniem(self) -> None:
        if self.actief is None:
            self.notify("Start eerst een contactmoment (ctrl+n).", severity="warning")
            return
        self.koppel(None)
        self.formulier.query_one("#onderwerp").focus()

    @work(thread=True, group="contact-db")
    def koppel(self, klant_id: uuid.UUID | None) -> None:
        if self.actief is None:
            return
        contact_id = self.actief
        with session_scope(self.kiss.engine) as session:
            contactmomenten.koppel_klant(session, contact_id, klant_id)
            samenvatting = contactmomenten.haal(session, contact_id)
        self.app.call_from_thread(self._samenvatting_bijgewerkt, samenvatting)

    def _samenvatting_bijgewerkt(self, samenvatting: ContactSamenvatting) -> None:
        if samenvatting.id in self.open:
            self.open[samenvatting.id].samenvatting = samenvatting
            tab = self.query_one("#open-contacten", Tabs).query_one(
                f"#{_tab_id(samenvatting.id)}", Tab
            )
            tab.label = samenvatting.label
            if samenvatting.id == self.actief:
                invoer = self.formulier.invoer
                self.formulier.vul(samenvatting, invoer)
                self.laad_keuzes(samenvatting.klant_id)

    @work(thread=True, exclusive=True, group="klantbeeld")
    def open_klant(self, klant_id: uuid.UUID, koppel: bool = True, log: bool = True) -> None:
        medewerker = self.kiss.medewerker
        if medewerker is None:
            return
        try:
            with session_scope(self.kiss.engine) as session:
                if koppel and self.actief is not None:
                    contactmomenten.koppel_klant(session, self.actief, klant_id)
                beeld = klantbeeld.laad(
                    session, klant_id, medewerker, kanaal=self.kanaal_filter, log=log
                )
                samenvatting = contactmomenten.haal(session, self.actief) if self.actief else None
        except KlantNietGevonden as exc:
            self.app.call_from_thread(self.notify, str(exc), severity="error")
            return
        self.app.call_from_thread(self._toon_klant, beeld, samenvatting)

    def _toon_klant(self, beeld: klantbeeld.Klantbeeld, samenvatting: Any) -> None:
        self.klant_id = beeld.id
        self.beeld.toon(beeld)
        if samenvatting is not None:
            self._samenvatting_bijgewerkt(samenvatting)

    @on(KlantbeeldView.KanaalFilterGewijzigd)
    def _filter(self, event: KlantbeeldView.KanaalFilterGewijzigd) -> None:
        self.kanaal_filter = event.kanaal
        if self.klant_id:
            self.open_klant(self.klant_id, koppel=False, log=False)

    async def action_behandelaar(self) -> None:
        zaak_id = self.beeld.geselecteerde_zaak()
        if zaak_id is None:
            self.notify("Kies eerst een zaak in het klantbeeld.", severity="warning")
            return
        from kiss.screens.smoelenboek import open_behandelaar

        await open_behandelaar(self.kiss, zaak_id)

    def action_toon_bsn(self) -> None:
        if self.klant_id is not None:
            self.toon_bsn(self.klant_id)

    @work(thread=True, group="contact-db")
    def toon_bsn(self, klant_id: uuid.UUID) -> None:
        medewerker = self.kiss.medewerker
        if medewerker is None:
            return
        try:
            with session_scope(self.kiss.engine) as session:
                bsn = klantbeeld.toon_bsn(session, klant_id, medewerker)
        except (GeenToegang, KlantNietGevonden) as exc:
            self.app.call_from_thread(self.notify, str(exc), severity="warning")
            return
        if self.beeld.beeld is not None and self.beeld.beeld.id == klant_id:
            self.app.call_from_thread(self.beeld.toon, self.beeld.beeld, bsn)

    @on(KlantZoeker.NieuweKlantGevraagd)
    def _nieuwe_klant(self) -> None:
        getypt = self.zoeker.invoer.value.strip()
        voorinvulling = KlantInvoer()
        if lijkt_op_telefoon(getypt):
            voorinvulling.telefoon = getypt
        elif "@" in getypt:
            voorinvulling.email = getypt
        elif getypt and not any(c.isdigit() for c in getypt):
            voorinvulling.achternaam = getypt
        contact = self.open.get(self.actief) if self.actief else None
        if (
            contact
            and not voorinvulling.telefoon
            and lijkt_op_telefoon(contact.samenvatting.contact_nummer)
        ):
            voorinvulling.telefoon = contact.samenvatting.contact_nummer
        gemeente = contact.samenvatting.gemeente if contact else self.kiss.gemeente
        self.app.push_screen(
            NieuweKlantDialoog(
                self._registreer,
                [g for g, _code in self.kiss.settings.gemeenten],
                gemeente,
                voorinvulling,
            ),
            self._klant_geregistreerd,
        )

    def _registreer(self, invoer: KlantInvoer) -> uuid.UUID:
        """Runs in the dialog's worker thread."""
        medewerker = self.kiss.medewerker
        if medewerker is None:
            raise ValidatieFout("Nog niet aangemeld.")
        with session_scope(self.kiss.engine) as session:
            klant = klantbeeld.registreer_klant(session, medewerker, invoer)
        NaamVocabulaire.voor(self.kiss.engine).vergeet()
        return klant.id

    def _klant_geregistreerd(self, klant_id: uuid.UUID | None) -> None:
        if klant_id is not None:
            self.notify("Klant geregistreerd.")
            self.open_klant(klant_id)

    def action_adres_toevoegen(self) -> None:
        if self.klant_id is None:
            self.notify("Kies eerst een klant.", severity="warning")
            return
        klant_id = self.klant_id

        def opslaan(invoer: tuple[str, str, str]) -> uuid.UUID:
            soort, waarde, omschrijving = invoer
            with session_scope(self.kiss.engine) as session:
                adres = klantbeeld.voeg_adres_toe(
                    session,
                    klant_id,
                    self._medewerker(),
                    soort=soort,
                    waarde=waarde,
                    omschrijving=omschrijving,
                )
            return adres.id

        self.app.push_screen(
            AdresDialoog(opslaan, "Telefoonnummer of e-mail toevoegen"), self._adres_klaar
        )

    def action_adres_corrigeren(self) -> None:
        beeld = self.beeld.beeld
        if beeld is None or not beeld.adressen:
            self.notify("Deze klant heeft nog geen telefoonnummer of e-mail.", severity="warning")
            return
        adres = beeld.adressen[0]

        def opslaan(invoer: tuple[str, str, str]) -> uuid.UUID:
            _soort, waarde, omschrijving = invoer
            with session_scope(self.kiss.engine) as session:
                klantbeeld.wijzig_adres(
                    session,
                    adres.id,
                    self._medewerker(),
                    waarde=waarde,
                    omschrijving=omschrijving or None,
                )
            return adres.id

        self.app.push_screen(
            AdresDialoog(opslaan, f"Corrigeer {adres.weergave}", adres.soort, adres.weergave),
            self._adres_klaar,
        )

    def _adres_klaar(self, resultaat: uuid.UUID | None) -> None:
        if resultaat is not None and self.klant_id is not None:
            self.notify("Opgeslagen.")
            self.open_klant(self.klant_id, koppel=False, log=False)

    def _medewerker(self) -> Any:
        if self.kiss.medewerker is None:
            raise ValidatieFout("Nog niet aangemeld.")
        return self.kiss.medewerker

    def gebruik_artikel(
        self, artikel_id: uuid.UUID, titel: str, afdeling_id: uuid.UUID | None
    ) -> bool:
        """Called from the kennisbank: the article becomes the open contactmoment's onderwerp."""
        if self.actief is None:
            self.notify(
                "Er is geen open contactmoment; start er een met ctrl+n.", severity="warning"
            )
            return False
        self.formulier.gebruik_artikel(artikel_id, titel, afdeling_id)
        self.notify(f"Onderwerp van het contactmoment: {titel}")
        return True

    # ---- afronden and autosave ------------------------------------------------------------

    @work(thread=True, exclusive=True, group="keuzes")
    def laad_keuzes(self, klant_id: uuid.UUID | None) -> None:
        with read_scope(self.kiss.engine) as session:
            afdelingen = contactmomenten.afdelingen(session)
            zaken = contactmomenten.zaken_van(session, klant_id)
        self.app.call_from_thread(self.formulier.zet_keuzes, afdelingen, zaken)

    @on(ContactFormulier.Gewijzigd)
    def _formulier_gewijzigd(self) -> None:
        if self.actief is None or self.actief not in self.open:
            return
        contact = self.open[self.actief]
        contact.invoer = self.formulier.invoer
        contact.gewijzigd = True
        if self._autosave is not None:
            self._autosave.stop()
        self._autosave = self.set_timer(
            self.kiss.settings.autosave_seconden, self._bewaar_actief_nu
        )

    def _bewaar_actief_nu(self) -> None:
        if self.actief is None or self.actief not in self.open:
            return
        contact = self.open[self.actief]
        if not contact.gewijzigd:
            return
        contact.gewijzigd = False
        self.bewaar_concept(contact.samenvatting.id, contact.invoer)

    @work(thread=True, group="autosave")
    def bewaar_concept(self, contact_id: uuid.UUID, invoer: ContactInvoer) -> None:
        try:
            with session_scope(self.kiss.engine) as session:
                contactmomenten.bewaar_concept(session, contact_id, invoer)
        except (contactmomenten.AlAfgerond, contactmomenten.ContactmomentNietGevonden):
            pass  # closed or discarded meanwhile: nothing left to save

    def action_afronden(self) -> None:
        if self.actief is None:
            self.notify("Er is geen open contactmoment.", severity="warning")
            return
        if self._autosave is not None:
            self._autosave.stop()
        invoer = self.formulier.invoer
        if invoer.gespreksresultaat == TERUGBELNOTITIE:
            fouten = contactmomenten.valideer(invoer, self.kiss.settings)
            if fouten:
                toon_fouten(self.formulier, fouten)
                return
            self.maak_terugbelnotitie(self.actief, invoer)
            return
        self.rond_af(self.actief, invoer)

    @work(thread=True, exclusive=True, group="afronden")
    def maak_terugbelnotitie(self, contact_id: uuid.UUID, invoer: ContactInvoer) -> None:
        """Result 'terugbelnotitie': the pre-filled form first; the contact closes once the
        note is saved (cancelling the form leaves the contactmoment open)."""
        with session_scope(self.kiss.engine) as session:
            contactmomenten.bewaar_concept(session, contact_id, invoer)
            voorstel = terugbelnotities.voorstel_uit_contactmoment(session, contact_id)
        self.app.call_from_thread(self._open_terugbelformulier, contact_id, invoer, voorstel)

    def _open_terugbelformulier(
        self, contact_id: uuid.UUID, invoer: ContactInvoer, voorstel: TerugbelInvoer
    ) -> None:
        def klaar(notitie_id: uuid.UUID | None) -> None:
            if notitie_id is None:
                self.notify(
                    "Geen terugbelnotitie gemaakt; het contactmoment staat nog open.",
                    severity="warning",
                )
                return
            self.rond_af(contact_id, invoer)

        self.app.push_screen(TerugbelFormulier(voorstel, contactmoment_id=contact_id), klaar)

    @work(thread=True, exclusive=True, group="afronden")
    def rond_af(self, contact_id: uuid.UUID, invoer: ContactInvoer) -> None:
        medewerker = self.kiss.medewerker
        if medewerker is None:
            return
        try:
            with session_scope(self.kiss.engine) as session:
                contact = contactmomenten.rond_af(
                    session, medewerker, contact_id, invoer, self.kiss.settings, nu=self.kiss.klok()
                )
                klant_id = contact.klant_id
        except InvoerFouten as exc:
            self.app.call_from_thread(toon_fouten, self.formulier, exc.fouten)
            self.app.call_from_thread(
                self.notify, "Nog niet alles is ingevuld; zie de meldingen.", severity="warning"
            )
            return
        except contactmomenten.AlAfgerond as exc:
            self.app.call_from_thread(self.notify, str(exc), severity="warning")
            klant_id = None
        self.app.call_from_thread(self._afgerond, contact_id, klant_id)

    async def _afgerond(self, contact_id: uuid.UUID, klant_id: uuid.UUID | None) -> None:
        self.notify("Contactmoment afgerond.")
        self.kiss.gegevens_gewijzigd.publish("contactmoment")
        await self._sluit_tab(contact_id)
        if klant_id is not None and klant_id == self.klant_id:
            self.open_klant(klant_id, koppel=False, log=False)

    def action_nog_een_vraag(self) -> None:
        if self.actief is None:
            self.notify("Er is geen open contactmoment.", severity="warning")
            return
        self._bewaar_actief_nu()
        self.nieuwe_vraag(self.actief)

    @work(thread=True, group="contact-db")
    def nieuwe_vraag(self, contact_id: uuid.UUID) -> None:
        with session_scope(self.kiss.engine) as session:
            nieuw = contactmomenten.nog_een_vraag(session, contact_id, nu=self.kiss.klok())
            samenvatting = contactmomenten.samenvatting(session, nieuw)
        self.app.call_from_thread(self._voeg_tab_toe, samenvatting, ContactInvoer())

    def action_verwerp(self) -> None:
        if self.actief is None:
            return
        contact_id = self.actief

        def besloten(ja: bool | None) -> None:
            if ja:
                self.verwerp(contact_id)

        self.app.push_screen(
            Bevestig(
                "Dit contactmoment weggooien? Wat je typte gaat verloren.",
                ja="Weggooien",
                nee="Terug",
            ),
            besloten,
        )

    @work(thread=True, group="contact-db")
    def verwerp(self, contact_id: uuid.UUID) -> None:
        with session_scope(self.kiss.engine) as session:
            contactmomenten.verwerp(session, contact_id)
        self.app.call_from_thread(self._sluit_tab_sync, contact_id)

    def _sluit_tab_sync(self, contact_id: uuid.UUID) -> None:
        self.run_worker(self._sluit_tab(contact_id))

    def on_unmount(self) -> None:
        self._bewaar_alles_synchroon()

    def _bewaar_alles_synchroon(self) -> None:
        """Last chance on exit: write every unsaved concept (quick, few rows)."""
        for contact in self.open.values():
            if contact.gewijzigd:
                try:
                    with session_scope(self.kiss.engine) as session:
                        contactmomenten.bewaar_concept(
                            session, contact.samenvatting.id, contact.invoer
                        )
                except Exception:  # never block shutdown
                    continue
                contact.gewijzigd = False
