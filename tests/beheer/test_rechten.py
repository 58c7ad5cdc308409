"""On a shared PostgreSQL install the database itself refuses what the role may not do."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text
from sqlalchemy.exc import ProgrammingError

from kiss.config import Settings
from kiss.db import make_engine
from kiss.werkplek import Werkplek


@pytest.fixture
def pg(database_url: str) -> str:
    if not database_url.startswith("postgresql"):
        pytest.skip("rechten in de database bestaan alleen op PostgreSQL")
    return database_url


def _sql(argv: list[str], sql: str, **params: Any) -> None:
    engine = make_engine(argv[1])
    try:
        with engine.begin() as conn:
            conn.execute(text(sql), params)
    finally:
        engine.dispose()


INSTELLINGEN = (
    "INSERT INTO organisatie_instellingen (id, inhoud, versie, gewijzigd_op) "
    "VALUES (1, '{}', 1, now())"
)
NIEUWS = (
    "INSERT INTO nieuws_item (id, soort, titel, tekst, belangrijk, publiceren_van, skills, "
    "gemeente, aangemaakt_op, gewijzigd_op) VALUES (gen_random_uuid(), 'nieuws', 'x', '', "
    "false, now(), '', '', now(), now())"
)


def test_database_refuses_settings_and_news_from_an_agent(
    pg: str, als_medewerker: Callable[..., list[str]]
) -> None:
    agent = als_medewerker("kcc")
    with pytest.raises(ProgrammingError, match="permission denied"):
        _sql(agent, INSTELLINGEN)
    with pytest.raises(ProgrammingError, match="permission denied"):
        _sql(agent, NIEUWS)
    _sql(als_medewerker("redacteur"), NIEUWS)
    beheerder = als_medewerker("beheerder")
    _sql(beheerder, INSTELLINGEN)
    with pytest.raises(ProgrammingError, match="permission denied"):
        _sql(agent, "UPDATE organisatie_instellingen SET versie = versie + 1")


def test_agent_with_an_old_kiss_toml_cannot_write_it_and_is_told(
    pg: str, als_medewerker: Callable[..., list[str]], tmp_path: Path
) -> None:
    agent = als_medewerker("kcc")
    engine = make_engine(agent[1])
    try:
        oud = replace(Settings(kanalen=("telefoon", "duif")), oude_organisatie=("kanalen",))
        werkplek = Werkplek(engine, oud, herstel_pad=tmp_path / "h.json")
        werkplek.aanmelden()
        assert werkplek.beheer.melding and "kiss beheer import" in werkplek.beheer.melding
        assert werkplek.settings.kanalen == ("telefoon", "duif")  # this desk keeps working
    finally:
        engine.dispose()


def test_start_screen_calls_work_for_every_role_under_the_grants(
    pg: str, als_medewerker: Callable[..., list[str]], tmp_path: Path
) -> None:
    # (a login with only the redacteur role cannot log in at all yet: overzicht.is_leeg reads
    # klant; left to the owner of the start counts)
    for rollen in ("redacteur;kcc", "kcc", "backoffice", "teamlead;kcc", "beheerder"):
        argv = als_medewerker(rollen)
        engine = make_engine(argv[1])
        try:
            werkplek = Werkplek(engine, Settings(), herstel_pad=tmp_path / f"{rollen}.json")
            werkplek.aanmelden()
            werkplek.beheer.mijn_werk()
            werkplek.beheer.top_vragen("Haarlem")
            werkplek.beheer.nieuws()
            werkplek.beheer.peil()
            if rollen == "teamlead;kcc":
                werkplek.beheer.niet_gelezen()
        finally:
            engine.dispose()
