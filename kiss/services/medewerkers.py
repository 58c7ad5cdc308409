"""Who is working: the logged-in medewerker, from the OS user or ``--medewerker``."""

from __future__ import annotations

import getpass

from sqlmodel import Session, or_, select

from kiss.models import Medewerker
from kiss.services import audit


def os_gebruiker() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "onbekend"


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


def aanmelden(session: Session, sleutel: str | None = None) -> Medewerker:
    """The medewerker for this session. An unknown OS user gets a basic KCC account, so a
    fresh install works at once; ``--medewerker`` must name someone who exists."""
    if sleutel:
        medewerker = zoek_medewerker(session, sleutel)
        if medewerker is None:
            raise LookupError(f"Medewerker '{sleutel}' bestaat niet in het smoelenboek.")
        return medewerker
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
    return medewerker
