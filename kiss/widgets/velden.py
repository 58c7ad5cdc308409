"""Form fields with their own error line: the message appears at the field and the typed
text stays where it is."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widget import Widget
from textual.widgets import Label


class Veld(Vertical):
    """A labelled field: label, the input widget, and a (normally empty) error line."""

    DEFAULT_CSS = """
    Veld { height: auto; margin-bottom: 0; }
    Veld > .veld-label { color: $text-muted; height: 1; }
    Veld > .fout { color: $error; height: auto; }
    Veld > .fout.leeg { display: none; }
    Veld.ongeldig > Input, Veld.ongeldig > TextArea, Veld.ongeldig > Select { border: tall $error; }
    """

    def __init__(self, label: str, invoer: Widget, *, naam: str) -> None:
        super().__init__(id=f"veld-{naam}")
        self.label = label
        self.invoer = invoer
        self.naam = naam

    def compose(self) -> ComposeResult:
        yield Label(self.label, classes="veld-label")
        yield self.invoer
        yield Label("", classes="fout leeg", id=f"fout-{self.naam}")

    def toon_fout(self, melding: str | None) -> None:
        label = self.query_one(f"#fout-{self.naam}", Label)
        label.update(melding or "")
        label.set_class(not melding, "leeg")
        self.set_class(bool(melding), "ongeldig")

    @property
    def fout(self) -> str:
        return str(self.query_one(f"#fout-{self.naam}", Label).content)


def toon_fouten(root: Widget, fouten: dict[str, str]) -> None:
    """Show each message at its field and clear the others; focus the first bad field."""
    eerste: Veld | None = None
    for veld in root.query(Veld):
        melding = fouten.get(veld.naam)
        veld.toon_fout(melding)
        if melding and eerste is None:
            eerste = veld
    if eerste is not None:
        eerste.invoer.focus()
