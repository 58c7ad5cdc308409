"""Several questions in one call, each with its own sources, result and klantsignaal, through
the screen: ctrl+l adds a source, ctrl+e the next question, ctrl+o switches between them."""

from __future__ import annotations

import io
from pathlib import Path

from rich.console import Console
from sqlalchemy import Engine, update
from sqlmodel import Session
from textual.widgets import DataTable, Input, Select, Static

from kiss.app import KissApp
from kiss.config import Settings
from kiss.models import Medewerker
from kiss.screens.bron_dialoog import BronDialoog
from kiss.services.contact.contactmomenten import ContactInvoer
from kiss.werkplek import NieuwContact, Werkplek
from tests.factories import bouw_wereld
from tests.pilot import settle

SIZE = (180, 50)


async def test_three_questions_with_their_own_sources_reach_the_timeline(
    sqlite_engine: Engine,
) -> None:
    wereld = bouw_wereld(sqlite_engine)
    app = KissApp(settings=Settings(), engine=sqlite_engine, medewerker="agent")
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        app.action_nieuw_contact(NieuwContact("telefoon", "Haarlem", "0612345678"))
        await settle(app, pilot)
        scherm = app.contact_scherm
        vragen = [
            ("Paspoort verlengen", "Rijksoverheid paspoort", "afgehandeld", ""),
            ("Parkeervergunning", "", "afgehandeld", ""),
            ("Kapotte lantaarnpaal", "Werkinstructie storingen", "afgehandeld", "klacht"),
        ]
        for nummer, (onderwerp, bron, resultaat, signaal) in enumerate(vragen):
            if nummer:
                await pilot.press("ctrl+e")  # nog een vraag: its own tab and record
                await settle(app, pilot)
            scherm.query_one("#onderwerp", Input).focus()
            await pilot.press(*onderwerp)
            if bron:
                await pilot.press("ctrl+l")
                await settle(app, pilot)
                assert isinstance(app.screen, BronDialoog)
                if bron.startswith("Werkinstructie"):
                    app.screen.query_one("#b-soort", Select).value = "werkinstructie"
                await pilot.press(*bron, "enter")
                await settle(app, pilot)
                assert bron in str(scherm.query_one("#bronnen").content)
            scherm.query_one("#resultaat", Select).value = resultaat
            scherm.query_one("#afdeling", Select).value = wereld.burgerzaken.id
            if signaal:
                scherm.query_one("#signaal", Select).value = signaal
            await settle(app, pilot)
        assert len(app.werkplek.open_contacten) == 3

        await pilot.press("ctrl+o")  # back to the first question: its own fields
        await settle(app, pilot)
        assert scherm.query_one("#onderwerp", Input).value == "Paspoort verlengen"
        assert "Rijksoverheid paspoort" in str(scherm.query_one("#bronnen").content)
        for _ in range(3):
            await pilot.press("ctrl+s")
            await settle(app, pilot)
        assert app.werkplek.open_contacten == [], [str(n.message) for n in app._notifications]

        tabel = scherm.query_one("#kb-tijdlijn", DataTable)
        rijen = [[str(c) for c in tabel.get_row_at(i)] for i in range(tabel.row_count)]
        per_onderwerp = {r[3]: r for r in rijen}
        assert per_onderwerp["Paspoort verlengen"][7] == "Rijksoverheid paspoort (link)"
        assert per_onderwerp["Parkeervergunning"][7] == ""
        derde = per_onderwerp["Kapotte lantaarnpaal"]
        assert derde[7] == "Werkinstructie storingen (werkinstructie)"
        assert per_onderwerp["Kapotte lantaarnpaal"][8] == "klacht"


async def test_the_teamlead_dashboard_shows_onderwerpen_blind_spots_and_signals(
    sqlite_engine: Engine, tmp_path: Path
) -> None:
    wereld = bouw_wereld(sqlite_engine)
    with Session(sqlite_engine) as session:
        session.execute(
            update(Medewerker).where(Medewerker.id == wereld.agent.id).values(rollen="kcc;teamlead")
        )
        session.commit()
    werkplek = Werkplek(sqlite_engine, Settings(), herstel_pad=tmp_path / "h.json")
    werkplek.aanmelden("agent")
    for onderwerp, signaal, categorie in (
        ("Wachttijd balie", "klacht", "wachttijd"),
        ("Hondenbelasting", "", ""),
    ):
        contact = werkplek.start_contact(NieuwContact("balie", "Haarlem")).contact
        werkplek.afronden(
            contact.id,
            ContactInvoer(
                onderwerp=onderwerp,
                gespreksresultaat="afgehandeld",
                afdeling_id=wereld.burgerzaken.id,
                klantsignaal=signaal,
                signaal_categorie=categorie,
            ),
        )
    app = KissApp(settings=Settings(), engine=sqlite_engine, medewerker="agent")
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("f6")
        await settle(app, pilot)
        await pilot.press("d")
        await settle(app, pilot)
        vragen = app.screen.query_one("#tl-vragen", Static)
        tekst = _als_tekst(vragen.content)
        assert "Wachttijd balie" in tekst and "Hondenbelasting" in tekst
        assert "Vragen zonder bron: 2" in tekst
        assert "klacht" in tekst and "wachttijd" in tekst


def _als_tekst(renderable: object) -> str:
    console = Console(file=io.StringIO(), width=200, color_system=None)
    console.print(renderable)
    return console.file.getvalue()  # type: ignore[attr-defined]
