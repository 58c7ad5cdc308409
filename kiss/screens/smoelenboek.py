"""Mode ``smoelenboek`` (F4): find the right colleague or organisation in one step.

Search as you type (a debounced, exclusive thread worker: each keystroke cancels the previous
query), a result list with presence, the detail card, and the actions: doorverbinden (recorded
on the open contactmoment of the Klant screen) and terugbelnotitie (the shared form).
"""

from __future__ import annotations

import uuid
from functools import partial
from typing import TYPE_CHECKING

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.events import Key
from textual.message import Message
from textual.widgets import DataTable, Footer, Header, Input, Label

from kiss.models import BronSoort
from kiss.screens.basis import KissScreen
from kiss.screens.dialogen import Bevestig
from kiss.screens.smoelenboek_kaart import Kaart, KaartView, treffer_rij
from kiss.services.contact.bronnen import Bron
from kiss.services.smoelenboek.kaart import EenheidKaart, MedewerkerKaart, Soort
from kiss.services.smoelenboek.zoeken import Treffer
from kiss.services.terugbel.terugbelnotities import Doel, DoelSoort, TerugbelInvoer
from kiss.werkplek.gebeurtenissen import ContactGewijzigd, DemoGeladen, Gebeurtenis
from kiss.werkplek.open_contacten import OpenContact

if TYPE_CHECKING:
    from kiss.app import KissApp

WACHTTIJD = 0.18  # seconds of quiet typing before a query runs
MAX_TREFFERS = 30
VERSHEID_SECONDEN = 2.0  # how often the background checks the database for edits


class SmoelenboekScreen(KissScreen):
    """Search box, result list and detail card; every database call runs in a worker."""

    DEFAULT_CSS = """
    SmoelenboekScreen #sb-zoek { margin: 0 1; }
    SmoelenboekScreen #sb-status { color: $text-muted; padding: 0 2; height: 1; }
    SmoelenboekScreen #sb-werkruimte { height: 1fr; }
    SmoelenboekScreen #sb-treffers { width: 60%; min-width: 60; }
    SmoelenboekScreen KaartView { width: 1fr; border-left: solid $panel; }
    """
    BINDINGS = [
        Binding("ctrl+d", "doorverbinden", "Doorverbinden", id="sb_doorverbinden", priority=True,
                tooltip="Leg op het open contactmoment vast dat je doorverbindt met deze kaart"),
        Binding("ctrl+t", "terugbelnotitie", "Terugbelnotitie", id="sb_terugbelnotitie",
                tooltip="Maak een terugbelnotitie voor deze collega of dit team"),
        Binding("ctrl+g", "vervanger", "Vervanger", id="sb_vervanger",
                tooltip="Open de kaart van de vervanger"),
        Binding("ctrl+u", "als_bron", "Als bron", id="sb_als_bron", priority=True,
                tooltip="Leg vast dat je deze kaart raadpleegde voor de vraag van de klant"),
        Binding("ctrl+f", "zoek", "Zoeken", id="sb_zoeken"),
        Binding("escape", "zoek", "Zoeken", show=False),
    ]  # fmt: skip

    class ZoekResultatenBinnen(Message):
        def __init__(self, tekst: str, treffers: list[Treffer]) -> None:
            super().__init__()
            self.tekst = tekst
            self.treffers = treffers

    class KaartGeladen(Message):
        def __init__(self, kaart: Kaart, kop: str = "") -> None:
            super().__init__()
            self.kaart = kaart
            self.kop = kop

    def __init__(self) -> None:
        super().__init__()
        self.treffers: dict[str, Treffer] = {}
        self.laatste_zoekvraag = ""

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical():
            yield Input(
                placeholder="Zoek op naam, onderwerp (bouwvergunning), afdeling of telefoonnummer…",
                id="sb-zoek",
            )
            yield Label("Smoelenboek wordt geladen…", id="sb-status")
            with Horizontal(id="sb-werkruimte"):
                tabel: DataTable[str] = DataTable(
                    id="sb-treffers", cursor_type="row", zebra_stripes=True
                )
                yield tabel
                yield KaartView(id="sb-kaart")
        yield Footer()

    @property
    def zoekveld(self) -> Input:
        return self.query_one("#sb-zoek", Input)

    @property
    def tabel(self) -> DataTable[str]:
        return self.query_one("#sb-treffers", DataTable)

    @property
    def kaart_view(self) -> KaartView:
        return self.query_one("#sb-kaart", KaartView)

    @property
    def status(self) -> Label:
        return self.query_one("#sb-status", Label)

    def on_mount(self) -> None:
        self.tabel.add_columns("naam", "aanwezig", "telefoon", "functie · afdeling / onderwerpen")
        self.zoekveld.focus()
        self.kiss.gegevens_gewijzigd.subscribe(self, self._gegevens_gewijzigd)
        self.laad_index()
        self.set_interval(VERSHEID_SECONDEN, self.controleer_versheid)

    def _gegevens_gewijzigd(self, gebeurtenis: Gebeurtenis) -> None:
        if isinstance(gebeurtenis, DemoGeladen):
            self.laad_index(opnieuw=True)

    def laad_index(self, *, opnieuw: bool = False) -> None:
        self.voer_uit(
            partial(self.werkplek.smoelenboek.laad_index, opnieuw=opnieuw), self._index_klaar,
            groep="sb-index", exclusief=True,
        )  # fmt: skip

    def controleer_versheid(self) -> None:
        """Edits by colleagues (or an import elsewhere) become searchable within seconds,
        checked in the background so a keystroke's search never waits for it (only while
        the smoelenboek is shown: a shared database serves many desks)."""
        if not self.is_current:
            return
        if any(
            w.node is self and w.group == "sb-index" and not w.is_finished for w in self.workers
        ):
            return
        self.voer_uit(
            self.werkplek.smoelenboek.controleer_versheid, groep="sb-index", herhaal=False
        )

    def _index_klaar(self, duur: float) -> None:
        if not self.laatste_zoekvraag:
            self.status.update(
                f"Smoelenboek geladen ({duur:.1f} s). Typ om te zoeken; ↓ naar de resultaten."
            )

    # ---- searching ------------------------------------------------------------------------

    def action_zoek(self) -> None:
        self.zoekveld.focus()

    @on(Input.Changed, "#sb-zoek")
    def _getypt(self, event: Input.Changed) -> None:
        self.laatste_zoekvraag = event.value
        self.zoek(event.value)

    @on(Input.Submitted, "#sb-zoek")
    def _naar_resultaten(self) -> None:
        if self.tabel.row_count:
            self.tabel.focus()

    def on_key(self, event: Key) -> None:
        if event.key == "down" and self.zoekveld.has_focus and self.tabel.row_count:
            self.tabel.focus()

    def zoek(self, tekst: str) -> None:
        """Debounced: the next keystroke cancels this search before it starts."""
        self.voer_uit(
            partial(self.werkplek.smoelenboek.zoek, tekst, MAX_TREFFERS),
            lambda treffers: self.ZoekResultatenBinnen(tekst, treffers),
            groep="sb-zoek", exclusief=True, wacht=WACHTTIJD,
        )  # fmt: skip

    @on(ZoekResultatenBinnen)
    def _toon_treffers(self, event: ZoekResultatenBinnen) -> None:
        if event.tekst != self.laatste_zoekvraag:
            return  # a newer query is on its way
        self.treffers = {t.sleutel: t for t in event.treffers}
        tabel = self.tabel
        tabel.clear()
        for treffer in event.treffers:
            tabel.add_row(*treffer_rij(treffer), key=treffer.sleutel)
        if not event.tekst.strip():
            self.status.update("Typ om te zoeken.")
        elif not event.treffers:
            self.status.update(f"Niets gevonden voor '{event.tekst}'.")
        else:
            self.status.update(
                f"{len(event.treffers)} resultaten · ↓/enter: kies · ctrl+d doorverbinden · "
                "ctrl+t terugbelnotitie"
            )
        if event.treffers:
            tabel.move_cursor(row=0)
            self._laad_treffer(event.treffers[0])

    @on(DataTable.RowHighlighted, "#sb-treffers")
    def _rij_gekozen(self, event: DataTable.RowHighlighted) -> None:
        treffer = self.treffers.get(str(event.row_key.value))
        if treffer is not None and (
            self.kaart_view.kaart is None or self.kaart_view.kaart.id != treffer.id
        ):
            self._laad_treffer(treffer)

    def _laad_treffer(self, treffer: Treffer) -> None:
        kop = f"vervangt {treffer.vervangt}" if treffer.vervangt else ""
        self.laad_kaart(treffer.soort, treffer.id, kop)

    # ---- the card -------------------------------------------------------------------------

    def laad_kaart(self, soort: str, id_: uuid.UUID, kop: str = "") -> None:
        self.voer_uit(
            partial(self.werkplek.smoelenboek.kaart, soort, id_),
            lambda kaart: self.KaartGeladen(kaart, kop),
            groep="sb-kaart", exclusief=True,
        )  # fmt: skip

    @on(KaartGeladen)
    def _toon_kaart(self, event: KaartGeladen) -> None:
        self.kaart_view.toon(event.kaart, event.kop)

    @property
    def kaart(self) -> Kaart | None:
        return self.kaart_view.kaart

    def action_vervanger(self) -> None:
        kaart = self.kaart
        if not isinstance(kaart, MedewerkerKaart):
            return
        vervanger = kaart.vervanger or kaart.vaste_vervanger
        if vervanger is None:
            self.notify(f"{kaart.naam} heeft geen vervanger.", severity="warning")
            return
        self.laad_kaart(Soort.MEDEWERKER, vervanger.id, f"vervangt {kaart.naam}")

    def toon_behandelaar(self, zaak_id: uuid.UUID) -> None:
        """From a klantbeeld's zaak: the behandelaar's card (with the vervanger if away)."""
        self.voer_uit(
            partial(self.werkplek.smoelenboek.behandelaar, zaak_id),
            lambda kaart: self.KaartGeladen(kaart, "behandelaar van de zaak"),
            groep="sb-kaart", exclusief=True,
        )  # fmt: skip

    # ---- doorverbinden --------------------------------------------------------------------

    def _open_contact(self) -> uuid.UUID | None:
        actief = self.werkplek.actief
        return actief.id if actief else None

    def action_doorverbinden(self) -> None:
        kaart = self.kaart
        if kaart is None:
            self.notify("Kies eerst een collega of organisatie.", severity="warning")
            return
        if self._open_contact() is None:
            self.notify(
                "Er is geen open contactmoment om het doorverbinden op vast te leggen. "
                "Start er een met ctrl+n.",
                severity="warning",
            )
            return
        if isinstance(kaart, EenheidKaart):
            self.doorverbind(kaart.soort, kaart.id, kaart.naam, kaart.telefoon)
            return
        if kaart.niet_doorverbinden:
            self._weiger(kaart, f"{kaart.naam} wil niet doorverbonden worden.")
            return
        if kaart.aanwezigheid.aanwezig:
            self.doorverbind(Soort.MEDEWERKER, kaart.id, kaart.naam, kaart.telefoon)
            return
        vervanger = kaart.vervanger
        if vervanger is None or vervanger.niet_doorverbinden:
            self._weiger(
                kaart, f"{kaart.naam} is {kaart.aanwezigheid.tekst}; er is geen vervanger aanwezig."
            )
            return

        def besloten(ja: bool | None) -> None:
            if ja and vervanger is not None:
                self.doorverbind(Soort.MEDEWERKER, vervanger.id, vervanger.naam, vervanger.telefoon)

        self.app.push_screen(
            Bevestig(
                f"{kaart.naam} is {kaart.aanwezigheid.tekst}.\n"
                f"Doorverbinden met de vervanger {vervanger.naam} "
                f"({vervanger.telefoon or 'geen direct nummer'})?",
                ja=f"Naar {vervanger.naam}",
                nee="Annuleren",
            ),
            besloten,
        )

    def _weiger(self, kaart: MedewerkerKaart, reden: str) -> None:
        self.notify(f"{reden} Maak een terugbelnotitie.", severity="error", timeout=8)

        def besloten(ja: bool | None) -> None:
            if ja:
                self.action_terugbelnotitie()

        self.app.push_screen(
            Bevestig(f"{reden}\nEen terugbelnotitie voor {kaart.naam} maken?",
                     ja="Terugbelnotitie", nee="Annuleren"),
            besloten,
        )  # fmt: skip

    def doorverbind(self, soort: str, doel_id: uuid.UUID, naam: str, telefoon: str) -> None:
        """Record the transfer on the active contactmoment; the Klant screen shows it."""
        self.voer_uit(
            partial(self.werkplek.smoelenboek.doorverbinden, soort, doel_id),
            partial(self._doorverbonden, naam=naam, telefoon=telefoon),
            groep="sb-doorverbinden", herhaal=False,
        )  # fmt: skip

    def _doorverbonden(self, contact: OpenContact, *, naam: str, telefoon: str) -> None:
        self.kiss.meld(ContactGewijzigd(contact.id))
        nummer = f" op {telefoon}" if telefoon else ""
        self.notify(
            f"Doorverbonden met {naam}{nummer}; vastgelegd op het contactmoment. "
            "Rond het af in Klant (F2)."
        )

    def action_als_bron(self) -> None:
        """The card answered (part of) the question: a source of the active question."""
        kaart = self.kaart
        if kaart is None:
            self.notify("Kies eerst een collega of organisatie.", severity="warning")
            return
        try:
            contact = self.werkplek.voeg_bron_toe(Bron(BronSoort.SMOELENBOEK, kaart.naam, kaart.id))
        except LookupError as fout:
            self.notify(str(fout), severity="warning")
            return
        self.kiss.meld(ContactGewijzigd(contact.id))
        self.notify(f"{kaart.naam} vastgelegd als bron van de vraag.")

    # ---- terugbelnotitie ------------------------------------------------------------------

    def action_terugbelnotitie(self) -> None:
        kaart = self.kaart
        if kaart is None:
            self.notify("Kies eerst een collega, team of afdeling.", severity="warning")
            return
        if kaart.soort == Soort.ORGANISATIE:
            self.notify(
                "Een terugbelnotitie is voor een collega, team of afdeling, niet voor een "
                "externe organisatie.",
                severity="warning",
            )
            return
        self.bereid_terugbelnotitie_voor(kaart.soort, kaart.id, kaart.naam, self._open_contact())

    def bereid_terugbelnotitie_voor(
        self, soort: str, doel_id: uuid.UUID, naam: str, contact_id: uuid.UUID | None
    ) -> None:
        doel = Doel(DoelSoort(soort), doel_id, naam)
        self.voer_uit(
            partial(self.werkplek.terugbel.voorstel, contact_id, doel),
            self._open_terugbelformulier, groep="sb-terugbel", exclusief=True,
        )  # fmt: skip

    def _open_terugbelformulier(self, invoer: TerugbelInvoer) -> None:
        from kiss.screens.terugbel_formulier import TerugbelFormulier

        self.app.push_screen(TerugbelFormulier(invoer))


async def open_behandelaar(app: KissApp, zaak_id: uuid.UUID) -> None:
    """Switch to the smoelenboek and show the card of the zaak's behandelaar."""
    await app.switch_mode("smoelenboek")
    scherm = next((s for s in reversed(app.screen_stack) if isinstance(s, SmoelenboekScreen)), None)
    if scherm is not None:
        scherm.toon_behandelaar(zaak_id)
