"""Small dialogs on one terugbelnotitie: log a call attempt, close it, reassign it.

Each dialog gets an ``opslaan`` function from its screen (a werkplek call) and runs it with
``voer_uit``. Field problems appear at the field and the text stays; when a colleague was
first (or the action is not allowed) the dialog closes with the Dutch message and the screen
refreshes. Escape after typing asks first, with the safe button focused.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Input, Label, RadioButton, RadioSet, Select, TextArea

from kiss.screens.basis import KissDialoog
from kiss.screens.dialogen import Bevestig
from kiss.services.klant.klantbeeld import InvoerFouten
from kiss.services.terugbel.terugbelnotities import (
    UITKOMST_KEUZES,
    Doel,
    OngeldigeActie,
    Uitkomst,
)
from kiss.widgets.velden import Veld, toon_fouten

InvoerT = TypeVar("InvoerT")


class TerugbelDialoog(KissDialoog[bool], Generic[InvoerT]):
    """Dismisses True after a successful save (what ``opslaan`` returned is kept in
    ``resultaat``), False when cancelled or overtaken."""

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
        self.resultaat: Any = None
        self._bezig = False

    @property
    def invoer(self) -> InvoerT:
        raise NotImplementedError

    def knoppen(self) -> ComposeResult:
        with Horizontal():
            yield Button("Opslaan (ctrl+s)", id="dlg-opslaan", variant="primary")
            yield Button("Annuleren (esc)", id="dlg-annuleren")

    @property
    def is_ingevuld(self) -> bool:
        """Something typed that escape would throw away."""
        return False

    @on(Button.Pressed, "#dlg-opslaan")
    def action_bewaar(self) -> None:
        if self._bezig:
            return
        self._bezig = True
        invoer = self.invoer
        self.voer_uit(
            lambda: self._opslaan(invoer),
            self._opgeslagen,
            groep="terugbel-dialoog",
            exclusief=True,
            bij_weigering=self._geweigerd,
        )

    def _opgeslagen(self, resultaat: Any) -> None:
        self.resultaat = resultaat
        self.dismiss(True)

    def _geweigerd(self, fout: Exception) -> None:
        self._bezig = False
        if isinstance(fout, InvoerFouten):
            toon_fouten(self, fout.fouten)
        elif isinstance(fout, OngeldigeActie):
            toon_fouten(self, {self.HOOFDVELD: str(fout)})
        else:  # a colleague was first, or not allowed: say so and let the screen refresh
            self.notify(str(fout), severity="warning", timeout=8)
            self.dismiss(False)

    @on(Button.Pressed, "#dlg-annuleren")
    def action_annuleer(self) -> None:
        if not self.is_ingevuld:
            self.dismiss(False)
            return

        def besloten(weggooien: bool | None) -> None:
            if weggooien:
                self.dismiss(False)

        self.app.push_screen(
            Bevestig(
                "Niet opslaan? Wat je typte gaat verloren.",
                ja="Weggooien",
                nee="Verder typen",
                veilig=True,
            ),
            besloten,
        )


POGING_KANALEN = ("telefoon", "e-mail", "sms", "WhatsApp", "brief", "balie")


@dataclass(frozen=True)
class Poging:
    bereikt: bool
    notitie: str
    kanaal: str = "telefoon"


class PogingDialoog(TerugbelDialoog[Poging]):
    """Log one attempt to reach the klant: kanaal, gelukt ja/nee and a short note."""

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(self.titel, classes="titel")
            yield Veld(
                "Kanaal",
                Select(
                    [(k, k) for k in POGING_KANALEN],
                    value="telefoon",
                    allow_blank=False,
                    id="pg-kanaal",
                ),
                naam="kanaal",
            )
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
    def is_ingevuld(self) -> bool:
        return bool(self.invoer.notitie.strip())

    @property
    def invoer(self) -> Poging:
        return Poging(
            bereikt=self.query_one("#pg-bereikt", RadioButton).value,
            notitie=self.query_one("#pg-notitie", Input).value,
            kanaal=str(self.query_one("#pg-kanaal", Select).value),
        )


@dataclass(frozen=True)
class Afhandeling:
    uitkomst: str
    toelichting: str
    doorgezet_naar: str
    informatie_klant: str = ""


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
                "Informatie voor de klant — wat de klant te horen kreeg (hoogstens 1000 tekens)",
                TextArea(id="af-informatie"),
                naam="informatie_klant",
            )
            yield Veld(
                "Interne toelichting — alleen voor collega's (hoogstens 1000 tekens)",
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
    def is_ingevuld(self) -> bool:
        invoer = self.invoer
        return bool(
            invoer.toelichting.strip()
            or invoer.doorgezet_naar.strip()
            or invoer.informatie_klant.strip()
        )

    @property
    def invoer(self) -> Afhandeling:
        uitkomst = self.query_one("#af-uitkomst", Select).value
        return Afhandeling(
            uitkomst="" if uitkomst is Select.NULL else str(uitkomst),
            toelichting=self.query_one("#af-toelichting", TextArea).text,
            doorgezet_naar=self.query_one("#af-doorgezet", Input).value,
            informatie_klant=self.query_one("#af-informatie", TextArea).text,
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
    def is_ingevuld(self) -> bool:
        return bool(self.invoer.reden.strip())

    @property
    def invoer(self) -> Herverdeling:
        naar = self.query_one("#hv-naar", Select).value
        return Herverdeling(
            naar=naar if isinstance(naar, Doel) else None,
            reden=self.query_one("#hv-reden", Input).value,
        )


@dataclass(frozen=True)
class Heropening:
    reden: str


class HeropenDialoog(TerugbelDialoog[Heropening]):
    """A teamlead or beheerder reopens a closed note; the reason goes into its history."""

    HOOFDVELD = "reden"

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(self.titel, classes="titel")
            yield Veld(
                "Waarom gaat de notitie weer open? (komt in de geschiedenis)",
                TextArea(id="ho-reden"),
                naam="reden",
            )
            yield from self.knoppen()

    def on_mount(self) -> None:
        self.query_one("#ho-reden", TextArea).focus()

    @property
    def is_ingevuld(self) -> bool:
        return bool(self.invoer.reden.strip())

    @property
    def invoer(self) -> Heropening:
        return Heropening(self.query_one("#ho-reden", TextArea).text)


@dataclass(frozen=True)
class ZaakKeuze:
    zaak_id: uuid.UUID | None


class ZaakDialoog(TerugbelDialoog[ZaakKeuze]):
    """Link one of the klant's zaken to the note (or none)."""

    HOOFDVELD = "zaak"

    def __init__(
        self,
        opslaan: Callable[[ZaakKeuze], Any],
        titel: str,
        zaken: list[tuple[str, uuid.UUID]],
        huidige: uuid.UUID | None,
    ) -> None:
        super().__init__(opslaan, titel)
        self.zaken = zaken
        self.huidige = huidige

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(self.titel, classes="titel")
            yield Veld(
                "Zaak van de klant",
                Select(
                    self.zaken,
                    prompt="geen zaak",
                    id="zk-zaak",
                    value=self.huidige if self.huidige else Select.NULL,
                ),
                naam="zaak",
            )
            yield from self.knoppen()

    def on_mount(self) -> None:
        self.query_one("#zk-zaak", Select).focus()

    @property
    def is_ingevuld(self) -> bool:
        return False

    @property
    def invoer(self) -> ZaakKeuze:
        waarde = self.query_one("#zk-zaak", Select).value
        return ZaakKeuze(None if waarde is Select.NULL else waarde)  # type: ignore[arg-type]
