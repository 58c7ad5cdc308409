"""Small modal dialogs shared by every area."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Label


class Bevestig(ModalScreen[bool]):
    """Ask before something is discarded or cannot be undone. With ``veilig`` the safe
    button (``nee``) has the focus, so a reflexive enter never destroys work."""

    DEFAULT_CSS = """
    Bevestig { align: center middle; }
    Bevestig > Vertical {
        width: 64; height: auto; padding: 1 2; border: thick $warning; background: $surface;
    }
    Bevestig Label { width: 100%; }
    Bevestig Horizontal { height: auto; margin-top: 1; }
    Bevestig Button { margin-right: 2; }
    """
    BINDINGS = [Binding("escape", "nee", "Annuleren")]

    def __init__(
        self, vraag: str, ja: str = "Ja", nee: str = "Nee", *, veilig: bool = False
    ) -> None:
        super().__init__()
        self.vraag = vraag
        self.ja = ja
        self.nee = nee
        self.veilig = veilig

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(self.vraag)
            with Horizontal():
                yield Button(self.ja, id="ja", variant="warning")
                yield Button(self.nee, id="nee")

    def on_mount(self) -> None:
        self.query_one("#nee" if self.veilig else "#ja", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "ja")

    def action_nee(self) -> None:
        self.dismiss(False)
