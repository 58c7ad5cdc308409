"""Teamlead (F6): queue review of the afdeling with bulk reassign, and the norm dashboard.

Every werkplek call runs in a worker; the dashboard shows a loading indicator while it counts.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime
from functools import partial
from typing import Any

from rich.table import Table
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import (
    Checkbox,
    DataTable,
    Footer,
    Header,
    Input,
    Label,
    LoadingIndicator,
    Markdown,
    Select,
    Static,
    TabbedContent,
    TabPane,
)

from kiss.screens.basis import KissScreen
from kiss.screens.email import emailnorm_tabel
from kiss.screens.terugbel_detail import STAAT_STIJL
from kiss.screens.terugbel_dialogen import HerverdeelDialoog, Herverdeling
from kiss.screens.terugbel_formulier import TerugbelFormulier
from kiss.services.rapportage import normen as rapportage
from kiss.services.rapportage.normen import Dashboard, Kpi, Periode, PeriodeFout
from kiss.services.telefonie.oproepen import GemisteOproep
from kiss.services.terugbel.teamlead import Belasting, Review, ReviewRegel
from kiss.services.terugbel.terugbelnotities import Doelen, HerverdeelResultaat, TerugbelInvoer
from kiss.weergave import kort_tijdstip, lokaal
from kiss.werkplek.gebeurtenissen import DemoGeladen, Gebeurtenis, TerugbelnotitieGewijzigd
from kiss.werkplek.teamlead import VragenOverzicht

KOLOMMEN = (
    ("kies", " "),
    ("deadline", "Deadline"),
    ("staat", "Staat"),
    ("team", "Team"),
    ("wie", "Behandelaar / toegewezen"),
    ("gemeente", "Gemeente"),
    ("vraag", "Vraag"),
)
BALKJES = "▁▂▃▄▅▆▇█"
PERIODES = [
    ("Vandaag", "vandaag"),
    ("Deze week", "week"),
    ("Deze maand", "maand"),
    ("Eigen periode", "eigen"),
]
DATUM_FORMATEN = ("%d-%m-%Y", "%d/%m/%Y", "%d.%m.%Y", "%Y-%m-%d")


def eigen_periode(van: str, tot: str) -> Periode:
    """The period typed by the teamlead (dd-mm-jjjj); an empty ``tot`` means just ``van``."""

    def dag(tekst: str, wat: str) -> date:
        for formaat in DATUM_FORMATEN:
            try:
                return datetime.strptime(tekst.strip(), formaat).date()
            except ValueError:
                continue
        raise PeriodeFout(f"{wat} '{tekst.strip()}' is geen datum; gebruik dd-mm-jjjj.")

    begin = dag(van, "Van")
    return Periode(begin, dag(tot, "Tot en met") if tot.strip() else begin)


def sparkline(reeks: list[int]) -> str:
    """A row of block characters, one per day, scaled to the busiest day."""
    hoogste = max(reeks, default=0)
    if hoogste == 0:
        return BALKJES[0] * len(reeks)
    return "".join(BALKJES[round(n / hoogste * (len(BALKJES) - 1))] for n in reeks)


def _pct(waarde: float | None, doel: float) -> Text:
    if waarde is None:
        return Text("–", style="dim")
    return Text(f"{waarde:.1%}", style="bold green" if waarde >= doel else "bold red")


def _belasting(titel: str, groepen: list[Belasting]) -> Table:
    tabel = Table(title=titel, title_justify="left", expand=True, box=None, pad_edge=False)
    tabel.add_column(titel.split()[-1].capitalize())
    for kop in ("open", "laat", "dreigt"):
        tabel.add_column(kop, justify="right")
    for g in groepen[:15]:
        laat = Text(str(g.te_laat), style="bold red" if g.te_laat else "")
        dreigt = Text(str(g.dreigt), style="dark_orange" if g.dreigt else "")
        tabel.add_row(g.naam, str(g.actief), laat, dreigt)
    return tabel


class Uitleg(ModalScreen[None]):
    """The definitions of the dashboard numbers (from the rapportage service)."""

    DEFAULT_CSS = """
    Uitleg { align: center middle; }
    Uitleg > VerticalScroll { width: 100; max-width: 100%; height: 90%;
        border: thick $accent; background: $surface; padding: 0 2; }
    """
    BINDINGS = [Binding("escape,question_mark", "dismiss", "Sluiten")]

    def compose(self) -> ComposeResult:
        tekst = (rapportage.__doc__ or "").split("\n\n", 1)[-1]
        with VerticalScroll():
            yield Markdown("# Definities van het normdashboard\n\n" + tekst)


class TeamleadScreen(KissScreen):
    DEFAULT_CSS = """
    #tl-filters { height: 3; }
    #tl-filters Label { padding: 1 1 0 1; }
    #tl-uren { width: 8; }
    #tl-groepen { width: 46; padding: 0 1; }
    #tl-melding, #tl-gemist-melding { padding: 0 1; height: auto; }
    #tl-periode { width: 24; }
    #tl-van, #tl-tot { width: 18; }
    #tl-filters-dash Label { padding: 1 1 0 1; }
    #tl-periode-fout { color: $error; }
    #tl-laden { height: 3; }
    #tl-dash { padding: 0 1; }
    """
    BINDINGS = [
        Binding("space", "kies", "Selecteren", id="teamlead_kies"),
        Binding("a,ctrl+a", "kies_alles", "Alles selecteren", id="teamlead_alles"),
        Binding(
            "h",
            "herverdeel",
            "Herverdelen",
            id="teamlead_herverdeel",
            tooltip="Verplaats de geselecteerde notities naar een ander team of persoon",
        ),
        Binding("r", "ververs", "Verversen", id="teamlead_verversen"),
        Binding("w", "toon('tl-wachtrij')", "Wachtrijen", id="teamlead_wachtrijen"),
        Binding("d", "toon('tl-dashboard')", "Dashboard", id="teamlead_dashboard"),
        Binding("g", "toon('tl-gemist')", "Gemiste oproepen", id="teamlead_gemist"),
        Binding("question_mark", "uitleg", "Definities", id="teamlead_uitleg"),
    ]
    VERVERS_SECONDEN = 20.0

    def __init__(self) -> None:
        super().__init__()
        self.gekozen: set[uuid.UUID] = set()
        self.overzicht: Review | None = None
        self.dashboard: Dashboard | None = None
        self.gemist: list[GemisteOproep] = []

    @property
    def tabel(self) -> DataTable[Any]:
        return self.query_one("#tl-tabel", DataTable)

    def compose(self) -> ComposeResult:
        yield Header()
        with TabbedContent(id="tl-tabs"):
            with TabPane("Wachtrijen", id="tl-wachtrij"):
                with Horizontal(id="tl-filters"):
                    yield Label("Dreigt te laat binnen")
                    yield Input("4", type="integer", max_length=3, id="tl-uren")
                    yield Label("werkuur")
                    yield Checkbox("Alleen deze", id="tl-dreigend")
                yield Static("", id="tl-melding")
                with Horizontal():
                    with VerticalScroll(id="tl-groepen"):
                        yield Static("", id="tl-teams")
                        yield Static("", id="tl-mensen")
                    yield DataTable(id="tl-tabel", cursor_type="row", zebra_stripes=True)
            with TabPane("Normdashboard", id="tl-dashboard"):
                with Horizontal(id="tl-filters-dash", classes="hoogte-auto"):
                    yield Select(PERIODES, value="vandaag", allow_blank=False, id="tl-periode")
                    yield Input(placeholder="van dd-mm-jjjj", id="tl-van", classes="eigen")
                    yield Input(placeholder="t/m dd-mm-jjjj", id="tl-tot", classes="eigen")
                    yield Label("", id="tl-periode-fout")
                    yield Label("? = definities", classes="uitleg")
                yield LoadingIndicator(id="tl-laden")
                with VerticalScroll(id="tl-dash"):
                    yield Static("", id="tl-kpi")
                    yield Static("", id="tl-email")
                    yield Static("", id="tl-vragen")
            with TabPane("Gemiste oproepen", id="tl-gemist"):
                yield Static("", id="tl-gemist-melding")
                yield DataTable(id="tl-gemist-tabel", cursor_type="row", zebra_stripes=True)
        yield Footer()

    def on_mount(self) -> None:
        for sleutel, titel in KOLOMMEN:
            self.tabel.add_column(titel, key=sleutel)
        self.query_one("#tl-gemist-tabel", DataTable).add_columns(
            "Tijd", "Nummer", "Wachtrij", "Reden"
        )
        self.query_one("#tl-filters-dash").styles.height = 3
        self.query_one("#tl-laden").display = False
        self.query_one("#tl-groepen").can_focus = False
        vandaag = lokaal(self.kiss.klok()).date()
        self.query_one("#tl-van", Input).value = f"{vandaag.replace(day=1):%d-%m-%Y}"
        self.query_one("#tl-tot", Input).value = f"{vandaag:%d-%m-%Y}"
        self.query(".eigen").set(display=False)
        self.set_interval(self.VERVERS_SECONDEN, self._tik)
        self.kiss.gegevens_gewijzigd.subscribe(self, self._gewijzigd)
        self.laad()
        self.tabel.focus()

    def on_screen_resume(self) -> None:
        self.laad()

    def _tik(self) -> None:
        if self.is_current:
            self.laad()

    def _gewijzigd(self, gebeurtenis: Gebeurtenis) -> None:
        if isinstance(gebeurtenis, TerugbelnotitieGewijzigd | DemoGeladen):
            self.laad()

    # ---- queue review -------------------------------------------------------------------------

    @property
    def dreig_uren(self) -> int:
        tekst = self.query_one("#tl-uren", Input).value.strip()
        return max(0, min(int(tekst), 200)) if tekst.isdigit() else 4

    def laad(self) -> None:
        """Count the afdeling's queue again (a newer filter cancels an older count; the
        20-second poll retries after a failure)."""
        if self.kiss.medewerker is None:
            return
        alleen = self.query_one("#tl-dreigend", Checkbox).value
        self.voer_uit(
            partial(self.werkplek.teamlead.review, self.dreig_uren, alleen),
            self._toon,
            groep="teamlead-review",
            exclusief=True,
            herhaal=False,
            bij_weigering=lambda fout: self._melding(str(fout)),
        )

    def _melding(self, tekst: str) -> None:
        self.query_one("#tl-melding", Static).update(tekst)

    def _toon(self, overzicht: Review) -> None:
        self.overzicht = overzicht
        zichtbaar = {r.id for r in overzicht.regels}
        self.gekozen &= zichtbaar
        afdelingen = ", ".join(overzicht.afdelingen) or "geen afdeling"
        te_laat = sum(b.te_laat for b in overzicht.per_team)
        dreigt = sum(b.dreigt for b in overzicht.per_team)
        self._melding(
            f"{afdelingen}: {overzicht.totaal} actieve notities · [red]{te_laat} te laat[/] · "
            f"[dark_orange]{dreigt} dreigen te laat[/] (deadline vóór "
            f"{kort_tijdstip(overzicht.dreig_grens)}) · {len(self.gekozen)} geselecteerd"
            " · spatie selecteert, a alles, h herverdelen"
        )
        self.query_one("#tl-teams", Static).update(
            _belasting("Belasting per team", overzicht.per_team)
        )
        self.query_one("#tl-mensen", Static).update(
            _belasting("Belasting per medewerker", overzicht.per_medewerker)
        )
        self._vul_tabel(overzicht.regels)

    def _cellen(self, regel: ReviewRegel) -> list[object]:
        tekst, stijl = STAAT_STIJL[regel.staat]
        if regel.dreigt and tekst == "op tijd":
            tekst, stijl = "dreigt", "dark_orange"
        return [
            Text("●", style="bold") if regel.id in self.gekozen else "",
            Text(kort_tijdstip(regel.deadline), style=stijl),
            Text(tekst, style=stijl),
            regel.team,
            regel.medewerker or regel.toegewezen_aan,
            regel.gemeente,
            regel.vraag,
        ]

    def _vul_tabel(self, regels: list[ReviewRegel]) -> None:
        tabel = self.tabel
        cursor = self._cursor_id()
        tabel.clear()
        for regel in regels:
            tabel.add_row(*self._cellen(regel), key=regel.id.hex)
        sleutels = [r.id for r in regels]
        if cursor in sleutels:
            tabel.move_cursor(row=sleutels.index(cursor), animate=False)

    def _cursor_id(self) -> uuid.UUID | None:
        tabel = self.tabel
        if tabel.row_count == 0:
            return None
        sleutel = tabel.coordinate_to_cell_key(tabel.cursor_coordinate).row_key
        return uuid.UUID(hex=str(sleutel.value))

    def _ververs_keuze(self, ids: set[uuid.UUID]) -> None:
        for id_ in ids:
            self.tabel.update_cell(
                id_.hex, "kies", Text("●", style="bold") if id_ in self.gekozen else ""
            )
        if self.overzicht is not None:
            self._toon(self.overzicht)

    def action_kies(self) -> None:
        id_ = self._cursor_id()
        if id_ is None:
            return
        self.gekozen ^= {id_}
        self._ververs_keuze({id_})
        if self.tabel.cursor_row < self.tabel.row_count - 1:
            self.tabel.move_cursor(row=self.tabel.cursor_row + 1)

    def action_kies_alles(self) -> None:
        if self.overzicht is None:
            return
        alle = {r.id for r in self.overzicht.regels}
        self.gekozen = set() if alle <= self.gekozen else alle
        self._ververs_keuze(alle)

    @on(Input.Changed, "#tl-uren")
    @on(Checkbox.Changed, "#tl-dreigend")
    def _filter_gewijzigd(self) -> None:
        self.laad()

    def action_ververs(self) -> None:
        self.laad()
        if self.query_one(TabbedContent).active == "tl-dashboard":
            self.laad_dashboard()
        elif self.query_one(TabbedContent).active == "tl-gemist":
            self.laad_gemist()

    def action_herverdeel(self) -> None:
        ids = sorted(self.gekozen) or [i for i in [self._cursor_id()] if i is not None]
        if not ids:
            self.notify("Selecteer eerst notities (spatie).", severity="warning")
            return
        # the versie each note had on screen: one a colleague changed since is left alone
        gezien = {r.id: r.versie for r in self.overzicht.regels} if self.overzicht else {}
        self._open_herverdeel(ids, {i: gezien[i] for i in ids if i in gezien})

    def _open_herverdeel(self, ids: list[uuid.UUID], versies: dict[uuid.UUID, int]) -> None:
        self.voer_uit(
            self.werkplek.terugbel_doelen,
            partial(self._toon_herverdeel, ids, versies),
            groep="teamlead-doelen",
            exclusief=True,
        )

    def _toon_herverdeel(
        self, ids: list[uuid.UUID], versies: dict[uuid.UUID, int], doelen: Doelen
    ) -> None:
        def opslaan(herverdeling: Herverdeling) -> HerverdeelResultaat:
            return self.werkplek.teamlead.herverdeel(
                ids, herverdeling.naar, herverdeling.reden, versies
            )

        titel = f"{len(ids)} terugbelnotitie(s) herverdelen"
        dialoog = HerverdeelDialoog(opslaan, titel, doelen.alle())
        self.app.push_screen(dialoog, lambda gelukt: self._herverdeeld(gelukt, dialoog.resultaat))

    def _herverdeeld(self, gelukt: bool | None, resultaat: HerverdeelResultaat | None) -> None:
        if not gelukt or resultaat is None:
            return
        self.gekozen -= set(resultaat.gelukt)
        melding = f"{len(resultaat.gelukt)} notitie(s) herverdeeld."
        if resultaat.mislukt:
            redenen = "; ".join(sorted(set(resultaat.mislukt.values())))
            melding += f" {len(resultaat.mislukt)} niet (nog geselecteerd): {redenen}"
        fout = bool(resultaat.mislukt)
        self.notify(
            melding, severity="warning" if fout else "information", timeout=12 if fout else 5
        )
        self.kiss.meld(TerugbelnotitieGewijzigd())

    def action_toon(self, tab: str) -> None:
        self.query_one(TabbedContent).active = tab
        self._focus_in(tab)

    def _focus_in(self, tab: str) -> None:
        """Focus a widget of the shown tab (a focused widget in a hidden tab pulls it back)."""
        if tab == "tl-dashboard":
            self.query_one("#tl-periode", Select).focus()
        elif tab == "tl-gemist":
            self.query_one("#tl-gemist-tabel", DataTable).focus()
        else:
            self.tabel.focus()

    def action_uitleg(self) -> None:
        self.app.push_screen(Uitleg())

    # ---- missed calls -------------------------------------------------------------------------

    def laad_gemist(self) -> None:
        self.voer_uit(self.werkplek.teamlead.gemiste_oproepen, self._toon_gemist,
                      groep="teamlead-gemist", exclusief=True, herhaal=False)  # fmt: skip

    def _toon_gemist(self, oproepen: list[GemisteOproep]) -> None:
        self.gemist = oproepen
        tabel = self.query_one("#tl-gemist-tabel", DataTable)
        tabel.clear()
        for oproep in oproepen:
            tabel.add_row(
                kort_tijdstip(oproep.gestart_op), oproep.terugbelnummer or "anoniem",
                oproep.wachtrij,
                oproep.reden,
            )  # fmt: skip
        self.query_one("#tl-gemist-melding", Static).update(
            f"Vandaag {len(oproepen)} oproep(en) in een wachtrij die niemand aannam · "
            "enter: terugbelnotitie voor de beller"
            if oproepen
            else "Vandaag geen gemiste oproepen."
        )

    @on(DataTable.RowSelected, "#tl-gemist-tabel")
    def _terugbellen(self, event: DataTable.RowSelected) -> None:
        oproep = self.gemist[event.cursor_row]
        vraag = (
            f"Gemiste oproep van {kort_tijdstip(oproep.gestart_op)} in wachtrij "
            f"{oproep.wachtrij} ({oproep.reden})."
        )
        invoer = TerugbelInvoer(terugbelnummer=oproep.terugbelnummer, vraag=vraag)
        self.app.push_screen(TerugbelFormulier(invoer))

    # ---- dashboard ----------------------------------------------------------------------------

    @on(TabbedContent.TabActivated)
    def _tab_gekozen(self, event: TabbedContent.TabActivated) -> None:
        self._focus_in(event.pane.id or "")
        if event.pane.id == "tl-dashboard":
            self.laad_dashboard()
        elif event.pane.id == "tl-gemist":
            self.laad_gemist()

    @on(Select.Changed, "#tl-periode")
    def _periode_gekozen(self, event: Select.Changed) -> None:
        eigen = event.value == "eigen"
        self.query(".eigen").set(display=eigen)
        if eigen:
            self.query_one("#tl-van", Input).focus()
        if self.query_one(TabbedContent).active == "tl-dashboard":
            self.laad_dashboard()

    @on(Input.Submitted, "#tl-van, #tl-tot")
    def _eigen_periode_ingevuld(self) -> None:
        self.laad_dashboard()

    def _periode(self) -> Periode | None:
        """The chosen period; a badly typed one shows its Dutch message and gives None."""
        keuze = str(self.query_one("#tl-periode", Select).value)
        fout = self.query_one("#tl-periode-fout", Label)
        try:
            if keuze == "eigen":
                van, tot = self.query_one("#tl-van", Input), self.query_one("#tl-tot", Input)
                periode = eigen_periode(van.value, tot.value)
            else:
                periode = Periode.voorinstelling(keuze, self.kiss.klok())
        except PeriodeFout as exc:
            fout.update(str(exc))
            return None
        fout.update("")
        return periode

    def laad_dashboard(self) -> None:
        periode = self._periode()
        if periode is None:
            return
        self.query_one("#tl-laden").display = True
        self._laad_dashboard(periode)

    def _laad_dashboard(self, periode: Periode) -> None:
        self.voer_uit(
            partial(self.werkplek.teamlead.dashboard, periode),
            self._toon_dashboard,
            groep="teamlead-dashboard",
            exclusief=True,
            bij_weigering=self._dashboard_geweigerd,
        )
        self.voer_uit(  # the e-mail norm next to the others (the central mailbox, F9)
            partial(self.werkplek.email.norm, periode),
            lambda rijen: self.query_one("#tl-email", Static).update(emailnorm_tabel(rijen)),
            groep="teamlead-emailnorm",
            exclusief=True,
            bij_weigering=lambda _fout: None,
        )
        self.voer_uit(  # per onderwerp, questions without a source, klantsignalen
            partial(self.werkplek.teamlead.vragen, periode),
            lambda overzicht: self.query_one("#tl-vragen", Static).update(
                _vragen_weergave(overzicht)
            ),
            groep="teamlead-vragen",
            exclusief=True,
            bij_weigering=lambda _fout: None,
        )

    def _dashboard_geweigerd(self, fout: Exception) -> None:
        self.query_one("#tl-laden").display = False
        self.query_one("#tl-kpi", Static).update(str(fout))

    def _toon_dashboard(self, dashboard: Dashboard) -> None:
        self.dashboard = dashboard
        self.query_one("#tl-laden").display = False
        self.query_one("#tl-kpi", Static).update(_dashboard_weergave(dashboard))


def _vragen_weergave(overzicht: VragenOverzicht) -> Table:
    """Per onderwerp (first-contact resolution), questions without a source, klantsignalen."""
    buiten = Table.grid(padding=(1, 0))
    onderwerpen = Table(title="Eerste keer goed per onderwerp (top 10)", title_justify="left")
    for kop in ("onderwerp", "vragen", "eerste keer goed"):
        onderwerpen.add_column(kop, justify="left" if kop == "onderwerp" else "right")
    for regel in overzicht.onderwerpen:
        onderwerpen.add_row(
            regel.onderwerp or "(geen onderwerp)", str(regel.vragen), f"{regel.percentage:.0f}%"
        )
    buiten.add_row(onderwerpen if overzicht.onderwerpen else Text("Nog geen vragen."))
    zonder = overzicht.zonder_bron
    titel = f"Vragen zonder bron: {len(zonder)}{'+' if len(zonder) >= 200 else ''}"
    zonder_tabel = Table(
        title=titel + " (kiss rapport --onderdeel zonder-bron)", title_justify="left"
    )
    for kop in ("moment", "gemeente", "onderwerp", "vraag"):
        zonder_tabel.add_column(kop)
    for vraag in zonder[:8]:
        zonder_tabel.add_row(
            kort_tijdstip(vraag.moment), vraag.gemeente, vraag.onderwerp, vraag.vraag
        )
    buiten.add_row(zonder_tabel)
    signalen = Table(title="Klantsignalen", title_justify="left")
    for kop in ("gemeente", "soort", "categorie", "aantal"):
        signalen.add_column(kop, justify="right" if kop == "aantal" else "left")
    for signaal in overzicht.signalen:
        signalen.add_row(
            signaal.gemeente, signaal.soort, signaal.categorie or "–", str(signaal.aantal)
        )
    buiten.add_row(signalen if overzicht.signalen else Text("Geen klantsignalen."))
    return buiten


def _dashboard_weergave(d: Dashboard) -> Table:
    buiten = Table.grid(padding=(0, 0))
    kpi = Table(title=f"Normen {d.periode}", title_justify="left", expand=True)
    kpi.add_column("")
    for kop in (
        "contacten",
        "eerste keer goed",
        "notities",
        "op tijd",
        "te laat",
        "nog open",
        "terugbelnorm",
        "gem. afhandeltijd",
    ):
        kpi.add_column(kop, justify="right")
    blokken: list[tuple[str, Kpi]] = [*d.per_gemeente.items(), ("Totaal", d.totaal)]
    for naam, k in blokken:
        gemiddeld = k.gemiddelde_afhandeltijd_s
        kpi.add_row(
            Text(naam, style="bold" if naam == "Totaal" else ""),
            str(k.contactmomenten),
            _pct(k.eerste_keer_goed_pct, d.doel_eerste_keer_goed),
            str(k.notities),
            str(k.op_tijd),
            Text(str(k.te_laat), style="red" if k.te_laat else ""),
            str(k.nog_open),
            _pct(k.terugbelnorm_pct, d.doel_terugbelnorm),
            "–" if gemiddeld is None else f"{gemiddeld / 60:.1f} min",
        )
    buiten.add_row(kpi)
    buiten.add_row(
        Text(
            f"Doelen: eerste keer goed ≥ {d.doel_eerste_keer_goed:.0%} · terugbelnorm ≥ "
            f"{d.doel_terugbelnorm:.0%}",
            style="dim",
        )
    )
    volume = Table(title="Volume per kanaal per dag", title_justify="left", box=None)
    volume.add_column("kanaal")
    volume.add_column("totaal", justify="right")
    volume.add_column(f"{d.periode.van:%d-%m} … {d.periode.tot:%d-%m}")
    for kanaal, reeks in sorted(d.totaal.volume.items(), key=lambda kv: -sum(kv[1])):
        volume.add_row(kanaal, str(sum(reeks)), Text(sparkline(reeks), style="cyan"))
    buiten.add_row(volume)
    onderwerpen = Table(title="Top onderwerpen", title_justify="left", box=None)
    onderwerpen.add_column("kennisbankartikel")
    onderwerpen.add_column("", justify="right")
    for titel, aantal in d.totaal.top_onderwerpen:
        onderwerpen.add_row(titel, str(aantal))
    afdelingen = Table(title="Afdelingen: notities en te laat", title_justify="left", box=None)
    afdelingen.add_column("afdeling")
    afdelingen.add_column("notities", justify="right")
    afdelingen.add_column("te laat", justify="right")
    for naam, notities, laat in d.totaal.afdelingen_meeste_notities:
        afdelingen.add_row(naam, str(notities), Text(str(laat), style="red" if laat else ""))
    naast = Table.grid(padding=(0, 4))
    naast.add_row(onderwerpen, afdelingen)
    buiten.add_row(naast)
    return buiten
