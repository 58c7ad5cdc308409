"""The agent's whole flow with the pilot: start a call with a number in another notation,
klantbeeld, afronden, and the contact on top of the timeline, also for a colleague."""

from __future__ import annotations

from sqlalchemy import Engine, select
from sqlmodel import Session
from textual.widgets import DataTable, Input, Label, Select, TextArea

from kiss.app import KissApp
from kiss.config import Settings
from kiss.db import session_scope
from kiss.models import Auditregel, Contactmoment
from kiss.screens.nieuw_contact import NieuwContact, NieuwContactDialoog
from kiss.services.contact import contactmomenten
from kiss.services.klant.zoeken import NaamVocabulaire
from kiss.widgets.klantbeeld_view import KlantbeeldView
from kiss.widgets.velden import Veld
from tests.factories import bouw_wereld
from tests.pilot import settle

SIZE = (160, 50)


def _app(engine: Engine, wie: str, **kwargs: object) -> KissApp:
    return KissApp(
        settings=Settings(autosave_seconden=0.1), engine=engine, medewerker=wie, **kwargs
    )  # type: ignore[arg-type]


_settle = settle


def _timeline_top(app: KissApp) -> list[str]:
    tabel = app.screen.query_one("#kb-tijdlijn", DataTable)
    return [str(c) for c in tabel.get_row_at(0)]


async def test_whole_call_flow_and_colleague_sees_it(sqlite_engine: Engine) -> None:
    NaamVocabulaire.voor(sqlite_engine).vergeet()
    wereld = bouw_wereld(sqlite_engine)
    app = _app(sqlite_engine, "agent")
    async with app.run_test(size=SIZE) as pilot:
        await _settle(app, pilot)
        await pilot.press("ctrl+n")
        await _settle(app, pilot)
        assert isinstance(app.screen, NieuwContactDialoog)
        await pilot.press(*"0612345678")  # stored as 06-12345678
        await pilot.press("enter")
        await _settle(app, pilot)
        scherm = app.contact_scherm
        assert app.screen is scherm
        assert "Johanna van den Berg" in str(scherm.query_one("#kb-naam", Label).content)
        assert "Heeft extra hulp nodig" in str(scherm.query_one("#kb-aandacht").content)

        scherm.query_one("#onderwerp", Input).focus()
        await pilot.press(*"Paspoort verlengen")
        scherm.query_one("#vraag", Input).focus()
        await pilot.press(*"Hoe lang duurt het?")
        scherm.query_one("#notitie", TextArea).focus()
        await pilot.press(*"Uitgelegd: vijf werkdagen.")
        scherm.query_one("#resultaat", Select).value = "afgehandeld"
        scherm.query_one("#afdeling", Select).value = wereld.burgerzaken.id
        await _settle(app, pilot)
        await pilot.press("ctrl+s")
        await _settle(app, pilot)
        assert app.werkplek.open_contacten == [], [str(n.message) for n in app._notifications]
        top = _timeline_top(app)
        assert top[1] == "telefoon" and top[3] == "Paspoort verlengen" and top[4] == "afgehandeld"
        assert top[5] == "Anna de Wit"

    colleague = _app(sqlite_engine, "collega")
    async with colleague.run_test(size=SIZE) as pilot:
        await _settle(colleague, pilot)
        zoek = colleague.screen.query_one("#zoek", Input)
        zoek.focus()
        await pilot.press(*"+31 6 1234 5678", "enter")
        await _settle(colleague, pilot)
        await pilot.press("enter")
        await _settle(colleague, pilot)
        top = _timeline_top(colleague)
        assert top[3] == "Paspoort verlengen" and top[5] == "Anna de Wit"
    with Session(sqlite_engine) as session:
        geopend = (
            session.execute(
                select(Auditregel.medewerker_id).where(Auditregel.actie == "klantbeeld_geopend")
            )
            .scalars()
            .all()
        )
    assert wereld.agent.id in geopend and wereld.collega.id in geopend


async def test_bad_input_keeps_text_and_shows_message_at_the_field(sqlite_engine: Engine) -> None:
    bouw_wereld(sqlite_engine)
    app = _app(sqlite_engine, "agent")
    async with app.run_test(size=SIZE) as pilot:
        await _settle(app, pilot)
        zoek = app.screen.query_one("#zoek", Input)
        zoek.focus()
        for tekst, fragment in [
            ("123456789", "elfproef"),
            ("1234567", "7 cijfers"),
            ("0612", "te kort"),
            ("0123 AB 5", "postcode"),
        ]:
            zoek.value = ""
            await pilot.press(*tekst)
            await _settle(app, pilot)
            assert zoek.value == tekst
            assert fragment in app.screen.query_one("#veld-zoek", Veld).fout

        await pilot.press("ctrl+n")
        await _settle(app, pilot)
        await pilot.press(*"06-12")
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, NieuwContactDialoog)
        assert app.screen.query_one("#nummer", Input).value == "06-12"
        assert "te kort" in app.screen.query_one("#veld-nummer", Veld).fout
        await pilot.press("escape")

        await pilot.press("ctrl+n")
        await _settle(app, pilot)
        await pilot.press("enter")  # anonymous: no number
        await _settle(app, pilot)
        scherm = app.contact_scherm
        scherm.query_one("#vraag", Input).focus()
        await pilot.press(*"Waar kan ik parkeren?")
        await pilot.press("ctrl+s")
        await _settle(app, pilot)
        assert len(app.werkplek.open_contacten) == 1  # not closed
        assert "onderwerp" in scherm.query_one("#veld-onderwerp", Veld).fout.lower() or (
            "kennisbankartikel" in scherm.query_one("#veld-onderwerp", Veld).fout
        )
        assert "gespreksresultaat" in scherm.query_one("#veld-gespreksresultaat", Veld).fout
        assert scherm.query_one("#vraag", Input).value == "Waar kan ik parkeren?"


async def test_concept_is_recovered_after_a_crash(sqlite_engine: Engine) -> None:
    wereld = bouw_wereld(sqlite_engine)
    app = _app(sqlite_engine, "agent")
    async with app.run_test(size=SIZE) as pilot:
        await _settle(app, pilot)
        app.action_nieuw_contact(NieuwContact("balie", "Zandvoort", ""))
        await _settle(app, pilot)
        scherm = app.contact_scherm
        scherm.query_one("#notitie", TextArea).focus()
        await pilot.press(*"Klant wil bezwaar maken")
        await pilot.pause(0.3)  # autosave after 0.1 s
        await _settle(app, pilot)
        # the terminal is killed: no afronden, no clean shutdown of the contact
    with session_scope(sqlite_engine) as session:
        concepten = contactmomenten.open_concepten(session, wereld.agent)
    assert [c.notitie for c in concepten] == ["Klant wil bezwaar maken"]

    again = _app(sqlite_engine, "agent")
    async with again.run_test(size=SIZE) as pilot:
        await _settle(again, pilot)
        assert "niet-afgerond" in str(again.screen.query_one("Label").content)
        await pilot.press("enter")  # "Verder"
        await _settle(again, pilot)
        scherm = again.contact_scherm
        assert len(again.werkplek.open_contacten) == 1
        assert scherm.query_one("#notitie", TextArea).text == "Klant wil bezwaar maken"


async def test_several_open_contacts_switch_without_losing_text(sqlite_engine: Engine) -> None:
    bouw_wereld(sqlite_engine)
    app = _app(sqlite_engine, "agent")
    async with app.run_test(size=SIZE) as pilot:
        await _settle(app, pilot)
        app.action_nieuw_contact(NieuwContact("telefoon", "Haarlem", "06-12345678"))
        await _settle(app, pilot)
        scherm = app.contact_scherm
        scherm.query_one("#vraag", Input).focus()
        await pilot.press(*"Vraag aan de telefoon")
        app.action_nieuw_contact(NieuwContact("e-mail", "Haarlem", "info@zeemeeuw-demo.nl"))
        await _settle(app, pilot)
        assert scherm.query_one("#vraag", Input).value == ""
        scherm.query_one("#vraag", Input).focus()
        await pilot.press(*"Vraag per mail")
        await pilot.press("ctrl+o")
        await _settle(app, pilot)
        assert scherm.query_one("#vraag", Input).value == "Vraag aan de telefoon"
        assert "Johanna" in str(scherm.query_one("#kb-naam", Label).content)
        await pilot.press("ctrl+o")
        await _settle(app, pilot)
        assert scherm.query_one("#vraag", Input).value == "Vraag per mail"
        assert "Zeemeeuw" in str(scherm.query_one("#kb-naam", Label).content)
        await _settle(app, pilot)
    with Session(sqlite_engine) as session:
        vragen = sorted(session.execute(select(Contactmoment.vraag)).scalars())
    assert vragen == ["Vraag aan de telefoon", "Vraag per mail"]


async def test_caller_id_pop_opens_the_klantbeeld_at_once(sqlite_engine: Engine) -> None:
    """What ``kiss contact --kanaal telefoon --nummer …`` does for a telephony system."""
    bouw_wereld(sqlite_engine)
    app = _app(
        sqlite_engine,
        "agent",
        start_contact=NieuwContact("telefoon", "Haarlem", "+31 (0)6 1234 5678"),
    )
    async with app.run_test(size=SIZE) as pilot:
        await _settle(app, pilot)
        scherm = app.contact_scherm
        assert len(app.werkplek.open_contacten) == 1
        assert "Johanna van den Berg" in str(scherm.query_one("#kb-naam", Label).content)
        kop = str(scherm.query_one("#contact-kop", Label).content)
        assert "telefoon" in kop and "Haarlem" in kop


async def test_unknown_caller_offers_search_and_anonymous(sqlite_engine: Engine) -> None:
    bouw_wereld(sqlite_engine)
    app = _app(
        sqlite_engine, "agent", start_contact=NieuwContact("telefoon", "Haarlem", "06-23456789")
    )
    async with app.run_test(size=SIZE) as pilot:
        await _settle(app, pilot)
        scherm = app.contact_scherm
        status = str(scherm.query_one("#zoek-status", Label).content)
        assert "Geen klant gevonden op telefoonnummer" in status and "anoniem" in status
        assert scherm.query_one("#zoek", Input).value == "06-23456789"


async def test_afronden_with_terugbelnotitie_hands_over_to_the_prefilled_form(
    sqlite_engine: Engine,
) -> None:
    from kiss.models import Terugbelnotitie
    from kiss.screens.terugbel_formulier import TerugbelFormulier
    from kiss.services.terugbel.terugbelnotities import Doel, DoelSoort

    wereld = bouw_wereld(sqlite_engine)
    app = _app(
        sqlite_engine, "agent", start_contact=NieuwContact("telefoon", "Haarlem", "0612345678")
    )
    async with app.run_test(size=SIZE) as pilot:
        await _settle(app, pilot)
        scherm = app.contact_scherm
        scherm.query_one("#onderwerp", Input).value = "Omgevingsvergunning dakkapel"
        scherm.query_one("#vraag", Input).value = "Is mijn dakkapel vergunningvrij?"
        scherm.query_one("#resultaat", Select).value = "terugbelnotitie gemaakt"
        await _settle(app, pilot)
        await pilot.press("ctrl+s")
        await _settle(app, pilot)
        formulier = app.screen
        assert isinstance(formulier, TerugbelFormulier)
        assert formulier.query_one("#tb-terugbelnummer", Input).value == "06-12345678"
        assert "dakkapel" in formulier.query_one("#tb-vraag", TextArea).text
        await pilot.press("escape")  # cancel: asks first, because the form is filled in
        await _settle(app, pilot)
        await pilot.press("enter")  # the safe button has the focus: a reflex loses nothing
        await _settle(app, pilot)
        assert isinstance(app.screen, TerugbelFormulier)
        await pilot.press("escape")
        await _settle(app, pilot)
        await pilot.click("#ja")  # "Niet opslaan" must be chosen on purpose
        await _settle(app, pilot)
        assert app.screen is scherm  # the contact stays open
        assert len(app.werkplek.open_contacten) == 1

        await pilot.press("ctrl+s")
        await _settle(app, pilot)
        formulier = app.screen
        assert isinstance(formulier, TerugbelFormulier)
        formulier.query_one("#tb-doel", Select).value = Doel(
            DoelSoort.TEAM, wereld.team.id, f"Team {wereld.team.naam}"
        )
        await _settle(app, pilot)
        await pilot.press("ctrl+s")
        await _settle(app, pilot)
        assert app.screen is scherm and app.werkplek.open_contacten == []
        assert _timeline_top(app)[4] == "terugbelnotitie gemaakt"
    with Session(sqlite_engine) as session:
        notitie = session.execute(select(Terugbelnotitie)).scalar_one()
        contact = session.get(Contactmoment, notitie.contactmoment_id)
    assert notitie.toegewezen_team_id == wereld.team.id and notitie.klant_id == wereld.berg.id
    assert contact is not None and contact.status == "afgerond"


async def test_klantbeeld_columns_fit_their_cells_when_first_drawn(sqlite_engine: Engine) -> None:
    """A zaak number or date is never cut at the header's width ("18-11-") in the first
    picture of a klantbeeld: the columns are sized with the rows, not later when the table
    happens to be idle."""
    NaamVocabulaire.voor(sqlite_engine).vergeet()
    bouw_wereld(sqlite_engine)
    app = _app(sqlite_engine, "agent")
    async with app.run_test(size=SIZE) as pilot:
        await _settle(app, pilot)
        await pilot.press("ctrl+n")
        await _settle(app, pilot)
        await pilot.press(*"0612345678", "enter")
        await _settle(app, pilot)
        beeld = app.contact_scherm.beeld.beeld
        assert beeld is not None and beeld.zaken
        vers = KlantbeeldView(app.settings.kanalen)
        await app.contact_scherm.mount(vers)
        vers.toon(beeld)  # no await: the new tables have not been idle yet
        for tabel in (vers.tijdlijn_tabel, vers.zaken_tabel):
            for rij in range(tabel.row_count):
                for kolom, cel in zip(tabel.ordered_columns, tabel.get_row_at(rij), strict=True):
                    breedte = kolom.get_render_width(tabel) - 2 * tabel.cell_padding
                    assert breedte >= min(len(str(cel)), 60), (kolom.label.plain, cel)
