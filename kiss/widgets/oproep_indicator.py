"""A one-line indicator of the phone: calls ringing, the agent's own call, and a lost
connection to ``kiss dienst``. Hidden on a desk without a dienst (the single-user default).

It listens in a thread worker (:func:`~kiss.services.telefonie.luisteraar.telefoonlijn`) and
posts :class:`OproepIndicator.OproepBeantwoord` when the agent answered an incoming call: the
app opens that contactmoment (the klantbeeld, or the choice of klanten).
"""

from __future__ import annotations

import uuid

from sqlalchemy import Engine
from textual import work
from textual.message import Message
from textual.widgets import Static
from textual.worker import get_current_worker

from kiss.services.telefonie.luisteraar import Lijnstand, Verbinding, telefoonlijn


class OproepIndicator(Static):
    DEFAULT_CSS = """
    OproepIndicator { width: auto; height: 1; padding: 0 1; color: $text-success; }
    OproepIndicator.-verbroken { color: $text-error; text-style: bold; }
    """

    class OproepBeantwoord(Message):
        """The agent answered an incoming call: open ``contactmoment_id``."""

        def __init__(self, contactmoment_id: uuid.UUID) -> None:
            super().__init__()
            self.contactmoment_id = contactmoment_id

    def __init__(
        self,
        engine: Engine,
        medewerker_id: uuid.UUID,
        *,
        wacht_s: float = 0.5,
        id: str | None = "oproep-indicator",
    ) -> None:
        super().__init__("", id=id)
        self.engine = engine
        self.medewerker_id = medewerker_id
        self.wacht_s = wacht_s
        self.verbinding = Verbinding.GEEN_DIENST
        self.display = False

    def on_mount(self) -> None:
        self.luister()

    @work(thread=True, exclusive=True, group="oproepen", exit_on_error=False)
    def luister(self) -> None:
        worker = get_current_worker()
        for stand in telefoonlijn(
            self.engine, self.medewerker_id, lambda: worker.is_cancelled, wacht_s=self.wacht_s
        ):
            self.app.call_from_thread(self.toon, stand)

    def toon(self, stand: Lijnstand) -> None:
        self.verbinding = stand.verbinding
        self.update(stand.tekst)
        self.display = bool(stand.tekst)
        self.set_class(stand.verbinding is Verbinding.VERBROKEN, "-verbroken")
        for contactmoment_id in stand.pops:
            self.post_message(self.OproepBeantwoord(contactmoment_id))
