"""Kennisbank dialogs: feedback on an article, editing an article, the feedback list."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import replace
from functools import partial
from typing import Any

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Button, DataTable, Input, Label, Select, TextArea

from kiss.screens.basis import KissDialoog
from kiss.screens.dialogen import Bevestig
from kiss.screens.klant_dialogen import OpslaanDialoog
from kiss.services.kennisbank import artikelen
from kiss.services.kennisbank.formaat import ArtikelData
from kiss.weergave import tijdstip
from kiss.widgets.velden import Veld


def vraag_voor_weggooien(dialoog: Any, vraag: str) -> None:
    """Escape on a form with typed text: ask first, with the safe button focused."""

    def besloten(weggooien: bool | None) -> None:
        if weggooien:
            dialoog.dismiss(None)

    dialoog.app.push_screen(
        Bevestig(vraag, ja="Weggooien", nee="Verder typen", veilig=True), besloten
    )


_DIALOOG_CSS = """
{naam} {{ align: center middle; }}
{naam} > Vertical {{
    width: 90; max-width: 100%; height: auto; max-height: 95%; padding: 0 2;
    border: thick $accent; background: $surface;
}}
{naam} Horizontal {{ height: auto; margin-top: 1; }}
{naam} Button {{ margin-right: 2; }}
{naam} TextArea {{ height: 6; }}
"""


class FeedbackDialoog(OpslaanDialoog[tuple[str, str], Any]):
    DEFAULT_CSS = _DIALOOG_CSS.format(naam="FeedbackDialoog")
    HOOFDVELD = "notitie"
    BINDINGS = [
        Binding("escape", "annuleer", "Annuleren"),
        Binding("ctrl+s", "bewaar", "Versturen", priority=True),
    ]

    def __init__(self, opslaan: Callable[[tuple[str, str]], Any], titel: str) -> None:
        super().__init__(opslaan)
        self.titel = titel

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(f"[b]Feedback op[/b] {self.titel}  (ctrl+s versturen)")
            yield Veld(
                "Wat is er mis?",
                Select(
                    [(label, code) for code, label in artikelen.FEEDBACK_SOORTEN.items()],
                    value="klopt_niet",
                    allow_blank=False,
                    id="fb-soort",
                ),
                naam="soort",
            )
            yield Veld("Toelichting voor de redactie", TextArea(id="fb-notitie"), naam="notitie")
            with Horizontal():
                yield Button("Versturen", id="bewaar", variant="primary")
                yield Button("Annuleren", id="annuleer")

    def on_mount(self) -> None:
        self.query_one("#fb-notitie", TextArea).focus()

    def action_annuleer(self) -> None:
        if self.invoer[1].strip():
            vraag_voor_weggooien(self, "Deze feedback niet versturen? Wat je typte gaat verloren.")
        else:
            self.dismiss(None)

    @property
    def invoer(self) -> tuple[str, str]:
        return (
            str(self.query_one("#fb-soort", Select).value),
            self.query_one("#fb-notitie", TextArea).text,
        )


def _lijst(tekst: str) -> list[str]:
    return [d.strip() for d in tekst.split(",") if d.strip()]


class ArtikelBewerken(OpslaanDialoog[ArtikelData, Any]):
    DEFAULT_CSS = _DIALOOG_CSS.format(naam="ArtikelBewerken") + (
        "ArtikelBewerken #ab-inhoud { height: 14; }"
    )
    HOOFDVELD = "titel"
    BINDINGS = [
        Binding("escape", "annuleer", "Annuleren"),
        Binding("ctrl+s", "bewaar", "Opslaan", priority=True),
    ]

    def __init__(self, opslaan: Callable[[ArtikelData], Any], data: ArtikelData) -> None:
        super().__init__(opslaan)
        self.data = data
        self._begin: ArtikelData | None = None

    def compose(self) -> ComposeResult:
        d = self.data
        with Vertical():
            yield Label(f"[b]Artikel bewerken[/b] ({d.sleutel})  ctrl+s opslaan, esc annuleren")
            with VerticalScroll():
                yield Veld("Titel", Input(d.titel, max_length=200, id="ab-titel"), naam="titel")
                yield Veld("Samenvatting", Input(d.samenvatting, id="ab-samenvatting"),
                           naam="samenvatting")  # fmt: skip
                yield Veld("Trefwoorden (komma's)", Input(", ".join(d.trefwoorden),
                           id="ab-trefwoorden"), naam="trefwoorden")  # fmt: skip
                yield Veld("Synoniemen (komma's)", Input(", ".join(d.synoniemen),
                           id="ab-synoniemen"), naam="synoniemen")  # fmt: skip
                yield Veld("Werkinstructie KCC", TextArea(d.werkinstructie, id="ab-werkinstructie"),
                           naam="werkinstructie")  # fmt: skip
                yield Veld("Inhoud (Markdown)", TextArea(d.inhoud, id="ab-inhoud"), naam="inhoud")
            with Horizontal():
                yield Button("Opslaan", id="bewaar", variant="primary")
                yield Button("Annuleren", id="annuleer")

    def on_mount(self) -> None:
        self._begin = self.invoer  # as shown, to tell an edit from a look
        self.query_one("#ab-titel", Input).focus()

    def action_annuleer(self) -> None:
        if self._begin is not None and self.invoer != self._begin:
            vraag_voor_weggooien(
                self, "Je wijzigingen in dit artikel niet opslaan? Ze gaan verloren."
            )
        else:
            self.dismiss(None)

    @property
    def invoer(self) -> ArtikelData:
        return replace(
            self.data,
            titel=self.query_one("#ab-titel", Input).value.strip(),
            samenvatting=self.query_one("#ab-samenvatting", Input).value.strip(),
            trefwoorden=_lijst(self.query_one("#ab-trefwoorden", Input).value),
            synoniemen=_lijst(self.query_one("#ab-synoniemen", Input).value),
            werkinstructie=self.query_one("#ab-werkinstructie", TextArea).text.strip(),
            inhoud=self.query_one("#ab-inhoud", TextArea).text.strip(),
        )


class FeedbackLijst(KissDialoog[None]):
    """Open feedback for redacteuren; enter marks the selected item as handled."""

    DEFAULT_CSS = _DIALOOG_CSS.format(naam="FeedbackLijst") + (
        "FeedbackLijst DataTable { height: auto; max-height: 30; }"
    )
    BINDINGS = [
        Binding("escape", "sluit", "Sluiten"),
        Binding("enter", "afgehandeld", "Afgehandeld"),
    ]

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label("[b]Feedback op artikelen[/b]  (enter: afgehandeld, esc: sluiten)")
            yield DataTable(id="fb-tabel", cursor_type="row")

    def on_mount(self) -> None:
        tabel = self.query_one("#fb-tabel", DataTable)
        tabel.add_columns("ontvangen", "artikel", "soort", "van", "toelichting")
        tabel.focus()
        self.laad()

    def laad(self) -> None:
        self.voer_uit(
            self.werkplek.kennisbank.open_feedback, self._toon, groep="feedbacklijst",
            exclusief=True,
        )  # fmt: skip

    def _toon(self, regels: list[artikelen.FeedbackRegel]) -> None:
        tabel = self.query_one("#fb-tabel", DataTable)
        tabel.clear()
        for r in regels:
            tabel.add_row(tijdstip(r.aangemaakt_op), r.artikel_titel, r.soort, r.van,
                          r.notitie[:60], key=str(r.id))  # fmt: skip

    def action_afgehandeld(self) -> None:
        tabel = self.query_one("#fb-tabel", DataTable)
        if tabel.row_count == 0:
            return
        key = tabel.coordinate_to_cell_key(tabel.cursor_coordinate).row_key.value
        if key:
            self.voer_uit(
                partial(self.werkplek.kennisbank.handel_feedback_af, uuid.UUID(key)),
                lambda _: self.laad(),
                groep="feedbacklijst-opslaan",
            )

    def action_sluit(self) -> None:
        self.dismiss(None)
