"""The work areas and their F-keys, always in view above the footer (the footer itself
fills up with the keys of the screen)."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static


class GebiedenBalk(Static):
    DEFAULT_CSS = """
    GebiedenBalk { height: 1; background: $panel; color: $text-muted; }
    """

    def __init__(self, gebieden: list[tuple[str, str, str]], actief: str) -> None:
        """``gebieden``: (key, label, mode) per area; ``actief``: the mode on screen."""
        super().__init__()
        self.gebieden = gebieden
        self.actief = actief

    def render(self) -> Text:
        tekst = Text(no_wrap=True, overflow="ellipsis")
        for toets, label, mode in self.gebieden:
            stijl = "bold reverse" if mode == self.actief else ""
            tekst.append(f" {toets.upper()} ", style="bold " + stijl)
            tekst.append(f"{label} ", style=stijl)
        return tekst
