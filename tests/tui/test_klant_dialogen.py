"""Register a klant and add a phone number through the dialogs: messages at the field,
typed text kept, saved data shown in the klantbeeld."""

from __future__ import annotations

from sqlalchemy import Engine, select
from sqlmodel import Session
from textual.widgets import Input, Label, Static

from kiss.app import KissApp
from kiss.config import Settings
from kiss.models import Auditregel, Klant
from kiss.screens.klant_dialogen import AdresDialoog, NieuweKlantDialoog
from kiss.screens.nieuw_contact import NieuwContact
from kiss.services.klant.zoeken import NaamVocabulaire
from kiss.widgets.velden import Veld
from tests.factories import bouw_wereld
from tests.pilot import settle

SIZE = (160, 50)


async def test_register_new_klant_from_an_unknown_caller(sqlite_engine: Engine) -> None:
    NaamVocabulaire.voor(sqlite_engine).vergeet()
    bouw_wereld(sqlite_engine)
    app = KissApp(settings=Settings(), engine=sqlite_engine, medewerker="agent",
                  start_contact=NieuwContact("telefoon", "Haarlem", "06-23456789"))  # fmt: skip
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        scherm = app.contact_scherm
        await pilot.click("#nieuwe-klant")
        await settle(app, pilot)
        dialoog = app.screen
        assert isinstance(dialoog, NieuweKlantDialoog)
        assert dialoog.query_one("#k-telefoon", Input).value == "06-23456789"
        dialoog.query_one("#k-bsn", Input).focus()
        await pilot.press(*"123456789")
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert app.screen is dialoog  # not saved
        assert "elfproef" in dialoog.query_one("#veld-bsn", Veld).fout
        assert "verplicht" in dialoog.query_one("#veld-achternaam", Veld).fout
        assert dialoog.query_one("#k-bsn", Input).value == "123456789"
        dialoog.query_one("#k-bsn", Input).value = "999990044"
        dialoog.query_one("#k-achternaam", Input).value = "Yılmaz"
        dialoog.query_one("#k-voornamen", Input).value = "Elif"
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert app.screen is scherm
        assert "Elif Yılmaz" in str(scherm.query_one("#kb-naam", Label).content)
        assert "Yılmaz" in app.werkplek.open_contacten[0].samenvatting.klant_naam
    with Session(sqlite_engine) as session:
        klant = session.execute(select(Klant).where(Klant.bsn == "999990044")).scalar_one()
        acties = (
            session.execute(select(Auditregel.actie).where(Auditregel.klant_id == klant.id))
            .scalars()
            .all()
        )
    assert "klant_aangemaakt" in acties and "klantbeeld_geopend" in acties


async def test_add_phone_number_keeps_text_on_error(sqlite_engine: Engine) -> None:
    bouw_wereld(sqlite_engine)
    app = KissApp(settings=Settings(), engine=sqlite_engine, medewerker="agent",
                  start_contact=NieuwContact("balie", "Haarlem", "06-12345678"))  # fmt: skip
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("ctrl+t")
        await settle(app, pilot)
        dialoog = app.screen
        assert isinstance(dialoog, AdresDialoog)
        await pilot.press(*"023-51")
        await pilot.press("enter")
        await settle(app, pilot)
        assert app.screen is dialoog
        assert "te kort" in dialoog.query_one("#veld-waarde", Veld).fout
        assert dialoog.query_one("#a-waarde", Input).value == "023-51"
        await pilot.press(*"14258")  # now 023-5114258 — the number of another klant is fine
        await pilot.press("enter")
        await settle(app, pilot)
        assert app.screen is not dialoog
        adressen = str(app.contact_scherm.query_one("#kb-adressen").content)
        assert "023 511 4258" in adressen
        await pilot.press("ctrl+t")
        await settle(app, pilot)
        await pilot.press(*"+31 6 12 34 56 78", "enter")
        await settle(app, pilot)
        assert "staat al bij deze klant" in app.screen.query_one("#veld-waarde", Veld).fout


async def test_dialog_buttons_save_and_cancel(sqlite_engine: Engine) -> None:
    bouw_wereld(sqlite_engine)
    app = KissApp(settings=Settings(), engine=sqlite_engine, medewerker="agent",
                  start_contact=NieuwContact("balie", "Haarlem", "06-12345678"))  # fmt: skip
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        scherm = app.screen
        await pilot.press("ctrl+t")
        await settle(app, pilot)
        assert isinstance(app.screen, AdresDialoog)
        await pilot.click("#annuleer")
        await settle(app, pilot)
        assert app.screen is scherm
        await pilot.press("ctrl+t")
        await settle(app, pilot)
        await pilot.press(*"0612121212")
        await pilot.click("#bewaar")
        await settle(app, pilot)
        assert app.screen is scherm
        assert "06 12121212" in str(scherm.query_one("#kb-adressen", Static).content)
