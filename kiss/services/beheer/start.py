"""What the start screen (F1) tells an agent besides the news: my terugbelnotities (open and
overdue), my concept contacts, and the questions asked most in the last contacts."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlmodel import Session, col

from kiss.config import Settings
from kiss.models import Contactmoment, ContactmomentStatus, Gemeente, Medewerker
from kiss.rollen import mag_klanten_zien, mag_terugbelnotities_zien
from kiss.services.contact.contactmomenten import ContactSamenvatting, open_concepten
from kiss.services.terugbel.wachtrij import (
    Telling,
    WachtrijFilter,
    WachtrijRegel,
    WachtrijSoort,
    tellingen,
    wachtrij,
)

LAATSTE = 500  # the top questions are counted over this many recent contactmomenten
TOP = 10


@dataclass(frozen=True)
class TopVraag:
    onderwerp: str
    aantal: int


@dataclass(frozen=True)
class MijnWerk:
    notities: list[WachtrijRegel]  # my open notes, earliest deadline first
    telling: Telling | None  # open / overdue of my own queue (None: not for my role)
    concepten: list[ContactSamenvatting]


def mijn_werk(
    session: Session, medewerker: Medewerker, *, nu: datetime, settings: Settings, limit: int = 8
) -> MijnWerk:
    notities: list[WachtrijRegel] = []
    telling = None
    if mag_terugbelnotities_zien(medewerker):
        pagina = wachtrij(session, medewerker, WachtrijSoort.MIJN, WachtrijFilter(), nu=nu,
                          settings=settings, limit=limit)  # fmt: skip
        notities = pagina.regels
        telling = tellingen(session, medewerker, nu).get(WachtrijSoort.MIJN)
    concepten = open_concepten(session, medewerker) if mag_klanten_zien(medewerker) else []
    return MijnWerk(notities, telling, concepten)


def top_vragen(
    session: Session, gemeente: str | None = None, *, laatste: int = LAATSTE, top: int = TOP
) -> list[TopVraag]:
    """The ``top`` onderwerpen of the ``laatste`` closed contactmomenten (of one gemeente)."""
    recent = (
        select(Contactmoment.onderwerp)
        .where(Contactmoment.status == ContactmomentStatus.AFGEROND, Contactmoment.onderwerp != "")
        .order_by(col(Contactmoment.gestart_op).desc())
        .limit(laatste)
    )
    if gemeente:
        recent = recent.join(Gemeente, col(Gemeente.id) == col(Contactmoment.gemeente_id)).where(
            Gemeente.naam == gemeente
        )
    sub = recent.subquery()
    rijen = session.execute(
        select(sub.c.onderwerp, func.count().label("aantal"))
        .group_by(sub.c.onderwerp)
        .order_by(func.count().desc(), sub.c.onderwerp)
        .limit(top)
    ).all()
    return [TopVraag(onderwerp, int(aantal)) for onderwerp, aantal in rijen]
