"""What the questions tell the redactie and the teamlead: first-contact resolution per
onderwerp (article or own text), the questions answered without any source (the kennisbank's
blind spots) and the klantsignalen (klacht, compliment, idee, melding) per gemeente.

Counted like the norm dashboard (:mod:`kiss.services.rapportage.normen`): inkomende, afgeronde
contactmomenten that started in the period (whole days in Dutch time); "eerste keer goed" is
the dashboard's own definition.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ColumnElement, case, exists, func, select
from sqlmodel import Session, col

from kiss.config import Settings
from kiss.models import Contactmoment, ContactmomentStatus, Kennisartikel, Richting, Vraagbron
from kiss.services.rapportage.normen import ONBEKEND, Periode, eerste_keer_goed, gemeente_ids


@dataclass(frozen=True)
class OnderwerpRegel:
    onderwerp: str
    artikel_id: uuid.UUID | None
    vragen: int
    eerste_keer_goed: int

    @property
    def percentage(self) -> float:
        return 100.0 * self.eerste_keer_goed / self.vragen if self.vragen else 0.0


@dataclass(frozen=True)
class VraagZonderBron:
    id: uuid.UUID
    moment: datetime
    gemeente: str
    kanaal: str
    onderwerp: str
    vraag: str
    resultaat: str


@dataclass(frozen=True)
class SignaalRegel:
    gemeente: str
    soort: str
    categorie: str
    aantal: int


def _geteld(
    periode: Periode, gemeenten: dict[uuid.UUID | None, str], gekozen: bool
) -> list[ColumnElement[bool]]:
    """The dashboard's contactmomenten of the period (and of the chosen gemeente)."""
    grenzen = periode.grenzen()
    cm = Contactmoment
    voorwaarden = [
        cm.status == ContactmomentStatus.AFGEROND,
        cm.richting == Richting.INKOMEND,
        col(cm.gestart_op) >= grenzen[0],
        col(cm.gestart_op) < grenzen[-1],
    ]
    if gekozen:
        voorwaarden.append(col(cm.gemeente_id).in_([k for k in gemeenten if k is not None]))
    return voorwaarden


def per_onderwerp(
    session: Session,
    periode: Periode,
    *,
    settings: Settings | None = None,
    gemeente: str | None = None,
    limit: int = 50,
) -> list[OnderwerpRegel]:
    """First-contact resolution per onderwerp: the article's current title where an article
    was used, else the onderwerp as typed; most asked first."""
    settings = settings or Settings()
    gemeenten = gemeente_ids(session, gemeente)
    cm = Contactmoment
    sleutel = func.coalesce(Kennisartikel.titel, cm.onderwerp)
    rijen = session.execute(
        select(
            sleutel,
            cm.artikel_id,
            func.count(),
            func.sum(case((eerste_keer_goed(settings), 1), else_=0)),
        )
        .select_from(cm)
        .outerjoin(Kennisartikel, col(Kennisartikel.id) == cm.artikel_id)
        .where(*_geteld(periode, gemeenten, gemeente is not None))
        .group_by(sleutel, cm.artikel_id)
        .order_by(func.count().desc(), sleutel)
        .limit(limit)
    ).all()
    return [OnderwerpRegel(str(o or ""), a, int(n), int(g or 0)) for o, a, n, g in rijen]


def zonder_bron(
    session: Session, periode: Periode, *, gemeente: str | None = None, limit: int = 500
) -> list[VraagZonderBron]:
    """Questions answered without any source consulted: what the kennisbank lacks."""
    gemeenten = gemeente_ids(session, gemeente)
    cm = Contactmoment
    heeft_bron = exists().where(col(Vraagbron.contactmoment_id) == cm.id)
    rijen = session.execute(
        select(cm)
        .where(*_geteld(periode, gemeenten, gemeente is not None), ~heeft_bron)
        .order_by(col(cm.gestart_op).desc())
        .limit(limit)
    ).scalars()
    return [
        VraagZonderBron(
            c.id,
            c.gestart_op,
            gemeenten.get(c.gemeente_id, ONBEKEND),
            c.kanaal,
            c.onderwerp,
            c.vraag,
            c.gespreksresultaat,
        )
        for c in rijen
    ]


def klantsignalen(
    session: Session, periode: Periode, *, gemeente: str | None = None
) -> list[SignaalRegel]:
    """Klachten, complimenten, ideeën and meldingen per gemeente, soort and categorie."""
    gemeenten = gemeente_ids(session, gemeente)
    cm = Contactmoment
    rijen = session.execute(
        select(cm.gemeente_id, cm.klantsignaal, cm.signaal_categorie, func.count())
        .where(*_geteld(periode, gemeenten, gemeente is not None), cm.klantsignaal != "")
        .group_by(cm.gemeente_id, cm.klantsignaal, cm.signaal_categorie)
    ).all()
    regels = [SignaalRegel(gemeenten.get(g, ONBEKEND), s, c, int(n)) for g, s, c, n in rijen]
    return sorted(regels, key=lambda r: (r.gemeente, r.soort, -r.aantal, r.categorie))
