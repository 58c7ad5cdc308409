"""The start screen: who is logged in, for which gemeente, and what is in the database."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Footer, Header, Static

from kiss.models import Medewerker
from kiss.screens.basis import KissScreen
from kiss.services.rapportage.overzicht import Overzicht
from kiss.werkplek.gebeurtenissen import (
    ContactmomentAfgerond,
    DemoGeladen,
    Gebeurtenis,
    KennisbankGewijzigd,
    TerugbelnotitieGewijzigd,
)

TELT_MEE = (DemoGeladen, ContactmomentAfgerond, TerugbelnotitieGewijzigd, KennisbankGewijzigd)


class StartScreen(KissScreen):
    """Landing page; the work screens are one key away (see the footer)."""

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="start"):
            yield Static("Welkom bij KISS", id="welkom")
            yield Static("Aanmelden…", id="sessie")
            yield Static("", id="telling")
        yield Footer()

    def on_mount(self) -> None:
        self.kiss.aangemeld.subscribe(self, self._toon_sessie)
        self.kiss.gegevens_gewijzigd.subscribe(self, self._gewijzigd)
        if self.kiss.medewerker is not None:
            self._toon_sessie(self.kiss.medewerker)

    def _toon_sessie(self, medewerker: Medewerker) -> None:
        rollen = ", ".join(sorted(medewerker.rollenset)) or "geen"
        self.query_one("#sessie", Static).update(
            f"Aangemeld als [b]{medewerker.naam}[/b] (rollen: {rollen}) · "
            f"gemeente [b]{self.kiss.gemeente}[/b]"
        )
        self.laad_telling()

    def _gewijzigd(self, gebeurtenis: Gebeurtenis) -> None:
        if isinstance(gebeurtenis, TELT_MEE) and self.kiss.medewerker is not None:
            self.laad_telling()

    def laad_telling(self) -> None:
        self.voer_uit(
            self.werkplek.overzicht.telling, self._toon_telling, groep="start-telling",
            exclusief=True,
        )  # fmt: skip

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
