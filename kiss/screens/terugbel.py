"""Mode ``terugbel`` (F5): the terugbel queues, sorted by deadline, refreshing on their own.

Tabs switch between mijn notities, mijn team, mijn afdeling and (for teamleiders) alles. Te laat
is red, bijna (due today or within the warning hours) amber. Enter opens a note, ``p`` takes
the next one ("pak de volgende"), ``n`` makes a new note, ``r`` refreshes, ``/`` searches by
phone number (any notation) or klant name. Every query runs in a thread worker.
"""

from __future__ import annotations

import time
import uuid
from dataclasses import replace
from typing import TYPE_CHECKING, Any, cast

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.screen import Screen
from textual.widgets import Checkbox, DataTable, Footer, Header, Input, Select, Static, Tab, Tabs
from textual.worker import get_current_worker

from kiss import weergave
from kiss.db import read_scope, session_scope
from kiss.rollen import GeenToegang
from kiss.screens.terugbel_detail import STAAT_STIJL, TerugbelDetailScreen
from kiss.screens.terugbel_formulier import TerugbelFormulier
from kiss.services.terugbel import terugbelnotities
from kiss.services.terugbel.terugbelnotities import STATUS_LABELS, Doel, Doelen, TerugbelFout
from kiss.services.terugbel.wachtrij import (
    EERSTE_PAGINA,
    GeenWachtrij,
    Telling,
    WachtrijFilter,
    WachtrijPagina,
    WachtrijRegel,
    WachtrijSoort,
    pak_volgende,
    tellingen,
    wachtrij,
)

if TYPE_CHECKING:
    from kiss.app import KissApp
    from kiss.models import Medewerker

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


class TerugbelScreen(Screen[None]):
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
        Binding("p", "pak_volgende", "Pak de volgende", id="terugbel_pak_volgende",
                tooltip="Neem de open notitie met de vroegste deadline in behandeling"),
        Binding("n", "nieuw", "Nieuwe notitie", id="terugbel_nieuw"),
        Binding("r", "ververs", "Verversen", id="terugbel_verversen"),
        Binding("slash", "zoek", "Zoeken", id="terugbel_zoeken",
                tooltip="Zoek op telefoonnummer of klantnaam"),
        Binding("right_square_bracket", "pagina(1)", "Volgende pagina", id="terugbel_volgende",
                show=False),
        Binding("left_square_bracket", "pagina(-1)", "Vorige pagina", id="terugbel_vorige",
                show=False),
        Binding("1", "kies('mijn')", "Mijn", show=False),
        Binding("2", "kies('team')", "Team", show=False),
        Binding("3", "kies('afdeling')", "Afdeling", show=False),
        Binding("4", "kies('alles')", "Alles", show=False),
    ]  # fmt: skip

    def __init__(self) -> None:
        super().__init__()
        self.soort = WachtrijSoort.TEAM
        self.wachtrij_filter = WachtrijFilter()
        self.vanaf = 0
        self.pagina: WachtrijPagina | None = None
        self._soort_gekozen = False

    @property
    def kiss(self) -> KissApp:
        return cast("KissApp", self.app)

    @property
    def tabel(self) -> DataTable[Any]:
        return self.query_one("#tb-tabel", DataTable)

    def compose(self) -> ComposeResult:
        gemeenten = [(naam, naam) for naam, _code in self.kiss.settings.gemeenten]
        yield Header()
        yield Tabs(*(Tab(s.label, id=_tab_id(s)) for s in WachtrijSoort), id="tb-wachtrijen")
        with Horizontal(id="tb-filters"):
            yield Input(placeholder="/ zoek op telefoonnummer of klantnaam…", id="tb-zoek")
            yield Select(STATUS_KEUZES, value="", allow_blank=False, id="tb-status")
            yield Select(gemeenten, prompt="Alle gemeenten", id="tb-gemeente")
            yield Select([], prompt="Iedereen", id="tb-toegewezen")
            yield Checkbox("Alleen te laat", id="tb-te-laat")
        yield Static("", id="tb-melding")
        yield DataTable(id="tb-tabel", cursor_type="row", zebra_stripes=True)
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

    def _aangemeld(self, medewerker: Medewerker) -> None:
        if not self._soort_gekozen:
            if medewerker.team_id is not None:
                self.soort = WachtrijSoort.TEAM
            elif medewerker.afdeling_id is not None:
                self.soort = WachtrijSoort.AFDELING
            else:
                self.soort = WachtrijSoort.MIJN
            self.query_one("#tb-wachtrijen", Tabs).active = _tab_id(self.soort)
        self.laad()
        self._laad_doelen()

    def _gewijzigd(self, wat: str) -> None:
        if wat == "terugbelnotitie":
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
        self._laad(self.soort, self.wachtrij_filter, self.vanaf, vertraging)

    @work(thread=True, exclusive=True, group="terugbel-wachtrij")
    def _laad(
        self, soort: WachtrijSoort, filter: WachtrijFilter, offset: int, vertraging: float
    ) -> None:
        medewerker = self.kiss.medewerker
        if medewerker is None:
            return
        if vertraging:
            time.sleep(vertraging)  # debounce: the next keystroke cancels this worker
        worker = get_current_worker()
        if worker.is_cancelled:
            return
        nu = self.kiss.klok()
        pagina: WachtrijPagina | None = None
        melding = ""
        with read_scope(self.kiss.engine) as session:
            try:
                pagina = wachtrij(
                    session,
                    medewerker,
                    soort,
                    filter,
                    nu=nu,
                    settings=self.kiss.settings,
                    limit=EERSTE_PAGINA,
                    offset=offset,
                )
            except (GeenWachtrij, GeenToegang) as exc:
                melding = str(exc)
            telling = tellingen(session, medewerker, nu)
        if not worker.is_cancelled:
            self.app.call_from_thread(self._toon, soort, pagina, telling, melding)

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

    @work(thread=True, exclusive=True, group="terugbel-doelen")
    def _laad_doelen(self) -> None:
        with read_scope(self.kiss.engine) as session:
            doelen = terugbelnotities.doelen(session)
        self.app.call_from_thread(self._toon_doelen, doelen)

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
        self._pak_volgende(self.soort, self.wachtrij_filter)

    @work(thread=True, exclusive=True, group="terugbel-pak")
    def _pak_volgende(self, soort: WachtrijSoort, filter: WachtrijFilter) -> None:
        medewerker = self.kiss.medewerker
        if medewerker is None:
            return
        try:
            with session_scope(self.kiss.engine) as session:
                notitie_id = pak_volgende(session, medewerker, soort, self.kiss.klok(), filter)
        except (TerugbelFout, GeenToegang) as exc:
            self.app.call_from_thread(self.notify, str(exc), severity="warning")
            return
        if notitie_id is None:
            self.app.call_from_thread(
                self.notify, f"Niets meer open in '{soort.label}'.", severity="information"
            )
            return
        self.app.call_from_thread(self._gepakt, notitie_id)

    def _gepakt(self, notitie_id: uuid.UUID) -> None:
        self.kiss.gegevens_gewijzigd.publish("terugbelnotitie")
        self.open_notitie(notitie_id)
