"""The KISS Textual application: modes, global keys, the command palette and the one place
where a failed werkplek call is shown to the agent.

The app holds no rules and no state of its own beyond what is on screen: the werkplek
(:mod:`kiss.werkplek`) holds who is logged in and the open contactmomenten.
"""

from __future__ import annotations

import io
import logging
import traceback
import uuid
from collections.abc import Callable
from datetime import datetime
from functools import partial
from typing import Any

from sqlalchemy import Engine
from textual import work
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.screen import Screen
from textual.signal import Signal
from textual.worker import get_current_worker

from kiss.config import Settings
from kiss.models import Medewerker
from kiss.rollen import (
    BEHEERDER,
    heeft_rol,
    mag_artikel_bewerken,
    mag_klanten_zien,
    mag_wachtrij_sturen,
)
from kiss.screens.basis import voer_uit
from kiss.screens.contact import ContactScreen
from kiss.screens.dialogen import Bevestig
from kiss.screens.start import StartScreen
from kiss.services.telefonie.luisteraar import Lijnstand, telefoonlijn
from kiss.services.telefonie.pop import pop
from kiss.werkplek import Aanmelding, ContactGestart, NieuwContact, OpenContact, Werkplek
from kiss.werkplek.beheer import Peiling
from kiss.werkplek.fouten import databasemelding, is_databasefout, weigering, zonder_geheimen
from kiss.werkplek.gebeurtenissen import (
    DemoGeladen,
    Gebeurtenis,
    InstellingenGewijzigd,
    NieuwsGewijzigd,
)
from kiss.werkplek.open_contacten import invoer_uit

log = logging.getLogger("kiss")


def _scherm(module: str, klasse: str) -> Screen[Any]:
    """An area's screen, its module imported on first use."""
    from importlib import import_module

    return getattr(import_module(f"kiss.screens.{module}"), klasse)()  # type: ignore[no-any-return]


def mag_email(medewerker: Medewerker | None) -> bool:
    """Who sees the e-mail area (F9): whoever may see klanten (the services check too)."""
    return medewerker is not None and mag_klanten_zien(medewerker)


GEBIEDEN = (
    ("start", "Start", "Overzicht en sessie"),
    ("contact", "Klant", "Klant zoeken, klantbeeld en afronden"),
    ("kennisbank", "Kennisbank", "Zoek het antwoord terwijl de klant praat"),
    ("smoelenboek", "Smoelenboek", "Wie weet ervan, is die er vandaag, doorverbinden"),
    ("terugbel", "Terugbellen", "Terugbelnotities: wachtrijen op deadline, oppakken, afhandelen"),
    ("teamlead", "Teamleider", "Wachtrijen van de afdeling sturen en het normdashboard"),
    ("beheer", "Beheer", "Instellingen van de organisatie, nieuws en werkinstructies"),
)


def mag_beheer(medewerker: Medewerker | None) -> bool:
    """Beheer (F7): beheerders (settings and news) and redacteuren (news)."""
    return medewerker is not None and (
        heeft_rol(medewerker, BEHEERDER) or mag_artikel_bewerken(medewerker)
    )


HERHAAL_NA = (1.0, 2.0, 4.0, 8.0, 15.0)  # seconds between retries while the database is away


class KissApp(App[int]):
    """Keyboard-first agent desktop."""

    TITLE = "KISS"
    CSS_PATH = "kiss.tcss"
    ENABLE_COMMAND_PALETTE = True
    # One area, one mode: each work area keeps its own screen stack.
    MODES = {
        "start": StartScreen,
        # the other areas are imported when first opened: a faster start
        "email": lambda: _scherm("email", "EmailScreen"),
        "kennisbank": lambda: _scherm("kennisbank", "KennisbankScreen"),
        "smoelenboek": lambda: _scherm("smoelenboek", "SmoelenboekScreen"),
        "terugbel": lambda: _scherm("terugbel", "TerugbelScreen"),
        "teamlead": lambda: _scherm("teamlead", "TeamleadScreen"),
        "beheer": lambda: _scherm("beheer", "BeheerScreen"),
    }
    DEFAULT_MODE = "contact"  # the agent's workspace (added in __init__: one shared instance)
    BINDINGS = [
        Binding("ctrl+q", "quit", "Afsluiten", id="afsluiten", priority=True,
                tooltip="KISS sluiten; open contactmomenten blijven bewaard als concept"),
        Binding("ctrl+n", "nieuw_contact", "Nieuw contact", id="nieuw_contact", priority=True,
                tooltip="Start een contactmoment (telefoon, balie, e-mail, …)"),
        *(
            Binding(f"f{nummer}", f"wissel('{mode}')", label, id=mode if mode != "contact"
                    else "klant", tooltip=uitleg, priority=True)
            for nummer, (mode, label, uitleg) in enumerate(GEBIEDEN, start=1)
        ),
        # F9, not F8: F8 discards the open contact on the klant screen
        Binding("f9", "wissel('email')", "E-mail", id="email", priority=True,
                tooltip="De centrale mailbox: mails beantwoorden binnen 3 werkdagen"),
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
        werkplek: Werkplek | None = None,
    ) -> None:
        super().__init__()
        self.werkplek = werkplek or Werkplek(engine, settings, klok=klok)
        self._medewerker_sleutel = medewerker
        self._demo = demo
        self._start_contact = start_contact
        self._mislukt = 0  # database failures in a row (for the retry back-off)
        self.database_probleem: str | None = None
        self.ongelezen_belangrijk = 0  # unread belangrijk news, in the header
        self._nieuws_sleutel: tuple[object, ...] | None = None
        self.telefoon = ""  # the phone indicator (kiss dienst); empty on a single-user desk
        self.aangemeld: Signal[Medewerker] = Signal(self, "aangemeld")
        self.gegevens_gewijzigd: Signal[Gebeurtenis] = Signal(self, "gegevens_gewijzigd")
        self.contact_scherm = ContactScreen()
        self.add_mode("contact", lambda: self.contact_scherm)
        if settings.bindings:
            self.set_keymap(settings.bindings)
        if settings.thema:
            if settings.thema in self.available_themes:
                self.theme = settings.thema
            else:
                self._thema_melding = (
                    f"Thema '{settings.thema}' uit kiss.toml bestaat niet; kies uit "
                    f"{', '.join(sorted(self.available_themes))}."
                )

    # Shortcuts the screens read (the werkplek owns them).
    @property
    def settings(self) -> Settings:
        return self.werkplek.settings

    @property
    def medewerker(self) -> Medewerker | None:
        return self.werkplek.medewerker

    @property
    def gemeente(self) -> str:
        return self.werkplek.gemeente

    def klok(self) -> datetime:
        return self.werkplek.klok()

    def gebieden(self) -> list[tuple[str, str, str]]:
        """(F-key, label, mode) of the areas this medewerker may open."""
        medewerker = self.werkplek.medewerker
        gebieden = [
            (f"f{nummer}", label, mode)
            for nummer, (mode, label, _uitleg) in enumerate(GEBIEDEN, start=1)
            if mode != "teamlead" or (medewerker is not None and mag_wachtrij_sturen(medewerker))
            if mode != "beheer" or mag_beheer(medewerker)
        ]
        return gebieden + ([("f9", "E-mail", "email")] if mag_email(medewerker) else [])

    def mode_van(self, scherm: Screen[Any]) -> str:
        """The area a screen belongs to."""
        return next(
            (mode for mode, stapel in self._screen_stacks.items() if scherm in stapel),
            self.current_mode,
        )

    def meld(self, gebeurtenis: Gebeurtenis) -> None:
        """Tell every screen that something changed (typed, past tense)."""
        self.gegevens_gewijzigd.publish(gebeurtenis)

    # ---- logging in ----------------------------------------------------------------------------

    def on_mount(self) -> None:
        voer_uit(
            self,
            partial(self.werkplek.aanmelden, self._medewerker_sleutel),
            self._aangemeld,
            groep="aanmelden",
        )

    def _aangemeld(self, aanmelding: Aanmelding) -> None:
        medewerker = aanmelding.medewerker
        self._toon_sessie()
        self._start_peilen()
        self.aangemeld.publish(medewerker)
        if aanmelding.leeg:
            if self._demo:
                self._laad_demo()
            else:
                self._bied_demo_aan()
        if self._start_contact is not None:
            self.action_nieuw_contact(self._start_contact)
            self._start_contact = None
        if aanmelding.concepten:
            self._bied_concepten_aan(aanmelding)
        self._telefoonlijn(medewerker.id)

    def _toon_sessie(self) -> None:
        medewerker = self.werkplek.medewerker
        delen = [f"{medewerker.naam} · gemeente {self.gemeente}"] if medewerker else []
        if self.database_probleem:  # first: on a narrow screen the end of the line is cut
            delen.append("⚠ database niet bereikbaar")
        if self.ongelezen_belangrijk:
            delen.append(f"★ {self.ongelezen_belangrijk} belangrijk ongelezen (F1)")
        if self.telefoon:
            delen.append(self.telefoon)
        self.sub_title = " · ".join(delen)

    # ---- settings and news reach a running KISS (kiss.werkplek.beheer) --------------------

    def _start_peilen(self) -> None:
        if melding := self.werkplek.beheer.melding:
            self.notify(melding, timeout=15)
        if melding := getattr(self, "_thema_melding", None):
            self.notify(melding, severity="warning")
        self.peil()
        self.set_interval(self.werkplek.beheer.peil_seconden, self.peil)

    def peil(self) -> None:
        """Ask now for changed settings and the news state (the header's unread counter),
        e.g. right after this agent read a belangrijk item, instead of at the next poll."""
        voer_uit(self, self.werkplek.beheer.peil, self._gepeild, groep="peil", exclusief=True,
                 herhaal=False)  # fmt: skip

    def _gepeild(self, peiling: Peiling) -> None:
        if peiling.instellingen_gewijzigd:
            self.meld(InstellingenGewijzigd(self.werkplek.beheer.versie))
        if peiling.nieuws is None:
            return
        if peiling.nieuws.ongelezen_belangrijk != self.ongelezen_belangrijk:
            self.ongelezen_belangrijk = peiling.nieuws.ongelezen_belangrijk
            self._toon_sessie()
        if peiling.nieuws.sleutel != self._nieuws_sleutel:
            eerste = self._nieuws_sleutel is None
            self._nieuws_sleutel = peiling.nieuws.sleutel
            if not eerste:
                self.meld(NieuwsGewijzigd())

    def _laad_demo(self) -> None:
        self.notify("Demogegevens worden geladen…", timeout=5)

        def klaar(_: None) -> None:
            self.notify("Demogegevens geladen.")
            self.meld(DemoGeladen())

        voer_uit(self, self.werkplek.laad_demo, klaar, groep="demo", exclusief=True)

    def _bied_demo_aan(self) -> None:
        def besloten(ja: bool | None) -> None:
            if ja:
                self._laad_demo()

        self.push_screen(
            Bevestig(
                "De database is nog leeg. Fictieve demogegevens laden (kennisbank, "
                "smoelenboek, klanten, contactmomenten)?",
                ja="Demo laden",
                nee="Leeg starten",
            ),
            besloten,
        )

    def _bied_concepten_aan(self, aanmelding: Aanmelding) -> None:
        """After a crash or a closed terminal: offer the unfinished contactmomenten again."""

        def besloten(verder: bool | None) -> None:
            if verder:
                self.werkplek.heropen(aanmelding.concepten)
                self.switch_mode("contact")
                self.contact_scherm.toon_open_contacten()

        lijst = "\n".join(
            f"  • {c.label} (gestart {c.samenvatting.gestart_op:%d-%m %H:%M} UTC)"
            for c in aanmelding.concepten
        )
        self.push_screen(
            Bevestig(
                f"Je hebt {len(aanmelding.concepten)} niet-afgerond(e) contactmoment(en) van "
                f"een vorige sessie:\n{lijst}\nWil je daarmee verder?",
                ja="Verder",
                nee="Later",
            ),
            besloten,
        )

    # ---- the phone: kiss dienst pops an answered call (kiss.services.telefonie) ----------------

    @work(thread=True, exclusive=True, group="telefoon", exit_on_error=False)
    def _telefoonlijn(self, medewerker_id: uuid.UUID) -> None:
        worker = get_current_worker()
        lijn = telefoonlijn(
            self.werkplek.engine, medewerker_id, lambda: worker.is_cancelled, poll_s=0.1
        )
        for stand in lijn:
            self.call_from_thread(self._telefoon_bijgewerkt, stand)
            for contact_id in stand.pops:  # opened in this thread: no second worker to wait for
                try:
                    gestart = self._neem_op(contact_id)
                except Exception as fout:  # the one failure handler shows it
                    self.call_from_thread(self.werk_mislukt, fout, None)
                else:
                    self.call_from_thread(self._opgenomen, gestart)

    def _telefoon_bijgewerkt(self, stand: Lijnstand) -> None:
        if stand.tekst != self.telefoon:
            self.telefoon = stand.tekst
            self._toon_sessie()

    def _neem_op(self, contact_id: uuid.UUID) -> ContactGestart | None:
        """The contact kiss dienst started for the answered call becomes the active one."""
        with self.werkplek.lees() as session:
            gepopt = pop(session, contact_id)
        if gepopt is None:  # closed in the meantime
            return None
        contact = OpenContact(gepopt.contact, invoer_uit(gepopt.contact))
        self.werkplek.heropen([contact])
        return ContactGestart(contact, gepopt.treffers)

    def _opgenomen(self, gestart: ContactGestart | None) -> None:
        if gestart is not None:
            self.switch_mode("contact")
            self.contact_scherm._gestart(gestart)

    # ---- keys ------------------------------------------------------------------------------------

    def action_nieuw_contact(self, voorinvulling: NieuwContact | None = None) -> None:
        """One key from anywhere: start a contactmoment."""
        if self.werkplek.medewerker is None:
            self.notify("Even geduld: aanmelden is nog bezig.", severity="warning")
            return
        self.switch_mode("contact")
        self.contact_scherm.action_nieuw(voorinvulling)

    def action_wissel(self, mode: str) -> None:
        """Switch work area (the area keeps its state: half-typed text stays)."""
        medewerker = self.werkplek.medewerker
        if mode == "teamlead" and (medewerker is None or not mag_wachtrij_sturen(medewerker)):
            self.notify(
                "Het teamleidersoverzicht is er voor teamleiders en beheerders.",
                severity="warning",
            )
            return
        if mode == "beheer" and not mag_beheer(medewerker):
            self.notify("Beheer is er voor beheerders (en voor redacteuren: nieuws).",
                        severity="warning")  # fmt: skip
            return
        if mode == "email" and not mag_email(medewerker):
            self.notify("De e-mail van klanten is er voor het KCC, de backoffice en teamleiders.",
                        severity="warning")  # fmt: skip
            return
        self.switch_mode(mode)

    def get_system_commands(self, screen: Screen[Any]) -> Any:
        """The command palette offers KISS's own commands, in Dutch."""
        yield SystemCommand("Nieuw contact", "Start een contactmoment", self.action_nieuw_contact)
        for mode, label, uitleg in GEBIEDEN:
            if mode == "beheer" and not mag_beheer(self.werkplek.medewerker):
                continue
            yield SystemCommand(f"Ga naar {label}", uitleg, partial(self.action_wissel, mode))
        if mag_email(self.werkplek.medewerker):
            yield SystemCommand("Ga naar E-mail", "De centrale mailbox beantwoorden (F9)",
                                partial(self.action_wissel, "email"))  # fmt: skip
        yield SystemCommand(
            "Thema wisselen", "Licht of donker", lambda: setattr(self, "theme", self._ander_thema())
        )
        # not "Afsluiten": the palette sorts by name, and ctrl+p, enter must never quit KISS
        yield SystemCommand(
            "Sluit KISS af", "Open contacten blijven bewaard als concept", self.exit
        )

    def _ander_thema(self) -> str:
        return "textual-light" if self.theme != "textual-light" else "textual-dark"

    # ---- the one failure handler -----------------------------------------------------------------

    def werk_gelukt(self) -> None:
        """A werkplek call succeeded: if the database was away, it is back."""
        self._mislukt = 0
        if self.database_probleem:
            self.database_probleem = None
            self._toon_sessie()
            self.notify("De database is weer bereikbaar; alles is opgeslagen.")

    def werk_mislukt(self, fout: Exception, opnieuw: Callable[[], None] | None) -> None:
        """Every failed werkplek call ends here: a Dutch message, nothing typed is lost."""
        if (melding := weigering(fout)) is not None:
            self.notify(melding, severity="warning")
            return
        if is_databasefout(fout):
            melding = databasemelding(fout)
            if melding != self.database_probleem:
                self.notify(melding, severity="error", timeout=8)
            self.database_probleem = melding
            self._toon_sessie()
            if opnieuw is not None:
                wacht = HERHAAL_NA[min(self._mislukt, len(HERHAAL_NA) - 1)]
                self.set_timer(wacht, opnieuw)
            self._mislukt += 1
            return
        log.error(
            "Onverwachte fout: %s",
            zonder_geheimen("".join(traceback.format_exception(fout))),
        )
        self.notify(
            f"Er ging iets mis ({type(fout).__name__}). Je werk is bewaard; probeer het "
            "opnieuw of meld het bij de beheerder.",
            severity="error",
            timeout=10,
        )

    def _fatal_error(self) -> None:
        """Textual's last resort shows a traceback with local variables, which can hold a
        database password: show it without locals and with secrets hidden."""
        from rich.console import Console
        from rich.text import Text
        from rich.traceback import Traceback

        self.bell()
        buffer = io.StringIO()
        Console(file=buffer, width=120, color_system=None).print(Traceback(show_locals=False))
        self._exit_renderables.append(Text(zonder_geheimen(buffer.getvalue())))
        self._close_messages_no_wait()
