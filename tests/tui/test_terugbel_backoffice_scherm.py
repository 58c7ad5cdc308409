"""Backoffice parity in the screens: the afdeling's vragenset appears in the KCC form and a
required answer blocks saving with a Dutch message at the question; an attempt with its kanaal;
a closed note is read-only until a teamlead reopens it with a reason."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import Engine
from textual.widgets import Input, Select, Static, TextArea

from kiss.app import KissApp
from kiss.config import Settings
from kiss.db import session_scope
from kiss.models import Medewerker
from kiss.screens.terugbel_detail import TerugbelDetailScreen
from kiss.screens.terugbel_dialogen import HeropenDialoog, PogingDialoog
from kiss.screens.terugbel_formulier import TerugbelFormulier
from kiss.services.terugbel import terugbelnotities as tb
from kiss.services.terugbel import vragenset
from kiss.services.terugbel.terugbelnotities import Doel, DoelSoort, TerugbelInvoer
from kiss.werkplek import NotitieGemaakt
from kiss.widgets.velden import Veld
from tests.factories import Wereld, bouw_wereld
from tests.pilot import settle

SIZE = (160, 50)
NU = datetime(2026, 11, 18, 9, 0, tzinfo=UTC)


def _rol(engine: Engine, medewerker: Medewerker, rollen: str) -> None:
    with session_scope(engine) as session:
        opgeslagen = session.get(Medewerker, medewerker.id)
        assert opgeslagen is not None
        opgeslagen.rollen = rollen


def _doel(wereld: Wereld) -> Doel:
    return Doel(DoelSoort.AFDELING, wereld.burgerzaken.id, "Afdeling Burgerzaken")


async def test_a_required_question_of_the_afdeling_blocks_saving_with_a_dutch_message(
    sqlite_engine: Engine,
) -> None:
    wereld = bouw_wereld(sqlite_engine)
    _rol(sqlite_engine, wereld.privacy, "beheerder")
    with session_scope(sqlite_engine) as session:
        beheerder = session.get(Medewerker, wereld.privacy.id)
        assert beheerder is not None
        vragenset.zet(
            session,
            beheerder,
            afdeling_id=wereld.burgerzaken.id,
            vragen=[
                {"label": "Kenteken", "soort": "kort", "verplicht": True},
                {"label": "Soort vergunning", "soort": "keuze", "keuzes": ["bewoner", "bezoek"]},
            ],
        )
    app = KissApp(settings=Settings(), engine=sqlite_engine, medewerker="agent")
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        uitkomst: list[object] = []
        app.push_screen(
            TerugbelFormulier(
                TerugbelInvoer(
                    doel=_doel(wereld), terugbelnummer="0612345678", vraag="Vergunning verlopen?"
                )
            ),
            uitkomst.append,
        )
        await settle(app, pilot)
        formulier = app.screen
        assert isinstance(formulier, TerugbelFormulier)
        assert "Vragen van afdeling Burgerzaken" in str(
            formulier.query_one(".vragenset-kop").content
        )
        formulier.query_one("#tb-antwoord-1", Select).value = "bezoek"
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert app.screen is formulier  # not saved
        assert "Vul 'Kenteken' in" in formulier.query_one("#veld-antwoord-0", Veld).fout
        assert formulier.query_one("#tb-vraag", TextArea).text == "Vergunning verlopen?"
        formulier.query_one("#tb-antwoord-0", Input).value = "12-ABC-3"
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert len(uitkomst) == 1 and isinstance(uitkomst[0], NotitieGemaakt)
        with session_scope(sqlite_engine) as session:
            notitie = tb.laad(session, uitkomst[0].notitie_id)
            assert notitie.antwoorden == [
                {"vraag": "Kenteken", "antwoord": "12-ABC-3"},
                {"vraag": "Soort vergunning", "antwoord": "bezoek"},
            ]


async def test_attempt_by_email_then_closed_note_is_read_only_until_reopened(
    sqlite_engine: Engine,
) -> None:
    wereld = bouw_wereld(sqlite_engine)
    _rol(sqlite_engine, wereld.agent, "kcc;backoffice;teamlead")
    with session_scope(sqlite_engine) as session:
        notitie = tb.maak_terugbelnotitie(
            session,
            wereld.collega,
            TerugbelInvoer(
                doel=_doel(wereld),
                terugbelnummer="0612345678",
                vraag="Paspoort kwijt?",
                klant_id=wereld.berg.id,
            ),
            NU,
            Settings(),
        )
    app = KissApp(settings=Settings(), engine=sqlite_engine, medewerker="agent")
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("f5")
        await settle(app, pilot)
        app.push_screen(TerugbelDetailScreen(notitie.id))
        await settle(app, pilot)
        detail = app.screen
        assert isinstance(detail, TerugbelDetailScreen)
        await pilot.press("b")
        await settle(app, pilot)
        assert isinstance(app.screen, PogingDialoog)
        app.screen.query_one("#pg-kanaal", Select).value = "e-mail"
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert "e-mail" in str(detail.query_one("#td-pogingen", Static).content)

        with session_scope(sqlite_engine) as session:
            tb.afhandelen(session, wereld.agent, notitie.id, tb.Uitkomst.GEHOLPEN, "", NU)
        detail.laad()
        await settle(app, pilot)
        await pilot.press("b")  # read-only: no dialog
        await settle(app, pilot)
        assert app.screen is detail
        assert any("al afgehandeld" in str(n.message) for n in app._notifications)

        await pilot.press("o")
        await settle(app, pilot)
        assert isinstance(app.screen, HeropenDialoog)
        await pilot.press(*"Klant belt terug: paspoort toch niet gevonden")
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert app.screen is detail
        assert detail.detail is not None and detail.detail.status == "open"
        assert "paspoort toch niet gevonden" in str(
            detail.query_one("#td-overdrachten", Static).content
        )
