"""Klant zoeken: one field that understands what is typed; results as you type."""

from __future__ import annotations

import time
import uuid
from typing import TYPE_CHECKING, cast

from rich.markup import escape
from textual import on, work
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.widgets import Button, Input, Label, OptionList
from textual.widgets.option_list import Option
from textual.worker import get_current_worker

from kiss.db import read_scope
from kiss.services.klant.zoeken import KlantTreffer, zoek_via_engine
from kiss.validation import ValidatieFout
from kiss.widgets.velden import Veld

if TYPE_CHECKING:
    from kiss.app import KissApp

DEBOUNCE = 0.2


class KlantZoeker(Vertical):
    DEFAULT_CSS = """
    KlantZoeker { height: auto; }
    KlantZoeker #treffers { height: auto; max-height: 12; }
    KlantZoeker #zoek-status { color: $text-muted; height: auto; }
    KlantZoeker Horizontal { height: auto; }
    KlantZoeker Button { margin-right: 1; min-width: 14; }
    """

    class KlantGekozen(Message):
        def __init__(self, klant_id: uuid.UUID) -> None:
            super().__init__()
            self.klant_id = klant_id

    class AnoniemGekozen(Message):
        pass

    class NieuweKlantGevraagd(Message):
        pass

    class ZoekResultatenBinnen(Message):
        def __init__(
            self, tekst: str, treffers: list[KlantTreffer], fout: str | None, soort: str = ""
        ) -> None:
            super().__init__()
            self.soort = soort
            self.tekst = tekst
            self.treffers = treffers
            self.fout = fout

    def compose(self) -> ComposeResult:
        yield Veld(
            "Klant zoeken (naam, telefoon, e-mail, BSN, KvK, postcode + huisnummer, "
            "geboortedatum + naam)",
            Input(placeholder="bijv. 06-12345678 · 2011 AB 12 · van der Berg", id="zoek"),
            naam="zoek",
        )
        yield Label("", id="zoek-status")
        yield OptionList(id="treffers")
        with Horizontal():
            yield Button("Anoniem verder", id="anoniem")
            yield Button("Nieuwe klant", id="nieuwe-klant")

    @property
    def kiss(self) -> KissApp:
        return cast("KissApp", self.app)

    @property
    def invoer(self) -> Input:
        return self.query_one("#zoek", Input)

    def focus_zoek(self) -> None:
        self.invoer.focus()

    @on(Input.Changed, "#zoek")
    def _getypt(self, event: Input.Changed) -> None:
        event.stop()
        if event.value.strip():
            self.zoek(event.value, wacht=DEBOUNCE)
        else:
            self.query_one("#veld-zoek", Veld).toon_fout(None)
            self.toon_treffers([], "")

    @on(Input.Submitted, "#zoek")
    def _enter(self, event: Input.Submitted) -> None:
        event.stop()
        lijst = self.query_one("#treffers", OptionList)
        if lijst.option_count == 1 and (enige := lijst.get_option_at_index(0).id):
            self.post_message(self.KlantGekozen(uuid.UUID(enige)))
        elif lijst.option_count:
            lijst.focus()
            lijst.highlighted = 0
        elif event.value.strip():
            self.zoek(event.value, wacht=0)

    @work(thread=True, exclusive=True, group="klant-zoeken")
    def zoek(self, tekst: str, wacht: float = 0.0) -> None:
        """Debounced: each keystroke cancels the previous search before it hits the database."""
        if wacht:
            time.sleep(wacht)
        if get_current_worker().is_cancelled:
            return
        try:
            with read_scope(self.kiss.engine) as session:
                vraag, treffers = zoek_via_engine(self.kiss.engine, session, tekst)
            fout, soort = None, vraag.soort.value
        except ValidatieFout as exc:
            treffers, fout, soort = [], str(exc), ""
        if not get_current_worker().is_cancelled:
            self.post_message(self.ZoekResultatenBinnen(tekst, treffers, fout, soort))

    @on(ZoekResultatenBinnen)
    def _binnen(self, event: ZoekResultatenBinnen) -> None:
        event.stop()
        if event.tekst != self.invoer.value:
            return  # stale: the agent typed on
        self.query_one("#veld-zoek", Veld).toon_fout(event.fout)
        if event.fout:
            self.toon_treffers([], "")
            return
        status = (
            f"{len(event.treffers)} klant(en) gevonden — pijltjes en enter om te kiezen"
            if event.treffers
            else f"Geen klant gevonden op {event.soort}. Zoek anders, ga anoniem verder of "
            "registreer een nieuwe klant."
        )
        self.toon_treffers(event.treffers, status)

    def toon_treffers(self, treffers: list[KlantTreffer], status: str) -> None:
        lijst = self.query_one("#treffers", OptionList)
        lijst.clear_options()
        lijst.add_options(
            Option(escape(t.regel) + ("" if t.exact else " [dim](lijkt op)[/dim]"), id=str(t.id))
            for t in treffers
        )
        self.query_one("#zoek-status", Label).update(status)

    @on(OptionList.OptionSelected, "#treffers")
    def _gekozen(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id:
            self.post_message(self.KlantGekozen(uuid.UUID(event.option.id)))

    @on(Button.Pressed, "#anoniem")
    def _anoniem(self, event: Button.Pressed) -> None:
        event.stop()
        self.post_message(self.AnoniemGekozen())

    @on(Button.Pressed, "#nieuwe-klant")
    def _nieuw(self, event: Button.Pressed) -> None:
        event.stop()
        self.post_message(self.NieuweKlantGevraagd())
