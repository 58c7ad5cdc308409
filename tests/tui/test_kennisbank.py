"""Kennisbank in the TUI: results while typing (typos and all), reader, gebruik als
onderwerp, feedback, and a redacteur's edit found at once."""

from __future__ import annotations

import uuid
from datetime import timedelta
from types import SimpleNamespace

from sqlalchemy import Engine, select
from sqlmodel import Session
from textual.widgets import Input, Markdown, OptionList, TextArea

from kiss.app import KissApp
from kiss.config import Settings
from kiss.db import session_scope
from kiss.models import ArtikelFeedback, Contactmoment, Medewerker, utcnow
from kiss.screens.dialogen import Bevestig
from kiss.screens.kennisbank import KennisbankScreen, status
from kiss.screens.kennisbank_dialogen import ArtikelBewerken, FeedbackDialoog
from kiss.screens.nieuw_contact import NieuwContact
from kiss.search import Snippet
from kiss.services.beheer import nieuws
from kiss.services.kennisbank.artikelen import importeer_artikelen
from kiss.services.kennisbank.formaat import ArtikelData
from kiss.services.kennisbank.zoeken import ArtikelTreffer, KennisbankZoeker
from kiss.werkplek.kennisbank import KennisbankAntwoord
from tests.factories import bouw_wereld
from tests.pilot import settle

SIZE = (160, 50)

ARTIKELEN = [
    ArtikelData("paspoort", "Paspoort aanvragen of verlengen",
                "Een nieuw paspoort vraagt u aan bij de balie.", "## Aanvraag\nMaak een afspraak.",
                trefwoorden=["paspoort", "verlengen", "reisdocument"], afdeling="Burgerzaken"),
    ArtikelData("id-kaart", "Identiteitskaart aanvragen", "De ID-kaart is geldig in Europa.",
                "Neem een pasfoto mee.", trefwoorden=["id-kaart", "identiteitskaart"]),
    ArtikelData("parkeren", "Parkeervergunning voor bewoners", "Bewoners parkeren met vergunning.",
                "Vraag de vergunning online aan.", trefwoorden=["parkeervergunning"]),
    ArtikelData("rijbewijs", "Rijbewijs verlengen", "Verleng uw rijbewijs op tijd.",
                "Een rijbewijs is tien jaar geldig.", trefwoorden=["rijbewijs", "verlengen"]),
    ArtikelData("grofvuil", "Grofvuil laten ophalen", "Grof afval halen we op afspraak op.",
                "Meld het grofvuil aan.", trefwoorden=["grofvuil", "bank", "kast"]),
]  # fmt: skip


def _titels(app: KissApp) -> list[str]:
    lijst = app.screen.query_one("#kb-resultaten", OptionList)
    return [
        str(lijst.get_option_at_index(i).prompt).split("\n")[0] for i in range(lijst.option_count)
    ]


async def test_typing_with_a_typo_shows_the_passport_first_and_uses_it(
    sqlite_engine: Engine,
) -> None:
    wereld = bouw_wereld(sqlite_engine)
    with session_scope(sqlite_engine) as session:
        importeer_artikelen(session, ARTIKELEN)
    app = KissApp(settings=Settings(), engine=sqlite_engine, medewerker="agent",
                  start_contact=NieuwContact("telefoon", "Haarlem", "06-12345678"))  # fmt: skip
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("f3")
        await settle(app, pilot)
        assert isinstance(app.screen, KennisbankScreen)
        query = "paspoot verlengen"
        eerst_bovenaan = None
        for i, letter in enumerate(query):
            await pilot.press(letter if letter != " " else "space")
            await settle(app, pilot, rounds=1)
            titels = _titels(app)
            if eerst_bovenaan is None and titels and titels[0].startswith("Paspoort"):
                eerst_bovenaan = i + 1
        assert eerst_bovenaan is not None and eerst_bovenaan < len(query)
        assert _titels(app)[0] == "Paspoort aanvragen of verlengen"
        await settle(app, pilot)
        lezer = app.screen.query_one("#kb-artikel", Markdown)
        assert "Maak een afspraak" in lezer.source
        await pilot.press("ctrl+u")
        await settle(app, pilot)
        await pilot.press("f2")
        await settle(app, pilot)
        scherm = app.contact_scherm
        assert scherm.query_one("#onderwerp", Input).value == "Paspoort aanvragen of verlengen"
        invoer = scherm.formulier.invoer
        assert invoer.artikel_id is not None
        assert invoer.afdeling_id == wereld.burgerzaken.id  # suggested from the article
        await pilot.press("ctrl+s")  # resultaat still missing: not closed
        await settle(app, pilot)
        scherm.query_one("#resultaat").value = "afgehandeld"  # type: ignore[attr-defined]
        await settle(app, pilot)
        await pilot.press("ctrl+s")
        await settle(app, pilot)
    with Session(sqlite_engine) as session:
        contact = session.execute(select(Contactmoment)).scalar_one()
    assert contact.status == "afgerond" and contact.artikel_id == invoer.artikel_id


async def test_a_werkinstructie_is_marked_and_used_as_bron(sqlite_engine: Engine) -> None:
    bouw_wereld(sqlite_engine)
    with session_scope(sqlite_engine) as session:
        importeer_artikelen(session, ARTIKELEN)
        redacteur = Medewerker(gebruikersnaam="redactie", achternaam="Dactie", rollen="redacteur")
        session.add(redacteur)
        session.flush()
        item = nieuws.bewaar(session, redacteur, nieuws.NieuwsInvoer(
            "Grofvuil: milieustraat dicht", "Verwijs naar de **ophaaldienst**.",
            soort="werkinstructie", publiceren_van=utcnow() - timedelta(minutes=1),
        ), nu=utcnow()).id  # fmt: skip
    app = KissApp(settings=Settings(), engine=sqlite_engine, medewerker="agent",
                  start_contact=NieuwContact("telefoon", "Haarlem", "06-12345678"))  # fmt: skip
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("f3")
        await settle(app, pilot)
        for letter in "grofvuil ":
            await pilot.press(letter if letter != " " else "space")
        await pilot.press("enter")
        await settle(app, pilot)
        titels = _titels(app)
        assert " Werkinstructie  Grofvuil: milieustraat dicht" in titels
        assert "Grofvuil laten ophalen" in titels  # the article next to it, unmarked
        lijst = app.screen.query_one("#kb-resultaten", OptionList)
        lijst.highlighted = titels.index(" Werkinstructie  Grofvuil: milieustraat dicht")
        await settle(app, pilot)
        lezer = app.screen.query_one("#kb-artikel", Markdown)
        assert "ophaaldienst" in lezer.source and "Werkinstructie" in lezer.source
        await pilot.press("ctrl+u")
        await settle(app, pilot)
        actief = app.werkplek.actief
        assert actief is not None
        bronnen = [(b.soort, b.titel, b.verwijzing_id) for b in actief.invoer.bronnen]
        assert bronnen == [("werkinstructie", "Grofvuil: milieustraat dicht", item)]
        assert actief.invoer.onderwerp == ""  # a bron, not the onderwerp
        await pilot.press("ctrl+f")  # feedback is for articles: a message, no dialog
        await settle(app, pilot)
        assert isinstance(app.screen, KennisbankScreen)


async def test_feedback_and_redacteur_edit(sqlite_engine: Engine) -> None:
    bouw_wereld(sqlite_engine)
    with session_scope(sqlite_engine) as session:
        importeer_artikelen(session, ARTIKELEN)
        session.add(
            Medewerker(gebruikersnaam="redactie", achternaam="Redactie", rollen="redacteur")
        )
    ander = KennisbankZoeker(sqlite_engine)  # another agent's index, built before the edit
    assert not any(t.titel.startswith("Grofvuil en") for t in ander.zoek("meubilair"))
    app = KissApp(settings=Settings(), engine=sqlite_engine, medewerker="redactie")
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("f3")
        await pilot.press(*"grofvuil")
        await settle(app, pilot)
        assert _titels(app)[0] == "Grofvuil laten ophalen"
        await pilot.press("ctrl+f")
        await settle(app, pilot)
        assert isinstance(app.screen, FeedbackDialoog)
        await pilot.press("ctrl+s")  # empty note: message at the field
        await settle(app, pilot)
        assert isinstance(app.screen, FeedbackDialoog)
        app.screen.query_one("#fb-notitie", TextArea).insert("Ophalen kost nu geld.")
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert isinstance(app.screen, KennisbankScreen)
        await pilot.press("ctrl+e")
        await settle(app, pilot)
        assert isinstance(app.screen, ArtikelBewerken)
        titel = app.screen.query_one("#ab-titel", Input)
        titel.value = "Grofvuil en oud meubilair laten ophalen"
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert isinstance(app.screen, KennisbankScreen)
    # the other agent's index checks the database at most once a second: then it has it
    ander.vergeet()
    assert ander.zoek("meubilair")[0].titel.startswith("Grofvuil en oud")
    with Session(sqlite_engine) as session:
        feedback = session.execute(select(ArtikelFeedback)).scalar_one()
    assert feedback.notitie == "Ophalen kost nu geld."


async def test_f3_f2_f3_keeps_the_search_and_a_new_contact_starts_it_empty(
    sqlite_engine: Engine,
) -> None:
    """Issue 12 (4): back in the kennisbank the cursor is still in the search with the
    question; a new caller gets an empty search, the cursor in it."""
    bouw_wereld(sqlite_engine)
    with session_scope(sqlite_engine) as session:
        importeer_artikelen(session, ARTIKELEN)
    app = KissApp(settings=Settings(), engine=sqlite_engine, medewerker="agent",
                  start_contact=NieuwContact("telefoon", "Haarlem", "06-12345678"))  # fmt: skip
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("f3")
        await settle(app, pilot)
        scherm = app.screen
        assert isinstance(scherm, KennisbankScreen)
        zoek = scherm.query_one("#kb-zoek", Input)
        assert app.focused is zoek
        await pilot.press(*"paspoort")
        await settle(app, pilot)
        assert _titels(app)[0] == "Paspoort aanvragen of verlengen"
        await pilot.press("f2")
        await settle(app, pilot)
        await pilot.press("f3")
        await settle(app, pilot)
        assert app.screen is scherm and app.focused is zoek
        assert zoek.value == "paspoort" and _titels(app)[0].startswith("Paspoort")
        await pilot.press("f2")
        await settle(app, pilot)
        app.action_nieuw_contact(NieuwContact("balie", "Haarlem", ""))  # the next caller
        await settle(app, pilot)
        await pilot.press("f3")
        await settle(app, pilot)
        assert app.screen is scherm and app.focused is zoek
        assert zoek.value == "" and _titels(app) == []
        assert "paspoort" not in scherm.query_one("#kb-artikel", Markdown).source.lower()


async def test_edit_opens_in_the_title_and_escape_asks_before_dropping_changes(
    sqlite_engine: Engine,
) -> None:
    bouw_wereld(sqlite_engine)
    with session_scope(sqlite_engine) as session:
        importeer_artikelen(session, ARTIKELEN)
        session.add(
            Medewerker(gebruikersnaam="redactie", achternaam="Redactie", rollen="redacteur")
        )
    app = KissApp(settings=Settings(), engine=sqlite_engine, medewerker="redactie")
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("f3")
        await pilot.press(*"grofvuil")
        await settle(app, pilot)
        await pilot.press("ctrl+e")
        await settle(app, pilot)
        dialoog = app.screen
        assert isinstance(dialoog, ArtikelBewerken)
        titel = dialoog.query_one("#ab-titel", Input)
        assert app.focused is titel  # where the redacteur types first
        await pilot.press("escape")  # nothing changed: closes at once
        await settle(app, pilot)
        assert isinstance(app.screen, KennisbankScreen)
        await pilot.press("ctrl+e")
        await settle(app, pilot)
        dialoog = app.screen
        assert isinstance(dialoog, ArtikelBewerken)
        await pilot.press("end", *" (ook meubels)")
        await pilot.press("escape")
        await settle(app, pilot)
        assert isinstance(app.screen, Bevestig)
        assert app.focused is not None and app.focused.id == "nee"  # the safe button
        await pilot.press("enter")
        await settle(app, pilot)
        assert app.screen is dialoog
        assert dialoog.query_one("#ab-titel", Input).value.endswith("(ook meubels)")
        await pilot.press("ctrl+f")  # feedback is not the editor's key here: still editing
        await pilot.press("escape")
        await settle(app, pilot)
        await pilot.press("tab", "enter")  # "Weggooien"
        await settle(app, pilot)
        assert isinstance(app.screen, KennisbankScreen)


def test_the_status_line_says_when_no_article_is_a_good_answer() -> None:
    henk = SimpleNamespace(naam="Henk Hout", telefoon="023 511 4009")
    assert status(KennisbankAntwoord("")) == ""

    def treffer(soort: str = "artikel") -> ArtikelTreffer:
        return ArtikelTreffer(uuid.uuid4(), "t", "", 1.0, Snippet(""), "s", soort)

    assert status(KennisbankAntwoord("paspoort", [treffer(), treffer()])) == "2 artikel(en)"
    met_item = status(KennisbankAntwoord("paspoort", [treffer(), treffer("werkinstructie")]))
    assert met_item == "1 artikel(en), 1 werkinstructie(s) of nieuws"
    typend = status(KennisbankAntwoord("hondenbel", geen_goed_antwoord=True, bezig=True))
    assert typend.startswith("Geen passend artikel gevonden.") and "Enter" in typend
    klaar = status(KennisbankAntwoord("hondenbelasting", geen_goed_antwoord=True, collegas=[henk]))  # type: ignore[list-item]
    assert "Henk Hout (023 511 4009)" in klaar and "F4" in klaar
