"""The agent flow is always right (issue 12, point 4), tried as a new user would: the
klantbeeld follows the ACTIVE contact, dialogs say whose file they change, re-linking asks
first, no destructive key edits text, the cursor is where typing starts, a paste keeps what fits.
"""

from __future__ import annotations

from sqlalchemy import Engine
from textual import events
from textual.widgets import Button, Input, Label, TextArea

from kiss.app import KissApp
from kiss.config import Settings
from kiss.screens.dialogen import Bevestig
from kiss.screens.klant_dialogen import AdresDialoog, NieuweKlantDialoog
from kiss.screens.nieuw_contact import NieuwContactDialoog
from kiss.services.klant.zoeken import NaamVocabulaire
from kiss.werkplek import NieuwContact
from kiss.widgets.klantbeeld_view import GEEN_KLANT
from tests.factories import bouw_wereld
from tests.pilot import settle

SIZE = (160, 50)


def _app(engine: Engine) -> KissApp:
    return KissApp(settings=Settings(), engine=engine, medewerker="agent")


def _klantnaam(app: KissApp) -> str:
    return str(app.contact_scherm.query_one("#kb-naam", Label).content)


def _meldingen(app: KissApp) -> str:
    return " ".join(str(n.message) for n in app._notifications)


async def _start(app: KissApp, pilot: object, nummer: str = "") -> None:
    app.action_nieuw_contact(NieuwContact("telefoon", "Haarlem", nummer))
    await settle(app, pilot)


async def test_klantbeeld_always_shows_the_active_contacts_klant(sqlite_engine: Engine) -> None:
    """Before: after a second call from an unknown number (or ctrl+o to an anonymous
    contact) the klantbeeld still showed the previous caller."""
    bouw_wereld(sqlite_engine)
    app = _app(sqlite_engine)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await _start(app, pilot, "0612345678")
        assert "Johanna van den Berg" in _klantnaam(app)

        await _start(app, pilot, "0611111111")  # an unknown number
        assert _klantnaam(app) == GEEN_KLANT
        assert "Berg" not in str(app.contact_scherm.query_one("#kb-adressen").content)

        await pilot.press("ctrl+o")  # back to Johanna's call
        await settle(app, pilot)
        assert "Johanna van den Berg" in _klantnaam(app)

        await _start(app, pilot)  # a balie visitor, anonymous
        assert _klantnaam(app) == GEEN_KLANT
        await pilot.press("ctrl+o")  # round robin: Johanna's call again
        await settle(app, pilot)
        assert "Johanna van den Berg" in _klantnaam(app)
        await pilot.press("ctrl+o")  # the unknown number's contact: still nobody
        await settle(app, pilot)
        assert _klantnaam(app) == GEEN_KLANT
        assert app.contact_scherm.beeld.tijdlijn_tabel.row_count == 0


async def test_dialogs_say_whose_file_they_change_and_refuse_without_klant(
    sqlite_engine: Engine,
) -> None:
    bouw_wereld(sqlite_engine)
    app = _app(sqlite_engine)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await _start(app, pilot, "0612345678")
        await _start(app, pilot)  # anonymous: the previous caller's file must not change
        await pilot.press("ctrl+t")
        await settle(app, pilot)
        assert not isinstance(app.screen, AdresDialoog)
        assert "geen klant" in _meldingen(app)

        await pilot.press("ctrl+o")
        await settle(app, pilot)
        await pilot.press("ctrl+t")
        await settle(app, pilot)
        assert isinstance(app.screen, AdresDialoog)
        assert "Johanna van den Berg" in app.screen.titel
        assert app.focused is app.screen.query_one("#a-waarde", Input)


async def test_choosing_another_klant_asks_before_relinking(sqlite_engine: Engine) -> None:
    NaamVocabulaire.voor(sqlite_engine).vergeet()
    wereld = bouw_wereld(sqlite_engine)
    app = _app(sqlite_engine)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await _start(app, pilot, "0612345678")
        zoek = app.contact_scherm.query_one("#zoek", Input)
        zoek.focus()
        await pilot.press(*"2042 JD 3")
        await settle(app, pilot)
        await pilot.press("enter")
        await settle(app, pilot)
        assert isinstance(app.screen, Bevestig)
        assert app.focused is app.screen.query_one("#nee", Button)  # keeping is the default
        await pilot.press("enter")
        await settle(app, pilot)
        actief = app.werkplek.actief
        assert actief is not None and actief.klant_id == wereld.berg.id

        zoek.focus()
        await pilot.press("enter")
        await settle(app, pilot)
        await pilot.click("#ja")
        await settle(app, pilot)
        actief = app.werkplek.actief
        assert actief is not None and actief.klant_id == wereld.vries.id
        assert "Sanne de Vries" in _klantnaam(app)


async def test_ctrl_w_deletes_a_word_and_discarding_needs_f8_and_a_deliberate_choice(
    sqlite_engine: Engine,
) -> None:
    """Before: ctrl+w, the key that deletes a word in every text field, discarded the contact."""
    bouw_wereld(sqlite_engine)
    app = _app(sqlite_engine)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await _start(app, pilot)
        onderwerp = app.contact_scherm.query_one("#onderwerp", Input)
        onderwerp.focus()
        await pilot.press(*"Paspoort verlengen")
        await pilot.press("ctrl+w")
        await settle(app, pilot)
        assert onderwerp.value == "Paspoort "
        assert len(app.werkplek.open_contacten) == 1

        await pilot.press("f8")
        await settle(app, pilot)
        assert isinstance(app.screen, Bevestig)
        assert app.focused is app.screen.query_one("#nee", Button)
        await pilot.press("enter")
        await settle(app, pilot)
        assert len(app.werkplek.open_contacten) == 1 and onderwerp.value == "Paspoort "

        await pilot.press("f8")
        await settle(app, pilot)
        await pilot.click("#ja")
        await settle(app, pilot)
        assert app.werkplek.open_contacten == []


async def test_the_cursor_starts_where_the_agent_types(sqlite_engine: Engine) -> None:
    bouw_wereld(sqlite_engine)
    app = _app(sqlite_engine)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("ctrl+n")
        await settle(app, pilot)
        assert isinstance(app.screen, NieuwContactDialoog)
        assert app.focused is app.screen.query_one("#nummer", Input)
        await pilot.press(*"0612345678", "enter")
        await settle(app, pilot)
        assert app.focused is app.contact_scherm.query_one("#onderwerp", Input)

        await _start(app, pilot, "0611111111")  # unknown: type the search
        assert app.focused is app.contact_scherm.query_one("#zoek", Input)
        await pilot.click("#nieuwe-klant")
        await settle(app, pilot)
        assert isinstance(app.screen, NieuweKlantDialoog)
        assert app.focused is app.screen.query_one("#k-voornamen", Input)


async def test_a_paste_longer_than_the_field_keeps_what_fits_and_says_so(
    sqlite_engine: Engine,
) -> None:
    """Before: a too long paste in the vraag (180) was refused whole; in the notitie (1000)
    it was taken whole and only refused at afronden."""
    bouw_wereld(sqlite_engine)
    app = _app(sqlite_engine)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await _start(app, pilot)
        vraag = app.contact_scherm.query_one("#vraag", Input)
        vraag.focus()
        vraag.post_message(events.Paste("x" * 250))
        await settle(app, pilot)
        assert vraag.value == "x" * 180
        assert "70 teken(s)" in _meldingen(app)

        notitie = app.contact_scherm.query_one("#notitie", TextArea)
        notitie.focus()
        notitie.post_message(events.Paste("y" * 1200))
        await settle(app, pilot)
        assert notitie.text == "y" * 1000
        assert "200 teken(s)" in _meldingen(app)
