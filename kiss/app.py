"""The KISS Textual application: session, modes, global keys and the command palette."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

from sqlalchemy import Engine
from textual import work
from textual.app import App
from textual.binding import Binding
from textual.signal import Signal

from kiss.config import Settings
from kiss.db import read_scope, session_scope
from kiss.models import Medewerker
from kiss.screens.start import StartScreen
from kiss.services import medewerkers, overzicht


class KissApp(App[int]):
    """Keyboard-first agent desktop. Screens reach shared state through this object."""

    TITLE = "KISS"
    CSS_PATH = "kiss.tcss"
    ENABLE_COMMAND_PALETTE = True
    # One area, one mode: each work area keeps its own screen stack.
    MODES = {
        "start": StartScreen,
    }
    DEFAULT_MODE = "start"
    BINDINGS = [
        Binding("ctrl+q", "quit", "Afsluiten", id="afsluiten", priority=True),
        Binding("f1", "wissel('start')", "Start", id="start", tooltip="Het startscherm"),
    ]

    def __init__(
        self,
        *,
        settings: Settings,
        engine: Engine,
        medewerker: str | None = None,
        demo: bool = False,
        klok: Callable[[], datetime] | None = None,
    ) -> None:
        super().__init__()
        self.settings = settings
        self.engine = engine
        self.gemeente = settings.gemeente
        self._medewerker_sleutel = medewerker
        self._demo = demo
        self.klok = klok or (lambda: datetime.now(UTC))
        self.medewerker: Medewerker | None = None
        self.aangemeld: Signal[Medewerker] = Signal(self, "aangemeld")
        self.gegevens_gewijzigd: Signal[str] = Signal(self, "gegevens_gewijzigd")
        if settings.bindings:
            self.set_keymap(settings.bindings)

    def on_mount(self) -> None:
        self.aanmelden()

    @work(thread=True, exclusive=True, group="aanmelden")
    def aanmelden(self) -> None:
        try:
            if self._demo:
                self._laad_demo_als_leeg()
            with session_scope(self.engine) as session:
                medewerker = medewerkers.aanmelden(session, self._medewerker_sleutel)
        except LookupError as exc:
            self.call_from_thread(self.notify, str(exc), severity="error", timeout=30)
            return
        self.call_from_thread(self._aangemeld, medewerker)

    def _laad_demo_als_leeg(self) -> None:
        from kiss.demo import genereer

        with read_scope(self.engine) as session:
            leeg = overzicht.is_leeg(session)
        if leeg:
            self.call_from_thread(self.notify, "Demogegevens worden geladen…", timeout=5)
            genereer(self.engine, self.settings, nu=self.klok())

    def _aangemeld(self, medewerker: Medewerker) -> None:
        self.medewerker = medewerker
        self.sub_title = f"{medewerker.naam} · gemeente {self.gemeente}"
        self.aangemeld.publish(medewerker)

    def action_wissel(self, mode: str) -> None:
        """Switch work area (the area keeps its state: half-typed text stays)."""
        self.switch_mode(mode)
