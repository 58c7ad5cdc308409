"""Make the README screenshots: python docs/maak_screenshot.py

Builds a demo database in a temporary folder, starts KISS headless, opens a call from a known
caller, a kennisbank search and the teamlead's norm dashboard, and saves SVG screenshots next
to this script.
"""

from __future__ import annotations

import asyncio
import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import select

from kiss.app import KissApp
from kiss.config import Settings
from kiss.db import make_engine, read_scope, upgrade
from kiss.demo import genereer
from kiss.models import DigitaalAdres, Medewerker
from kiss.screens.nieuw_contact import NieuwContact

HIER = Path(__file__).resolve().parent


async def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        engine = make_engine(str(Path(folder) / "demo.db"))
        upgrade(engine)
        genereer(engine, Settings(), nu=datetime(2026, 11, 20, 10, tzinfo=UTC))
        with read_scope(engine) as session:
            nummer = (
                session.execute(
                    select(DigitaalAdres.waarde).where(DigitaalAdres.soort == "telefoonnummer")
                )
                .scalars()
                .first()
            )
            agent = (
                session.execute(
                    select(Medewerker.personeelsnummer).where(Medewerker.rollen.like("%kcc%"))
                )
                .scalars()
                .first()
            )
        app = KissApp(settings=Settings(), engine=engine, medewerker=agent,
                      start_contact=NieuwContact("telefoon", "Haarlem", nummer or ""))  # fmt: skip
        async with app.run_test(size=(150, 46)) as pilot:
            for _ in range(10):
                await app.workers.wait_for_complete()
                await pilot.pause(0.2)
            app.save_screenshot(str(HIER / "klantbeeld.svg"))
            await pilot.press("f3")
            await pilot.press(*"paspoot verlengen")
            for _ in range(10):
                await app.workers.wait_for_complete()
                await pilot.pause(0.2)
            app.save_screenshot(str(HIER / "kennisbank.svg"))
        teamleider = KissApp(settings=Settings(), engine=engine, medewerker="M1001")
        async with teamleider.run_test(size=(150, 46)) as pilot:
            await pilot.press("f6", "d")
            for _ in range(10):
                await teamleider.workers.wait_for_complete()
                await pilot.pause(0.2)
            teamleider.save_screenshot(str(HIER / "teamlead.svg"))
        engine.dispose()


if __name__ == "__main__":
    asyncio.run(main())
