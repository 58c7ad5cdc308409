"""Who is working: the logged-in medewerker.

On a shared PostgreSQL database it is the database login (``session_user``), mapped to the
medewerker whose ``gebruikersnaam`` it is; a ``sleutel`` is ignored there. On the embedded
SQLite file (one workstation, demo) it is ``--medewerker`` or the OS user.
"""

from __future__ import annotations

import getpass

from sqlalchemy import text
from sqlmodel import Session, or_, select

from kiss.models import Medewerker
from kiss.services import audit


class NietAangemeld(LookupError):
    """Nobody (or nobody allowed) is logged in; the message is Dutch."""


def os_gebruiker() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "onbekend"


def is_gedeeld(session: Session) -> bool:
    """A shared install: identity comes from the database login."""
    return session.get_bind().dialect.name == "postgresql"


def database_login(session: Session) -> str:
    return str(session.execute(text("SELECT session_user")).scalar_one())


def zoek_medewerker(session: Session, sleutel: str) -> Medewerker | None:
    """By gebruikersnaam, personeelsnummer or e-mail (case-insensitive for e-mail)."""
    sleutel = sleutel.strip()
    statement = select(Medewerker).where(
        or_(
            Medewerker.gebruikersnaam == sleutel,
            Medewerker.personeelsnummer == sleutel,
            Medewerker.email == sleutel.lower(),
        )
    )
    return session.exec(statement).first()


def medewerker_voor_login(session: Session, login: str) -> Medewerker | None:
    return session.exec(select(Medewerker).where(Medewerker.gebruikersnaam == login)).first()


def _actief(medewerker: Medewerker) -> Medewerker:
    if not medewerker.actief:
        raise NietAangemeld(
            f"{medewerker.naam} staat in het smoelenboek als vertrokken en kan niet aanmelden."
        )
    return medewerker


def aanmelden(session: Session, sleutel: str | None = None) -> Medewerker:
    """The medewerker for this session.

    PostgreSQL: the database login decides (``sleutel`` is ignored); a login that belongs to
    no medewerker is refused. SQLite: ``sleutel`` must name someone who exists; without it the
    OS user, and an unknown OS user gets a basic KCC account so a fresh desk works at once.
    """
    if is_gedeeld(session):
        login = database_login(session)
        medewerker = medewerker_voor_login(session, login)
        if medewerker is None:
            raise NietAangemeld(
                f"De databaselogin '{login}' hoort bij geen medewerker in het smoelenboek. "
                f"Vraag een beheerder: kiss gebruiker toevoegen {login} --medewerker "
                "PERSONEELSNUMMER."
            )
        return _actief(medewerker)
    if sleutel:
        medewerker = zoek_medewerker(session, sleutel)
        if medewerker is None:
            raise NietAangemeld(f"Medewerker '{sleutel}' bestaat niet in het smoelenboek.")
        return _actief(medewerker)
    gebruiker = os_gebruiker()
    medewerker = zoek_medewerker(session, gebruiker)
    if medewerker is None:
        medewerker = Medewerker(gebruikersnaam=gebruiker, achternaam=gebruiker, rollen="kcc")
        session.add(medewerker)
        session.flush()
        audit.log(
            session,
            medewerker,
            "medewerker_aangemaakt",
            object_type="medewerker",
            object_id=medewerker.id,
            details="eerste aanmelding",
        )
    return _actief(medewerker)
