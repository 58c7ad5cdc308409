"""Running ``kiss dienst``: the HTTP server and the periodic jobs in one asyncio loop.

SIGTERM/SIGINT: stop accepting connections, let running requests finish, let every job
finish the round it is in (a mail being sent is sent and recorded), write ``gestopt_op``,
exit 0. Blocking database and SMTP work runs in threads, so a slow mail server never delays
a phone event.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
import socket
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from aiohttp import web
from sqlalchemy import Engine

from kiss.config import Settings
from kiss.db import session_scope
from kiss.dienst.instellingen import DienstInstellingen
from kiss.dienst.organisatie import Organisatievolger
from kiss.dienst.web import ToegangsLog, maak_app
from kiss.models import utcnow
from kiss.services import uitgaand
from kiss.services.telefonie import dienststatus, oproepen
from kiss.werkplek.beheer import PEIL_SECONDEN

log = logging.getLogger("kiss.dienst")
HARTSLAG_S = 2.0
GESPREKSTIJDEN_VENSTER = timedelta(days=1)
OPSCHONEN_S = 3600.0  # calls older than the retention of contactmomenten, once an hour


def _taken(
    engine: Engine,
    organisatie: Organisatievolger,
    instellingen: DienstInstellingen,
    klok: Callable[[], datetime],
) -> list[tuple[str, float, Callable[[], Any]]]:
    """(name, interval, job) for every periodic job; each job is blocking (run in a thread)
    and reads the organisation's settings as they are when it runs."""

    def hartslag() -> None:
        with session_scope(engine) as session:
            dienststatus.hartslag(session, klok())

    def gesprekstijden() -> None:
        with session_scope(engine) as session:
            oproepen.herstel_gesprekstijden(session, klok(), GESPREKSTIJDEN_VENSTER)

    def opschonen() -> None:
        bewaren = timedelta(days=organisatie.settings.bewaartermijn_contactmomenten_dagen)
        with session_scope(engine) as session:
            if weg := oproepen.opschonen(session, klok() - bewaren):
                log.info("%d oproepen ouder dan de bewaartermijn verwijderd", weg)

    taken: list[tuple[str, float, Callable[[], Any]]] = [
        ("instellingen", PEIL_SECONDEN, organisatie.peil),
        ("hartslag", min(HARTSLAG_S, instellingen.interval_s), hartslag),
        ("gesprekstijden", instellingen.interval_s, gesprekstijden),
        ("opschonen", OPSCHONEN_S, opschonen),
    ]
    try:
        from kiss.services import meldingen

        planstand = meldingen.Planstand()

        def plan_meldingen() -> None:
            with session_scope(engine) as session:
                meldingen.plan(
                    session,
                    settings=organisatie.settings,
                    mail=instellingen.mail,
                    nu=klok(),
                    stand=planstand,
                )

        def verstuur_mail() -> None:
            resultaat = meldingen.verstuur(engine, instellingen.mail, klok=klok)
            for fout in resultaat.fouten:
                log.warning("mail niet verzonden: %s", fout)

        taken.append(("meldingen", instellingen.interval_s, plan_meldingen))
        if instellingen.mail.actief:
            taken.append(("mail", instellingen.interval_s, verstuur_mail))
        else:
            log.warning("geen SMTP-server ingesteld: mails blijven in de wachtrij staan")
    except ImportError:  # pragma: no cover - meldingen ships with kiss
        pass
    if (openklant := _openklant_taak(engine, klok)) is not None:
        taken.append(("openklant", instellingen.interval_s, openklant))
    from kiss.services.email.dienst import taken as email_taken  # the central mailbox

    taken.extend(
        email_taken(
            engine, lambda: organisatie.settings, instellingen.mail, klok, instellingen.interval_s
        )
    )
    return taken


def _openklant_taak(engine: Engine, klok: Callable[[], datetime]) -> Callable[[], Any] | None:
    """The Open Klant outbox sender, when ``KISS_OPENKLANT_URL`` switches the link on."""
    from kiss.services.openklant import config, verzender

    try:
        instelling = config.laad()
    except config.ConfigFout as exc:
        log.error("Open Klant niet gestart: %s", exc)
        return None
    if instelling is None:
        return None

    def openklant() -> None:
        resultaat = verzender.sync(engine, instelling, klok=klok)
        for fout in resultaat.fouten:
            log.warning("Open Klant: %s", fout)

    return openklant


async def _herhaal(
    naam: str, interval: float, taak: Callable[[], Any], stop: asyncio.Event
) -> None:
    while not stop.is_set():
        try:
            await asyncio.to_thread(taak)
        except (uitgaand.TijdelijkeFout, uitgaand.Geweigerd) as exc:  # clean Dutch messages
            log.warning("taak %s: %s", naam, exc)
        except Exception as exc:  # one failing job never stops the others or the webhook
            log.error("taak %s mislukt: %s", naam, type(exc).__name__)
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), timeout=interval)


def _socket(adres: str, poort: int) -> socket.socket:
    familie = socket.AF_INET6 if ":" in adres else socket.AF_INET
    sock = socket.socket(familie, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((adres, poort))
    sock.listen(128)
    sock.setblocking(False)
    return sock


def _warm_op(engine: Engine, settings: Settings, klok: Callable[[], datetime]) -> None:
    """Run a made-up call through the webhook's code once and roll it back, so the first real
    call does not pay for compiling the statements (it must pop within 300 ms)."""
    from sqlmodel import Session

    from kiss.models import Medewerker
    from kiss.services.telefonie import cti

    with Session(engine) as session:
        try:
            session.add(Medewerker(achternaam="opwarmen", toestel="kiss-opwarmen", actief=True))
            session.flush()
            for gebeurtenis in ("newCall", "answer", "hangup"):
                melding = {"event": gebeurtenis, "callId": "kiss-opwarmen", "from": "0612345678",
                           "direction": "in", "answeringNumber": "kiss-opwarmen"}  # fmt: skip
                oproepen.verwerk(session, cti.lees(melding), settings=settings, nu=klok())
        except Exception as exc:  # warming up is an optimisation; never a reason not to start
            log.warning("opwarmen overgeslagen: %s", type(exc).__name__)
        finally:
            session.rollback()


async def draai(
    engine: Engine,
    settings: Settings,
    instellingen: DienstInstellingen,
    *,
    klok: Callable[[], datetime] = utcnow,
    gestart: Callable[[str], None] | None = None,
) -> None:
    """Serve until SIGTERM or SIGINT. ``gestart`` gets the URL once the port is open.
    ``settings``: this machine's (``kiss.toml``); the organisation's come from the database
    and are followed while running (:class:`Organisatievolger`)."""
    if not instellingen.tokens:
        log.warning("geen webhook-token ingesteld: /cti weigert alles (KISS_DIENST_TOKENS)")
    organisatie = Organisatievolger(engine, settings)
    await asyncio.to_thread(organisatie.peil)
    await asyncio.to_thread(_warm_op, engine, organisatie.settings, klok)
    with session_scope(engine) as session:
        dienststatus.gestart(session, klok())
    app = maak_app(engine, lambda: organisatie.settings, instellingen.tokens, klok)
    runner = web.AppRunner(app, access_log_class=ToegangsLog, handle_signals=False)
    await runner.setup()
    sock = _socket(instellingen.adres, instellingen.poort)
    site = web.SockSite(runner, sock, shutdown_timeout=10.0)
    await site.start()
    host, poort = sock.getsockname()[:2]
    url = f"http://{'[' + host + ']' if ':' in host else host}:{poort}"

    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    taken = [
        asyncio.create_task(_herhaal(naam, interval, taak, stop), name=naam)
        for naam, interval, taak in _taken(engine, organisatie, instellingen, klok)
    ]
    log.info("kiss dienst luistert op %s", url)
    if gestart is not None:
        gestart(url)
    try:
        await stop.wait()
    finally:
        log.info("kiss dienst stopt: lopende verzoeken en taken worden afgemaakt")
        await runner.cleanup()  # stops listening, waits for running requests
        stop.set()
        await asyncio.gather(*taken, return_exceptions=True)
        with session_scope(engine) as session:
            dienststatus.gestopt(session, klok())
        log.info("kiss dienst gestopt")
