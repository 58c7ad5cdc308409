"""The periodic jobs ``kiss dienst`` runs for the central mailbox: fetch new mail, send
confirmations and answers, and mark cases answered once their terugbelnotitie is done."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime
from typing import Any

from sqlalchemy import Engine

from kiss.config import Settings
from kiss.db import session_scope
from kiss.services.email import instellingen as email_instellingen
from kiss.services.meldingen.instellingen import MailInstellingen

log = logging.getLogger("kiss.dienst.email")
OPHAAL_INTERVAL_S = 30.0


def taken(
    engine: Engine,
    settings: Settings | Callable[[], Settings],  # a function: the current ones (kiss dienst)
    mail: MailInstellingen,
    klok: Callable[[], datetime],
    interval_s: float,
    instellingen: email_instellingen.EmailInstellingen | None = None,
) -> list[tuple[str, float, Callable[[], Any]]]:
    """(name, interval, job) for the dienst; empty when no central mailbox is set."""
    if instellingen is None:
        try:
            instellingen = email_instellingen.laad()
        except email_instellingen.EmailInstellingFout as exc:
            log.error("centrale mailbox niet gestart: %s", exc)
            return []
    if not instellingen.actief:
        return []
    from kiss.services.email import behandelen, ophalen, verzenden

    def haal() -> None:
        try:
            huidig = settings() if callable(settings) else settings
            resultaat = ophalen.haal_op(engine, instellingen, huidig, klok=klok)
        except ophalen.OphaalFout as exc:
            log.warning("mailbox: %s", exc)
            return
        if resultaat.nieuw:
            log.info("mailbox: %d nieuwe mail(s)", resultaat.nieuw)

    def verstuur() -> None:
        resultaat = verzenden.verstuur(engine, mail, instellingen, klok=klok)
        for fout in resultaat.fouten:
            log.warning("e-mail niet verzonden: %s", fout)

    def terugbel() -> None:
        with session_scope(engine) as session:
            behandelen.werk_terugbel_bij(session, klok())

    lijst: list[tuple[str, float, Callable[[], Any]]] = [
        ("email-ophalen", max(interval_s, min(OPHAAL_INTERVAL_S, interval_s * 6)), haal),
        ("email-terugbel", interval_s, terugbel),
    ]
    if mail.actief:
        lijst.append(("email-verzenden", interval_s, verstuur))
    else:
        log.warning("geen SMTP-server ingesteld: antwoorden blijven in de wachtrij staan")
    return lijst
