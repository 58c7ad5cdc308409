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
from kiss.rollen import mag_wachtrij_sturen
from kiss.screens.contact import ContactScreen
from kiss.screens.dialogen import Bevestig
from kiss.screens.kennisbank import KennisbankScreen
from kiss.screens.nieuw_contact import NieuwContact
from kiss.screens.smoelenboek import SmoelenboekScreen
from kiss.screens.start import StartScreen
from kiss.screens.teamlead import TeamleadScreen
from kiss.screens.terugbel import TerugbelScreen
from kiss.services import medewerkers
from kiss.services.contact import contactmomenten
from kiss.services.contact.contactmomenten import ContactSamenvatting
from kiss.services.rapportage import overzicht


class KissApp(App[int]):
    """Keyboard-first agent desktop. Screens reach shared state through this object."""

    TITLE = "KISS"
    CSS_PATH = "kiss.tcss"
    ENABLE_COMMAND_PALETTE = True
    # One area, one mode: each work area keeps its own screen stack.
    MODES = {
        "start": StartScreen,
        "kennisbank": KennisbankScreen,
        "smoelenboek": SmoelenboekScreen,
        "terugbel": TerugbelScreen,
        "teamlead": TeamleadScreen,
    }
    DEFAULT_MODE = "contact"  # the agent's workspace (added in __init__: one shared instance)
    BINDINGS = [
        Binding("ctrl+q", "quit", "Afsluiten", id="afsluiten", priority=True),
        Binding("ctrl+n", "nieuw_contact", "Nieuw contact", id="nieuw_contact", priority=True,
                tooltip="Start een contactmoment (telefoon, balie, e-mail, …)"),
        Binding("f1", "wissel('start')", "Start", id="start", tooltip="Overzicht en sessie"),
        Binding("f2", "wissel('contact')", "Klant", id="klant",
                tooltip="Klant zoeken, klantbeeld en afronden"),
        Binding("f3", "wissel('kennisbank')", "Kennisbank", id="kennisbank",
                tooltip="Zoek het antwoord terwijl de klant praat"),
        Binding("f4", "wissel('smoelenboek')", "Smoelenboek", id="smoelenboek",
                tooltip="Wie weet ervan, is die er vandaag, doorverbinden"),
        Binding("f5", "wissel('terugbel')", "Terugbellen", id="terugbel",
                tooltip="Terugbelnotities: wachtrijen op deadline, oppakken en afhandelen"),
        Binding("f6", "wissel('teamlead')", "Teamleider", id="teamlead",
                tooltip="Wachtrijen van de afdeling sturen en het normdashboard (rol teamleider)"),
    ]  # fmt: skip

    def __init__(
        self,
        *,
        settings: Settings,
        engine: Engine,
        medewerker: str | None = None,
        demo: bool = False,
        klok: Callable[[], datetime] | None = None,
        start_contact: NieuwContact | None = None,
    ) -> None:
        super().__init__()
        self.settings = settings
        self.engine = engine
        self.gemeente = settings.gemeente
        self._medewerker_sleutel = medewerker
        self._demo = demo
        self._start_contact = start_contact
        self.klok = klok or (lambda: datetime.now(UTC))
        self.medewerker: Medewerker | None = None
        self.aangemeld: Signal[Medewerker] = Signal(self, "aangemeld")
        self.gegevens_gewijzigd: Signal[str] = Signal(self, "gegevens_gewijzigd")
        self.contact_scherm = ContactScreen()
        self.add_mode("contact", lambda: self.contact_scherm)
        if settings.bindings:
            self.set_keymap(settings.bindings)

    def on_mount(self) -> None:
        self.aanmelden()

    @work(thread=True, exclusive=True, group="aanmelden")
    def aanmelden(self) -> None:
        with read_scope(self.engine) as session:
            leeg = overzicht.is_leeg(session)
        if leeg and self._demo:
            self._laad_demo()
            leeg = False
        try:
            with session_scope(self.engine) as session:
                medewerker = medewerkers.aanmelden(session, self._medewerker_sleutel)
                # looked up before this session starts a contact of its own
                concepten = contactmomenten.open_concepten(session, medewerker)
        except LookupError as exc:
            self.call_from_thread(self.notify, str(exc), severity="error", timeout=30)
            return
        self.call_from_thread(self._aangemeld, medewerker, concepten)
        if leeg:
            self.call_from_thread(self._bied_demo_aan)

    def _laad_demo(self) -> None:
        from kiss.demo import genereer

        self.call_from_thread(self.notify, "Demogegevens worden geladen…", timeout=5)
        genereer(self.engine, self.settings, nu=self.klok())
        self.call_from_thread(self.notify, "Demogegevens geladen.")
        self.call_from_thread(self.gegevens_gewijzigd.publish, "demo")

    def _bied_demo_aan(self) -> None:
        def besloten(ja: bool | None) -> None:
            if ja:
                self.run_worker(self._laad_demo, thread=True, group="demo", exclusive=True)

        self.push_screen(
            Bevestig(
                "De database is nog leeg. Fictieve demogegevens laden (kennisbank, "
                "smoelenboek, klanten, contactmomenten)?",
                ja="Demo laden",
                nee="Leeg starten",
            ),
            besloten,
        )

    def _aangemeld(self, medewerker: Medewerker, concepten: list[ContactSamenvatting]) -> None:
        self.medewerker = medewerker
        self.sub_title = f"{medewerker.naam} · gemeente {self.gemeente}"
        self.aangemeld.publish(medewerker)
        if self._start_contact is not None:
            self.action_nieuw_contact(self._start_contact)
            self._start_contact = None
        if concepten:
            self._bied_concepten_aan(concepten)

    def _bied_concepten_aan(self, concepten: list[ContactSamenvatting]) -> None:
        """After a crash or a closed terminal: offer the unfinished contactmomenten again."""

        def besloten(verder: bool | None) -> None:
            if verder:
                self.switch_mode("contact")
                self.contact_scherm.herstel_concepten(concepten)

        lijst = "\n".join(
            f"  • {c.label} (gestart {c.gestart_op:%d-%m %H:%M} UTC)" for c in concepten
        )
        self.push_screen(
            Bevestig(
                f"Je hebt {len(concepten)} niet-afgerond(e) contactmoment(en) van een vorige "
                f"sessie:\n{lijst}\nWil je daarmee verder?",
                ja="Verder",
                nee="Later",
            ),
            besloten,
        )

    def action_nieuw_contact(self, voorinvulling: NieuwContact | None = None) -> None:
        """One key from anywhere: start a contactmoment."""
        if self.medewerker is None:
            self.notify("Even geduld: aanmelden is nog bezig.", severity="warning")
            return
        self.switch_mode("contact")
        self.contact_scherm.action_nieuw(voorinvulling)

    def action_wissel(self, mode: str) -> None:
        """Switch work area (the area keeps its state: half-typed text stays)."""
        if mode == "teamlead" and (
            self.medewerker is None or not mag_wachtrij_sturen(self.medewerker)
        ):
            self.notify(
                "Het teamleidersoverzicht is er voor teamleiders en beheerders.",
                severity="warning",
            )
            return
        self.switch_mode(mode)
