"""The work areas and their F-keys, always in view above the footer (the footer itself
fills up with the keys of the screen)."""

from __future__ import annotations

from collections.abc import Callable

from rich.text import Text
from textual.widgets import Static


class GebiedenBalk(Static):
    DEFAULT_CSS = """
    GebiedenBalk { height: 1; background: $panel; color: $text-muted; }
    """

    def __init__(self, gebieden: Callable[[], list[tuple[str, str, str]]], actief: str) -> None:
        """``gebieden`` gives (key, label, mode) per area the medewerker may open (asked again
        at every render: the login may finish after the screen was built); ``actief``: the
        mode on screen."""
        super().__init__()
        self._gebieden = gebieden
        self.actief = actief

    def on_mount(self) -> None:
        self.set_interval(1.0, self.refresh)  # cheap: one line of text

    @property
    def gebieden(self) -> list[tuple[str, str, str]]:
        return self._gebieden()

    def render(self) -> Text:
        tekst = Text(no_wrap=True, overflow="ellipsis")
        for toets, label, mode in self.gebieden:
            stijl = "bold reverse" if mode == self.actief else ""
            tekst.append(f" {toets.upper()} ", style="bold " + stijl)
            tekst.append(f"{label} ", style=stijl)
        return tekst
