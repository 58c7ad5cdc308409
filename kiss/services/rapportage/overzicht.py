"""Counts for the start screen: is the database filled, how busy is it."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlmodel import Session

from kiss.models import Contactmoment, Kennisartikel, Klant, Medewerker, Terugbelnotitie


@dataclass(frozen=True)
class Overzicht:
    klanten: int
    medewerkers: int
    artikelen: int
    contactmomenten: int
    open_terugbelnotities: int

    @property
    def leeg(self) -> bool:
        return self.klanten == 0 and self.artikelen == 0


def _count(session: Session, statement: object) -> int:
    return int(session.execute(statement).scalar_one())  # type: ignore[call-overload]


def overzicht(session: Session) -> Overzicht:
    return Overzicht(
        klanten=_count(session, select(func.count()).select_from(Klant)),
        medewerkers=_count(session, select(func.count()).select_from(Medewerker)),
        artikelen=_count(session, select(func.count()).select_from(Kennisartikel)),
        contactmomenten=_count(session, select(func.count()).select_from(Contactmoment)),
        open_terugbelnotities=_count(
            session,
            select(func.count())
            .select_from(Terugbelnotitie)
            .where(Terugbelnotitie.status != "afgehandeld"),
        ),
    )


def is_leeg(session: Session) -> bool:
    heeft_klant = session.execute(select(Klant.id).limit(1)).first()
    heeft_artikel = session.execute(select(Kennisartikel.id).limit(1)).first()
    return heeft_klant is None and heeft_artikel is None
