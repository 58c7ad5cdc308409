"""Pilot tests: Beheer (F7) for beheerders only, a saved setting reaching a second running app,
news published for a later moment appearing then, the live unread counter, the teamlead's list."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

from sqlalchemy import Engine
from textual.widgets import DataTable, Select, Static, TextArea

from kiss.app import KissApp
from kiss.config import Settings
from kiss.db import make_engine, session_scope
from kiss.screens.beheer import BeheerScreen
from kiss.screens.start import StartScreen
from kiss.services.beheer import nieuws
from kiss.services.beheer.nieuws import NieuwsInvoer
from tests.beheer.conftest import NU, Beheerwereld, Klok, bouw_beheerwereld
from tests.pilot import settle

GROOTTE = (140, 44)


def _app(engine: Engine, wie: str, klok: Klok | None = None) -> KissApp:
    app = KissApp(settings=Settings(), engine=engine, medewerker=wie, klok=klok or Klok())
    app.werkplek.beheer.peil_seconden = 0.2
    return app


async def _wacht_tot(pilot: object, voorwaarde: Callable[[], bool], seconden: float = 5) -> None:
    for _ in range(int(seconden / 0.05)):
        if voorwaarde():
            return
        await asyncio.sleep(0.05)
        await pilot.pause()  # type: ignore[attr-defined]
    raise AssertionError("voorwaarde werd niet waar")


def _schrijf(engine: Engine, bw: Beheerwereld, invoer: NieuwsInvoer) -> None:
    with session_scope(engine) as session:
        nieuws.bewaar(session, bw.redacteur, invoer, nu=NU)


async def test_agent_cannot_open_beheer(sqlite_engine: Engine) -> None:
    bouw_beheerwereld(sqlite_engine)
    app = _app(sqlite_engine, "agent")
    async with app.run_test(size=GROOTTE) as pilot:
        await settle(app, pilot)
        await pilot.press("f7")
        await settle(app, pilot)
        assert not isinstance(app.screen, BeheerScreen)
        assert any("Beheer is er voor beheerders" in str(n.message) for n in app._notifications)


async def test_beheerder_changes_a_result_and_a_second_app_uses_it(
    sqlite_engine: Engine, tmp_path: Path
) -> None:
    bouw_beheerwereld(sqlite_engine)
    tweede_engine = make_engine(str(sqlite_engine.url.database))
    beheer = _app(sqlite_engine, "beheer")
    agent = _app(tweede_engine, "agent")
    try:
        async with agent.run_test(size=GROOTTE) as agent_pilot:
            await settle(agent, agent_pilot)
            assert agent.settings.resultaat("zaak aangemaakt").label == "Zaak aangemaakt"  # type: ignore[union-attr]
            async with beheer.run_test(size=GROOTTE) as pilot:
                await settle(beheer, pilot)
                await pilot.press("f7")
                await settle(beheer, pilot)
                assert isinstance(beheer.screen, BeheerScreen)
                editor = beheer.screen.query_one("#toml", TextArea)
                assert 'label = "Zaak aangemaakt"' in editor.text
                editor.load_text(editor.text.replace('label = "Zaak aangemaakt"',
                                                     'label = "Zaak gestart"'))  # fmt: skip
                await pilot.press("ctrl+s")
                await settle(beheer, pilot)
                vraag = str(beheer.screen.query_one("Label").content)
                assert '"Zaak aangemaakt" → "Zaak gestart"' in vraag
                await pilot.press("enter")  # Opslaan
                await settle(beheer, pilot)
                assert beheer.settings.resultaat("zaak aangemaakt").label == "Zaak gestart"  # type: ignore[union-attr]
                await _wacht_tot(
                    agent_pilot,
                    lambda: agent.settings.resultaat("zaak aangemaakt").label == "Zaak gestart",  # type: ignore[union-attr]
                )
                keuze = agent.contact_scherm.query_one("#resultaat", Select)
                await _wacht_tot(
                    agent_pilot, lambda: ("Zaak gestart", "zaak aangemaakt") in keuze._options
                )
    finally:
        tweede_engine.dispose()


async def test_beheer_shows_a_dutch_message_per_wrong_setting(sqlite_engine: Engine) -> None:
    bouw_beheerwereld(sqlite_engine)
    app = _app(sqlite_engine, "beheer")
    async with app.run_test(size=GROOTTE) as pilot:
        await settle(app, pilot)
        await pilot.press("f7")
        await settle(app, pilot)
        editor = app.screen.query_one("#toml", TextArea)
        kapot = editor.text.replace("uren = 48", "uren = 0")
        editor.load_text(kapot)
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        fouten = str(app.screen.query_one("#beheer-fouten", Static).content)
        assert "servicenorm.uren" in fouten and "Kies tussen 1 en" in fouten
        assert editor.text == kapot  # what was typed stays


async def test_future_belangrijk_item_appears_at_its_moment_and_counter_is_live(
    sqlite_engine: Engine,
) -> None:
    bw = bouw_beheerwereld(sqlite_engine)
    klok = Klok()
    app = _app(sqlite_engine, "agent", klok)
    _schrijf(
        sqlite_engine, bw, NieuwsInvoer("Gewoon nieuws", publiceren_van=NU - timedelta(hours=1))
    )
    _schrijf(sqlite_engine, bw, NieuwsInvoer(
        "Storing DigiD vanaf 11:00", tekst="Verwijs bellers naar **de balie**.", belangrijk=True,
        publiceren_van=NU + timedelta(hours=1)))  # fmt: skip
    async with app.run_test(size=GROOTTE) as pilot:
        await settle(app, pilot)
        await pilot.press("f1")
        await settle(app, pilot)
        assert isinstance(app.screen, StartScreen)
        tabel = app.screen.query_one("#nieuws", DataTable)
        assert tabel.row_count == 1 and "★" not in app.sub_title
        klok.nu = NU + timedelta(hours=1)
        await _wacht_tot(pilot, lambda: "★ 1 belangrijk" in app.sub_title)
        await _wacht_tot(pilot, lambda: tabel.row_count == 2)
        assert "Storing DigiD" in str(tabel.get_row_at(0)[2])
        tabel.focus()
        tabel.move_cursor(row=0)
        await pilot.press("enter")  # opening marks it read
        await _wacht_tot(pilot, lambda: "★" not in app.sub_title)


async def test_unread_counter_updates_in_a_second_running_app(sqlite_engine: Engine) -> None:
    bw = bouw_beheerwereld(sqlite_engine)
    app = _app(sqlite_engine, "agent")
    async with app.run_test(size=GROOTTE) as pilot:
        await settle(app, pilot)
        assert "★" not in app.sub_title
        invoer = NieuwsInvoer(
            "Nieuwe werkinstructie", belangrijk=True, soort="werkinstructie", publiceren_van=NU
        )
        _schrijf(sqlite_engine, bw, invoer)
        await _wacht_tot(pilot, lambda: "★ 1 belangrijk" in app.sub_title)


async def test_teamlead_sees_who_has_not_read(sqlite_engine: Engine) -> None:
    bw = bouw_beheerwereld(sqlite_engine)
    _schrijf(sqlite_engine, bw, NieuwsInvoer("Nieuwe werkwijze", belangrijk=True,
                                             skills=("kcc",), publiceren_van=NU))  # fmt: skip
    app = _app(sqlite_engine, "leider")
    async with app.run_test(size=GROOTTE) as pilot:
        await settle(app, pilot)
        await pilot.press("f1")
        await settle(app, pilot)
        lijst = str(app.screen.query_one("#niet-gelezen", Static).content)
        assert "Nieuwe werkwijze (0 gelezen)" in lijst
        assert "Anna de Wit" in lijst and "Bram Bos" in lijst


async def test_theme_from_kiss_toml_and_a_dutch_warning_for_an_unknown_one(
    sqlite_engine: Engine,
) -> None:
    bouw_beheerwereld(sqlite_engine)
    licht = KissApp(settings=Settings(thema="textual-light"), engine=sqlite_engine,
                    medewerker="agent", klok=Klok())  # fmt: skip
    async with licht.run_test(size=GROOTTE) as pilot:
        await settle(licht, pilot)
        assert licht.theme == "textual-light"
    onbekend = KissApp(settings=Settings(thema="paars"), engine=sqlite_engine,
                       medewerker="agent", klok=Klok())  # fmt: skip
    async with onbekend.run_test(size=GROOTTE) as pilot:
        await settle(onbekend, pilot)
        assert any("Thema 'paars'" in str(n.message) for n in onbekend._notifications)


async def test_command_palette_offers_beheer_only_to_who_may_open_it(
    sqlite_engine: Engine,
) -> None:
    bouw_beheerwereld(sqlite_engine)
    for wie, verwacht in (("beheer", True), ("agent", False)):
        app = _app(sqlite_engine, wie)
        async with app.run_test(size=GROOTTE) as pilot:
            await settle(app, pilot)
            titels = [c.title for c in app.get_system_commands(app.screen)]
            assert ("Ga naar Beheer" in titels) is verwacht
            if verwacht:
                gebieden = [mode for _toets, _label, mode in app.gebieden()]
                assert "beheer" in gebieden


async def test_opening_a_belangrijk_item_clears_the_header_counter_at_once(
    sqlite_engine: Engine,
) -> None:
    """Not at the next poll: the agent who just read it sees the counter drop."""
    bw = bouw_beheerwereld(sqlite_engine)
    _schrijf(sqlite_engine, bw, NieuwsInvoer("Nieuwe werkwijze grofvuil", belangrijk=True,
                                             publiceren_van=NU - timedelta(hours=1)))  # fmt: skip
    app = _app(sqlite_engine, "agent")
    app.werkplek.beheer.peil_seconden = 600
    async with app.run_test(size=GROOTTE) as pilot:
        await settle(app, pilot)
        await pilot.press("f1")
        await settle(app, pilot)
        assert "★ 1 belangrijk" in app.sub_title
        tabel = app.screen.query_one("#nieuws", DataTable)
        tabel.focus()
        tabel.move_cursor(row=0)
        await pilot.press("enter")
        await settle(app, pilot)
        assert "★" not in app.sub_title
