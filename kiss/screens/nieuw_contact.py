"""Start a contactmoment: kanaal, gemeente and (optionally) the caller's number or e-mail."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Select

from kiss.werkplek import NieuwContact, controleer_nummer
from kiss.widgets.velden import Veld


class NieuwContactDialoog(ModalScreen[NieuwContact | None]):
    DEFAULT_CSS = """
    NieuwContactDialoog { align: center middle; }
    NieuwContactDialoog > Vertical {
        width: 70; height: auto; padding: 1 2; border: thick $accent; background: $surface;
    }
    NieuwContactDialoog Horizontal { height: auto; margin-top: 1; }
    NieuwContactDialoog Button { margin-right: 2; }
    """
    BINDINGS = [Binding("escape", "annuleer", "Annuleren")]

    def __init__(
        self,
        kanalen: tuple[str, ...],
        gemeenten: list[str],
        gemeente: str,
        kanaal: str = "telefoon",
    ) -> None:
        super().__init__()
        self.kanalen = kanalen
        self.gemeenten = gemeenten
        self.gemeente = gemeente if gemeente in gemeenten else (gemeenten[0] if gemeenten else "")
        self.kanaal = kanaal if kanaal in kanalen else kanalen[0]

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label("[b]Nieuw contactmoment[/b]")
            yield Veld(
                "Kanaal",
                Select(
                    [(k, k) for k in self.kanalen],
                    value=self.kanaal,
                    allow_blank=False,
                    id="kanaal",
                ),
                naam="kanaal",
            )
            yield Veld(
                "Gemeente",
                Select(
                    [(g, g) for g in self.gemeenten],
                    value=self.gemeente,
                    allow_blank=False,
                    id="gemeente",
                ),
                naam="gemeente",
            )
            yield Veld(
                "Telefoonnummer of e-mail van de klant (mag leeg)",
                Input(placeholder="bijv. 06-12345678 of naam@voorbeeld.nl", id="nummer"),
                naam="nummer",
            )
            with Horizontal():
                yield Button("Start", id="start", variant="primary")
                yield Button("Annuleren", id="annuleer")

    def on_mount(self) -> None:
        self.query_one("#nummer", Input).focus()

    @on(Input.Submitted, "#nummer")
    @on(Button.Pressed, "#start")
    def start(self) -> None:
        nummer = self.query_one("#nummer", Input).value
        melding = controleer_nummer(nummer)
        self.query_one("#veld-nummer", Veld).toon_fout(melding)
        if melding:
            self.query_one("#nummer", Input).focus()
            return
        kanaal = self.query_one("#kanaal", Select).value
        gemeente = self.query_one("#gemeente", Select).value
        self.dismiss(NieuwContact(str(kanaal), str(gemeente), nummer.strip()))

    @on(Button.Pressed, "#annuleer")
    def action_annuleer(self) -> None:
        self.dismiss(None)
