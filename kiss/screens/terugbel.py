"""Mode ``terugbel`` (F5): the terugbel queues, sorted by deadline, refreshing on their own.

Tabs switch between mijn notities, mijn team, mijn afdeling and (for teamleiders) alles
(alt+1 … alt+4). Te laat is red, bijna (due today or within the warning hours) amber. Enter
opens a note, ctrl+o takes the next one ("pak de volgende"), ctrl+t makes a new note, ctrl+r
refreshes. Typing a letter or digit in the list starts a search (phone number in any
notation, or klant name): no plain key in the list ever claims or changes a note. Every
query is a werkplek call in a worker.
"""

from __future__ import annotations

import uuid
from dataclasses import replace
from functools import partial
from typing import Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.events import Key
from textual.message import Message
from textual.widgets import Checkbox, DataTable, Footer, Header, Input, Select, Static, Tab, Tabs

from kiss import weergave
from kiss.models import Medewerker
from kiss.screens.basis import KissScreen
from kiss.screens.terugbel_detail import STAAT_STIJL, TerugbelDetailScreen
from kiss.screens.terugbel_formulier import TerugbelFormulier
from kiss.services.terugbel.terugbelnotities import STATUS_LABELS, Doel, Doelen
from kiss.services.terugbel.wachtrij import (
    EERSTE_PAGINA,
    Telling,
    WachtrijFilter,
    WachtrijPagina,
    WachtrijRegel,
    WachtrijSoort,
)
from kiss.werkplek.gebeurtenissen import DemoGeladen, Gebeurtenis, TerugbelnotitieGewijzigd
from kiss.werkplek.terugbel import WachtrijStand

KOLOMMEN = (
    ("deadline", "Deadline"),
    ("staat", "Staat"),
    ("klant", "Klant"),
    ("nummer", "Terugbelnummer"),
    ("vraag", "Vraag"),
    ("toegewezen", "Toegewezen aan"),
    ("behandelaar", "Behandelaar"),
    ("status", "Status"),
    ("gemeente", "Gemeente"),
)
STATUS_KEUZES = [
    ("Open en in behandeling", ""),
    ("Open", "open"),
    ("In behandeling", "in_behandeling"),
    ("Afgehandeld", "afgehandeld"),
]


def _tab_id(soort: WachtrijSoort) -> str:
    return f"w-{soort.value}"


def kort_tijdstip(regel: WachtrijRegel) -> str:
    return weergave.kort_tijdstip(regel.deadline)


def cellen(regel: WachtrijRegel) -> dict[str, Any]:
    """What one row shows, per column key; the deadline and its state are coloured."""
    tekst, stijl = STAAT_STIJL[regel.staat]
    if regel.status == "afgehandeld":
        tekst = f"afgehandeld {tekst}"
    return {
        "deadline": Text(kort_tijdstip(regel), style=stijl if stijl != "green" else ""),
        "staat": Text(tekst, style=stijl),
        "klant": regel.klant_naam or "(anoniem)",
        "nummer": regel.terugbelnummer,
        "vraag": regel.vraag,
        "toegewezen": regel.toegewezen_aan,
        "behandelaar": regel.behandelaar,
        "status": STATUS_LABELS.get(regel.status, regel.status),
        "gemeente": regel.gemeente,
    }


ZOEKTEKENS = "+@"  # besides letters and digits, what starts a search from the list


class WachtrijTabel(DataTable[Any]):
    """The queue: arrows and enter choose; a typed letter or digit goes to the search."""

    class Getypt(Message):
        def __init__(self, teken: str, nieuw: bool) -> None:
            super().__init__()
            self.teken = teken
            self.nieuw = nieuw  # the first key typed in the list: a new search

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._typt = False  # keys typed here go to the search until the list has focus again

    def on_focus(self) -> None:
        self._typt = False

    def on_key(self, event: Key) -> None:
        teken = event.character
        if teken and len(teken) == 1 and (teken.isalnum() or teken in ZOEKTEKENS):
            event.stop()
            event.prevent_default()
            self.post_message(self.Getypt(teken, nieuw=not self._typt))
            self._typt = True


class TerugbelScreen(KissScreen):
    """The terugbel queues."""

    VERVERS_SECONDEN = 10.0
    ZOEK_VERTRAGING = 0.25

    DEFAULT_CSS = """
    TerugbelScreen #tb-filters { height: auto; padding: 0 1; }
    TerugbelScreen #tb-zoek { width: 1fr; min-width: 30; }
    TerugbelScreen #tb-filters Select { width: 26; }
    TerugbelScreen #tb-filters Checkbox { width: auto; }
    TerugbelScreen #tb-melding { padding: 0 1; color: $text-muted; height: auto; }
    TerugbelScreen #tb-tabel { height: 1fr; }
    """
    BINDINGS = [
        Binding("ctrl+o", "pak_volgende", "Pak de volgende", id="terugbel_pak_volgende",
                tooltip="Neem de open notitie met de vroegste deadline in behandeling"),
        Binding("ctrl+t", "nieuw", "Nieuwe notitie", id="terugbel_nieuw"),
        Binding("ctrl+r", "ververs", "Verversen", id="terugbel_verversen"),
        Binding("slash", "zoek", "Zoeken", id="terugbel_zoeken",
                tooltip="Zoek op telefoonnummer of klantnaam"),
        Binding("right_square_bracket", "pagina(1)", "Volgende pagina", id="terugbel_volgende",
                show=False),
        Binding("left_square_bracket", "pagina(-1)", "Vorige pagina", id="terugbel_vorige",
                show=False),
        Binding("alt+1", "kies('mijn')", "Mijn", show=False),
        Binding("alt+2", "kies('team')", "Team", show=False),
        Binding("alt+3", "kies('afdeling')", "Afdeling", show=False),
        Binding("alt+4", "kies('alles')", "Alles", show=False),
    ]  # fmt: skip

    def __init__(self) -> None:
        super().__init__()
        self.soort = WachtrijSoort.TEAM
        self.wachtrij_filter = WachtrijFilter()
        self.vanaf = 0
        self.pagina: WachtrijPagina | None = None
        self._soort_gekozen = False

    @property
    def tabel(self) -> DataTable[Any]:
        return self.query_one("#tb-tabel", DataTable)

    def compose(self) -> ComposeResult:
        gemeenten = [(naam, naam) for naam, _code in self.kiss.settings.gemeenten]
        yield Header()
        yield Tabs(*(Tab(s.label, id=_tab_id(s)) for s in WachtrijSoort), id="tb-wachtrijen")
        with Horizontal(id="tb-filters"):
            yield Input(
                placeholder="zoek op telefoonnummer of klantnaam (typ in de lijst of /)…",
                select_on_focus=False,  # a letter typed in the list must not be selected
                id="tb-zoek",
            )
            yield Select(STATUS_KEUZES, value="", allow_blank=False, id="tb-status")
            yield Select(gemeenten, prompt="Alle gemeenten", id="tb-gemeente")
            yield Select([], prompt="Iedereen", id="tb-toegewezen")
            yield Checkbox("Alleen te laat", id="tb-te-laat")
        yield Static("", id="tb-melding")
        yield WachtrijTabel(id="tb-tabel", cursor_type="row", zebra_stripes=True)
        yield Footer()

    def on_mount(self) -> None:
        for sleutel, titel in KOLOMMEN:
            self.tabel.add_column(titel, key=sleutel)
        self.kiss.aangemeld.subscribe(self, self._aangemeld)
        self.kiss.gegevens_gewijzigd.subscribe(self, self._gewijzigd)
        self.set_interval(self.VERVERS_SECONDEN, self._tik)
        if self.kiss.medewerker is not None:
            self._aangemeld(self.kiss.medewerker)
        self.tabel.focus()

    def _aangemeld(self, _medewerker: Medewerker) -> None:
        if not self._soort_gekozen:
            self.soort = self.werkplek.terugbel.standaard_wachtrij()
            self.query_one("#tb-wachtrijen", Tabs).active = _tab_id(self.soort)
        self.laad()
        self.voer_uit(
            self.werkplek.terugbel_doelen, self._toon_doelen, groep="terugbel-doelen",
            exclusief=True,
        )  # fmt: skip

    def _gewijzigd(self, gebeurtenis: Gebeurtenis) -> None:
        if isinstance(gebeurtenis, TerugbelnotitieGewijzigd | DemoGeladen):
            self.laad()

    def _tik(self) -> None:
        """Polling: colleagues claim and close notes; keep the queue current while shown."""
        if self.is_current and self.kiss.medewerker is not None:
            self.laad()

    def on_screen_resume(self) -> None:
        if self.kiss.medewerker is not None:
            self.laad()

    # ---- loading ------------------------------------------------------------------------------

    def laad(self, vertraging: float = 0.0) -> None:
        """Load the shown page (debounced while typing a search; the poll retries)."""
        self.voer_uit(
            partial(
                self.werkplek.terugbel.wachtrij, self.soort, self.wachtrij_filter, self.vanaf
            ),
            self._geladen, groep="terugbel-wachtrij", exclusief=True, wacht=vertraging,
            herhaal=False,
        )  # fmt: skip

    def _geladen(self, stand: WachtrijStand) -> None:
        self._toon(stand.soort, stand.pagina, stand.tellingen, stand.melding)

    def _toon(
        self,
        soort: WachtrijSoort,
        pagina: WachtrijPagina | None,
        telling: dict[WachtrijSoort, Telling | None],
        melding: str,
    ) -> None:
        if soort != self.soort:
            return  # the agent switched tabs meanwhile; that tab's load is on its way
        self._toon_tellingen(telling)
        self.pagina = pagina
        regels = pagina.regels if pagina else []
        self._vul_tabel(regels)
        if pagina is None:
            tekst = melding
        elif not regels:
            tekst = "Geen terugbelnotities die hierbij passen."
        else:
            eerste = pagina.offset + 1
            tekst = f"Notities {eerste}–{pagina.offset + len(regels)}, gesorteerd op deadline"
            if pagina.meer:
                tekst += " · ] volgende pagina"
            if pagina.offset:
                tekst += " · [ vorige pagina"
        self.query_one("#tb-melding", Static).update(tekst)

    def _toon_tellingen(self, telling: dict[WachtrijSoort, Telling | None]) -> None:
        tabs = self.query_one("#tb-wachtrijen", Tabs)
        for soort in WachtrijSoort:
            tab = tabs.get_tab(_tab_id(soort))
            if tab is None:
                continue
            cijfers = telling.get(soort)
            if cijfers is None:
                if soort == WachtrijSoort.ALLES:
                    tabs.hide(_tab_id(soort))
                tab.label = soort.label
                continue
            tabs.show(_tab_id(soort))
            label = f"{soort.label} ({cijfers.actief}"
            if cijfers.te_laat:
                label += f" · [red]{cijfers.te_laat} te laat[/]"
            tab.label = label + ")"

    def _vul_tabel(self, regels: list[WachtrijRegel]) -> None:
        """Update rows by key when the order is unchanged; otherwise rebuild, keeping the
        cursor on the same note."""
        tabel = self.tabel
        nieuw = [r.id.hex for r in regels]
        huidig = [str(row.key.value) for row in tabel.ordered_rows]
        if nieuw == huidig:
            for regel in regels:
                for sleutel, waarde in cellen(regel).items():
                    if str(tabel.get_cell(regel.id.hex, sleutel)) != str(waarde):
                        tabel.update_cell(regel.id.hex, sleutel, waarde)
            return
        gekozen = self.gekozen_id
        tabel.clear()
        for regel in regels:
            waarden = cellen(regel)
            tabel.add_row(*(waarden[k] for k, _titel in KOLOMMEN), key=regel.id.hex)
        if gekozen is not None and gekozen.hex in nieuw:
            tabel.move_cursor(row=nieuw.index(gekozen.hex), animate=False)

    @property
    def gekozen_id(self) -> uuid.UUID | None:
        tabel = self.tabel
        if tabel.row_count == 0:
            return None
        try:
            sleutel = tabel.coordinate_to_cell_key(tabel.cursor_coordinate).row_key
        except Exception:  # no valid cursor
            return None
        return uuid.UUID(hex=str(sleutel.value))

    def _toon_doelen(self, doelen: Doelen) -> None:
        self.query_one("#tb-toegewezen", Select).set_options([(d.label, d) for d in doelen.alle()])

    # ---- filters ------------------------------------------------------------------------------

    @on(Tabs.TabActivated, "#tb-wachtrijen")
    def _wachtrij_gekozen(self, event: Tabs.TabActivated) -> None:
        if event.tab is None or event.tab.id is None:
            return
        soort = WachtrijSoort(event.tab.id.removeprefix("w-"))
        if soort != self.soort:
            self._soort_gekozen = True
            self.soort = soort
            self.vanaf = 0
            self.laad()

    def action_kies(self, soort: str) -> None:
        tabs = self.query_one("#tb-wachtrijen", Tabs)
        tab = tabs.get_tab(f"w-{soort}")
        if tab is not None and tab.display:
            tabs.active = tab.id or ""

    def _filter(self, **wijziging: Any) -> None:
        self.wachtrij_filter = replace(self.wachtrij_filter, **wijziging)
        self.vanaf = 0

    @on(Input.Changed, "#tb-zoek")
    def _zoek_gewijzigd(self, event: Input.Changed) -> None:
        self._filter(zoektekst=event.value)
        self.laad(vertraging=self.ZOEK_VERTRAGING)

    @on(Input.Submitted, "#tb-zoek")
    def _zoek_klaar(self) -> None:
        self.tabel.focus()

    @on(Select.Changed, "#tb-status")
    def _status_gewijzigd(self, event: Select.Changed) -> None:
        self._filter(status="" if event.value is Select.NULL else str(event.value))
        self.laad()

    @on(Select.Changed, "#tb-gemeente")
    def _gemeente_gewijzigd(self, event: Select.Changed) -> None:
        self._filter(gemeente="" if event.value is Select.NULL else str(event.value))
        self.laad()

    @on(Select.Changed, "#tb-toegewezen")
    def _toegewezen_gewijzigd(self, event: Select.Changed) -> None:
        doel = event.value if isinstance(event.value, Doel) else None
        self._filter(toegewezen_aan=doel)
        self.laad()

    @on(Checkbox.Changed, "#tb-te-laat")
    def _te_laat_gewijzigd(self, event: Checkbox.Changed) -> None:
        self._filter(te_laat=event.value)
        self.laad()

    def action_zoek(self) -> None:
        self.query_one("#tb-zoek", Input).focus()

    @on(WachtrijTabel.Getypt)
    def _getypt_in_lijst(self, event: WachtrijTabel.Getypt) -> None:
        """Typing in the list starts a new search with what was typed."""
        zoek = self.query_one("#tb-zoek", Input)
        zoek.value = event.teken if event.nieuw else zoek.value + event.teken
        zoek.cursor_position = len(zoek.value)
        zoek.focus()

    def on_key(self, event: Key) -> None:
        zoek = self.query_one("#tb-zoek", Input)
        if event.key == "down" and zoek.has_focus and self.tabel.row_count:
            self.tabel.focus()

    def action_ververs(self) -> None:
        self.laad()

    def action_pagina(self, richting: int) -> None:
        if self.pagina is None:
            return
        if richting > 0 and self.pagina.meer:
            self.vanaf += EERSTE_PAGINA
        elif richting < 0 and self.vanaf:
            self.vanaf = max(0, self.vanaf - EERSTE_PAGINA)
        else:
            return
        self.laad()

    # ---- actions ------------------------------------------------------------------------------

    @on(DataTable.RowSelected, "#tb-tabel")
    def _open(self, event: DataTable.RowSelected) -> None:
        self.open_notitie(uuid.UUID(hex=str(event.row_key.value)))

    def open_notitie(self, notitie_id: uuid.UUID) -> None:
        self.app.push_screen(TerugbelDetailScreen(notitie_id))

    def action_nieuw(self) -> None:
        def klaar(notitie_id: uuid.UUID | None) -> None:
            if notitie_id is not None:
                self.laad()

        self.app.push_screen(TerugbelFormulier(), klaar)

    def action_pak_volgende(self) -> None:
        if self.kiss.medewerker is None:
            self.notify("Even geduld: aanmelden is nog bezig.", severity="warning")
            return
        soort = self.soort
        self.voer_uit(
            partial(self.werkplek.terugbel.pak_volgende, soort, self.wachtrij_filter),
            partial(self._gepakt, soort), groep="terugbel-pak", exclusief=True, herhaal=False,
        )  # fmt: skip

    def _gepakt(self, soort: WachtrijSoort, notitie_id: uuid.UUID | None) -> None:
        if notitie_id is None:
            self.notify(f"Niets meer open in '{soort.label}'.", severity="information")
            return
        self.kiss.meld(TerugbelnotitieGewijzigd(notitie_id))
        self.open_notitie(notitie_id)
