"""The app starts under the pilot, logs the medewerker in and shows the gemeente."""

from __future__ import annotations

from sqlalchemy import Engine
from textual.widgets import Static

from kiss.app import KissApp
from kiss.config import Settings
from kiss.db import session_scope
from kiss.models import Medewerker


async def test_app_starts_and_shows_who_is_logged_in(sqlite_engine: Engine) -> None:
    with session_scope(sqlite_engine) as session:
        session.add(
            Medewerker(
                gebruikersnaam="jdevries",
                voornaam="Jan",
                voorvoegsel="de",
                achternaam="Vries",
                rollen="kcc",
            )
        )
    app = KissApp(
        settings=Settings(gemeente="Zandvoort"), engine=sqlite_engine, medewerker="jdevries"
    )
    async with app.run_test(size=(120, 40)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.medewerker is not None and app.medewerker.naam == "Jan de Vries"
        assert "Jan de Vries" in app.sub_title and "Zandvoort" in app.sub_title
        assert "database is nog leeg" in str(app.screen.query_one("Label").content)
        await pilot.press("escape")  # start empty
        await pilot.press("f1")
        await app.workers.wait_for_complete()
        await pilot.pause()
        sessie = str(app.screen.query_one("#sessie", Static).content)
        assert "Jan de Vries" in sessie and "kcc" in sessie
        telling = str(app.screen.query_one("#telling", Static).content)
        assert "leeg" in telling


async def test_unknown_medewerker_gets_a_message_not_a_crash(sqlite_engine: Engine) -> None:
    app = KissApp(settings=Settings(), engine=sqlite_engine, medewerker="bestaatniet")
    async with app.run_test(size=(120, 40)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.medewerker is None
        assert any("bestaat niet" in str(n.message) for n in app._notifications)
