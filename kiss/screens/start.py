"""The start screen: who is logged in, for which gemeente, and what is in the database."""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from textual import work
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import Footer, Header, Static

from kiss.db import read_scope
from kiss.models import Medewerker
from kiss.services.rapportage.overzicht import Overzicht, overzicht

if TYPE_CHECKING:
    from kiss.app import KissApp


class StartScreen(Screen[None]):
    """Landing page; the work screens are one key away (see the footer)."""

    @property
    def kiss(self) -> KissApp:
        return cast("KissApp", self.app)

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="start"):
            yield Static("Welkom bij KISS", id="welkom")
            yield Static("Aanmelden…", id="sessie")
            yield Static("", id="telling")
        yield Footer()

    def on_mount(self) -> None:
        self.kiss.aangemeld.subscribe(self, self._toon_sessie)
        if self.kiss.medewerker is not None:
            self._toon_sessie(self.kiss.medewerker)

    def _toon_sessie(self, medewerker: Medewerker) -> None:
        rollen = ", ".join(sorted(medewerker.rollenset)) or "geen"
        self.query_one("#sessie", Static).update(
            f"Aangemeld als [b]{medewerker.naam}[/b] (rollen: {rollen}) · "
            f"gemeente [b]{self.kiss.gemeente}[/b]"
        )
        self.laad_telling()

    @work(thread=True, exclusive=True, group="start-telling")
    def laad_telling(self) -> None:
        with read_scope(self.kiss.engine) as session:
            telling = overzicht(session)
        self.app.call_from_thread(self._toon_telling, telling)

    def _toon_telling(self, telling: Overzicht) -> None:
        if telling.leeg:
            tekst = "De database is nog leeg. Start met [b]kiss --demo[/b] voor demogegevens."
        else:
            tekst = (
                f"{telling.klanten} klanten · {telling.contactmomenten} contactmomenten · "
                f"{telling.open_terugbelnotities} open terugbelnotities · "
                f"{telling.artikelen} kennisbankartikelen · {telling.medewerkers} medewerkers"
            )
        self.query_one("#telling", Static).update(tekst)
