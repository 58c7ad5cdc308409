"""Helpers for the beheer tests: a wereld with a beheerder, redacteur and teamlead, and a
login that works on both backends (on PostgreSQL the database login is the medewerker)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import Engine, select, text, update
from sqlmodel import Session

from kiss.config import Settings
from kiss.db import session_scope
from kiss.models import Medewerker
from kiss.werkplek import Werkplek
from tests.factories import Wereld, bouw_wereld

NU = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)


@dataclass
class Beheerwereld:
    wereld: Wereld
    beheerder: Medewerker
    redacteur: Medewerker
    teamlead: Medewerker


def bouw_beheerwereld(engine: Engine) -> Beheerwereld:
    wereld = bouw_wereld(engine)
    with session_scope(engine) as session:
        mensen = [
            Medewerker(gebruikersnaam="beheer", voornaam="Bea", achternaam="Heer",
                       rollen="beheerder"),
            Medewerker(gebruikersnaam="redactie", voornaam="Rik", achternaam="Dactie",
                       rollen="redacteur"),
            Medewerker(gebruikersnaam="leider", voornaam="Lot", achternaam="Leider",
                       rollen="teamlead;kcc", afdeling_id=wereld.burgerzaken.id),
        ]  # fmt: skip
        session.add_all(mensen)
        session.flush()
        for m in mensen:
            session.refresh(m)
            session.expunge(m)
    return Beheerwereld(wereld, *mensen)


class Klok:
    def __init__(self, nu: datetime = NU) -> None:
        self.nu = nu

    def __call__(self) -> datetime:
        return self.nu


def werkplek(
    engine: Engine, tmp_path: Path, settings: Settings | None = None, klok: Klok | None = None
) -> Werkplek:
    pad = tmp_path / f"herstel-{id(object())}.json"
    return Werkplek(engine, settings or Settings(), klok=klok or Klok(), herstel_pad=pad)


def meld_aan(werkplek: Werkplek, gebruikersnaam: str) -> None:
    """Log in as that medewerker; on PostgreSQL their gebruikersnaam becomes this test's
    database login (taken from whoever had it before)."""
    if werkplek.engine.dialect.name == "postgresql":
        with Session(werkplek.engine) as session:
            login = session.execute(text("SELECT session_user")).scalar_one()
            bestaat = session.execute(
                select(Medewerker.id).where(Medewerker.gebruikersnaam == gebruikersnaam)
            ).first()
            if bestaat is None:  # logged in as this medewerker already
                session.rollback()
                werkplek.aanmelden(gebruikersnaam)
                return
            session.execute(
                update(Medewerker)
                .where(Medewerker.gebruikersnaam == login)
                .values(gebruikersnaam="vorige_" + login)
            )
            session.execute(
                update(Medewerker)
                .where(Medewerker.gebruikersnaam == gebruikersnaam)
                .values(gebruikersnaam=login)
            )
            session.commit()
    werkplek.aanmelden(gebruikersnaam)
