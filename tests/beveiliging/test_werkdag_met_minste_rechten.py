"""The agent's day still works when PostgreSQL grants only what each role needs: an agent's
own login searches (also by BSN), opens the klantbeeld, registers a klant and starts a
contactmoment; only the privacy role gets the full BSN."""

from __future__ import annotations

import json
from collections.abc import Callable

import pytest
from sqlalchemy import Engine, text
from sqlmodel import Session, select

from kiss.cli import main
from kiss.config import Settings
from kiss.db import make_engine, session_scope
from kiss.models import Contactmoment, Klant
from kiss.rollen import GeenToegang
from kiss.services.contact import contactmomenten
from kiss.services.klant import klantbeeld
from kiss.services.klant.zoeken import NaamVocabulaire
from kiss.services.medewerkers import aanmelden
from tests.factories import bouw_wereld


@pytest.fixture
def pg_engine(engine: Engine) -> Engine:
    if engine.dialect.name != "postgresql":
        pytest.skip("rechten in de database bestaan alleen op PostgreSQL")
    return engine


def test_an_agent_login_works_through_the_day(
    pg_engine: Engine, als_medewerker: Callable[..., list[str]], capsys: pytest.CaptureFixture[str]
) -> None:
    NaamVocabulaire.voor(pg_engine).vergeet()
    wereld = bouw_wereld(pg_engine)
    agent = als_medewerker(naam="agent")
    assert main([*agent, "klant", "zoek", "999990019", "--json"]) == 0
    treffers = json.loads(capsys.readouterr().out)["treffers"]
    assert [t["bsn_gemaskeerd"] for t in treffers] == ["*****0019"]
    assert main([*agent, "klant", "toon", str(wereld.berg.id), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["bsn"] == "*****0019"

    als_agent = make_engine(agent[1])
    try:
        with session_scope(als_agent) as session:
            ik = aanmelden(session)
            assert ik.id == wereld.agent.id
            nieuw = klantbeeld.registreer_klant(
                session, ik, klantbeeld.KlantInvoer(bsn="999990044", achternaam="Nieuw")
            )
            contact = contactmomenten.start(
                session, ik, kanaal="telefoon", gemeente="Haarlem", settings=Settings(),
                klant_id=nieuw.id,
            )  # fmt: skip
            assert contact.id
        with session_scope(als_agent) as session, pytest.raises(Exception, match="BSN"):
            klantbeeld.registreer_klant(  # the duplicate check works without reading BSNs
                session, ik, klantbeeld.KlantInvoer(bsn="999990044", achternaam="Dubbel")
            )
        with session_scope(als_agent) as session, pytest.raises(GeenToegang):
            klantbeeld.toon_bsn(session, nieuw.id, ik)
        with session_scope(als_agent) as session:  # discarding one's own concept is allowed
            contactmomenten.verwerp(session, contact.id)
            assert session.get(Contactmoment, contact.id) is None
        with session_scope(pg_engine) as session:
            session.add(Contactmoment(kanaal="balie", status="afgerond"))
        with als_agent.begin() as conn:  # but a finished contact cannot be deleted in psql
            assert conn.execute(text("DELETE FROM contactmoment")).rowcount == 0
    finally:
        als_agent.dispose()

    balie = make_engine(als_medewerker(naam="balie")[1])
    try:
        with session_scope(balie) as session:
            assert klantbeeld.toon_bsn(session, wereld.berg.id, aanmelden(session)) == "999990019"
    finally:
        balie.dispose()
    with Session(pg_engine) as session:
        assert session.exec(select(Klant).where(Klant.achternaam == "Nieuw")).one()
