"""The desktop widget under ``App.run_test()``: a webhook ``answer`` pops in a running app,
and a stopped dienst shows as a lost connection."""

from __future__ import annotations

import asyncio
import statistics
import time
import uuid
from pathlib import Path

from sqlalchemy import Engine
from textual.app import App, ComposeResult

from kiss.db import read_scope
from kiss.services.telefonie.pop import Pop, pop
from kiss.widgets.oproep_indicator import OproepIndicator
from tests.dienst.conftest import start_dienst
from tests.factories import Wereld


class Bureau(App[None]):
    def __init__(self, engine: Engine, medewerker_id: uuid.UUID) -> None:
        super().__init__()
        self.engine = engine
        self.medewerker_id = medewerker_id
        self.pops: list[tuple[float, Pop | None]] = []

    def compose(self) -> ComposeResult:
        yield OproepIndicator(self.engine, self.medewerker_id, wacht_s=0.2)

    def on_oproep_indicator_oproep_beantwoord(
        self, event: OproepIndicator.OproepBeantwoord
    ) -> None:
        with read_scope(self.engine) as session:
            self.pops.append((time.perf_counter(), pop(session, event.contactmoment_id)))


async def _tot(pilot, voorwaarde, timeout: float = 5.0) -> None:  # type: ignore[no-untyped-def]
    einde = time.monotonic() + timeout
    while not voorwaarde() and time.monotonic() < einde:
        await pilot.pause(0.02)


async def test_answer_pops_the_callers_file_in_a_running_app(
    database_url: str, engine: Engine, wereld: Wereld, tmp_path: Path
) -> None:
    lopend = start_dienst(database_url, tmp_path)
    app = Bureau(engine, wereld.agent.id)
    try:
        async with app.run_test() as pilot:
            indicator = app.query_one(OproepIndicator)
            await _tot(pilot, lambda: indicator.display)
            assert str(indicator.render()) == "☎ verbonden"
            latenties = []
            for i in range(3):
                begin = time.perf_counter()
                status, _ = await asyncio.to_thread(
                    lopend.cti, event="answer", callId=f"pop-{i}", direction="in",
                    answeringNumber="2301", **{"from": "0612345678"},
                )  # fmt: skip
                assert status == 200
                await _tot(pilot, lambda i=i: len(app.pops) > i)
                assert len(app.pops) == i + 1, "geen pop"
                moment, gepopt = app.pops[i]
                latenties.append(moment - begin)
                assert gepopt is not None
                assert gepopt.contact.kanaal == "telefoon"
                assert gepopt.contact.klant_id == wereld.berg.id
                assert [t.id for t in gepopt.treffers] == [wereld.berg.id]
                assert "in gesprek met 0612345678" in str(indicator.render())
            print(
                f"\n{engine.dialect.name}: webhook → pop in de app "
                + ", ".join(f"{t * 1e3:.0f}" for t in latenties)
                + " ms"
            )
            # The bounds (300 ms PostgreSQL, 1 s SQLite) are held up to the listener in
            # test_luisteraar.py; this app's event loop comes on top, on a 2-core machine shared
            # with other test runs (load average about 10): the median against a looser bound.
            grens = 1.0 if engine.dialect.name == "postgresql" else 2.0
            assert statistics.median(latenties) < grens
            assert lopend.stop() == 0
            await _tot(pilot, lambda: indicator.has_class("-verbroken"))
            assert str(indicator.render()) == "☎ geen verbinding met kiss dienst"
    finally:
        lopend.stop()
