"""``kiss db kopieer``: an embedded SQLite install moves to an empty shared PostgreSQL
database; the counts are compared and the audit chain still holds there."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator

import pytest
from sqlalchemy import Engine, text
from sqlmodel import Session

from kiss.cli import main
from kiss.db import make_engine, session_scope
from kiss.models import Afdeling, Medewerker
from kiss.services import audit
from tests.conftest import POSTGRES_URL
from tests.factories import bouw_wereld


@pytest.fixture
def leeg_doel(postgres_schema_url: str) -> Iterator[str]:
    schema = f"kiss_kopie_{os.getpid()}_{uuid.uuid4().hex[:6]}"
    admin = make_engine(POSTGRES_URL)
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    yield POSTGRES_URL + f"?options=-csearch_path%3D{schema}"
    with admin.begin() as conn:
        conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
    admin.dispose()


def test_sqlite_moves_to_postgresql_with_equal_counts(
    sqlite_engine: Engine, leeg_doel: str, capsys: pytest.CaptureFixture[str]
) -> None:
    wereld = bouw_wereld(sqlite_engine)
    with session_scope(sqlite_engine) as session:
        onder = Afdeling(naam="Paspoorten")  # points at its parent: copied in a second pass
        session.add(onder)
        session.flush()
        onder.ouder_id = wereld.burgerzaken.id
        beheerder = Medewerker(gebruikersnaam="beheer", achternaam="Beheer", rollen="beheerder")
        session.add(beheerder)
        session.flush()
        for i in range(3):
            audit.log(session, beheerder, "test", details=str(i))
    bron = str(sqlite_engine.url)
    argv = ["--database", bron, "--medewerker", "beheer", "db", "kopieer", "--naar", leeg_doel]
    assert main(argv) == 0
    out = capsys.readouterr().out
    assert "Alle aantallen gelijk." in out and "klant" in out
    doel = make_engine(leeg_doel)
    with Session(doel) as session:
        assert audit.controleer(session).in_orde
        gemaskeerd = session.execute(text("SELECT bsn_gemaskeerd FROM klant WHERE bsn IS NOT NULL"))
        assert "*****0019" in set(gemaskeerd.scalars())
    doel.dispose()
    # a second copy into the now filled database is refused
    assert main(argv) == 2
    assert "niet leeg" in capsys.readouterr().err
