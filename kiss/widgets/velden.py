"""Form fields with their own error line: the message appears at the field and the typed
text stays where it is."""

from __future__ import annotations

from typing import Any

from textual import events
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widget import Widget
from textual.widgets import Input, Label, TextArea


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


def afgeknipt_melding(weggelaten: int, maximum: int) -> str:
    return (
        f"Geplakte tekst ingekort: {weggelaten} teken(s) passen niet "
        f"(dit veld mag hoogstens {maximum} tekens hebben)."
    )


class BegrensdeInvoer(Input):
    """An Input with a maximum length that, when a paste is too long, keeps what fits and
    says how much was cut (Textual's own Input refuses the whole paste)."""

    def _on_paste(self, event: events.Paste) -> None:
        if not event.text or not self.max_length:
            return  # Textual's own handler (next in the MRO) inserts it
        regel = event.text.splitlines()[0]
        selectie = self.selection
        start, eind = sorted((selectie.start, selectie.end))
        ruimte = self.max_length - (len(self.value) - (eind - start))
        if len(regel) > ruimte:
            self.notify(afgeknipt_melding(len(regel) - max(ruimte, 0), self.max_length),
                        severity="warning")  # fmt: skip
            regel = regel[: max(ruimte, 0)]
        if regel:
            self.replace(regel, start, eind)
        event.stop()
        event.prevent_default()  # Textual's own handler would refuse or insert it all


class BegrensdTekstvak(TextArea):
    """A TextArea with a maximum length: a paste keeps what fits and says how much was cut."""

    def __init__(self, *args: Any, max_length: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.max_length = max_length

    async def _on_paste(self, event: events.Paste) -> None:
        if self.read_only:
            event.prevent_default()
            return
        tekst = event.text
        bereik = self.selection
        vervangen = len(self.get_text_range(*sorted((bereik.start, bereik.end))))
        ruimte = self.max_length - (len(self.text) - vervangen)
        if len(tekst) > ruimte:
            self.notify(afgeknipt_melding(len(tekst) - max(ruimte, 0), self.max_length),
                        severity="warning")  # fmt: skip
            tekst = tekst[: max(ruimte, 0)]
        event.prevent_default()  # Textual's own handler would insert it all
        if tekst and (resultaat := self._replace_via_keyboard(tekst, *bereik)):
            self.move_cursor(resultaat.end_location)
            self.focus()
