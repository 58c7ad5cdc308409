"""Snapshots of the start screen (news, my work, top questions, links) and of Beheer (F7)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import timedelta
from typing import Any

from sqlalchemy import Engine
from textual.pilot import Pilot

from kiss.app import KissApp
from kiss.config import Link, Settings
from kiss.db import session_scope
from kiss.services.beheer import instellingen, nieuws
from kiss.services.beheer.nieuws import NieuwsInvoer
from tests.beheer.conftest import NU, Beheerwereld, Klok, bouw_beheerwereld
from tests.pilot import settle

GROOT = (140, 42)


def _inrichten(engine: Engine) -> Beheerwereld:
    bw = bouw_beheerwereld(engine)
    org = replace(
        Settings().organisatie,
        links=(
            Link("Landelijk", "Rijksoverheid", "https://www.rijksoverheid.nl"),
            Link("Nummers", "Politie (geen spoed)", "0900-8844"),
        ),
    )
    with session_scope(engine) as session:
        instellingen.bewaar(session, bw.beheerder, org, nu=NU)
        for invoer in (
            NieuwsInvoer("Storing DigiD tot 14:00", tekst="Verwijs naar de balie.",
                         belangrijk=True, publiceren_van=NU - timedelta(hours=1)),
            NieuwsInvoer("Nieuwe werkwijze parkeervergunning", soort="werkinstructie",
                         tekst="1. Vraag het kenteken\n2. Zoek de vergunning",
                         publiceren_van=NU - timedelta(days=1)),
            NieuwsInvoer("Kerstrooster KCC", publiceren_van=NU - timedelta(days=3)),
        ):  # fmt: skip
            nieuws.bewaar(session, bw.redacteur, invoer, nu=NU)
    return bw


def _app(engine: Engine, wie: str) -> KissApp:
    app = KissApp(settings=Settings(), engine=engine, medewerker=wie, klok=Klok())
    app.animation_level = "none"
    return app


def _na(*toetsen: str) -> Callable[[Pilot[Any]], Any]:
    async def doe(pilot: Pilot[Any]) -> None:
        await settle(pilot.app, pilot)
        for toets in toetsen:
            await pilot.press(toets)
            await settle(pilot.app, pilot)
        for veld in pilot.app.screen.query("Input, TextArea"):
            veld.cursor_blink = False  # type: ignore[attr-defined]
        await pilot.pause(2.5)  # one round of the 2-second news/settings check: a steady header
        await settle(pilot.app, pilot)

    return doe


def test_start_scherm_met_nieuws(snap_compare: Callable[..., bool], sqlite_engine: Engine) -> None:
    _inrichten(sqlite_engine)
    app = _app(sqlite_engine, "leider")
    assert snap_compare(app, terminal_size=GROOT, run_before=_na("f1", "enter"))


def test_beheer_instellingen(snap_compare: Callable[..., bool], sqlite_engine: Engine) -> None:
    _inrichten(sqlite_engine)
    app = _app(sqlite_engine, "beheer")
    assert snap_compare(app, terminal_size=GROOT, run_before=_na("f7"))


def test_beheer_nieuws(snap_compare: Callable[..., bool], sqlite_engine: Engine) -> None:
    _inrichten(sqlite_engine)
    app = _app(sqlite_engine, "redactie")
    assert snap_compare(app, terminal_size=GROOT, run_before=_na("f7"))
