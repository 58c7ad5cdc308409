"""Small dialogs on one terugbelnotitie: log a call attempt, close it, reassign it.

Each dialog gets an ``opslaan`` function from the detail screen (which calls the services) and
runs it in a worker. Field problems appear at the field and the text stays; when a colleague
was first (or the action is not allowed) the dialog closes with the Dutch message and the
detail screen refreshes.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, RadioButton, RadioSet, Select, TextArea

from kiss.rollen import GeenToegang
from kiss.services.terugbel.terugbelnotities import (
    UITKOMST_KEUZES,
    Doel,
    OngeldigeActie,
    TerugbelFout,
    TerugbelFouten,
    Uitkomst,
)
from kiss.widgets.velden import Veld, toon_fouten

InvoerT = TypeVar("InvoerT")


class TerugbelDialoog(ModalScreen[bool], Generic[InvoerT]):
    """Dismisses True after a successful save, False when cancelled or overtaken."""

    HOOFDVELD = "notitie"  # where an OngeldigeActie message is shown
    DEFAULT_CSS = """
    TerugbelDialoog { align: center middle; }
    TerugbelDialoog > Vertical {
        width: 80; max-width: 100%; height: auto; max-height: 95%; padding: 0 2;
        border: thick $accent; background: $surface;
    }
    TerugbelDialoog .titel { text-style: bold; margin-bottom: 1; }
    TerugbelDialoog TextArea { height: 5; }
    TerugbelDialoog Horizontal { height: auto; margin-top: 1; }
    TerugbelDialoog Button { margin-right: 2; }
    """
    BINDINGS = [
        Binding("ctrl+s", "bewaar", "Opslaan", priority=True),
        Binding("escape", "annuleer", "Annuleren"),
    ]

    def __init__(self, opslaan: Callable[[InvoerT], Any], titel: str) -> None:
        super().__init__()
        self._opslaan = opslaan
        self.titel = titel

    @property
    def invoer(self) -> InvoerT:
        raise NotImplementedError

    def knoppen(self) -> ComposeResult:
        with Horizontal():
            yield Button("Opslaan (ctrl+s)", id="dlg-opslaan", variant="primary")
            yield Button("Annuleren (esc)", id="dlg-annuleren")

    @on(Button.Pressed, "#dlg-opslaan")
    def action_bewaar(self) -> None:
        self._bewaar(self.invoer)

    @on(Button.Pressed, "#dlg-annuleren")
    def action_annuleer(self) -> None:
        self.dismiss(False)

    @work(thread=True, exclusive=True, group="terugbel-dialoog")
    def _bewaar(self, invoer: InvoerT) -> None:
        try:
            self._opslaan(invoer)
        except TerugbelFouten as exc:
            self.app.call_from_thread(toon_fouten, self, exc.fouten)
        except OngeldigeActie as exc:
            self.app.call_from_thread(toon_fouten, self, {self.HOOFDVELD: str(exc)})
        except (TerugbelFout, GeenToegang) as exc:
            self.app.call_from_thread(self._ingehaald, str(exc))
        else:
            self.app.call_from_thread(self.dismiss, True)

    def _ingehaald(self, melding: str) -> None:
        self.notify(melding, severity="warning", timeout=8)
        self.dismiss(False)


@dataclass(frozen=True)
class Poging:
    bereikt: bool
    notitie: str


class PogingDialoog(TerugbelDialoog[Poging]):
    """Log one call attempt: bereikt ja/nee and a short note."""

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(self.titel, classes="titel")
            yield Veld(
                "Klant bereikt?",
                RadioSet(
                    RadioButton("Niet bereikt (voicemail, geen gehoor, in gesprek)", value=True),
                    RadioButton("Bereikt", id="pg-bereikt"),
                    id="pg-keuze",
                ),
                naam="bereikt",
            )
            yield Veld(
                "Notitie (optioneel)", Input(max_length=1000, id="pg-notitie"), naam="notitie"
            )
            yield from self.knoppen()

    def on_mount(self) -> None:
        self.query_one("#pg-keuze", RadioSet).focus()

    @property
    def invoer(self) -> Poging:
        return Poging(
            bereikt=self.query_one("#pg-bereikt", RadioButton).value,
            notitie=self.query_one("#pg-notitie", Input).value,
        )


@dataclass(frozen=True)
class Afhandeling:
    uitkomst: str
    toelichting: str
    doorgezet_naar: str


class AfhandelDialoog(TerugbelDialoog[Afhandeling]):
    """Close the note with an outcome; 'doorgezet naar …' asks where to."""

    HOOFDVELD = "uitkomst"

    def __init__(
        self, opslaan: Callable[[Afhandeling], Any], titel: str, mislukte_pogingen: int
    ) -> None:
        super().__init__(opslaan, titel)
        self.mislukte_pogingen = mislukte_pogingen

    def compose(self) -> ComposeResult:
        keuzes = [
            (
                label.replace("na pogingen", f"na {self.mislukte_pogingen} poging(en)"),
                uitkomst.value,
            )
            for label, uitkomst in UITKOMST_KEUZES
        ]
        with Vertical():
            yield Label(self.titel, classes="titel")
            yield Veld(
                "Uitkomst",
                Select(keuzes, value=Uitkomst.GEHOLPEN.value, allow_blank=False, id="af-uitkomst"),
                naam="uitkomst",
            )
            yield Veld(
                "Doorgezet naar (afdeling, organisatie of persoon)",
                Input(max_length=60, id="af-doorgezet"),
                naam="doorgezet_naar",
            )
            yield Veld(
                "Toelichting voor de contacthistorie (hoogstens 1000 tekens)",
                TextArea(id="af-toelichting"),
                naam="toelichting",
            )
            yield from self.knoppen()

    def on_mount(self) -> None:
        self._toon_doorgezet()
        self.query_one("#af-uitkomst", Select).focus()

    @on(Select.Changed, "#af-uitkomst")
    def _toon_doorgezet(self) -> None:
        doorgezet = self.query_one("#af-uitkomst", Select).value == Uitkomst.DOORGEZET.value
        self.query_one("#veld-doorgezet_naar", Veld).display = doorgezet

    @property
    def invoer(self) -> Afhandeling:
        uitkomst = self.query_one("#af-uitkomst", Select).value
        return Afhandeling(
            uitkomst="" if uitkomst is Select.NULL else str(uitkomst),
            toelichting=self.query_one("#af-toelichting", TextArea).text,
            doorgezet_naar=self.query_one("#af-doorgezet", Input).value,
        )


@dataclass(frozen=True)
class Herverdeling:
    naar: Doel | None
    reden: str


class HerverdeelDialoog(TerugbelDialoog[Herverdeling]):
    """Move the note to another team, afdeling or person, with a reason."""

    HOOFDVELD = "naar"

    def __init__(
        self, opslaan: Callable[[Herverdeling], Any], titel: str, doelen: list[Doel]
    ) -> None:
        super().__init__(opslaan, titel)
        self.doelen = doelen

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(self.titel, classes="titel")
            yield Veld(
                "Naar (typ om te zoeken)",
                Select([(d.label, d) for d in self.doelen], prompt="kies…", id="hv-naar"),
                naam="naar",
            )
            yield Veld(
                "Reden (de collega ziet deze)", Input(max_length=1000, id="hv-reden"), naam="reden"
            )
            yield from self.knoppen()

    def on_mount(self) -> None:
        self.query_one("#hv-naar", Select).focus()

    @property
    def invoer(self) -> Herverdeling:
        naar = self.query_one("#hv-naar", Select).value
        return Herverdeling(
            naar=naar if isinstance(naar, Doel) else None,
            reden=self.query_one("#hv-reden", Input).value,
        )
