"""The HTTP side of ``kiss dienst``: ``POST /cti/{token}`` and ``GET /gezondheid``."""

from __future__ import annotations

import asyncio
import hmac
import json
import logging
import re
from collections.abc import Callable
from datetime import datetime
from typing import Any

from aiohttp import web
from aiohttp.abc import AbstractAccessLogger
from sqlalchemy import Engine, text
from sqlalchemy.exc import SQLAlchemyError

from kiss.config import Settings
from kiss.db import read_scope, session_scope
from kiss.services import uitgaand
from kiss.services.telefonie import cti, oproepen

log = logging.getLogger("kiss.dienst")
MAX_BODY = 64 * 1024
_TOKEN_IN_PAD = re.compile(r"^/cti/[^/?]*")

ENGINE: web.AppKey[Engine] = web.AppKey("engine", Engine)
#: the settings now (a beheerder's change reaches the webhook without a restart)
SETTINGS: web.AppKey[Callable[[], Settings]] = web.AppKey("settings", object)  # type: ignore[arg-type]
TOKENS: web.AppKey[tuple[str, ...]] = web.AppKey("tokens", tuple)
KLOK: web.AppKey[Callable[[], datetime]] = web.AppKey("klok", object)  # type: ignore[arg-type]
SCHRIJF_LOCK: web.AppKey[asyncio.Lock] = web.AppKey("schrijf_lock", asyncio.Lock)


class ToegangsLog(AbstractAccessLogger):
    """Access log without the webhook token (it is in the path)."""

    def log(self, request: web.BaseRequest, response: web.StreamResponse, time: float) -> None:
        pad = _TOKEN_IN_PAD.sub("/cti/***", request.path)
        self.logger.info(
            "%s %s %s %d %.1f ms", request.remote, request.method, pad, response.status, time * 1e3
        )


def _fout(status: int, melding: str, **extra: Any) -> web.Response:
    return web.json_response({"fout": melding, **extra}, status=status, dumps=_dumps)


def _dumps(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False, default=str)


def _token_bekend(token: str, tokens: tuple[str, ...]) -> bool:
    gevonden = False
    for bekend in tokens:  # compare with every token, in constant time each
        gevonden |= hmac.compare_digest(token.encode(), bekend.encode())
    return gevonden


async def _lees_melding(request: web.Request) -> cti.CtiGebeurtenis:
    soort = request.content_type
    if soort == "application/json":
        try:
            data = json.loads(await request.text())
        except (json.JSONDecodeError, UnicodeDecodeError) as exc:
            raise cti.OngeldigeMelding({"body": "geen geldige JSON"}) from exc
        return cti.lees_json(data)
    if soort in ("application/x-www-form-urlencoded", "multipart/form-data"):
        formulier = await request.post()
        return cti.lees_formulier((k, str(v)) for k, v in formulier.items())
    raise cti.OngeldigeMelding(
        {"body": "verwacht JSON of een formulier (application/x-www-form-urlencoded)"}
    )


async def cti_webhook(request: web.Request) -> web.Response:
    app = request.app
    if not _token_bekend(request.match_info.get("token", ""), app[TOKENS]):
        return _fout(401, "Onbekend token.")
    try:
        melding = await _lees_melding(request)
    except cti.OngeldigeMelding as fout:
        return _fout(400, "Ongeldige CTI-melding.", velden=fout.fouten)
    except web.HTTPRequestEntityTooLarge:
        return _fout(413, "Melding te groot.")

    def opslaan() -> oproepen.Verwerkt:
        with session_scope(app[ENGINE]) as session:
            return oproepen.verwerk(session, melding, settings=app[SETTINGS](), nu=app[KLOK]())

    try:
        async with app[SCHRIJF_LOCK]:  # one writer: event numbers become visible in order
            verwerkt = await asyncio.to_thread(opslaan)
    except SQLAlchemyError as exc:
        log.error("CTI-melding niet opgeslagen: %s", type(exc).__name__)
        return _fout(503, "Database niet bereikbaar; probeer het opnieuw.")
    log.info(
        "CTI %s %s%s",
        melding.gebeurtenis,
        melding.call_id[:40],
        " (herhaald, genegeerd)" if verwerkt.dubbel else "",
    )
    return web.json_response({"ok": True, "dubbel": verwerkt.dubbel})


async def gezondheid(request: web.Request) -> web.Response:
    app = request.app

    def lees() -> dict[str, Any]:
        with read_scope(app[ENGINE]) as session:
            session.execute(text("SELECT 1"))
            mail = uitgaand.overzicht(session, "mail")
        return {
            "status": "ok",
            "database": "ok",
            "mail": {
                "wachtend": mail.wachtend,
                "in_storing": mail.in_storing,
                "geparkeerd": len(mail.geparkeerd),
                "laatste_fout": mail.laatste_fout,
            },
        }

    try:
        return web.json_response(await asyncio.to_thread(lees), dumps=_dumps)
    except SQLAlchemyError as exc:
        log.error("gezondheid: database niet bereikbaar (%s)", type(exc).__name__)
        return web.json_response({"status": "storing", "database": "niet bereikbaar"}, status=503)


def maak_app(
    engine: Engine,
    settings: Settings | Callable[[], Settings],
    tokens: tuple[str, ...],
    klok: Callable[[], datetime],
) -> web.Application:
    """``settings``: fixed, or a function giving the current ones (see
    :class:`kiss.dienst.organisatie.Organisatievolger`)."""
    app = web.Application(client_max_size=MAX_BODY)
    app[ENGINE] = engine
    app[SETTINGS] = settings if callable(settings) else (lambda: settings)
    app[TOKENS] = tokens
    app[KLOK] = klok
    app[SCHRIJF_LOCK] = asyncio.Lock()
    app.router.add_post("/cti/{token}", cti_webhook)
    app.router.add_get("/gezondheid", gezondheid)
    return app
