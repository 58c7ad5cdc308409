"""Add a source the agent consulted for the question: a website or a werkinstructie (the
kennisbank and the smoelenboek add theirs by themselves)."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Input, Label, Select

from kiss.models import BronSoort
from kiss.screens.basis import KissDialoog
from kiss.services.contact.bronnen import MAX_BRON_TITEL, MAX_BRON_URL, Bron
from kiss.widgets.velden import BegrensdeInvoer, Veld, toon_fouten


class BronDialoog(KissDialoog[Bron | None]):
    DEFAULT_CSS = """
    BronDialoog { align: center middle; }
    BronDialoog > Vertical {
        width: 76; height: auto; padding: 1 2; border: thick $accent; background: $surface;
    }
    BronDialoog Horizontal { height: auto; margin-top: 1; }
    BronDialoog Button { margin-right: 2; }
    """
    BINDINGS = [Binding("escape", "annuleer", "Annuleren")]

    def __init__(self, vraag: str) -> None:
        super().__init__()
        self.vraag = vraag

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(f"[b]Bron toevoegen[/b] aan de vraag: {self.vraag}")
            yield Veld(
                "Soort",
                Select(
                    [
                        ("website", BronSoort.LINK.value),
                        ("werkinstructie", BronSoort.WERKINSTRUCTIE.value),
                    ],
                    value=BronSoort.LINK.value,
                    allow_blank=False,
                    id="b-soort",
                ),
                naam="soort",
            )
            yield Veld(
                "Titel (wat je raadpleegde)",
                BegrensdeInvoer(max_length=MAX_BRON_TITEL, id="b-titel"),
                naam="titel",
            )
            yield Veld(
                "Adres (optioneel, bijv. https://www.rijksoverheid.nl/…)",
                BegrensdeInvoer(max_length=MAX_BRON_URL, id="b-url"),
                naam="url",
            )
            with Horizontal():
                yield Button("Toevoegen", id="toevoegen", variant="primary")
                yield Button("Annuleren", id="annuleer")

    def on_mount(self) -> None:
        self.query_one("#b-titel", Input).focus()

    @on(Input.Submitted)
    @on(Button.Pressed, "#toevoegen")
    def action_toevoegen(self) -> None:
        titel = self.query_one("#b-titel", Input).value.strip()
        url = self.query_one("#b-url", Input).value.strip()
        fouten = {}
        if not titel:
            fouten["titel"] = "Geef de bron een titel, zodat collega's hem herkennen."
        if url and not url.lower().startswith(("http://", "https://")):
            fouten["url"] = "Een webadres begint met https:// (of http://)."
        if fouten:
            toon_fouten(self, fouten)
            return
        self.dismiss(Bron(str(self.query_one("#b-soort", Select).value), titel, None, url))

    @on(Button.Pressed, "#annuleer")
    def action_annuleer(self) -> None:
        self.dismiss(None)
