"""A one-line indicator of the phone: calls ringing, the agent's own call, and a lost
connection to ``kiss dienst``. Hidden on a desk without a dienst (the single-user default).

It listens in a thread worker (:class:`~kiss.services.telefonie.luisteraar.OproepLuisteraar`)
and posts :class:`OproepIndicator.OproepBeantwoord` when the agent answered an incoming call:
the app opens that contactmoment (the klantbeeld, or the choice of klanten).
"""

from __future__ import annotations

import uuid
from collections.abc import Callable

from sqlalchemy import Engine
from textual import work
from textual.message import Message
from textual.widgets import Static
from textual.worker import get_current_worker

from kiss.services.telefonie.luisteraar import (
    OproepLuisteraar,
    OproepMelding,
    OproepStand,
    Verbinding,
)


class OproepIndicator(Static):
    DEFAULT_CSS = """
    OproepIndicator { width: auto; height: 1; padding: 0 1; color: $text-success; }
    OproepIndicator.-verbroken { color: $text-error; text-style: bold; }
    """

    class OproepBeantwoord(Message):
        """The agent answered an incoming call: open ``melding.contactmoment_id``."""

        def __init__(self, melding: OproepMelding) -> None:
            super().__init__()
            self.melding = melding

    def __init__(
        self,
        engine: Engine,
        medewerker_id: uuid.UUID,
        *,
        wacht_s: float = 1.0,
        luisteraar: Callable[[Engine, uuid.UUID], OproepLuisteraar] = OproepLuisteraar,
        id: str | None = "oproep-indicator",
    ) -> None:
        super().__init__("", id=id)
        self.engine = engine
        self.medewerker_id = medewerker_id
        self.wacht_s = wacht_s
        self._maak_luisteraar = luisteraar
        self.stand = OproepStand()
        self.verbinding = Verbinding.GEEN_DIENST
        self.display = False

    def on_mount(self) -> None:
        self.luister()

    @work(thread=True, exclusive=True, group="oproepen", exit_on_error=False)
    def luister(self) -> None:
        worker = get_current_worker()
        luisteraar = self._maak_luisteraar(self.engine, self.medewerker_id)
        vorige: Verbinding | None = None
        try:
            while not worker.is_cancelled:
                meldingen = luisteraar.wacht(self.wacht_s)
                if meldingen or luisteraar.status is not vorige:
                    vorige = luisteraar.status
                    self.app.call_from_thread(self._verwerk, meldingen, luisteraar.status)
        finally:
            luisteraar.sluit()

    def _verwerk(self, meldingen: list[OproepMelding], verbinding: Verbinding) -> None:
        self.verbinding = verbinding
        self.stand.verwerk(meldingen)
        tekst = self.stand.tekst(verbinding)
        self.update(tekst)
        self.display = bool(tekst)
        self.set_class(verbinding is Verbinding.VERBROKEN, "-verbroken")
        for melding in meldingen:
            if melding.is_pop:
                self.post_message(self.OproepBeantwoord(melding))
