"""A werkplek logged in as a given medewerker, on SQLite and PostgreSQL.

On PostgreSQL the database login decides who you are, so the medewerker's gebruikersnaam
becomes this test's login (whoever held it before keeps their werkplek: it is logged in
already and works with the medewerker's id, not the name).
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from sqlalchemy import Engine, text, update
from sqlmodel import Session

from kiss.config import Settings
from kiss.models import Medewerker
from kiss.werkplek import Werkplek


def werkplek_voor(
    engine: Engine,
    gebruikersnaam: str,
    tmp_path: Path,
    klok: Callable[[], datetime],
    settings: Settings | None = None,
) -> Werkplek:
    werkplek = Werkplek(
        engine,
        settings or Settings(),
        klok=klok,
        herstel_pad=tmp_path / f"herstel-{gebruikersnaam}-{uuid.uuid4().hex[:6]}.json",
    )
    if engine.dialect.name == "postgresql":
        with Session(engine) as session:
            login = session.execute(text("SELECT session_user")).scalar_one()
            if login != gebruikersnaam:
                session.execute(
                    update(Medewerker)
                    .where(Medewerker.gebruikersnaam == login)
                    .values(gebruikersnaam=f"was-{uuid.uuid4().hex[:8]}")
                )
                session.execute(
                    update(Medewerker)
                    .where(Medewerker.gebruikersnaam == gebruikersnaam)
                    .values(gebruikersnaam=login)
                )
            session.commit()
    werkplek.aanmelden(gebruikersnaam)
    return werkplek
