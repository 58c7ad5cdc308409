"""The organisation's settings in a running ``kiss dienst``: a beheerder's change reaches it
without a restart, the same way it reaches every desk.

Like a desk (:meth:`kiss.werkplek.beheer.BeheerWerk.peil`), the dienst asks every
:data:`~kiss.werkplek.beheer.PEIL_SECONDEN` for the settings' version number (one tiny query,
:func:`kiss.services.beheer.instellingen.versie`) and reads the settings only when it changed.
Every job and the webhook read :attr:`Organisatievolger.settings` when they run, so the next
round after a change plans reminder mails with the new servicenorm and closing days, makes
concept contacts with the new kanalen, and deletes calls by the new retention.
"""

from __future__ import annotations

import logging
import threading

from sqlalchemy import Engine

from kiss.config import ConfigFout, Settings
from kiss.db import read_scope
from kiss.services.beheer import instellingen

log = logging.getLogger("kiss.dienst")


class Organisatievolger:
    """This machine's settings (``kiss.toml``) with the organisation's from the database,
    kept current by :meth:`peil`. Unreadable stored settings keep the previous ones."""

    def __init__(self, engine: Engine, werkstation: Settings) -> None:
        self.engine = engine
        self.werkstation = werkstation
        self.settings = werkstation
        self.versie = -1  # -1: not read yet
        self._lock = threading.Lock()

    def peil(self) -> bool:
        """New settings? One tiny query; True when they were replaced."""
        with self._lock, read_scope(self.engine) as session:
            versie = instellingen.versie(session)
            if versie == self.versie:
                return False
            try:
                stand = instellingen.laad(session)
            except ConfigFout as fout:
                log.warning("opgeslagen instellingen onleesbaar, de vorige blijven: %s", fout)
                self.versie = versie
                return False
            vorige, self.versie = self.versie, versie
            self.settings = (
                self.werkstation.met_organisatie(stand.organisatie) if stand else self.werkstation
            )
        if vorige != -1:
            log.info("instellingen van de organisatie bijgewerkt (versie %d)", versie)
        return True
