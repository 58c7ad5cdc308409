"""Issue 18 through the screens: a beheerder sets the klachtencoördinator in Beheer (F7), an
agent marks a question as klacht, finishes it and sees that the klacht went through."""

from __future__ import annotations

from sqlalchemy import Engine, select
from sqlmodel import Session
from textual.widgets import Input, Select, Static, TextArea

from kiss.app import KissApp
from kiss.config import Settings
from kiss.db import session_scope
from kiss.models import Afdeling, Team, Terugbelnotitie
from kiss.screens.beheer import BeheerScreen
from kiss.werkplek import NieuwContact
from tests.beheer.conftest import Klok, bouw_beheerwereld
from tests.pilot import settle

GROOTTE = (160, 50)
LEEG = '[klachtencoordinator]\nafdeling = ""\nteam = ""\nmedewerker = ""'


def _meldingen(app: KissApp) -> list[str]:
    return [str(n.message) for n in app._notifications]


async def test_beheerder_sets_the_klachtencoordinator_and_an_agents_klacht_reaches_it(
    sqlite_engine: Engine,
) -> None:
    bw = bouw_beheerwereld(sqlite_engine)
    with session_scope(sqlite_engine) as session:
        bestuur = Afdeling(naam="Bestuurszaken")
        session.add(bestuur)
        session.flush()
        session.add(Team(naam="Klachten", afdeling_id=bestuur.id))

    beheer = KissApp(settings=Settings(), engine=sqlite_engine, medewerker="beheer", klok=Klok())
    async with beheer.run_test(size=GROOTTE) as pilot:
        await settle(beheer, pilot)
        await pilot.press("f7")
        await settle(beheer, pilot)
        assert isinstance(beheer.screen, BeheerScreen)
        editor = beheer.screen.query_one("#toml", TextArea)
        assert LEEG in editor.text  # the field is there, empty: not set

        verkeerd = editor.text.replace(LEEG, LEEG.replace('team = ""', 'team = "Klachtn"'))
        editor.load_text(verkeerd)
        await pilot.press("ctrl+s")
        await settle(beheer, pilot)
        fouten = str(beheer.screen.query_one("#beheer-fouten", Static).content)
        assert "klachtencoordinator.team: Team 'Klachtn' bestaat niet in het smoelenboek" in fouten
        assert "Bedoelt u 'Klachten'?" in fouten
        assert editor.text == verkeerd  # what was typed stays

        editor.load_text(verkeerd.replace('"Klachtn"', '"Klachten"'))
        await pilot.press("ctrl+s")
        await settle(beheer, pilot)
        assert 'klachtencoordinator.team: "" → "Klachten"' in str(
            beheer.screen.query_one("Label").content
        )
        await pilot.press("enter")  # Opslaan
        await settle(beheer, pilot)
        assert beheer.settings.klachtencoordinator.ingesteld

    agent = KissApp(settings=Settings(), engine=sqlite_engine, medewerker="agent", klok=Klok())
    async with agent.run_test(size=GROOTTE, notifications=True) as pilot:
        await settle(agent, pilot)
        agent.action_nieuw_contact(NieuwContact("telefoon", "Haarlem", "0612345678"))
        await settle(agent, pilot)
        scherm = agent.contact_scherm
        scherm.query_one("#onderwerp", Input).focus()
        await pilot.press(*"Paspoort verlengen")
        scherm.query_one("#resultaat", Select).value = "afgehandeld"
        scherm.query_one("#afdeling", Select).value = bw.wereld.burgerzaken.id
        scherm.query_one("#signaal", Select).value = "klacht"
        await settle(agent, pilot)
        await pilot.press("ctrl+s")
        await settle(agent, pilot)

        assert agent.werkplek.open_contacten == [], _meldingen(agent)
        meldingen = _meldingen(agent)
        assert "Contactmoment afgerond." in meldingen
        klacht = next(m for m in meldingen if m.startswith("Klacht doorgezet"))
        assert klacht.startswith(
            "Klacht doorgezet naar de klachtencoördinator (team Klachten); opvolgen uiterlijk"
        )
        await pilot.pause(0.1)
        toasts = " ".join(str(t.render()) for t in agent.screen.query("Toast"))
        assert "Klacht doorgezet naar de klachtencoördinator" in toasts  # on screen

    with Session(sqlite_engine) as session:
        [notitie] = session.execute(select(Terugbelnotitie)).scalars()
    assert notitie.vraag == "Klacht: Paspoort verlengen"
    assert notitie.klant_id == bw.wereld.berg.id
