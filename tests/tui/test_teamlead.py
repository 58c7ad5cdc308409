"""Teamlead (F6): review the afdeling's queue, bulk-reassign, and the norm dashboard."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

from sqlalchemy import Engine, select
from sqlmodel import Session
from textual.pilot import Pilot
from textual.widgets import DataTable, Input, Label, Select, Static

from kiss.app import KissApp
from kiss.config import Settings
from kiss.db import read_scope, session_scope
from kiss.models import Medewerker, Team, Terugbelnotitie
from kiss.models.terugbel import TerugbelOverdracht
from kiss.screens.teamlead import TeamleadScreen, Uitleg, eigen_periode, sparkline
from kiss.screens.terugbel_dialogen import HerverdeelDialoog
from kiss.services.terugbel import terugbelnotities
from kiss.services.terugbel.wachtrij import wachtrij
from kiss.widgets.velden import Veld
from tests.factories import bouw_wereld
from tests.pilot import settle

SIZE = (180, 50)
NU = datetime(2026, 11, 18, 10, tzinfo=UTC)  # a Wednesday


def _bouw(engine: Engine) -> dict[str, object]:
    w = bouw_wereld(engine)
    with session_scope(engine) as s:
        rijbewijzen = Team(naam="Rijbewijzen", afdeling_id=w.burgerzaken.id)
        s.add(rijbewijzen)
        s.flush()
        lead = Medewerker(gebruikersnaam="lead", voornaam="Lea", achternaam="Leider",
                          rollen="teamlead;backoffice", afdeling_id=w.burgerzaken.id)  # fmt: skip
        ontvanger = Medewerker(gebruikersnaam="rij", voornaam="Rik", achternaam="Rij",
                               rollen="backoffice", team_id=rijbewijzen.id,
                               afdeling_id=w.burgerzaken.id)  # fmt: skip
        s.add_all([lead, ontvanger])
        notities = []
        for uren, vraag in ((-5, "Te laat al"), (2, "Bijna"), (30, "Ruim op tijd")):
            n = Terugbelnotitie(
                gemeente_id=w.haarlem.id, toegewezen_team_id=w.team.id, vraag=vraag,
                aangemaakt_op=NU - timedelta(days=2), deadline=NU + timedelta(hours=uren),
            )  # fmt: skip
            s.add(n)
            notities.append(n)
        s.flush()
        return {"rijbewijzen": rijbewijzen.id, "notities": [n.id for n in notities]}


def _app(engine: Engine, wie: str) -> KissApp:
    return KissApp(settings=Settings(), engine=engine, medewerker=wie, klok=lambda: NU)


async def _open_teamlead(app: KissApp, pilot: Pilot[int]) -> TeamleadScreen:
    await settle(app, pilot)
    await pilot.press("f6")
    await settle(app, pilot)
    assert isinstance(app.screen, TeamleadScreen)
    return app.screen


async def test_teamlead_bulk_reassigns_two_notes(sqlite_engine: Engine) -> None:
    ids = _bouw(sqlite_engine)
    app = _app(sqlite_engine, "lead")
    async with app.run_test(size=SIZE) as pilot:
        scherm = await _open_teamlead(app, pilot)
        tabel = scherm.query_one("#tl-tabel", DataTable)
        assert tabel.row_count == 3
        # overdue first, then by deadline
        assert [str(tabel.get_row_at(i)[-1]) for i in range(3)] == [
            "Te laat al", "Bijna", "Ruim op tijd",
        ]  # fmt: skip
        teams = str(scherm.query_one("#tl-melding", Static).content)
        assert "3 actieve notities" in teams and "1 te laat" in teams
        tabel.focus()
        await pilot.press("space", "space")  # selects the first two, the cursor moves down
        assert scherm.gekozen == set(ids["notities"][:2])
        await pilot.press("h")
        await settle(app, pilot)
        dialoog = app.screen
        assert isinstance(dialoog, HerverdeelDialoog)
        keuze = dialoog.query_one("#hv-naar", Select)
        doel = next(d for d in dialoog.doelen if d.label.startswith("Team Rijbewijzen"))
        keuze.value = doel
        await pilot.press("ctrl+s")  # no reason yet
        await settle(app, pilot)
        assert app.screen is dialoog
        assert "reden" in dialoog.query_one("#veld-reden", Veld).fout
        dialoog.query_one("#hv-reden").focus()
        await pilot.press(*"Rijbewijsvragen")
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert app.screen is scherm
        assert scherm.gekozen == set()
    with Session(sqlite_engine) as s:
        naar_rijbewijzen = Terugbelnotitie.toegewezen_team_id == ids["rijbewijzen"]
        verplaatst = s.execute(select(Terugbelnotitie.id).where(naar_rijbewijzen)).scalars().all()
        assert set(verplaatst) == set(ids["notities"][:2])
        historie = s.execute(select(TerugbelOverdracht)).scalars().all()
        lead = s.execute(select(Medewerker).where(Medewerker.gebruikersnaam == "lead")).scalar_one()
        assert {(h.terugbelnotitie_id, h.door_id, h.reden) for h in historie} == {
            (n, lead.id, "Rijbewijsvragen") for n in ids["notities"][:2]
        }
    with read_scope(sqlite_engine) as s:  # the receiving team's own queue shows them
        rik = s.execute(select(Medewerker).where(Medewerker.gebruikersnaam == "rij")).scalar_one()
        pagina = wachtrij(s, rik, "team", nu=NU, settings=Settings())
        assert {r.id for r in pagina.regels} == set(ids["notities"][:2])
        assert pagina.regels[0].deadline == NU - timedelta(hours=5)  # the deadline did not move


async def test_dashboard_tab_loads_in_a_worker(sqlite_engine: Engine) -> None:
    _bouw(sqlite_engine)
    app = _app(sqlite_engine, "lead")
    async with app.run_test(size=SIZE) as pilot:
        scherm = await _open_teamlead(app, pilot)
        assert scherm.dashboard is None  # counted only when someone looks
        await pilot.press("d")
        await settle(app, pilot)
        assert scherm.dashboard is not None  # today's, loaded when the tab opened
        assert str(scherm.dashboard.periode) == "18-11-2026"
        scherm.query_one("#tl-periode", Select).value = "maand"
        await settle(app, pilot)
        assert scherm.dashboard is not None
        assert str(scherm.dashboard.periode) == "01-11-2026 t/m 30-11-2026"
        assert scherm.dashboard.totaal.notities == 3
        assert not scherm.query_one("#tl-laden").display
        await pilot.press("question_mark")
        await settle(app, pilot)
        assert isinstance(app.screen, Uitleg)


async def test_f6_is_refused_for_an_agent(sqlite_engine: Engine) -> None:
    _bouw(sqlite_engine)
    app = _app(sqlite_engine, "agent")
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        voor = app.screen
        await pilot.press("f6")
        await settle(app, pilot)
        assert app.screen is voor
        assert any("teamleiders" in str(n.message) for n in app._notifications)


def test_sparkline_scales_to_the_busiest_day() -> None:
    assert sparkline([0, 5, 10]) == "▁▅█"
    assert sparkline([0, 0]) == "▁▁"


async def test_bulk_reassign_reports_a_note_a_colleague_picked_up_meanwhile(
    sqlite_engine: Engine,
) -> None:
    ids = _bouw(sqlite_engine)
    notities: list[uuid.UUID] = ids["notities"]  # type: ignore[assignment]
    app = _app(sqlite_engine, "lead")
    async with app.run_test(size=SIZE) as pilot:
        scherm = await _open_teamlead(app, pilot)
        await pilot.press("ctrl+a")  # everything visible
        assert scherm.gekozen == set(notities)
        await pilot.press("a")  # again: nothing
        assert scherm.gekozen == set()
        await pilot.press("space", "space")
        with session_scope(sqlite_engine) as s:  # a colleague picks up the second one now
            bram = s.execute(select(Medewerker).where(Medewerker.gebruikersnaam == "collega"))
            terugbelnotities.claim(s, bram.scalar_one(), notities[1], NU)
        await pilot.press("h")
        await settle(app, pilot)
        dialoog = app.screen
        assert isinstance(dialoog, HerverdeelDialoog)
        doel = next(d for d in dialoog.doelen if d.label.startswith("Team Rijbewijzen"))
        dialoog.query_one("#hv-naar", Select).value = doel
        dialoog.query_one("#hv-reden").focus()
        await pilot.press(*"Rijbewijsvragen", "ctrl+s")
        await settle(app, pilot)
        assert app.screen is scherm
        melding = [str(n.message) for n in app._notifications][-1]
        assert melding.startswith("1 notitie(s) herverdeeld. 1 niet (nog geselecteerd)")
        assert "opgepakt" in melding
        assert scherm.gekozen == {notities[1]}  # the one left is still selected
    with Session(sqlite_engine) as s:
        geclaimd = s.get(Terugbelnotitie, notities[1])
        assert geclaimd is not None and geclaimd.status == "in_behandeling"
        assert geclaimd.toegewezen_team_id != ids["rijbewijzen"]


async def test_dashboard_for_a_typed_period(sqlite_engine: Engine) -> None:
    _bouw(sqlite_engine)
    app = _app(sqlite_engine, "lead")
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("f6", "d")
        await settle(app, pilot)
        scherm = app.screen
        assert isinstance(scherm, TeamleadScreen)
        van, tot = scherm.query_one("#tl-van", Input), scherm.query_one("#tl-tot", Input)
        assert not van.display
        scherm.query_one("#tl-periode", Select).value = "eigen"
        await settle(app, pilot)
        assert van.display and app.focused is van
        assert str(scherm.dashboard.periode) == "01-11-2026 t/m 18-11-2026"  # type: ignore[union-attr]
        van.value = "31-13-2026"
        await pilot.press("enter")
        await settle(app, pilot)
        fout = str(scherm.query_one("#tl-periode-fout", Label).content)
        assert "geen datum" in fout and van.value == "31-13-2026"
        van.value, tot.value = "16-11-2026", "17-11-2026"
        await pilot.press("enter")
        await settle(app, pilot)
        assert str(scherm.query_one("#tl-periode-fout", Label).content) == ""
        assert str(scherm.dashboard.periode) == "16-11-2026 t/m 17-11-2026"  # type: ignore[union-attr]
        tot.value = "01-11-2026"
        await pilot.press("enter")
        await settle(app, pilot)
        assert "vóór" in str(scherm.query_one("#tl-periode-fout", Label).content)


def test_eigen_periode_reads_dutch_dates() -> None:
    assert str(eigen_periode("1-11-2026", "")) == "01-11-2026"
    assert str(eigen_periode("2026-11-01", "30/11/2026")) == "01-11-2026 t/m 30-11-2026"


async def test_a_database_failure_shows_a_message_not_a_traceback(sqlite_engine: Engine) -> None:
    _bouw(sqlite_engine)
    app = _app(sqlite_engine, "lead")
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("f6")
        await settle(app, pilot)
        scherm = app.screen
        with sqlite_engine.begin() as verbinding:  # a real failure: the table is gone
            verbinding.exec_driver_sql("ALTER TABLE contactmoment RENAME TO weg")
        await pilot.press("d")
        await settle(app, pilot)
        assert app.screen is scherm and app.is_running
        # the app's one failure handler says it in Dutch (and retries by itself)
        assert any("niet bereikbaar" in str(n.message) for n in app._notifications)
        assert "Traceback" not in str(scherm.query_one("#tl-kpi", Static).content)


async def test_teamlead_sees_todays_missed_calls_and_makes_a_callback_note_from_one(
    sqlite_engine: Engine,
) -> None:
    """A call nobody in the queue answered today is listed (not yesterday's, not an answered
    one); enter opens a terugbelnotitie with the caller's number filled in."""
    from kiss.models import Oproep
    from kiss.screens.terugbel_formulier import TerugbelFormulier

    _bouw(sqlite_engine)
    with session_scope(sqlite_engine) as s:
        s.add_all([
            Oproep(call_id="gemist", van="0612345678", wachtrij="KCC Algemeen",
                   gestart_op=NU - timedelta(hours=1), beeindigd_op=NU - timedelta(minutes=58),
                   oorzaak="cancel"),
            Oproep(call_id="anoniem", van="anonymous", wachtrij="KCC Algemeen",
                   gestart_op=NU - timedelta(hours=3), beeindigd_op=NU - timedelta(hours=3),
                   oorzaak="noAnswer"),
            Oproep(call_id="gisteren", van="0687654321", wachtrij="KCC Algemeen",
                   gestart_op=NU - timedelta(days=1), beeindigd_op=NU - timedelta(days=1)),
            Oproep(call_id="aangenomen", van="0611112222", wachtrij="KCC Algemeen",
                   gestart_op=NU - timedelta(hours=2), beantwoord_op=NU - timedelta(hours=2),
                   beeindigd_op=NU - timedelta(minutes=100)),
        ])  # fmt: skip
    app = _app(sqlite_engine, "lead")
    async with app.run_test(size=SIZE) as pilot:
        scherm = await _open_teamlead(app, pilot)
        await pilot.press("g")
        await settle(app, pilot)
        tabel = scherm.query_one("#tl-gemist-tabel", DataTable)
        rijen = [[str(c) for c in tabel.get_row_at(i)] for i in range(tabel.row_count)]
        assert [r[1] for r in rijen] == ["0612345678", "anoniem"], rijen  # newest first
        assert rijen[0][2:] == ["KCC Algemeen", "beller hing op"]
        assert rijen[1][3] == "niet opgenomen"
        await pilot.press("enter")
        await settle(app, pilot)
        assert isinstance(app.screen, TerugbelFormulier)
        assert app.screen.voorinvulling.terugbelnummer == "0612345678"
        assert "Gemiste oproep" in app.screen.voorinvulling.vraag
        await pilot.press("escape", "shift+tab", "enter")  # "Niet opslaan"
        await settle(app, pilot)
        assert isinstance(app.screen, TeamleadScreen)
        await pilot.press("down", "enter")  # a withheld number is not filled in as one
        await settle(app, pilot)
        assert isinstance(app.screen, TerugbelFormulier)
        assert app.screen.voorinvulling.terugbelnummer == ""
