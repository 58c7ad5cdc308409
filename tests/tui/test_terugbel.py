"""Terugbelnotities with the pilot: the form (pre-filled from a contactmoment, messages at the
field), the team queue with its deadline, and a colleague working the note to the end."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import Engine, select
from textual.content import Content
from textual.widgets import DataTable, Input, Label, Select, Static, TextArea

from kiss.app import KissApp
from kiss.config import Settings
from kiss.db import read_scope, session_scope
from kiss.models import Contactmoment, Terugbelnotitie, TerugbelStatus
from kiss.screens.dialogen import Bevestig
from kiss.screens.nieuw_contact import NieuwContact
from kiss.screens.terugbel import TerugbelScreen
from kiss.screens.terugbel_detail import TerugbelDetailScreen
from kiss.screens.terugbel_dialogen import AfhandelDialoog, PogingDialoog
from kiss.screens.terugbel_formulier import TerugbelFormulier
from kiss.services.klant.klantbeeld import laad as laad_klantbeeld
from kiss.services.terugbel import terugbelnotities
from kiss.services.terugbel.terugbelnotities import Doel, DoelSoort
from tests.pilot import settle
from tests.services.test_terugbelnotities import VRIJDAG, TerugbelWereld, maak, terugbel_wereld

SIZE = (170, 50)
SETTINGS = Settings()


def _app(engine: Engine, wie: str, start_contact: NieuwContact | None = None) -> KissApp:
    return KissApp(
        settings=SETTINGS,
        engine=engine,
        medewerker=wie,
        klok=lambda: VRIJDAG,
        start_contact=start_contact,
    )


def _plat(widget: Static) -> str:
    """What the agent reads (markup removed)."""
    return Content.from_markup(str(widget.content)).plain


def _meldingen(app: KissApp) -> list[str]:
    return [str(n.message) for n in app._notifications]


async def _kies(pilot: object, select: Select[object], begin: str) -> None:
    """Choose an option the keyboard way: open the list, type to search, enter."""
    select.focus()
    await pilot.press("enter")  # type: ignore[attr-defined]
    await pilot.press(*begin)  # type: ignore[attr-defined]
    await pilot.press("enter")  # type: ignore[attr-defined]


@pytest.fixture
def tw(sqlite_engine: Engine) -> TerugbelWereld:
    return terugbel_wereld(sqlite_engine)


async def test_from_contactmoment_to_callback_on_the_timeline(
    sqlite_engine: Engine, tw: TerugbelWereld
) -> None:
    # the agent closes a call with result "terugbelnotitie gemaakt"
    app = _app(sqlite_engine, "agent", NieuwContact("telefoon", "Haarlem", "0612345678"))
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        contactscherm = app.contact_scherm
        contactscherm.query_one("#onderwerp", Input).value = "Paspoort aanvragen"
        contactscherm.query_one("#vraag", Input).value = "Kan mijn paspoort met spoed?"
        contactscherm.query_one("#resultaat", Select).value = "terugbelnotitie gemaakt"
        await settle(app, pilot)
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        formulier = app.screen
        assert isinstance(formulier, TerugbelFormulier)
        # pre-filled from the contactmoment and the klant
        nummer = formulier.query_one("#tb-terugbelnummer", Input)
        assert nummer.value == "06-12345678"
        assert formulier.query_one("#tb-email", Input).value == "j.vandenberg@voorbeeld.nl"
        vraag = formulier.query_one("#tb-vraag", TextArea).text
        assert "Kan mijn paspoort met spoed?" in vraag
        assert "Johanna van den Berg" in str(formulier.query_one("#tb-kop", Label).content)
        deadline = _plat(formulier.query_one("#tb-deadline", Static))
        assert "dinsdag 13 oktober 2026 15:00" in deadline
        await _kies(pilot, formulier.query_one("#tb-doel", Select), "Team R")
        await settle(app, pilot)
        assert formulier.query_one("#tb-doel", Select).value == Doel(DoelSoort.TEAM, tw.team.id)
        # a bad number: the message appears at the field and the typed text stays
        nummer.value = ""
        nummer.focus()
        await pilot.press(*"06-1234")
        formulier.query_one("#tb-toelichting", TextArea).focus()
        await pilot.press(*"Voor 16u")
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert app.screen is formulier
        assert "te kort" in str(formulier.query_one("#fout-terugbelnummer", Label).content)
        assert nummer.value == "06-1234"
        assert formulier.query_one("#tb-toelichting", TextArea).text == "Voor 16u"
        nummer.focus()
        await pilot.press("end", *"5678")
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert app.screen is contactscherm, _meldingen(app)
        assert any("terugbellen uiterlijk dinsdag 13 oktober" in m for m in _meldingen(app))
        assert app.werkplek.open_contacten == []  # the call is closed once the note is saved
    with read_scope(sqlite_engine) as session:
        notitie = session.execute(select(Terugbelnotitie)).scalar_one()
        contact = session.get(Contactmoment, notitie.contactmoment_id)
    assert notitie.terugbelnummer_e164 == "+31612345678" and notitie.klant_id == tw.w.berg.id
    assert notitie.toegewezen_team_id == tw.team.id
    assert contact is not None and contact.status == "afgerond"

    # Dirk (team Reisdocumenten) sees it in the team queue with its deadline, and works it
    collega = _app(sqlite_engine, "dirk")
    async with collega.run_test(size=SIZE) as pilot:
        await settle(collega, pilot)
        await pilot.press("f5")
        await settle(collega, pilot)
        scherm = collega.screen
        assert isinstance(scherm, TerugbelScreen)
        tabel = scherm.query_one("#tb-tabel", DataTable)
        assert tabel.row_count == 1
        rij = [str(c) for c in tabel.get_row_at(0)]
        assert rij[0] == "di 13-10 15:00" and rij[1] == "op tijd"
        assert rij[2] == "Johanna van den Berg" and rij[3] == "06 12345678"
        assert "Mijn team (1" in str(scherm.query_one("#w-team").label)
        tabel.focus()
        await pilot.press("enter")
        await settle(collega, pilot)
        detail = collega.screen
        assert isinstance(detail, TerugbelDetailScreen)
        assert "Kan mijn paspoort met spoed?" in _plat(detail.query_one("#td-vraag", Static))
        assert "Voor 16u" in _plat(detail.query_one("#td-toelichting", Static))
        await pilot.press("c")
        await settle(collega, pilot)
        assert "in behandeling" in _plat(detail.query_one("#td-status", Static))
        await pilot.press("b")  # first attempt: not reached (the default)
        await settle(collega, pilot)
        assert isinstance(collega.screen, PogingDialoog)
        collega.screen.query_one("#pg-notitie", Input).focus()
        await pilot.press(*"Voicemail", "ctrl+s")
        await settle(collega, pilot)
        await pilot.press("b")  # second attempt: reached
        await settle(collega, pilot)
        collega.screen.query_one("#pg-keuze").focus()
        await pilot.press("down", "enter")
        await pilot.press("ctrl+s")
        await settle(collega, pilot)
        pogingen = _plat(detail.query_one("#td-pogingen", Static))
        assert "telefoon  niet gelukt" in pogingen and "Voicemail" in pogingen
        assert pogingen.count("gelukt") == 2 and "\n" in pogingen
        await pilot.press("a")
        await settle(collega, pilot)
        assert isinstance(collega.screen, AfhandelDialoog)
        collega.screen.query_one("#af-toelichting", TextArea).focus()
        await pilot.press(*"Uitgelegd")
        await pilot.press("ctrl+s")
        await settle(collega, pilot)
        assert collega.screen is detail, _meldingen(collega)
        assert "Afgehandeld" in _plat(detail.query_one("#td-status", Static))
        await pilot.press("escape")
        await settle(collega, pilot)
        assert scherm.query_one("#tb-tabel", DataTable).row_count == 0
    with read_scope(sqlite_engine) as session:
        notitie = session.execute(select(Terugbelnotitie)).scalar_one()
        beeld = laad_klantbeeld(session, tw.w.berg.id, tw.w.agent, log=False)
    assert notitie.status == TerugbelStatus.AFGEHANDELD and notitie.eerste_contact_op is not None
    terugbel = next(r for r in beeld.tijdlijn if r.richting == "uitgaand")  # the callback
    assert terugbel.richting == "uitgaand" and terugbel.kanaal == "telefoon"
    assert terugbel.resultaat == "klant gesproken en geholpen"
    assert terugbel.medewerker == "Dirk Dekker"


async def test_a_colleague_was_first_shows_who_and_refreshes(
    sqlite_engine: Engine, tw: TerugbelWereld
) -> None:
    notitie = maak(sqlite_engine, tw)
    app = _app(sqlite_engine, "dirk")
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("f5")
        await settle(app, pilot)
        await pilot.press("enter")
        await settle(app, pilot)
        detail = app.screen
        assert isinstance(detail, TerugbelDetailScreen)
        with session_scope(sqlite_engine) as session:  # Eva is quicker
            terugbelnotities.claim(session, tw.teamlead, notitie.id, VRIJDAG)
        await pilot.press("c")
        await settle(app, pilot)
        assert "Deze terugbelnotitie is zojuist door Eva Smit opgepakt." in _meldingen(app)
        assert "door Eva Smit" in _plat(detail.query_one("#td-status", Static))


async def test_queue_refreshes_searches_and_takes_the_next(
    sqlite_engine: Engine, tw: TerugbelWereld, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(TerugbelScreen, "VERVERS_SECONDEN", 0.2)
    oud = maak(sqlite_engine, tw, nu=VRIJDAG - timedelta(days=7))
    app = _app(sqlite_engine, "dirk")
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("f5")
        await settle(app, pilot)
        scherm = app.screen
        assert isinstance(scherm, TerugbelScreen)
        tabel = scherm.query_one("#tb-tabel", DataTable)
        assert [str(c) for c in tabel.get_row_at(0)][1] == "te laat"
        # a colleague adds a note: the queue picks it up on its own
        vries = maak(sqlite_engine, tw, klant_id=tw.w.vries.id, terugbelnummer="+31 6 87654321")
        await pilot.pause(0.5)
        await settle(app, pilot)
        assert tabel.row_count == 2
        await pilot.press("slash")
        await pilot.press(*"0687654321")
        await pilot.pause(0.4)
        await settle(app, pilot)
        assert tabel.row_count == 1
        assert [str(c) for c in tabel.get_row_at(0)][2] == "Sanne de Vries"
        await pilot.press("enter")  # back to the table
        scherm.query_one("#tb-zoek", Input).value = ""
        await pilot.pause(0.4)
        await settle(app, pilot)
        assert tabel.row_count == 2
        tabel.focus()
        await pilot.press("ctrl+o")  # pak de volgende: the overdue one first
        await settle(app, pilot)
        assert isinstance(app.screen, TerugbelDetailScreen)
        assert app.screen.notitie_id == oud.id
        assert "in behandeling door Dirk Dekker" in _plat(
            app.screen.query_one("#td-status", Static)
        )
        await pilot.press("escape")
        await settle(app, pilot)
        await pilot.press("ctrl+o")
        await settle(app, pilot)
        assert isinstance(app.screen, TerugbelDetailScreen) and app.screen.notitie_id == vries.id
        await pilot.press("escape")
        await settle(app, pilot)
        await pilot.press("ctrl+o")
        await settle(app, pilot)
        assert "Niets meer open in 'Mijn team'." in _meldingen(app)


async def test_escape_asks_before_discarding_a_filled_in_form(
    sqlite_engine: Engine, tw: TerugbelWereld
) -> None:
    app = _app(sqlite_engine, "agent")
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("f5")
        await settle(app, pilot)
        await pilot.press("ctrl+t")
        await settle(app, pilot)
        formulier = app.screen
        assert isinstance(formulier, TerugbelFormulier)
        await pilot.press("escape")  # nothing typed: closes at once
        await settle(app, pilot)
        assert isinstance(app.screen, TerugbelScreen)
        await pilot.press("ctrl+t")
        await settle(app, pilot)
        app.screen.query_one("#tb-terugbelnummer", Input).focus()
        await pilot.press(*"023 511")
        await pilot.press("escape")
        await settle(app, pilot)
        assert isinstance(app.screen, Bevestig)
        await pilot.press("escape")  # "verder invullen"
        await settle(app, pilot)
        formulier = app.screen
        assert isinstance(formulier, TerugbelFormulier)
        assert formulier.query_one("#tb-terugbelnummer", Input).value == "023 511"


async def test_typing_in_the_queue_searches_and_never_claims(
    sqlite_engine: Engine, tw: TerugbelWereld
) -> None:
    """Issue 12 (4): letters typed in the list go to the search; no plain key claims a note,
    opens a form or switches the queue."""
    berg = maak(sqlite_engine, tw)
    maak(sqlite_engine, tw, klant_id=tw.w.vries.id, terugbelnummer="+31 6 87654321")
    app = _app(sqlite_engine, "dirk")
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("f5")
        await settle(app, pilot)
        scherm = app.screen
        assert isinstance(scherm, TerugbelScreen)
        tabel = scherm.query_one("#tb-tabel", DataTable)
        zoek = scherm.query_one("#tb-zoek", Input)
        assert app.focused is tabel and tabel.row_count == 2
        await pilot.press(*"vries")  # typed while the list has the focus
        await pilot.pause(0.4)
        await settle(app, pilot)
        assert app.screen is scherm and app.focused is zoek
        assert zoek.value == "vries"
        assert tabel.row_count == 1
        assert [str(c) for c in tabel.get_row_at(0)][2] == "Sanne de Vries"
        zoek.value = ""
        await pilot.pause(0.4)
        await settle(app, pilot)
        for toets in ("p", "n", "c", "1", "4"):  # were: pak, nieuw, … and tab keys
            tabel.focus()
            await pilot.press(toets)
            await settle(app, pilot)
            assert app.screen is scherm, toets
            assert app.focused is zoek and zoek.value == toets
            assert scherm.soort == "team"
            zoek.value = ""
        await settle(app, pilot)
    with read_scope(sqlite_engine) as session:
        notitie = session.get(Terugbelnotitie, berg.id)
        assert notitie is not None and notitie.status == TerugbelStatus.OPEN
        assert notitie.behandelaar_id is None


async def test_escape_in_an_attempt_with_a_note_asks_with_the_safe_button(
    sqlite_engine: Engine, tw: TerugbelWereld
) -> None:
    maak(sqlite_engine, tw)
    app = _app(sqlite_engine, "dirk")
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("f5")
        await settle(app, pilot)
        await pilot.press("enter")
        await settle(app, pilot)
        await pilot.press("b")
        await settle(app, pilot)
        dialoog = app.screen
        assert isinstance(dialoog, PogingDialoog)
        dialoog.query_one("#pg-notitie", Input).focus()
        await pilot.press(*"Voicemail ingesproken", "escape")
        await settle(app, pilot)
        vraag = app.screen
        assert isinstance(vraag, Bevestig)
        assert app.focused is not None and app.focused.id == "nee"  # the safe button
        await pilot.press("enter")
        await settle(app, pilot)
        assert app.screen is dialoog
        assert dialoog.query_one("#pg-notitie", Input).value == "Voicemail ingesproken"
