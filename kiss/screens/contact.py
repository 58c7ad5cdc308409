"""The agent's workspace: open contactmomenten, klant zoeken, klantbeeld and afronden.

The screen renders the werkplek's open contacts and asks it to act; it holds no contact
state of its own. The klantbeeld always shows the ACTIVE contact's klant (or nothing).

With Open Klant switched on, the register is asked in workers of its own AFTER the local
search result and the local klantbeeld are shown, so a slow or down register never delays
them; its answer is dropped when the agent typed on or switched contact meanwhile.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from functools import partial

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Footer, Header, Tab, Tabs

from kiss.screens.basis import KissScreen
from kiss.screens.bron_dialoog import BronDialoog
from kiss.screens.dialogen import Bevestig
from kiss.screens.klant_dialogen import AdresDialoog, NieuweKlantDialoog
from kiss.screens.nieuw_contact import NieuwContactDialoog
from kiss.screens.terugbel_formulier import TerugbelFormulier
from kiss.services.contact.bronnen import Bron
from kiss.services.contact.contactmomenten import ContactInvoer
from kiss.services.klant.klantbeeld import InvoerFouten, Klantbeeld, KlantInvoer
from kiss.services.terugbel.terugbelnotities import TerugbelInvoer
from kiss.validation import lijkt_op_telefoon
from kiss.weergave import lang_tijdstip
from kiss.werkplek import Afgerond, ContactGestart, Keuzes, NieuwContact, OpenContact
from kiss.werkplek.gebeurtenissen import (
    ContactGeopend,
    ContactGewijzigd,
    ContactmomentAfgerond,
    Gebeurtenis,
    InstellingenGewijzigd,
    KlantGewijzigd,
    TerugbelnotitieGewijzigd,
)
from kiss.werkplek.klanten import RegisterContacten, RegisterUitkomst, ZoekUitkomst
from kiss.widgets.contact_formulier import ContactFormulier
from kiss.widgets.klant_zoeker import KlantZoeker
from kiss.widgets.klantbeeld_view import KlantbeeldView
from kiss.widgets.velden import toon_fouten

AUTOSAVE_TIK = 0.25  # seconds between autosave checks


def _tab_id(contact_id: uuid.UUID) -> str:
    return f"c-{contact_id.hex}"


def _contact_id(tab_id: str) -> uuid.UUID:
    return uuid.UUID(hex=tab_id.removeprefix("c-"))


class ContactScreen(KissScreen):
    """Mode ``contact``: handle a contact from start to finish with the keyboard alone."""

    # Narrow terminals (80 columns) stack the klantbeeld under the form, full width, so the
    # history columns, phone numbers and messages are not cut off.
    HORIZONTAL_BREAKPOINTS = [(0, "-smal"), (120, "-breed")]
    DEFAULT_CSS = """
    ContactScreen #werkruimte { height: 1fr; }
    ContactScreen #links { width: 46%; min-width: 50; border-right: solid $panel; padding: 0 1; }
    ContactScreen #klantbeeld { width: 1fr; }
    ContactScreen #open-contacten { height: 2; }
    ContactScreen.-smal #werkruimte { layout: vertical; overflow-y: auto; }
    ContactScreen.-smal #links { width: 100%; min-width: 0; height: auto; border-right: none; }
    ContactScreen.-smal #klantbeeld { width: 100%; height: auto; border-top: solid $panel; }
    """
    BINDINGS = [
        Binding("ctrl+s", "afronden", "Afronden", id="afronden", priority=True,
                tooltip="Sluit het contactmoment af; het verschijnt in de contacthistorie"),
        Binding("ctrl+e", "nog_een_vraag", "Nog een vraag", id="nog_een_vraag", priority=True),
        Binding("f8", "verwerp", "Weggooien", id="verwerp",
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
        Binding("ctrl+l", "bron", "Bron", id="bron_toevoegen", show=False,
                tooltip="Een geraadpleegde website of werkinstructie bij de vraag vastleggen"),
    ]  # fmt: skip

    def __init__(self) -> None:
        super().__init__()
        self.kanaal_filter: str | None = None
        self._bezoek_klant: uuid.UUID | None = None  # a klant looked up without a contact

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

    @property
    def tabs(self) -> Tabs:
        return self.query_one("#open-contacten", Tabs)

    @property
    def actief(self) -> OpenContact | None:
        return self.werkplek.actief

    def on_mount(self) -> None:
        self.formulier.vul(None, None)
        self.beeld.toon_leeg()
        self.set_interval(AUTOSAVE_TIK, self._autosave_tik)
        self.kiss.gegevens_gewijzigd.subscribe(self, self._gegevens_gewijzigd)
        self.toon_open_contacten()
        self.zoeker.focus_zoek()

    def on_screen_resume(self) -> None:
        self.toon_open_contacten()

    def _gegevens_gewijzigd(self, gebeurtenis: Gebeurtenis) -> None:
        actief = self.actief
        if isinstance(gebeurtenis, InstellingenGewijzigd):  # a beheerder changed the lists
            self.formulier.zet_resultaten(self.kiss.settings.gespreksresultaten)
        if isinstance(gebeurtenis, ContactGewijzigd) and self.is_current:
            self.toon_open_contacten()
        elif (
            isinstance(gebeurtenis, KlantGewijzigd | ContactmomentAfgerond)
            and gebeurtenis.klant_id is not None
            and self.beeld.klant_id == gebeurtenis.klant_id
        ):
            self._laad_klantbeeld(gebeurtenis.klant_id, log=False)
        elif isinstance(gebeurtenis, TerugbelnotitieGewijzigd) and actief and actief.klant_id:
            self._laad_klantbeeld(actief.klant_id, log=False)

    # ---- showing the werkplek's open contacts ------------------------------------------------

    def toon_open_contacten(self) -> None:
        """Make the tabs, the form and the klantbeeld follow the werkplek."""
        open_contacten = self.werkplek.open_contacten
        tabs = self.tabs
        gewenst = {_tab_id(c.id): c for c in open_contacten}
        for tab in list(tabs.query(Tab)):
            if tab.id not in gewenst:
                tabs.remove_tab(tab.id)
        bestaand = {tab.id for tab in tabs.query(Tab)}
        for tab_id, contact in gewenst.items():
            if tab_id in bestaand:
                tabs.query_one(f"#{tab_id}", Tab).label = contact.label
            else:
                tabs.add_tab(Tab(contact.label, id=tab_id))
        actief = self.actief
        if actief is not None and tabs.active != _tab_id(actief.id):
            tabs.active = _tab_id(actief.id)
        self._toon(actief)

    def _toon(self, contact: OpenContact | None) -> None:
        if contact is None:
            self.formulier.vul(None, None)
        elif self.formulier.contact_id != contact.id or self.formulier.invoer != contact.invoer:
            self.formulier.vul(contact.samenvatting, contact.invoer)
        else:
            self.formulier.werk_kop_bij(contact.samenvatting)
        klant_id = contact.klant_id if contact is not None else self._bezoek_klant
        if klant_id is None:
            self.beeld.toon_leeg()
        elif klant_id != self.beeld.klant_id:
            self._laad_klantbeeld(klant_id)
        self.voer_uit(
            partial(self.werkplek.keuzes, contact.klant_id if contact else None),
            self._toon_keuzes,
            groep="keuzes",
            exclusief=True,
        )

    def _toon_keuzes(self, keuzes: Keuzes) -> None:
        self.formulier.zet_keuzes(keuzes.afdelingen, keuzes.zaken)

    def _laad_klantbeeld(self, klant_id: uuid.UUID, *, log: bool = True) -> None:
        self.voer_uit(
            partial(self.werkplek.klanten.beeld, klant_id, kanaal=self.kanaal_filter, log=log),
            self._klantbeeld_binnen,
            groep="klantbeeld",
            exclusief=True,
        )

    def _klantbeeld_binnen(self, beeld: Klantbeeld) -> None:
        actief = self.actief
        verwacht = actief.klant_id if actief is not None else self._bezoek_klant
        if beeld.id != verwacht:
            return  # the agent switched contact meanwhile: never show the previous caller
        self.beeld.toon(beeld)
        if self.werkplek.klanten.leest_register:  # the contacts made elsewhere, later
            self.voer_uit(
                partial(self.werkplek.klanten.register_contacten, beeld.id),
                self._register_contacten_binnen,
                groep="klantbeeld-register",
                exclusief=True,
                herhaal=False,
            )

    def _register_contacten_binnen(self, contacten: RegisterContacten) -> None:
        actief = self.actief
        verwacht = actief.klant_id if actief is not None else self._bezoek_klant
        if contacten.klant_id != verwacht:
            return  # switched meanwhile: the klantbeeld shows the active contact's klant only
        self.beeld.toon_register(contacten)

    @on(Tabs.TabActivated, "#open-contacten")
    def _tab_gekozen(self, event: Tabs.TabActivated) -> None:
        if event.tab is None or event.tab.id is None:
            return
        contact_id = _contact_id(event.tab.id)
        actief = self.actief
        if actief is None or actief.id != contact_id:
            self._toon(self.werkplek.wissel(contact_id))

    def action_volgende_contact(self) -> None:
        volgende = self.werkplek.volgende()
        if volgende is None:
            self.notify("Er is geen open contactmoment.", severity="warning")
            return
        self.toon_open_contacten()

    # ---- a new contact ----

    def action_nieuw(self, voorinvulling: NieuwContact | None = None) -> None:
        if voorinvulling is not None:
            self._start(voorinvulling)
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
            self._start(keuze)

    def _start(self, keuze: NieuwContact) -> None:
        self.voer_uit(
            partial(self.werkplek.start_contact, keuze), self._gestart, groep="contact-start"
        )

    def _gestart(self, gestart: ContactGestart) -> None:
        self._bezoek_klant = None
        self.kiss.meld(ContactGeopend(gestart.contact.id))
        self.toon_open_contacten()
        nummer = gestart.contact.samenvatting.contact_nummer
        self.zoeker.invoer.value = ""
        if len(gestart.treffers) == 1:
            self.formulier.focus_eerste()
        elif gestart.treffers:
            self.zoeker.toon_treffers(
                gestart.treffers, f"{len(gestart.treffers)} klanten met {nummer} — kies de juiste"
            )
            self.zoeker.focus_treffers()
        else:
            self.zoeker.invoer.value = nummer
            self.zoeker.toon_treffers(
                [],
                "Onbekend nummer: zoek de klant, registreer een nieuwe klant of ga anoniem verder."
                if nummer
                else "Zoek de klant of ga anoniem verder.",
            )
            self.zoeker.focus_zoek()

    # ---- klant ----

    def action_zoek(self) -> None:
        self.zoeker.focus_zoek()

    @on(KlantZoeker.ZoekGevraagd)
    def _zoek(self, event: KlantZoeker.ZoekGevraagd) -> None:
        self.voer_uit(
            partial(self.werkplek.klanten.zoek, event.tekst),
            self._zoek_binnen,
            groep="klant-zoeken",
            exclusief=True,
            wacht=event.wacht,
            bij_weigering=partial(self._zoek_geweigerd, event.tekst),
        )

    def _zoek_binnen(self, uitkomst: ZoekUitkomst) -> None:
        """The local hits at once; then, in a worker of its own, the register."""
        self.zoeker.toon_uitkomst(uitkomst)
        if self.werkplek.klanten.leest_register and uitkomst.tekst == self.zoeker.invoer.value:
            self.voer_uit(
                partial(self.werkplek.klanten.zoek_in_register, uitkomst.tekst),
                self._register_binnen,
                groep="klant-zoeken-register",
                exclusief=True,
                herhaal=False,
            )

    def _register_binnen(self, uitkomst: RegisterUitkomst) -> None:
        self.zoeker.toon_register(uitkomst)

    def _zoek_geweigerd(self, tekst: str, fout: Exception) -> None:
        self.zoeker.toon_uitkomst(ZoekUitkomst(tekst, "", []), str(fout))

    @on(KlantZoeker.KlantGekozen)
    def _klant_gekozen(self, event: KlantZoeker.KlantGekozen) -> None:
        self._kies_klant(event.klant_id)

    def _kies_klant(self, klant_id: uuid.UUID) -> None:
        actief = self.actief
        if actief is None:
            self._bezoek_klant = klant_id  # looking something up between calls
            self._laad_klantbeeld(klant_id)
            return
        if actief.klant_id is None or actief.klant_id == klant_id:
            self._koppel(klant_id)
            return
        self._vraag_herkoppelen(actief, partial(self._koppel, klant_id))

    @on(KlantZoeker.RegisterPartijGekozen)
    def _register_partij_gekozen(self, event: KlantZoeker.RegisterPartijGekozen) -> None:
        """A partij only in Open Klant: take it over as a local klant, then link it."""
        partij = event.partij
        actief = self.actief
        if actief is None:
            self.voer_uit(
                partial(self.werkplek.klanten.neem_over, partij),
                self._overgenomen_zonder_contact,
                groep="klant-overnemen",
            )
            return

        def neem_over() -> None:
            self.voer_uit(
                partial(self.werkplek.klanten.neem_over_en_koppel, partij, actief.id),
                self._overgenomen,
                groep="contact-koppel",
            )

        if actief.klant_id is None:
            neem_over()
        else:
            self._vraag_herkoppelen(actief, neem_over)

    def _overgenomen(self, contact: OpenContact) -> None:
        self.notify("Klant overgenomen uit Open Klant en gekoppeld.")
        self._gekoppeld(contact)

    def _overgenomen_zonder_contact(self, klant_id: uuid.UUID) -> None:
        self.notify("Klant overgenomen uit Open Klant.")
        self._kies_klant(klant_id)

    def _vraag_herkoppelen(self, actief: OpenContact, doorgaan: Callable[[], object]) -> None:
        """The contact has another klant already: only re-link after the agent says so."""
        huidige = actief.samenvatting.klant_naam or "een andere klant"

        def besloten(ja: bool | None) -> None:
            if ja:
                doorgaan()

        self.app.push_screen(
            Bevestig(
                f"Dit contactmoment is gekoppeld aan {huidige}. Wil je het koppelen aan de "
                "gekozen klant?",
                ja="Andere klant koppelen",
                nee=f"{huidige} houden",
                veilig=True,
            ),
            besloten,
        )

    def _koppel(self, klant_id: uuid.UUID | None) -> None:
        actief = self.actief
        if actief is None:
            return
        self.voer_uit(
            partial(self.werkplek.koppel_klant, klant_id, actief.id),
            self._gekoppeld,
            groep="contact-koppel",
        )

    def _gekoppeld(self, contact: OpenContact) -> None:
        self.toon_open_contacten()
        if contact.klant_id is None:
            self.formulier.focus_eerste()

    @on(KlantZoeker.AnoniemGekozen)
    def _anoniem(self) -> None:
        if self.actief is None:
            self.notify("Start eerst een contactmoment (ctrl+n).", severity="warning")
            return
        self._koppel(None)

    def _getoonde_klant(self, wat: str) -> Klantbeeld | None:
        """The klant whose file a dialog would change; says so when there is none."""
        beeld = self.beeld.beeld
        actief = self.actief
        if actief is not None and actief.klant_id is None:
            self.notify(
                f"Dit contactmoment heeft geen klant. Zoek en koppel eerst een klant om {wat}.",
                severity="warning",
            )
            return None
        if beeld is None:
            self.notify(f"Kies eerst een klant om {wat}.", severity="warning")
            return None
        return beeld

    def action_toon_bsn(self) -> None:
        beeld = self._getoonde_klant("het BSN te zien")
        if beeld is None:
            return

        def toon(bsn: str) -> None:
            if self.beeld.klant_id == beeld.id and self.beeld.beeld is not None:
                self.beeld.toon(self.beeld.beeld, bsn)

        self.voer_uit(partial(self.werkplek.klanten.toon_bsn, beeld.id), toon, groep="bsn")

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
        actief = self.actief
        nummer = actief.samenvatting.contact_nummer if actief else ""
        if not voorinvulling.telefoon and lijkt_op_telefoon(nummer):
            voorinvulling.telefoon = nummer
        elif not voorinvulling.email and "@" in nummer:
            voorinvulling.email = nummer
        gemeente = actief.samenvatting.gemeente if actief else self.kiss.gemeente
        self.app.push_screen(
            NieuweKlantDialoog(
                self.werkplek.klanten.registreer,
                [g for g, _code in self.kiss.settings.gemeenten],
                gemeente,
                voorinvulling,
            ),
            self._klant_geregistreerd,
        )

    def _klant_geregistreerd(self, klant_id: uuid.UUID | None) -> None:
        if klant_id is not None:
            self.notify("Klant geregistreerd.")
            self._kies_klant(klant_id)

    def action_adres_toevoegen(self) -> None:
        beeld = self._getoonde_klant("een telefoonnummer of e-mail toe te voegen")
        if beeld is None:
            return

        def opslaan(invoer: tuple[str, str, str]) -> uuid.UUID:
            soort, waarde, omschrijving = invoer
            return self.werkplek.klanten.voeg_adres_toe(beeld.id, soort, waarde, omschrijving)

        self.app.push_screen(
            AdresDialoog(opslaan, f"Telefoonnummer of e-mail toevoegen voor {beeld.naam}"),
            partial(self._adres_klaar, beeld.id),
        )

    def action_adres_corrigeren(self) -> None:
        beeld = self._getoonde_klant("een telefoonnummer of e-mail te corrigeren")
        if beeld is None:
            return
        if not beeld.adressen:
            self.notify(f"{beeld.naam} heeft nog geen telefoonnummer of e-mail.", "warning")
            return
        adres = beeld.adressen[0]

        def opslaan(invoer: tuple[str, str, str]) -> uuid.UUID:
            _soort, waarde, omschrijving = invoer
            return self.werkplek.klanten.wijzig_adres(adres.id, waarde, omschrijving)

        self.app.push_screen(
            AdresDialoog(
                opslaan,
                f"Corrigeer {adres.weergave} van {beeld.naam}",
                adres.soort,
                adres.weergave,
            ),
            partial(self._adres_klaar, beeld.id),
        )

    def _adres_klaar(self, klant_id: uuid.UUID, resultaat: uuid.UUID | None) -> None:
        if resultaat is not None:
            self.notify("Opgeslagen.")
            self.kiss.meld(KlantGewijzigd(klant_id))

    @on(KlantbeeldView.KanaalFilterGewijzigd)
    def _filter(self, event: KlantbeeldView.KanaalFilterGewijzigd) -> None:
        self.kanaal_filter = event.kanaal
        if self.beeld.klant_id is not None:
            self._laad_klantbeeld(self.beeld.klant_id, log=False)

    async def action_behandelaar(self) -> None:
        zaak_id = self.beeld.geselecteerde_zaak()
        if zaak_id is None:
            self.notify("Kies eerst een zaak in het klantbeeld.", severity="warning")
            return
        from kiss.screens.smoelenboek import open_behandelaar

        await open_behandelaar(self.kiss, zaak_id)

    def action_bron(self) -> None:
        actief = self.actief
        if actief is None:
            self.notify("Er is geen open contactmoment.", severity="warning")
            return
        vraag = actief.invoer.onderwerp or actief.label

        def gekozen(bron: Bron | None) -> None:
            if bron is not None:
                contact = self.werkplek.voeg_bron_toe(bron, actief.id)
                if self.formulier.contact_id == contact.id:
                    self.formulier.toon_bronnen(contact.invoer.bronnen)

        self.app.push_screen(BronDialoog(vraag), gekozen)

    # ---- typing and autosave ----

    @on(ContactFormulier.Gewijzigd)
    def _formulier_gewijzigd(self) -> None:
        actief = self.actief
        if actief is not None and self.formulier.contact_id == actief.id:
            self.werkplek.werk_bij(actief.id, self.formulier.invoer)

    def _autosave_tik(self) -> None:
        """Several times a second: the recovery file at once, the database when due."""
        self.werkplek.bewaar_herstel()
        if not self.werkplek.moet_bewaren():
            return
        if any(w.group == "autosave" and not w.is_finished for w in self.workers):
            return
        self.voer_uit(self.werkplek.bewaar_concepten, groep="autosave", herhaal=False)

    # ---- afronden ----

    def action_afronden(self) -> None:
        actief = self.actief
        if actief is None:
            self.notify("Er is geen open contactmoment.", severity="warning")
            return
        invoer = self.formulier.invoer
        self.werkplek.werk_bij(actief.id, invoer)
        if self.werkplek.vraagt_terugbelnotitie(invoer):
            self.voer_uit(
                partial(self.werkplek.terugbel_voorstel, actief.id, invoer),
                partial(self._open_terugbelformulier, actief.id, invoer),
                groep="afronden",
                exclusief=True,
                bij_weigering=self._afronden_geweigerd,
            )
            return
        self.voer_uit(
            partial(self.werkplek.afronden, actief.id, invoer),
            self._afgerond,
            groep="afronden",
            exclusief=True,
            bij_weigering=self._afronden_geweigerd,
        )

    def _afronden_geweigerd(self, fout: Exception) -> None:
        if isinstance(fout, InvoerFouten):
            toon_fouten(self.formulier, fout.fouten)
            self.notify("Nog niet alles is ingevuld; zie de meldingen.", severity="warning")
        else:
            self.notify(str(fout), severity="warning")
            self.toon_open_contacten()

    def _open_terugbelformulier(
        self, contact_id: uuid.UUID, invoer: ContactInvoer, voorstel: TerugbelInvoer
    ) -> None:
        def opslaan(notitie: TerugbelInvoer) -> Afgerond:
            return self.werkplek.afronden_met_terugbelnotitie(contact_id, invoer, notitie)

        def klaar(afgerond: Afgerond | None) -> None:
            if afgerond is None:
                self.notify(
                    "Geen terugbelnotitie gemaakt; het contactmoment staat nog open.",
                    severity="warning",
                )
                return
            self._afgerond(afgerond)

        self.app.push_screen(TerugbelFormulier(voorstel, opslaan=opslaan), klaar)

    def _afgerond(self, afgerond: Afgerond) -> None:
        if afgerond.notitie_id is not None and afgerond.deadline is not None:
            self.notify(
                f"Contactmoment afgerond. Terugbelnotitie voor {afgerond.notitie_label}; "
                f"terugbellen uiterlijk {lang_tijdstip(afgerond.deadline)}."
            )
            self.kiss.meld(TerugbelnotitieGewijzigd(afgerond.notitie_id))
            if afgerond.waarschuwing:
                self.notify(afgerond.waarschuwing, severity="warning", timeout=10)
        else:
            self.notify("Contactmoment afgerond.")
        if (klacht := afgerond.klacht) is not None:
            self.notify(
                klacht.melding,
                title="Klacht",
                severity="warning" if klacht.waarschuwing else "information",
                timeout=12 if klacht.waarschuwing else 8,
            )
            if klacht.notitie_id is not None:
                self.kiss.meld(TerugbelnotitieGewijzigd(klacht.notitie_id))
        if self.werkplek.actief is None:
            self._bezoek_klant = afgerond.klant_id  # the agent sees the call in the history
        self.kiss.meld(ContactmomentAfgerond(afgerond.contact_id, afgerond.klant_id))
        self.toon_open_contacten()
        if self.actief is None:
            self.zoeker.focus_zoek()

    def action_nog_een_vraag(self) -> None:
        if self.actief is None:
            self.notify("Er is geen open contactmoment.", severity="warning")
            return
        self.voer_uit(self.werkplek.nog_een_vraag, self._vraag_geopend, groep="contact-vraag")

    def _vraag_geopend(self, contact: OpenContact) -> None:
        self.kiss.meld(ContactGeopend(contact.id))
        self.toon_open_contacten()
        self.formulier.focus_eerste()

    def action_verwerp(self) -> None:
        actief = self.actief
        if actief is None:
            return

        def besloten(ja: bool | None) -> None:
            if ja:
                self.voer_uit(
                    partial(self.werkplek.verwerp, actief.id),
                    lambda _: self.toon_open_contacten(),
                    groep="contact-verwerp",
                )

        self.app.push_screen(
            Bevestig(
                f"Het contactmoment '{actief.label}' weggooien? Wat je typte gaat verloren.",
                ja="Weggooien",
                nee="Terug",
                veilig=True,
            ),
            besloten,
        )

    def on_unmount(self) -> None:
        """Last chance on exit: store every unsaved concept (the recovery file has it too)."""
        try:
            self.werkplek.bewaar_concepten()
        except Exception:  # never block shutdown; the recovery file keeps the text
            self.werkplek.bewaar_herstel()
