"""The whole way on both backends: the phone system posts ``answer`` to ``kiss dienst`` (a
real process) and the agent's RUNNING KissApp opens a new telefoon contactmoment for the
caller with the klantbeeld, or the choice when several klanten have that number."""

from __future__ import annotations

import asyncio
import statistics
import time
from collections.abc import Callable
from typing import Any

from sqlalchemy import Engine, text, update
from textual.widgets import Label

from kiss.app import KissApp
from kiss.config import Settings
from kiss.db import session_scope
from kiss.models import DigitaalAdres, Medewerker
from kiss.services.klant.zoeken import NaamVocabulaire
from kiss.validation import valideer_telefoon
from tests.dienst.conftest import Dienst
from tests.factories import Wereld

SIZE = (160, 50)


async def _tot(pilot: Any, voorwaarde: Callable[[], bool], timeout: float = 15.0) -> float:
    """Wait (without waiting for all workers: the phone line never ends) until true."""
    einde = time.monotonic() + timeout
    while not voorwaarde():
        if time.monotonic() > einde:
            raise AssertionError("voorwaarde niet gehaald")
        await pilot.pause(0.02)
    return time.perf_counter()


def _als_databaselogin(engine: Engine, wereld: Wereld) -> None:
    """On PostgreSQL you are your database login (a shared install)."""
    if engine.dialect.name == "postgresql":
        with session_scope(engine) as session:
            login = session.execute(text("SELECT session_user")).scalar_one()
            session.execute(
                update(Medewerker)
                .where(Medewerker.id == wereld.agent.id)  # type: ignore[arg-type]
                .values(gebruikersnaam=login)
            )


async def test_answer_pops_a_telefoon_contact_in_the_running_app(
    dienst: Dienst, engine: Engine, wereld: Wereld
) -> None:
    NaamVocabulaire.voor(engine).vergeet()
    _als_databaselogin(engine, wereld)
    with session_scope(engine) as session:  # a second klant with Bergh's number
        session.add(DigitaalAdres(klant_id=wereld.vries.id, soort="telefoonnummer",
                                  waarde="023 511 42 58",
                                  genormaliseerd=valideer_telefoon("023 511 42 58")))  # fmt: skip
    app = KissApp(settings=Settings(autosave_seconden=0.1), engine=engine, medewerker="agent")
    geopend: list[float] = []  # when the running app opened the popped contact
    opnemen = app._opgenomen

    def opgenomen(gestart: Any) -> None:
        geopend.append(time.perf_counter())
        opnemen(gestart)

    app._opgenomen = opgenomen  # type: ignore[method-assign]
    async with app.run_test(size=SIZE) as pilot:
        await _tot(pilot, lambda: "☎ verbonden" in app.sub_title)
        scherm = app.contact_scherm
        pops, getoond = [], []
        for i in range(3):
            begin = time.perf_counter()
            status, _ = await asyncio.to_thread(
                dienst.cti, event="answer", callId=f"pilot-{i}", direction="in",
                answeringNumber="2301", **{"from": "31612345678"},
            )  # fmt: skip
            assert status == 200
            await _tot(pilot, lambda i=i: len(geopend) > i)  # type: ignore[misc]
            pops.append(geopend[i] - begin)
            contact = app.werkplek.actief
            assert contact is not None and contact.samenvatting.kanaal == "telefoon"
            assert contact.klant_id == wereld.berg.id
            getoond.append(
                await _tot(
                    pilot,
                    lambda c=contact: (
                        app.screen is scherm  # type: ignore[misc]
                        and scherm.formulier.contact_id == c.id
                        and "Johanna van den Berg"
                        in str(scherm.query_one("#kb-naam", Label).content)
                    ),
                )
                - begin
            )
        assert "in gesprek met 31612345678" in app.sub_title
        assert len(app.werkplek.open_contacten) == 3

        # a number two klanten share: the new contact opens with the choice
        await asyncio.to_thread(
            dienst.cti, event="answer", callId="pilot-gedeeld", direction="in",
            answeringNumber="2301", **{"from": "0235114258"},
        )  # fmt: skip
        await _tot(
            pilot,
            lambda: "2 klanten met" in str(scherm.zoeker.query_one("#zoek-status", Label).content),
        )
        assert app.werkplek.actief is not None and app.werkplek.actief.klant_id is None
        assert len(app.werkplek.open_contacten) == 4

    ms = ", ".join
    print(f"\n{engine.dialect.name}: webhook → contact open in de app "
          f"{ms(f'{t * 1e3:.0f}' for t in pops)} ms; klantbeeld getoond "
          f"{ms(f'{t * 1e3:.0f}' for t in getoond)} ms")  # fmt: skip
    # The bounds of the issue (300 ms PostgreSQL, 1 s SQLite) are held from webhook to the
    # desktop's listener in test_luisteraar.py and benchmarks/bench_dienst.py. Here the app's
    # own rendering on a 2-core machine shared with other test runs comes on top (load average
    # around 10 when measured): judge the median of three calls against a looser bound.
    assert statistics.median(pops) < (3.0 if engine.dialect.name == "postgresql" else 5.0)
    assert statistics.median(getoond) < 5.0
