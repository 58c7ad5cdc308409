"""Klant zoeken: one field that understands what is typed; results as you type.

With Open Klant switched on, partijen that exist only in the register are added below the
local hits (marked "alleen in Open Klant") when the register answers; choosing one asks the
screen to take it over (:class:`KlantZoeker.RegisterPartijGekozen`)."""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING

from rich.markup import escape
from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.widgets import Button, Input, Label, OptionList
from textual.widgets.option_list import Option

from kiss.services.klant.zoeken import KlantTreffer
from kiss.werkplek.klanten import RegisterUitkomst, ZoekUitkomst
from kiss.widgets.velden import Veld

if TYPE_CHECKING:
    from kiss.services.openklant.lezen import RegisterPartij

DEBOUNCE = 0.2
REGISTER = "ok-"  # option id prefix of a partij found only in Open Klant
ALLEEN_IN_REGISTER = "alleen in Open Klant"


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

    class RegisterPartijGekozen(Message):
        """The agent chose a partij that exists only in the Open Klant register."""

        def __init__(self, partij: RegisterPartij) -> None:
            super().__init__()
            self.partij = partij

    class AnoniemGekozen(Message):
        pass

    class NieuweKlantGevraagd(Message):
        pass

    class ZoekGevraagd(Message):
        """The agent typed: search (after ``wacht`` seconds, unless typing goes on)."""

        def __init__(self, tekst: str, wacht: float) -> None:
            super().__init__()
            self.tekst = tekst
            self.wacht = wacht

    def compose(self) -> ComposeResult:
        yield Veld(
            "Klant zoeken (ctrl+k)",
            Input(
                placeholder="naam, telefoon, e-mail, BSN, KvK, postcode + huisnr, geb.datum",
                tooltip="Bijv. 06-12345678 · 2011 AB 12 · van der Berg · 7-7-1975 Berg",
                id="zoek",
            ),
            naam="zoek",
        )
        yield Label("", id="zoek-status")
        yield OptionList(id="treffers")
        with Horizontal():
            yield Button("Anoniem verder", id="anoniem")
            yield Button("Nieuwe klant", id="nieuwe-klant")

    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self._register: dict[str, RegisterPartij] = {}  # option id → partij, for the shown text
        self._status = ""

    def on_mount(self) -> None:
        self.query_one("#treffers", OptionList).display = False

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
            self._kies(enige)
        elif lijst.option_count:
            self.focus_treffers()
        elif event.value.strip():
            self.zoek(event.value, wacht=0)

    def zoek(self, tekst: str, wacht: float = 0.0) -> None:
        """Ask the screen to search (it runs the werkplek call, debounced)."""
        self.post_message(self.ZoekGevraagd(tekst, wacht))

    def toon_uitkomst(self, uitkomst: ZoekUitkomst, fout: str | None = None) -> None:
        if uitkomst.tekst != self.invoer.value:
            return  # stale: the agent typed on
        self.query_one("#veld-zoek", Veld).toon_fout(fout)
        if fout:
            self.toon_treffers([], "")
            return
        status = (
            f"{len(uitkomst.treffers)} klant(en) gevonden — pijltjes en enter om te kiezen"
            if uitkomst.treffers
            else f"Geen klant gevonden op {uitkomst.soort}. Zoek anders, ga anoniem verder of "
            "registreer een nieuwe klant."
        )
        self.toon_treffers(uitkomst.treffers, status)

    def focus_treffers(self) -> None:
        lijst = self.query_one("#treffers", OptionList)
        lijst.focus()
        if lijst.option_count:
            lijst.highlighted = 0

    def toon_treffers(self, treffers: list[KlantTreffer], status: str) -> None:
        lijst = self.query_one("#treffers", OptionList)
        lijst.display = bool(treffers)  # no empty box taking rows on a small screen
        lijst.clear_options()
        self._register = {}
        lijst.add_options(
            Option(escape(t.regel) + ("" if t.exact else " [dim](lijkt op)[/dim]"), id=str(t.id))
            for t in treffers
        )
        self._status = status
        self.query_one("#zoek-status", Label).update(status)

    def toon_register(self, uitkomst: RegisterUitkomst) -> None:
        """Add what the register found (it answers after the local search); its message
        when it could not be read goes in the status line."""
        if uitkomst.tekst != self.invoer.value:
            return  # stale: the agent typed on
        lijst = self.query_one("#treffers", OptionList)
        nieuw = [p for p in uitkomst.partijen if REGISTER + p.uuid not in self._register]
        for partij in nieuw:
            self._register[REGISTER + partij.uuid] = partij
            lijst.add_option(
                Option(
                    f"{escape(partij.naam or '(naam onbekend)')}"
                    f"{self._kenmerk(partij)} [b]({ALLEEN_IN_REGISTER})[/b]",
                    id=REGISTER + partij.uuid,
                )
            )
        if nieuw:
            lijst.display = True
            lokaal = lijst.option_count - len(self._register)
            status = (
                f"{lokaal} klant(en) gevonden, {len(self._register)} {ALLEEN_IN_REGISTER} "
                "— pijltjes en enter om te kiezen (wordt overgenomen)"
            )
        else:
            status = self._status
        if uitkomst.melding:
            status = f"{status}  {uitkomst.melding}" if status else uitkomst.melding
        self.query_one("#zoek-status", Label).update(escape(status))

    @staticmethod
    def _kenmerk(partij: RegisterPartij) -> str:
        if partij.bsn:
            return f" · BSN ***{escape(partij.bsn[-3:])}"
        if partij.kvk_nummer:
            return f" · KvK {escape(partij.kvk_nummer)}"
        return ""

    def _kies(self, option_id: str) -> None:
        if option_id.startswith(REGISTER):
            if (partij := self._register.get(option_id)) is not None:
                self.post_message(self.RegisterPartijGekozen(partij))
        else:
            self.post_message(self.KlantGekozen(uuid.UUID(option_id)))

    @on(OptionList.OptionSelected, "#treffers")
    def _gekozen(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id:
            self._kies(event.option.id)

    @on(Button.Pressed, "#anoniem")
    def _anoniem(self, event: Button.Pressed) -> None:
        event.stop()
        self.post_message(self.AnoniemGekozen())

    @on(Button.Pressed, "#nieuwe-klant")
    def _nieuw(self, event: Button.Pressed) -> None:
        event.stop()
        self.post_message(self.NieuweKlantGevraagd())
