"""The start screen (F1): what matters now. Unread belangrijk news first, then the other news
en werkinstructies, my terugbelnotities (open and overdue), my concept contacts, the questions
asked most in the last 500 contactmomenten of my gemeente, and the organisation's links."""

from __future__ import annotations

from rich.markup import escape
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import DataTable, Footer, Header, Markdown, Static

from kiss.models import Medewerker
from kiss.rollen import mag_wachtrij_sturen
from kiss.screens.basis import KissScreen
from kiss.services.beheer.nieuws import NietGelezen, NieuwsRegel
from kiss.services.beheer.start import MijnWerk, TopVraag
from kiss.services.rapportage.overzicht import Overzicht
from kiss.weergave import kort_tijdstip, tijdstip
from kiss.werkplek.gebeurtenissen import (
    ContactmomentAfgerond,
    DemoGeladen,
    Gebeurtenis,
    InstellingenGewijzigd,
    KennisbankGewijzigd,
    NieuwsGewijzigd,
    TerugbelnotitieGewijzigd,
)

TELT_MEE = (DemoGeladen, ContactmomentAfgerond, TerugbelnotitieGewijzigd, KennisbankGewijzigd)
WERK = (DemoGeladen, ContactmomentAfgerond, TerugbelnotitieGewijzigd)


class StartScreen(KissScreen):
    """Landing page; the work screens are one key away (see the footer)."""

    DEFAULT_CSS = """
    StartScreen #start { height: 1fr; }
    StartScreen #start-kolommen { height: 1fr; }
    StartScreen #start-nieuws { width: 3fr; height: 1fr; }
    StartScreen #start-rechts { width: 2fr; height: 1fr; padding-left: 2; }
    StartScreen #nieuws { height: auto; max-height: 12; }
    StartScreen #bericht { height: 1fr; border-top: solid $accent; }
    StartScreen .kop { text-style: bold; color: $accent; margin-top: 1; }
    StartScreen #start-rechts Static { height: auto; }
    """
    BINDINGS = [
        Binding("ctrl+g", "alles_gelezen", "Alles gelezen", id="nieuws_alles_gelezen",
                tooltip="Markeer alle niet-belangrijke berichten als gelezen"),
        Binding("ctrl+r", "ververs", "Verversen", id="start_verversen"),
    ]  # fmt: skip

    def __init__(self) -> None:
        super().__init__()
        self.regels: dict[str, NieuwsRegel] = {}

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="start"):
            yield Static("Welkom bij KISS", id="welkom")
            yield Static("Aanmelden…", id="sessie")
            with Horizontal(id="start-kolommen"):
                with Vertical(id="start-nieuws"):
                    yield Static("Nieuws en werkinstructies", classes="kop")
                    yield DataTable(id="nieuws", cursor_type="row")
                    with VerticalScroll(id="bericht"):
                        yield Markdown("_Kies een bericht en druk enter om het te lezen._",
                                       id="bericht-tekst")  # fmt: skip
                with VerticalScroll(id="start-rechts"):
                    yield Static("", id="mijn-werk")
                    yield Static("", id="niet-gelezen")
                    yield Static("", id="top-vragen")
                    yield Static("", id="links")
            yield Static("", id="telling")
        yield Footer()

    def on_mount(self) -> None:
        nieuws = self.query_one("#nieuws", DataTable)
        nieuws.add_columns(" ", "Soort", "Titel", "Sinds")
        nieuws.focus()
        self.kiss.aangemeld.subscribe(self, self._toon_sessie)
        self.kiss.gegevens_gewijzigd.subscribe(self, self._gewijzigd)
        if self.kiss.medewerker is not None:
            self._toon_sessie(self.kiss.medewerker)

    def _toon_sessie(self, medewerker: Medewerker) -> None:
        rollen = ", ".join(sorted(medewerker.rollenset)) or "geen"
        self.query_one("#sessie", Static).update(
            f"Aangemeld als [b]{escape(medewerker.naam)}[/b] (rollen: {rollen}) · "
            f"gemeente [b]{escape(self.kiss.gemeente)}[/b]"
        )
        self.action_ververs()

    def action_ververs(self) -> None:
        self.laad_telling()
        self.laad_nieuws()
        self.laad_werk()
        self._toon_links()

    def _gewijzigd(self, gebeurtenis: Gebeurtenis) -> None:
        if self.kiss.medewerker is None:
            return
        if isinstance(gebeurtenis, TELT_MEE):
            self.laad_telling()
        if isinstance(gebeurtenis, WERK):
            self.laad_werk()
        if isinstance(gebeurtenis, NieuwsGewijzigd):
            self.laad_nieuws()
        if isinstance(gebeurtenis, InstellingenGewijzigd):
            self._toon_links()

    # ---- nieuws ------------------------------------------------------------------------------

    def laad_nieuws(self) -> None:
        self.voer_uit(self.werkplek.beheer.nieuws, self._toon_nieuws, groep="start-nieuws",
                      exclusief=True)  # fmt: skip
        if self.kiss.medewerker is not None and mag_wachtrij_sturen(self.kiss.medewerker):
            self.voer_uit(self.werkplek.beheer.niet_gelezen, self._toon_niet_gelezen,
                          groep="start-niet-gelezen", exclusief=True)  # fmt: skip

    def _toon_nieuws(self, regels: list[NieuwsRegel]) -> None:
        tabel = self.query_one("#nieuws", DataTable)
        cursor = tabel.cursor_row
        tabel.clear()
        self.regels = {}
        for r in regels:
            merk = "★" if r.belangrijk and not r.gelezen else ("!" if r.belangrijk else "")
            merk += "" if r.gelezen else "•"
            self.regels[str(r.id)] = r
            tabel.add_row(merk, r.soort, r.titel, kort_tijdstip(r.publiceren_van), key=str(r.id))
        if not regels:
            tabel.add_row("", "", "Geen berichten.", "")
        elif 0 <= cursor < tabel.row_count:
            tabel.move_cursor(row=cursor)

    @on(DataTable.RowSelected, "#nieuws")
    def _open(self, event: DataTable.RowSelected) -> None:
        regel = self.regels.get(str(event.row_key.value))
        if regel is None:
            return
        kop = f"# {regel.titel}\n\n_{regel.soort} · sinds {tijdstip(regel.publiceren_van)}"
        if regel.gemeente:
            kop += f" · {regel.gemeente}"
        self.query_one("#bericht-tekst", Markdown).update(f"{kop}_\n\n{regel.tekst}")
        if not regel.gelezen:
            self.voer_uit(lambda: self.werkplek.beheer.lees(regel.id), self._gelezen,
                          groep="start-lees")  # fmt: skip

    def _gelezen(self, regel: NieuwsRegel) -> None:
        self.kiss.meld(NieuwsGewijzigd())
        self.kiss.peil()

    def action_alles_gelezen(self) -> None:
        def klaar(aantal: int) -> None:
            self.notify(
                f"{aantal} bericht(en) als gelezen gemarkeerd; belangrijke berichten blijven "
                "staan tot u ze opent."
            )
            self.kiss.meld(NieuwsGewijzigd())
            self.kiss.peil()

        self.voer_uit(self.werkplek.beheer.alles_gelezen, klaar, groep="start-lees")

    def _toon_niet_gelezen(self, lijst: list[NietGelezen]) -> None:
        if not lijst:
            self.query_one("#niet-gelezen", Static).update("")
            return
        regels = ["[b]Belangrijke berichten: nog niet gelezen door[/b]"]
        for n in lijst[:5]:
            namen = ", ".join(escape(x) for x in n.niet_gelezen[:8])
            if len(n.niet_gelezen) > 8:
                namen += f" en nog {len(n.niet_gelezen) - 8}"
            regels.append(
                f"• {escape(n.item.titel)} ({n.gelezen} gelezen): {namen or 'iedereen las het'}"
            )
        self.query_one("#niet-gelezen", Static).update("\n".join(regels))

    # ---- my work, top questions, links ------------------------------------------------------

    def laad_werk(self) -> None:
        self.voer_uit(self.werkplek.beheer.mijn_werk, self._toon_werk, groep="start-werk",
                      exclusief=True)  # fmt: skip
        gemeente = self.kiss.gemeente
        self.voer_uit(lambda: self.werkplek.beheer.top_vragen(gemeente), self._toon_top,
                      groep="start-top", exclusief=True)  # fmt: skip

    def _toon_werk(self, werk: MijnWerk) -> None:
        regels = []
        if werk.telling is not None:
            te_laat = f", [b red]{werk.telling.te_laat} te laat[/]" if werk.telling.te_laat else ""
            regels.append(f"[b]Mijn terugbelnotities[/b]: {werk.telling.actief} open{te_laat} (F5)")
            for n in werk.notities:
                klasse = "red" if n.staat.value == "te_laat" else ""
                tijd = kort_tijdstip(n.deadline)
                tijd = f"[{klasse}]{tijd}[/]" if klasse else tijd
                regels.append(f"• {tijd} {escape(n.klant_naam or 'onbekend')}: {escape(n.vraag)}")
        if werk.concepten:
            regels.append(f"[b]Mijn concepten[/b]: {len(werk.concepten)} niet afgerond (F2)")
            for c in werk.concepten[:5]:
                regels.append(f"• {escape(c.label)}")
        else:
            regels.append("[b]Mijn concepten[/b]: geen")
        self.query_one("#mijn-werk", Static).update("\n".join(regels))

    def _toon_top(self, top: list[TopVraag]) -> None:
        kop = f"[b]Meest gestelde vragen[/b] ({escape(self.kiss.gemeente)}, laatste 500)"
        regels = [f"{i}. {escape(v.onderwerp)} ({v.aantal})" for i, v in enumerate(top, 1)]
        self.query_one("#top-vragen", Static).update("\n".join([kop, *(regels or ["—"])]))

    def _toon_links(self) -> None:
        links = self.kiss.settings.links
        if not links:
            self.query_one("#links", Static).update("")
            return
        regels = ["[b]Links[/b]"]
        categorie = None
        for link in links:
            if link.categorie != categorie:
                categorie = link.categorie
                regels.append(f"[i]{escape(categorie)}[/i]")
            regels.append(f"• {escape(link.titel)}: {escape(link.adres)}")
        self.query_one("#links", Static).update("\n".join(regels))

    # ---- counts ----------------------------------------------------------------------------

    def laad_telling(self) -> None:
        self.voer_uit(
            self.werkplek.overzicht.telling, self._toon_telling, groep="start-telling",
            exclusief=True,
        )  # fmt: skip

    def _toon_telling(self, telling: Overzicht) -> None:
        if telling.leeg:
            tekst = "De database is nog leeg. Start met [b]kiss --demo[/b] voor demogegevens."
        else:
            tekst = (
                f"{telling.klanten} klanten · {telling.contactmomenten} contactmomenten · "
                f"{telling.open_terugbelnotities} open terugbelnotities · "
                f"{telling.artikelen} kennisbankartikelen · {telling.medewerkers} medewerkers"
            )
        self.query_one("#telling", Static).update(tekst)
